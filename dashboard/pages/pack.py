"""Board pack (/board-pack): the packs published for the Board, listed for every signed-in role
(the Part 2 ones only for those who may see exempt items); for managers, the quarterly report
built as a PDF or an Excel workbook in the background on the server (dashboard.reports.pack.jobs)
while the page shows its progress, then downloaded, or published for the Board."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import cache, pending
from dashboard.auth import guard
from dashboard.reports.pack import jobs
from dashboard.reports.pack.periods import first_quarter, period_table, periods
from dashboard.reports.pack.published import listed
from dashboard.reports.pack.published import start as start_publishing
from dashboard.reports.pack.quarter import (
    QuarterError,
    complete_quarters,
    quarter_end,
    quarter_label,
    quarter_words,
)
from dashboard.ui import packs as packs_ui
from dashboard.ui import uploads as views
from dashboard.ui.tables import table_children

dash.register_page(__name__, path="/board-pack", name="Board pack", order=52, title="Board pack")
INTRO = (
    "The performance report for the Safer Communities Partnership Board's quarterly meeting: "
    "a cover, an executive summary, a section per priority with its headline table, charts "
    "and sentences, the ward table, and the sources and caveats. Each dataset's figures are "
    "for the quarter's last month, or its own latest month where its figures end earlier."
)
EXEMPT_HELP = (
    "Exempt items are left out unless you tick this; a pack with them says on every page "
    "that it is exempt information, not for publication."
)
FORMATS = [
    {"label": "PDF (A4, for printing and the meeting papers)", "value": "pdf"},
    {"label": "Excel workbook (the figures, a sheet per section)", "value": "xlsx"},
]
POLL_MS = 1000
PUBLISHING = (
    "Publishing: the PDF and the workbook are being built (a minute or so). Reload the page "
    "to see the pack in the list below."
)


def layout(**_query) -> html.Div:
    user = guard.current_user()
    refusal = views.who_may("viewer", user)
    if refusal is not None:
        return html.Div([html.H1("Board pack"), refusal])
    published = [
        html.H2("Published packs", className="h4 mt-4"),
        packs_ui.published_table(listed(user)),
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
            *published,
            dcc.Store(id="pack-token"),
            dcc.Interval(id="pack-poll", interval=POLL_MS, disabled=True),
            dcc.Download(id="pack-download"),
        ]
    )


@callback(
    Output("pack-publish-status", "children"),
    Input("pack-publish", "n_clicks"),
    State("pack-quarter", "value"),
    State("pack-exempt", "value"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def publish(_clicks, quarter: str | None, with_exempt: bool | None):
    """Publish the chosen quarter's pack (Part 2 when exempt items are ticked)."""
    try:
        end = quarter_end(quarter or "")
    except QuarterError as exc:
        return str(exc)
    start_publishing(end, bool(with_exempt), guard.current_user().name)
    return PUBLISHING


@callback(Output("pack-periods", "children"), Input("pack-quarter", "value"))
@guard.requires("manager")
def show_periods(quarter: str | None):
    """The period each dataset's figures will cover, before the pack is built."""
    try:
        end = quarter_end(quarter or "")
    except QuarterError:
        return []
    return table_children(period_table(periods(end)), "The periods the figures cover")


@callback(
    Output("pack-token", "data"),
    Output("pack-poll", "disabled"),
    Output("pack-status", "children"),
    Output("pack-build", "disabled"),
    Input("pack-build", "n_clicks"),
    State("pack-quarter", "value"),
    State("pack-format", "value"),
    State("pack-exempt", "value"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def start(_clicks, quarter: str | None, fmt: str | None, with_exempt: bool | None):
    """Start building the chosen pack in the background; the page then polls for it."""
    if fmt not in ("pdf", "xlsx"):
        return no_update, True, "Choose a format.", False
    try:
        end = quarter_end(quarter or "")
    except QuarterError as exc:
        return no_update, True, str(exc), False
    user = guard.current_user()
    token = jobs.start(user.name, end, fmt, bool(with_exempt))
    return token, False, building_text("Gathering the figures"), True


def building_text(stage: str) -> html.Span:
    return html.Span([dbc.Spinner(size="sm", spinner_class_name="me-2"), f"Building: {stage}…"])


@callback(
    Output("pack-status", "children", allow_duplicate=True),
    Output("pack-poll", "disabled", allow_duplicate=True),
    Output("pack-build", "disabled", allow_duplicate=True),
    Output("pack-download", "data"),
    Input("pack-poll", "n_intervals"),
    State("pack-token", "data"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def poll(_n, token: str | None):
    """The build's progress; once ready, the file is sent to the browser."""
    user = guard.current_user()
    try:
        meta = jobs.status(token or "", user.name)
    except pending.NotYours:
        return "That pack is not available.", True, False, no_update
    if meta["state"] == "building":
        return building_text(meta["progress"]), False, True, no_update
    if meta["state"] == "failed":
        return meta["progress"], True, False, no_update
    data = jobs.file_bytes(token, user.name)
    done = f"Ready: {meta['name']} ({meta['quarter']}) has been downloaded."
    return done, True, False, dcc.send_bytes(data, meta["name"])
