"""Data history (/history): every upload, who made it, what it changed; managers can revert one,
which withdraws its figures and brings back the ones it replaced (etl/revert.py).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, callback, ctx, html, no_update

from core import db, queries
from dashboard.auth import exempt, guard
from dashboard.ui import history as ui
from dashboard.ui import uploads as views
from etl import formats
from etl.revert import RevertRefused, revert_upload

dash.register_page(__name__, path="/history", name="Data history", order=51, title="Data history")
MANAGER_NOTE = (
    "As a manager you can revert a loaded upload: its figures are withdrawn (kept in the "
    "history) and the figures it replaced come back."
)


def layout(upload: str | None = None, **_query) -> html.Div:
    refusal = views.who_may("viewer", guard.current_user())
    if refusal is not None:
        return html.Div([html.H1("Data history"), refusal])
    manager = guard.current_user().can("manager")
    chosen = upload_number(upload)
    return html.Div(
        [
            html.H1("Data history"),
            html.P("Every file uploaded, who uploaded it, and what it changed.", className="lead"),
            html.P(MANAGER_NOTE if manager else "", className="small"),
            html.Div(id="history-message", **{"aria-live": "polite"}),
            html.Div(id="history-log"),
            html.Section(id="history-detail", className="mt-3", tabIndex="-1"),
            dash.dcc.Store(id="history-detail-shown"),
            ui.exempt_section(exempt.items()) if manager else html.Div(),
            dash.dcc.Store(id="history-refresh", data=0),
            dash.dcc.Store(id="history-chosen", data=chosen),
            dash.dcc.Store(id="history-revert-target"),
            ui.revert_modal(),
        ]
    )


@callback(Output("history-log", "children"), Input("history-refresh", "data"))
def show_log(_refresh):
    """The upload log, newest first (uploads of exempt datasets only for managers)."""
    log = queries.upload_log(db.get_engine())
    if log.empty:
        return html.P("No uploads yet.")
    log = log[~log["dataset"].isin(exempt.hidden("dataset"))]
    return ui.log_table(log, guard.current_user().can("manager"), formats.layout_names())


def detail(upload_id: int) -> list:
    engine = db.get_engine()
    record = queries.upload_record(engine, upload_id)
    if record is None or record.get("dataset") in exempt.hidden("dataset"):
        return ui.upload_detail(upload_id, None, None)
    return ui.upload_detail(upload_id, record, queries.upload_replacements(engine, upload_id))


@callback(
    Output("history-detail", "children"),
    Input({"type": "history-details", "id": ALL}, "n_clicks"),
    Input("history-chosen", "data"),
)
def show_detail(clicks, chosen):
    """What one upload changed, and its problems."""
    if isinstance(ctx.triggered_id, dict) and any(clicks or []):
        chosen = ctx.triggered_id.get("id")
    upload_id = upload_number(chosen)
    return detail(upload_id) if upload_id else []


# The details open below a long log: bring them into view (and focus, for keyboard users).
dash.clientside_callback(
    ClientsideFunction(namespace="dashboard", function_name="showSection"),
    Output("history-detail-shown", "data"),
    Input("history-detail", "children"),
    State("history-detail", "id"),
    prevent_initial_call=True,
)


def upload_number(value) -> int | None:
    """An upload id sent by the browser (any JSON), or None when it is not a whole number."""
    text = str(value).strip() if isinstance(value, int | str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


@callback(
    Output("history-revert-modal", "is_open"),
    Output("history-revert-target", "data"),
    Output("history-revert-body", "children"),
    Input({"type": "history-revert", "id": ALL}, "n_clicks"),
    Input("history-revert-cancel", "n_clicks"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def ask_revert(clicks, _cancel):
    """Ask before reverting: say what will happen."""
    if ctx.triggered_id == "history-revert-cancel" or not any(clicks or []):
        return False, None, no_update
    upload_id = upload_number(ctx.triggered_id.get("id"))
    if upload_id is None:
        return False, None, no_update
    record = queries.upload_record(db.get_engine(), upload_id) or {}
    return True, upload_id, ui.revert_body(upload_id, record)


@callback(
    Output("history-refresh", "data"),
    Output("history-message", "children"),
    Output("history-revert-modal", "is_open", allow_duplicate=True),
    Input("history-revert-confirm", "n_clicks"),
    State("history-revert-target", "data"),
    State("history-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def do_revert(n_clicks, upload_id, refresh):
    """Revert the upload in one transaction; the log and every page then show the result."""
    upload_id = upload_number(upload_id)
    if not n_clicks or upload_id is None:
        return no_update, no_update, False
    try:
        result = revert_upload(upload_id, db.get_engine(), guard.current_user().name)
    except RevertRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning"), False
    return (refresh or 0) + 1, dbc.Alert(result.message, color="success"), False
