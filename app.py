"""The dashboard's web app: ``python app.py`` loads the seed data if needed and serves it.

Pages live in dashboard/pages (Dash Pages); each registers itself and keeps its callbacks.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Dash, html

from dashboard import config

ATTRIBUTION = (
    "Contains Metropolitan Police Service data, Office for National Statistics data licensed "
    "under the Open Government Licence v3.0; contains OS data © Crown copyright and database "
    "right 2021."
)

app = Dash(
    __name__,
    use_pages=True,
    pages_folder="dashboard/pages",
    external_stylesheets=[dbc.themes.BOOTSTRAP],
    title="Community safety dashboard",
    suppress_callback_exceptions=True,
)
server = app.server


def navbar() -> dbc.Navbar:
    """Links built from the page registry, in each page's declared order."""
    pages = [p for p in dash.page_registry.values() if p.get("nav", True)]
    links = [
        dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="exact"))
        for p in sorted(pages, key=lambda p: p.get("order", 99))
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(f"{config.home_borough()} community safety", href="/"),
                dbc.Nav(links, navbar=True, className="flex-wrap"),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3",
    )


def layout() -> html.Div:
    return html.Div(
        [
            html.A("Skip to main content", href="#main", className="visually-hidden-focusable"),
            html.Header(navbar()),
            html.Main(dbc.Container(dash.page_container, fluid=True), id="main"),
            html.Footer(
                dbc.Container(html.Small(ATTRIBUTION, className="text-muted"), fluid=True),
                className="mt-4 mb-3",
            ),
        ]
    )


app.layout = layout


def main() -> None:
    from dashboard.seed import seed_if_empty

    seed_if_empty()
    app.run(host=config.HOST.get(), port=int(config.PORT.get()), debug=False)


if __name__ == "__main__":
    main()
