"""The data history page's widgets: the upload log with its actions, what one upload changed,
the revert question, and the exempt items managers see."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from core.values import is_missing
from dashboard.text import date_label, fmt_int, size_text, time_label
from dashboard.ui.uploads import dataset_name, month_span, problem_table, simple_table

STATUS_WORDS = {
    "loaded": "loaded",
    "superseded": "superseded (newer figures replaced all of it)",
    "rejected": "rejected (nothing loaded)",
    "reverted": "reverted",
    "unchanged": "unchanged",
}


def log_table(
    log: pd.DataFrame, can_revert: bool, layouts: dict[str, str] | None = None
) -> html.Div:
    """The upload log (``layouts``: layout code -> its name, as the Upload page names it)."""
    layouts = layouts or {}
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
            time_label(r.uploaded_at),
            r.uploaded_by or "",
            html.Span(r.filename, className="history-file"),
            size_text(r.size_bytes),
            html.Code(str(r.sha256)[:12], title=str(r.sha256)),
            layouts.get(r.layout, r.layout) if r.layout else "",
            "" if is_missing(r.rows_read) else fmt_int(r.rows_read),
            _months(r),
            STATUS_WORDS.get(r.shown_status, r.shown_status),
            html.Span(r.message or "", className="history-changed"),
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


def _months(row) -> str:
    if is_missing(row.month_from):
        return ""
    return month_span(row.month_from, row.month_to)


def upload_detail(upload_id: int, record: dict | None, changes: pd.DataFrame | None) -> list:
    """What one upload changed (``changes``: queries.upload_replacements) and its problems;
    ``record`` None: there is no such upload (for this user)."""
    if record is None:
        return [html.P(f"There is no upload {upload_id}.")]
    parts = [
        html.H2(f"Upload {upload_id}: {record['filename']}", className="h5"),
        html.P(record.get("message") or ""),
    ]
    if len(changes):
        frame = pd.DataFrame(
            {
                "": changes["direction"].map(
                    {"replaced": "It replaced", "replaced by": "Replaced by"}
                ),
                "Upload": changes["other_upload"].astype(str)
                + " "
                + changes["filename"].fillna(""),
                "Dataset": changes["dataset"].map(dataset_name),
                "Area-months, years or rows": changes["places"],
            }
        )
        parts += [
            html.H3("What it changed", className="h6"),
            simple_table(frame, "history-changes", label="What it changed"),
        ]
    problems = (record.get("problems") or []) + (record.get("warnings") or [])
    if problems:
        parts += [
            html.H3("Problems and warnings", className="h6"),
            problem_table(problems, "history-problems"),
        ]
    return parts


def revert_modal() -> dbc.Modal:
    """The question asked before a manager reverts an upload (its body set per upload)."""
    return dbc.Modal(
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
    )


def revert_body(upload_id: int, record: dict) -> list:
    """What reverting the upload will do."""
    return [
        html.P(
            f"Upload {upload_id} ({record.get('filename', '')}) will be withdrawn: its "
            "figures leave the dashboard and the figures it replaced come back."
        ),
        html.P("Its figures stay in the history, and the file can be loaded again later."),
    ]


def exempt_section(table: pd.DataFrame) -> html.Section:
    """For managers: what is hidden from everyone else (``table``: the exempt items, changed
    with python -m dashboard.exempt)."""
    if table.empty:
        body = html.P("Nothing is exempt: viewers and analysts see every dataset and indicator.")
    else:
        frame = pd.DataFrame(
            {
                "Kind": table["kind"],
                "Name": table["name"],
                "Marked by": table["marked_by"].fillna(""),
                "Marked": [date_label(v) for v in pd.to_datetime(table["marked_at"])],
            }
        )
        body = simple_table(frame, "history-exempt", label="Exempt items")
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
