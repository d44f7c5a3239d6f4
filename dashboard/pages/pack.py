"""Board pack (/board-pack): the packs published for the Board, listed for every signed-in role
(the Part 2 ones only for those who may see exempt items); for managers, the quarterly report as
a PDF or an Excel workbook, built by a Dash background callback (dashboard.jobs: a process beside
the server, or a Celery worker with REDIS_URL) while the page shows its progress, then
downloaded, or published for the Board."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import cache, jobs
from dashboard.auth import guard, inputs
from dashboard.reports.pack import jobs as pack_job
from dashboard.reports.pack import published as publishing
from dashboard.reports.pack.periods import first_quarter, period_table, periods
from dashboard.reports.pack.quarter import (
    QuarterError,
    complete_quarters,
    quarter_end,
    quarter_label,
    quarter_words,
)
from dashboard.ui import packs as packs_ui
from dashboard.ui import uploads as views
from dashboard.ui.packs import EXEMPT_HELP, FORMATS, INTRO, PUBLISHED, PUBLISHING
from dashboard.ui.tables import table_children

dash.register_page(__name__, path="/board-pack", name="Board pack", order=52, title="Board pack")
inputs.expect("pack-token", "data", inputs.TEXT)
inputs.expect("pack-publish-order", "data", inputs.TEXT)


def layout(**_query) -> html.Div:
    user = guard.current_user()
    refusal = views.who_may("viewer", user)
    if refusal is not None:
        return html.Div([html.H1("Board pack"), refusal])
    published = [
        html.H2("Published packs", className="h4 mt-4"),
        html.Div(packs_ui.published_table(publishing.listed(user)), id="pack-published"),
    ]
    if not user.can("manager"):
        return html.Div([html.H1("Board pack"), *published])
    quarters = complete_quarters(cache.picker_months())
    options = [{"label": quarter_words(q), "value": quarter_label(q)} for q in quarters]
    first = first_quarter(quarters)
    return html.Div(
        [
            html.H1("Board pack"),
            html.P(INTRO, className="lead"),
            dbc.Label("Meeting quarter", html_for="pack-quarter"),
            dbc.Select(
                id="pack-quarter", options=options, value=quarter_label(first) if first else None
            ),
            html.Table(id="pack-periods", className="table table-sm mt-3"),
            html.Fieldset(
                [
                    html.Legend("Format", className="form-label fs-6 mt-3"),
                    dbc.RadioItems(id="pack-format", options=FORMATS, value="pdf"),
                ]
            ),
            dbc.Checkbox(
                id="pack-exempt", label="Include exempt items", value=False, className="mt-3"
            ),
            html.P(EXEMPT_HELP, className="small text-body-secondary"),
            dbc.Button("Build the pack", id="pack-build", color="primary", disabled=not options),
            dbc.Button(
                "Cancel", id="pack-cancel", color="secondary", className="ms-2", disabled=True
            ),
            html.Div(id="pack-progress", className="mt-3", hidden=True),
            html.Div(
                "No figures are loaded yet." if not options else "",
                id="pack-status",
                className="mt-3",
                role="status",
                **{"aria-live": "polite"},
            ),
            dbc.Button(
                "Publish for the Board (PDF and workbook)",
                id="pack-publish",
                color="secondary",
                className="mt-3",
                disabled=not options,
            ),
            html.Div(id="pack-publish-status", className="mt-2", role="status"),
            dcc.Store(id="pack-publish-order"),
            *published,
            dcc.Download(id="pack-download"),
        ]
    )


@callback(
    Output("pack-publish-status", "children"),
    Output("pack-publish-order", "data"),
    Input("pack-publish", "n_clicks"),
    State("pack-quarter", "value"),
    State("pack-exempt", "value"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def publish(_clicks, quarter: str | None, with_exempt: bool | None):
    """Order the chosen quarter's pack published (Part 2 when exempt items are ticked)."""
    try:
        end = quarter_end(quarter or "")
    except QuarterError as exc:
        return str(exc), no_update
    return PUBLISHING, publishing.order(end, bool(with_exempt), guard.current_user())


@callback(
    Output("pack-publish-status", "children", allow_duplicate=True),
    Output("pack-published", "children"),
    Input("pack-publish-order", "data"),
    background=True,
    manager=jobs.manager,
    running=[(Output("pack-publish", "disabled"), True, False)],
    on_error=lambda error: (stopped(error)[0], no_update),
    prevent_initial_call=True,
)
@guard.requires("manager")
def publish_ordered(order: str | None):
    """Build and store the ordered pack in the background; the list then shows it."""
    version, packs = publishing.carry_out(order or "")
    return PUBLISHED.format(version=version), packs_ui.published_table(packs)


@callback(Output("pack-periods", "children"), Input("pack-quarter", "value"))
@guard.requires("manager")
def show_periods(quarter: str | None):
    """The period each dataset's figures will cover, before the pack is built."""
    try:
        end = quarter_end(quarter or "")
    except QuarterError:
        return []
    return table_children(period_table(periods(end)), "The periods the figures cover")


def building_text(stage: str) -> html.Span:
    return html.Span([dbc.Spinner(size="sm", spinner_class_name="me-2"), f"Building: {stage}…"])


def stopped(error: Exception):
    """What the page says when the build gave no pack (``dashboard.jobs`` reasons in words)."""
    reason = jobs.reason(error)
    if reason is None:
        pack_job.log.error("building a board pack failed: %s", error)
    return pack_job.STOPPED.get(reason, pack_job.FAILED), no_update


@callback(
    Output("pack-status", "children"),
    Output("pack-download", "data"),
    Input("pack-build", "n_clicks"),
    State("pack-quarter", "value"),
    State("pack-format", "value"),
    State("pack-exempt", "value"),
    background=True,
    manager=jobs.manager,
    progress=[Output("pack-progress", "children")],
    progress_default=[building_text("Waiting for a worker")],
    running=[
        (Output("pack-build", "disabled"), True, False),
        (Output("pack-cancel", "disabled"), False, True),
        (Output("pack-progress", "hidden"), False, True),
        (Output("pack-status", "hidden"), True, False),
    ],
    cancel=[Input("pack-cancel", "n_clicks")],
    on_error=stopped,
    prevent_initial_call=True,
)
@guard.requires("manager")
def build(set_progress, _clicks, quarter: str | None, fmt: str | None, with_exempt):
    """Build the chosen pack in the background (the page shows its progress), then send it."""
    if fmt not in ("pdf", "xlsx"):
        return "Choose a format.", no_update
    said, sent = pack_job.run(
        quarter, fmt, bool(with_exempt), lambda stage: set_progress(building_text(stage))
    )
    return said, sent if sent is not None else no_update


@callback(
    Output("pack-status", "children", allow_duplicate=True),
    Input("pack-cancel", "n_clicks"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def cancelled(_clicks):
    """Cancel ends the build's process (Dash's own callback on the button); this says so."""
    return pack_job.CANCELLED
