"""Data history (/history): every upload, who made it, what it changed; managers can revert one,
which withdraws its figures and brings back the ones it replaced (etl/revert.py).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, html, no_update

from core import db, queries
from dashboard import auth, exempt
from dashboard.text import size_text
from dashboard.ui import uploads as views
from etl.revert import RevertRefused, revert_upload

dash.register_page(__name__, path="/history", name="Data history", order=51, title="Data history")

STATUS_WORDS = {
    "loaded": "loaded",
    "superseded": "superseded (newer figures replaced all of it)",
    "rejected": "rejected (nothing loaded)",
    "reverted": "reverted",
    "unchanged": "unchanged",
}


def layout(upload: str | None = None, **_query) -> html.Div:
    refusal = views.who_may("viewer", auth.current_user())
    if refusal is not None:
        return html.Div([html.H1("Data history"), refusal])
    user = auth.current_user()
    note = (
        "As a manager you can revert a loaded upload: its figures are withdrawn (kept in the "
        "history) and the figures it replaced come back."
        if user.can("manager")
        else ""
    )
    chosen = int(upload) if upload and upload.isdigit() else None
    return html.Div(
        [
            html.H1("Data history"),
            html.P("Every file uploaded, who uploaded it, and what it changed.", className="lead"),
            html.P(note, className="small"),
            html.Div(id="history-message", **{"aria-live": "polite"}),
            html.Div(id="history-log"),
            html.Section(id="history-detail", className="mt-3"),
            exempt_section() if user.can("manager") else html.Div(),
            dash.dcc.Store(id="history-refresh", data=0),
            dash.dcc.Store(id="history-chosen", data=chosen),
            dash.dcc.Store(id="history-revert-target"),
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle("Revert this upload?")),
                    dbc.ModalBody(id="history-revert-body"),
                    dbc.ModalFooter(
                        [
                            dbc.Button("Cancel", id="history-revert-cancel", color="secondary"),
                            dbc.Button("Revert", id="history-revert-confirm", color="danger"),
                        ]
                    ),
                ],
                id="history-revert-modal",
                is_open=False,
            ),
        ]
    )


def exempt_section() -> html.Section:
    """For managers: what is hidden from everyone else (changed with python -m dashboard.exempt)."""
    table = exempt.items()
    if table.empty:
        body = html.P("Nothing is exempt: viewers and analysts see every dataset and indicator.")
    else:
        frame = pd.DataFrame(
            {
                "Kind": table["kind"],
                "Name": table["name"],
                "Marked by": table["marked_by"].fillna(""),
                "Marked": pd.to_datetime(table["marked_at"]).dt.strftime("%d %b %Y"),
            }
        )
        body = views.simple_table(frame, "history-exempt", label="Exempt items")
    return html.Section(
        [
            html.H2("Exempt items (managers only)", className="h5 mt-4"),
            body,
            html.P(
                [
                    "Change with ",
                    html.Code("python -m dashboard.exempt add|remove dataset|indicator NAME"),
                    ".",
                ],
                className="small",
            ),
        ],
        id="history-exempt-section",
    )


def _months(row) -> str:
    if pd.isna(row.month_from) or row.month_from is None:
        return ""
    return views.month_span(row.month_from, row.month_to)


def log_table(log: pd.DataFrame, can_revert: bool) -> html.Div:
    head = [
        "Upload",
        "When",
        "Who",
        "File",
        "Size",
        "Content hash (SHA-256)",
        "Layout",
        "Rows",
        "Months",
        "Status",
        "What it changed",
        "",
    ]
    rows = []
    for r in log.itertuples(index=False):
        actions = [
            dbc.Button(
                "Details",
                id={"type": "history-details", "id": int(r.id)},
                size="sm",
                color="link",
                className="p-0 me-2",
            )
        ]
        if can_revert and r.status == "loaded":
            actions.append(
                dbc.Button(
                    "Revert",
                    id={"type": "history-revert", "id": int(r.id)},
                    size="sm",
                    color="danger",
                    outline=True,
                )
            )
        cells = [
            str(r.id),
            f"{r.uploaded_at:%d %b %Y %H:%M}",
            r.uploaded_by or "",
            html.Span(r.filename, className="text-break"),
            size_text(r.size_bytes),
            html.Code(str(r.sha256)[:12], title=str(r.sha256)),
            r.layout or "",
            "" if pd.isna(r.rows_read) else f"{int(r.rows_read):,}",
            _months(r),
            STATUS_WORDS.get(r.shown_status, r.shown_status),
            r.message or "",
            actions,
        ]
        rows.append(
            html.Tr(
                [html.Th(cells[0], scope="row"), *[html.Td(c) for c in cells[1:]]],
                id=f"history-row-{int(r.id)}",
            )
        )
    table = html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
        className="table table-sm history-table",
        id="history-table",
    )
    return html.Div(table, className="table-responsive")


@callback(Output("history-log", "children"), Input("history-refresh", "data"))
def show_log(_refresh):
    """The upload log, newest first (uploads of exempt datasets only for managers)."""
    log = queries.upload_log(db.get_engine())
    if log.empty:
        return html.P("No uploads yet.")
    log = log[~log["dataset"].isin(exempt.hidden("dataset"))]
    return log_table(log, auth.current_user().can("manager"))


def detail(upload_id: int) -> list:
    engine = db.get_engine()
    record = queries.upload_record(engine, upload_id)
    if record is None or record.get("dataset") in exempt.hidden("dataset"):
        return [html.P(f"There is no upload {upload_id}.")]
    parts = [
        html.H2(f"Upload {upload_id}: {record['filename']}", className="h5"),
        html.P(record.get("message") or ""),
    ]
    changes = queries.upload_replacements(engine, upload_id)
    if len(changes):
        frame = pd.DataFrame(
            {
                "": changes["direction"].map(
                    {"replaced": "It replaced", "replaced by": "Replaced by"}
                ),
                "Upload": changes["other_upload"].astype(str)
                + " "
                + changes["filename"].fillna(""),
                "Dataset": changes["dataset"].map(views.dataset_name),
                "Area-months, years or rows": changes["places"],
            }
        )
        parts += [
            html.H3("What it changed", className="h6"),
            views.simple_table(frame, "history-changes", label="What it changed"),
        ]
    problems = (record.get("problems") or []) + (record.get("warnings") or [])
    if problems:
        parts += [
            html.H3("Problems and warnings", className="h6"),
            views.problem_table(problems, "history-problems"),
        ]
    return parts


@callback(
    Output("history-detail", "children"),
    Input({"type": "history-details", "id": ALL}, "n_clicks"),
    Input("history-chosen", "data"),
)
def show_detail(clicks, chosen):
    """What one upload changed, and its problems."""
    if isinstance(ctx.triggered_id, dict) and any(clicks or []):
        return detail(int(ctx.triggered_id["id"]))
    return detail(int(chosen)) if chosen else []


@callback(
    Output("history-revert-modal", "is_open"),
    Output("history-revert-target", "data"),
    Output("history-revert-body", "children"),
    Input({"type": "history-revert", "id": ALL}, "n_clicks"),
    Input("history-revert-cancel", "n_clicks"),
    prevent_initial_call=True,
)
@auth.requires("manager")
def ask_revert(clicks, _cancel):
    """Ask before reverting: say what will happen."""
    if ctx.triggered_id == "history-revert-cancel" or not any(clicks or []):
        return False, None, no_update
    upload_id = int(ctx.triggered_id["id"])
    record = queries.upload_record(db.get_engine(), upload_id) or {}
    body = [
        html.P(
            f"Upload {upload_id} ({record.get('filename', '')}) will be withdrawn: its "
            "figures leave the dashboard and the figures it replaced come back."
        ),
        html.P("Its figures stay in the history, and the file can be loaded again later."),
    ]
    return True, upload_id, body


@callback(
    Output("history-refresh", "data"),
    Output("history-message", "children"),
    Output("history-revert-modal", "is_open", allow_duplicate=True),
    Input("history-revert-confirm", "n_clicks"),
    State("history-revert-target", "data"),
    State("history-refresh", "data"),
    prevent_initial_call=True,
)
@auth.requires("manager")
def do_revert(n_clicks, upload_id, refresh):
    """Revert the upload in one transaction; the log and every page then show the result."""
    if not n_clicks or upload_id is None:
        return no_update, no_update, False
    try:
        result = revert_upload(int(upload_id), db.get_engine(), auth.current_user().name)
    except RevertRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning"), False
    return (refresh or 0) + 1, dbc.Alert(result.message, color="success"), False
