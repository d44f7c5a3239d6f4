"""Board pack (/board-pack, managers only): the quarterly performance report for the Safer
Communities Partnership Board as a PDF or an Excel workbook, built in the background on the
server (dashboard.reports.pack.jobs) while the page shows its progress, then downloaded."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import cache, pending
from dashboard.auth import guard, inputs
from dashboard.reports.pack import jobs
from dashboard.reports.pack.quarter import (
    QuarterError,
    complete_quarters,
    quarter_end,
    quarter_label,
    quarter_words,
)
from dashboard.ui import uploads as views

dash.register_page(__name__, path="/board-pack", name="Board pack", order=52, title="Board pack")
inputs.expect("pack-token", "data", inputs.TEXT)
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


def layout(**_query) -> html.Div:
    refusal = views.who_may("manager", guard.current_user())
    if refusal is not None:
        return html.Div([html.H1("Board pack"), refusal])
    quarters = complete_quarters(cache.picker_months())
    options = [{"label": quarter_words(q), "value": quarter_label(q)} for q in quarters]
    return html.Div(
        [
            html.H1("Board pack"),
            html.P(INTRO, className="lead"),
            dbc.Label("Meeting quarter", html_for="pack-quarter"),
            dbc.Select(
                id="pack-quarter", options=options, value=options[0]["value"] if options else None
            ),
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
            dcc.Store(id="pack-token"),
            dcc.Interval(id="pack-poll", interval=POLL_MS, disabled=True),
            dcc.Download(id="pack-download"),
        ]
    )


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
