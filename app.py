"""The dashboard's web app: ``python app.py`` loads the seed data if needed and serves it.

Pages live in dashboard/pages (Dash Pages); each registers itself and keeps its callbacks.
This module is the shell every page shares: the navbar (from the page registry), the period
picker (``period-select``; its month is carried between pages and mirrored in ``?period=``),
the footer with the data's attribution.
"""

from __future__ import annotations

import json
import sys
import threading

if __name__ in ("__main__", "__mp_main__"):  # started as a script (or a job's copy of one):
    sys.modules.setdefault("app", sys.modules[__name__])  # ``import app`` is this module

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html
from flask import request

from core import config
from dashboard import answers, cache, jobs, routes, serving, warming
from dashboard.auth import guard, signin
from dashboard.reports import monthly
from dashboard.reports.pack import published as published_packs
from dashboard.ui.prefill import period_bar, period_options

ATTRIBUTION = (
    "Contains Metropolitan Police Service data, Office for National Statistics data licensed "
    "under the Open Government Licence v3.0; contains OS data © Crown copyright and database "
    "right 2021."
)

# Dash's own page puts its scripts in a <footer>: a second "contentinfo" landmark beside ours.
INDEX = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""

# Bootstrap 5.3 is served from assets/ (no CDN: council laptops and these tests are offline).
app = Dash(
    __name__,
    use_pages=True,
    pages_folder="dashboard/pages",
    title="Community safety dashboard",
    update_title=None,  # keep the tab's title while a callback runs (no flicker, no favicon refetch)
    index_string=INDEX,
    suppress_callback_exceptions=True,
    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
)
server = app.server
celery_app = jobs.celery_app  # with REDIS_URL: the Celery workers run `celery -A app worker`
guard.init_auth(server)  # sign-in, roles and CSRF in front of every route
serving.configure(server)  # proxy headers (TRUST_PROXY) and the log format (LOG_FORMAT)
answers.init(server)  # the data pages' callback answers, kept per data version and role
server.register_blueprint(published_packs.blueprint)  # published board packs, role-checked
server.register_blueprint(monthly.blueprint)  # /figures/<page>.csv: "Download the figures"


def _nav_pages() -> list[dict]:
    pages = [p for p in dash.page_registry.values() if p.get("nav", True)]
    return sorted(pages, key=lambda p: p.get("order", 99))


