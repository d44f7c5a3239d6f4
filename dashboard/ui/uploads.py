"""How the upload, history and sources pages show files: the upload form, the problem report,
the preview of changes, progress and results, the templates to download. Pure functions from
records (pending.py's JSON, the upload log) to Dash components; every text from a file goes in
as a component's text, so it is shown, never run.
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from core.values import is_missing
from dashboard.text import counted, fmt_int, short_month_label, size_text

ACCEPT = (
    ".csv,.xlsx,.gz,.zip,.geojson,.json,text/csv,application/geo+json,application/json,"
    "application/zip,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
PROBLEM_COLUMNS = ["Sheet", "Row", "Column", "Kind", "Problem", "Value"]
SHOWN_PROBLEMS = 200
SHOWN_AREAS = 60
WITHHELD = "not shown (exempt)"
DATASET_NAMES = {
    "borough_crime": "Borough crime (MPS)",
    "ward_crime": "Ward crime (MPS)",
    "mps_dashboard": "MPS crime dashboard",
    "population": "Population estimates (ONS)",
    "serious_youth_violence": "Serious youth violence",
    "iom": "Integrated Offender Management",
    "proven_reoffending": "Proven reoffending (MoJ)",
    "wrap_training": "Prevent WRAP training",
    "hate_reporting_centres": "Hate Crime Reporting Centres",
    "ward_boundaries": "Ward boundaries (ONS)",
    "police_uk": "Street-level crime and ASB (police.uk)",
    "lsoa_lookup": "LSOA to ward lookup (ONS)",
    "lsoa_2011_lookup": "LSOA 2011 to 2021 lookup (ONS)",
}
# Pages that show a dataset, by path; only those registered are linked.
DATASET_PAGES = {
    "borough_crime": [("Overview", "/"), ("Crime trends", "/crime/mopac7-total")],
    "ward_crime": [("Wards", "/wards")],
    "population": [("Overview", "/"), ("Wards", "/wards")],
    "ward_boundaries": [("Wards", "/wards")],
    "police_uk": [("Anti-social behaviour", "/asb")],
}


def dataset_name(dataset: str | None) -> str:
    return DATASET_NAMES.get(dataset or "", dataset or "unknown")


def problem_frame(problems: list[dict]) -> pd.DataFrame:
    """Problems as the report table: Sheet, Row, Column, Kind, Problem, Value."""
    rows = [
        [
            p.get("sheet") or "",
            "" if p.get("row") is None else p["row"],
            p.get("column") or "",
            p.get("severity") or "error",
            p.get("message") or "",
            "" if p.get("value") is None else p["value"],
        ]
        for p in problems
    ]
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def simple_table(
    frame: pd.DataFrame,
    table_id: str | None = None,
    caption: str | None = None,
    label: str = "Table",
):
    """An HTML table of display strings (header cells scoped to their columns), in a box that
    scrolls and can be scrolled from the keyboard."""
    head = html.Thead(html.Tr([html.Th(str(c), scope="col") for c in frame.columns]))
    body = html.Tbody(
        [html.Tr([html.Td(str(v)) for v in row]) for row in frame.itertuples(index=False)]
    )
    parts = [html.Caption(caption)] if caption else []
    props = {"id": table_id} if table_id else {}
    return html.Div(
        html.Table([*parts, head, body], className="table table-sm table-striped", **props),
        className="table-responsive upload-table",
        tabIndex="0",
        role="region",
        **{"aria-label": label},
    )


def problem_table(problems: list[dict], table_id: str) -> html.Div:
    frame = problem_frame(problems)
    shown = frame.head(SHOWN_PROBLEMS)
    more = len(frame) - len(shown)
    note = (
        f"Showing the first {len(shown)} of {len(frame)}; the report has them all."
        if more
        else None
    )
    return simple_table(shown, table_id, note, "Problems found in the file")


def _month(value) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, int | float):
        return str(int(value))  # a population year
    text = str(value)[:10]
    try:
        return short_month_label(date.fromisoformat(text))
    except ValueError:
        return text


def month_span(start, end) -> str:
    """'Apr 2011 to Feb 2025' (one month once) from the months an upload record gives."""
    a, b = _month(start), _month(end)
    return a if a == b else f"{a} to {b}"


def _span(start, end) -> str:
    """' (Apr 2011 to Feb 2025)', or nothing where the change has no months (ward outlines)."""
    span = month_span(start, end)
    return f" ({span})" if span else ""


def changes_frame(changes: list[dict]) -> pd.DataFrame:
    """The preview as a table: per dataset and area, months added and replaced, old → new."""
    rows = []
    for c in changes:
        replaced = ""
        if c.get("replaced"):
            replaced = f"{c['replaced']}" + _span(c.get("replaced_from"), c.get("replaced_to"))
        totals, changed = "", c.get("changed") or 0
        if c.get("withheld"):  # includes an exempt dataset or indicator (etl.preview.withheld)
            totals = changed = WITHHELD
        elif c.get("old_total") is not None and c.get("new_total") is not None:
            totals = f"{fmt_int(c['old_total'])} → {fmt_int(c['new_total'])}"
        rows.append(
            {
                "Dataset": dataset_name(c.get("dataset")),
                "Area": c.get("area_name") or c.get("area_code") or "",
                "Added": f"{c.get('added') or 0}"
                + (_span(c.get("added_from"), c.get("added_to")) if c.get("added") else ""),
                "Replaced": replaced or "0",
                "With a different total": changed,
                "Old total → new total": totals,
                "Kept (newer already held)": c.get("kept") or 0,
            }
        )
    return pd.DataFrame(rows)


def changes_table(changes: list[dict], table_id: str) -> html.Div:
    order = sorted(
        changes,
        key=lambda c: (
            -(c.get("changed") or 0),
            -(c.get("replaced") or 0),
            str(c.get("area_name")),
        ),
    )
    frame = changes_frame(order[:SHOWN_AREAS])
    more = len(order) - len(frame)
    caption = f"The {len(frame)} areas with most changes of {len(order)}." if more else None
    return simple_table(frame, table_id, caption, "What loading the file changes")


def page_links(datasets) -> list:
    """Links to the registered pages that show these datasets, and the data history."""
    registered = {p.get("path") for p in dash.page_registry.values()}
    links, seen = [], set()
    for dataset in datasets:
        for label, path in DATASET_PAGES.get(dataset, []):
            if path in registered and path not in seen:
                seen.add(path)
                links.append(dcc.Link(label, href=path, className="me-3"))
    links.append(dcc.Link("Data history", href="/history", className="me-3"))
    return links


STATE_WORDS = {
    "checking": ("Checking…", "info"),
    "ready": ("Ready to load: nothing has been written yet.", "primary"),
    "rejected": ("Rejected: this file has problems, so nothing from it will be loaded.", "danger"),
    "refused": ("Refused: this file is too large.", "danger"),
    "unchanged": ("Already loaded: loading it again would change nothing.", "secondary"),
    "loading": ("Loading…", "info"),
    "loaded": ("Loaded.", "success"),
    "failed": ("Not loaded.", "danger"),
    "cancelled": ("Cancelled.", "secondary"),
}


def _state_line(record: dict) -> html.Div:
    words, tone = STATE_WORDS.get(record.get("state"), (record.get("state", ""), "secondary"))
    parts = [html.Strong(words)]
    if record.get("progress"):
        parts.append(html.Span(f" {record['progress']}", className="upload-progress"))
    message = (record.get("result") or {}).get("message") or (record.get("preview") or {}).get(
        "message"
    )
    if record.get("error"):
        message = record["error"]
    if message:
        parts += [html.Br(), html.Span(message)]
    if record.get("state") == "loaded":
        parts += [
            html.Br(),
            html.Span("See the figures: "),
            *page_links([(record.get("result") or {}).get("dataset")]),
        ]
    role = "alert" if tone == "danger" else "status"
    return html.Div(parts, className=f"alert alert-{tone} py-2 mb-2 upload-state", role=role)


def file_card(record: dict, index: int) -> dbc.Card:
    """One uploaded file: its layout, state, problems and what loading it would change."""
    preview = record.get("preview") or {}
    problems = record.get("problems") or preview.get("problems") or []
    if record.get("result"):
        problems = record["result"].get("problems") or problems
    layout = preview.get("layout_label") or preview.get("layout")
    body = [
        html.H3(record.get("filename", "file"), className="h5 mb-1 text-break"),
        html.P(
            [
                f"{size_text(record.get('size_bytes'))}. ",
                f"Layout detected: {layout}." if layout else "Layout: not recognised yet.",
            ],
            className="small text-body-secondary mb-2",
        ),
        _state_line(record),
    ]
    changes = preview.get("changes") or []
    if changes and record.get("state") in {"ready", "loading", "loaded", "failed"}:
        body += [
            html.H4("What loading it changes", className="h6 mt-2"),
            changes_table(changes, f"upload-changes-{index}"),
        ]
    if problems:
        errors = sum(p.get("severity") == "error" for p in problems)
        title = (
            f"Problems: {counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')}"
        )
        body += [
            html.H4(title, className="h6 mt-2"),
            problem_table(problems, f"upload-problems-{index}"),
        ]
    return dbc.Card(dbc.CardBody(body), className="mb-3", id=f"upload-file-{index}")


def templates_section(names: list[str]) -> html.Section:
    """The council templates (file names) offered for download."""
    items = [
        html.Li(
            dbc.Button(
                name, id={"type": "upload-template", "name": name}, color="link", className="p-0"
            )
        )
        for name in names
    ]
    return html.Section(
        [
            html.H2("Templates", className="h5 mt-4"),
            html.P(
                "Council figures (serious youth violence, IOM, reoffending, WRAP training, hate "
                "crime reporting centres) are loaded from these Excel templates."
            ),
            html.Ul(items) if items else html.P("No templates are available yet."),
            dcc.Download(id="upload-template-download"),
        ]
    )


def layouts_section(labels: list[str]) -> html.Section:
    """The layouts a file may have (the 'unknown layout' message points here)."""
    return html.Section(
        [
            html.H2("Layouts we accept", className="h5 mt-4"),
            html.Details(
                [
                    html.Summary(f"{len(labels)} layouts: show them"),
                    html.Ul([html.Li(label) for label in labels], id="upload-layouts"),
                ]
            ),
        ]
    )


def upload_form(limit: int) -> list:
    """The drop zone, the per-file status, Confirm and the report download (``limit``: MB)."""
    return [
        html.P(
            f"Drop MPS crime extracts, ONS population files, council templates (CSV or "
            f"Excel) or ONS ward boundaries (GeoJSON), up to {limit} MB each, several at once. Each is checked and you see what "
            "it would change before anything is written.",
            className="lead",
        ),
        dcc.Upload(
            id="upload-files",
            multiple=True,
            accept=ACCEPT,
            children=html.Div(
                [
                    "Drag and drop files here, or ",
                    html.Span("choose files", className="text-decoration-underline"),
                ]
            ),
            className="upload-drop border border-2 rounded p-4 text-center mb-3",
        ),
        html.Div(id="upload-too-large", role="alert", className="text-danger"),
        dcc.Store(id="upload-batch", data=[], storage_type="session"),  # a reload shows them
        *(
            dcc.Store(id=f"upload-{name}", data=[])  # what each job was given or did
            for name in ("to-check", "checked", "confirmed", "loaded", "cancelled")
        ),
        dcc.Interval(id="upload-poll", interval=400, disabled=True),
        html.Div(
            [
                html.Span(id="upload-progress", hidden=True, role="status"),
                dbc.Button(
                    "Cancel", id="upload-cancel", color="secondary", size="sm", disabled=True
                ),
            ],
            className="d-flex gap-3 align-items-center mb-2",
        ),
        html.Div(id="upload-status", **{"aria-live": "polite"}),
        html.Div(
            [
                dbc.Button(
                    "Confirm and load",
                    id="upload-confirm",
                    color="primary",
                    disabled=True,
                    className="me-2",
                ),
                dbc.Button(
                    "Download the validation report (CSV)",
                    id="upload-report",
                    color="secondary",
                    outline=True,
                    disabled=True,
                ),
                dcc.Download(id="upload-report-download"),
            ],
            className="mb-3",
        ),
    ]


def who_may(role: str, user) -> dbc.Alert | None:
    """None when ``user`` (the signed-in user, or None) has ``role``; otherwise a message
    saying what to do."""
    if user is not None and user.can(role):
        return None
    if user is None or not user.signed_in:
        text = (
            f"This page needs a signed-in user with the {role} role. Ask whoever runs the "
            f"dashboard to add one (python -m dashboard.users add NAME --role {role}), then "
            "sign in."
        )
        return dbc.Alert(
            [text, " ", html.A("Sign in", href="/login", className="alert-link")], color="warning"
        )
    return dbc.Alert(
        f"This needs the {role} role; you are signed in as {user.label}. "
        "Ask a manager if you need it.",
        color="warning",
    )