def navbar() -> dbc.Navbar:
    """Links built from the page registry, in each page's declared order."""
    links = [
        dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], id=f"nav-link-{i}"))
        for i, p in enumerate(_nav_pages())
    ]
    # below Bootstrap's lg (992 px) the links fold behind a "Menu" button: twelve links took
    # three rows (136 px) of a tablet's screen
    toggle = html.Button(
        [html.Span(className="navbar-toggler-icon"), html.Span("Menu", className="ms-2")],
        id="nav-toggle",
        className="navbar-toggler text-light",
        type="button",
        **{"aria-controls": "nav-collapse", "aria-expanded": "false"},
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(f"{config.home_borough()} community safety", href="/"),
                toggle,
                dbc.Collapse(
                    [dbc.Nav(links, navbar=True, className="flex-wrap"), signin.user_menu()],
                    id="nav-collapse",
                    navbar=True,
                    is_open=False,
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="lg",
        className="mb-2",
    )


def layout() -> html.Div:
    return html.Div(
        [
            html.A("Skip to main content", href="#main", className="visually-hidden-focusable"),
            html.Header([navbar(), period_bar(period_options(cache.picker_months()))]),
            html.Main(dbc.Container(dash.page_container, fluid=True), id="main", tabIndex="-1"),
            html.Footer(
                dbc.Container(
                    [
                        html.P(dcc.Link("Accessibility statement", href="/accessibility")),
                        html.Small(ATTRIBUTION, className="text-body-secondary"),
                    ],
                    fluid=True,
                ),
                className="mt-4 mb-3",
            ),
            dcc.Store(id="period-url"),
        ]
    )


app.layout = layout

# ?period=YYYY-MM in the address chooses the month; the chosen month goes back into the address
# with history.replaceState (no navigation, so the page is not re-rendered), and into the
# navbar's links (assets/dashboard.js), so the next page is drawn for it at once.
app.clientside_callback(
    ClientsideFunction(namespace="dashboard", function_name="periodFromUrl"),
    Output("period-select", "value"),
    Input("_pages_location", "search"),
    State("period-select", "options"),
    State("period-select", "value"),
)
app.clientside_callback(
    ClientsideFunction(namespace="dashboard", function_name="periodToUrl"),
    Output("period-url", "data"),
    Input("period-select", "value"),
    Input("_pages_location", "pathname"),
)


# The "Menu" button opens and closes the folded links (and says so to screen readers); opening
# a page closes them.
app.clientside_callback(
    ClientsideFunction(namespace="dashboard", function_name="toggleMenu"),
    Output("nav-collapse", "is_open"),
    Output("nav-toggle", "aria-expanded"),
    Input("nav-toggle", "n_clicks"),
    Input("_pages_location", "pathname"),
    State("nav-collapse", "is_open"),
    prevent_initial_call=True,
)


def nav_matches() -> list[list[str]]:
    """Per navbar link, the paths it is "current" for: its own, or its page's nav_match."""
    return [p.get("nav_match", [p["relative_path"]]) for p in _nav_pages()]


app.clientside_callback(
    "function(path) { return window.dashboard.activeLinks(path, "
    + json.dumps(nav_matches())
    + "); }",
    [Output(f"nav-link-{i}", "active") for i in range(len(_nav_pages()))],
    Input("_pages_location", "pathname"),
)


def warm_pages(in_background: bool = True) -> None:
    """Fill the caches and build each page's charts once for the latest month, so the first
    board member to open a page does not wait for the first-time work
    (``dashboard.warming``). The production server's master does it before forking its workers
    (``dashboard.gunicorn_hooks``); they then skip it, and each watches for new data versions."""
    global _warmed
    try:
        warming.warm_pages()
    except Exception:  # warming is best effort; the page itself shows any real error
        server.logger.exception("warming the page caches failed")
    if not in_background:
        _warmed = True


@server.errorhandler(dash.exceptions.DependencyException)
def _no_such_script(_error):
    """A component script Dash does not serve (/_dash-component-suites/nope/x.js) answers 404,
    not a server error."""
    return flask.Response("not found\n", status=404, mimetype="text/plain")


@server.after_request
def _not_found_status(response):
    """An address that is no page's answers 404 (Dash Pages draws its "not found" page in the
    browser, but would answer 200), so links checkers, proxies and logs see the truth."""
    rule = request.url_rule.rule if request.url_rule else ""
    if rule.endswith("<path:path>") and response.status_code == 200:
        page, variables = routes.page_for(request.path)
        if not page or page["module"].endswith("not_found_404"):
            response.status_code = 404
        elif not _page_exists(page, variables or {}):
            response.status_code = 404  # /crime/<no such type>, /ward/<no such code>
    return response


def _page_exists(page: dict, variables: dict) -> bool:
    """A page with a path template answers for the values its ``exists`` function accepts."""
    exists = getattr(sys.modules.get(page["module"]), "exists", None)
    return exists(**variables) if callable(exists) else True


_warming = threading.Lock()
_warmed = False


@server.before_request
def _start_warming() -> None:
    """On the first request (app.py or any WSGI server), warm the caches in the background."""
    global _warmed
    if _warmed:
        return
    with _warming:
        if not _warmed:
            _warmed = True
            threading.Thread(target=warm_pages, name="warm-pages", daemon=True).start()


def main() -> None:
    serving.prepare()
    warming.watch()  # each load's new data version warmed in this process (dashboard.warming)
    jobs.start_job_server()
    app.run(
        host=config.HOST.get(),
        port=int(config.PORT.get()),
        debug=False,
        request_handler=guard.RequestHandler,
    )


if __name__ == "__main__":
    main()
