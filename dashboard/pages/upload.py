"""Upload (/upload, analysts): drop CSV or Excel files, see every problem and what loading them
would change, then confirm. Nothing is written before Confirm; each file loads in one
transaction. The files wait on the server (dashboard/pending.py); the browser holds only tokens.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from core import config, db
from dashboard import pending
from dashboard.auth import exempt, guard
from dashboard.reports import exports
from dashboard.ui import uploads as views
from etl import formats

dash.register_page(__name__, path="/upload", name="Upload", order=50, title="Upload data")

TEMPLATES_DIR = config.DATA_DIR / "templates"
WORKING = {"checking", "loading"}


def template_files() -> list[str]:
    return sorted(p.name for p in TEMPLATES_DIR.glob("*.xlsx")) if TEMPLATES_DIR.exists() else []


def layout(**_query) -> html.Div:
    refusal = views.who_may("analyst", guard.current_user())
    heading = html.H1("Upload data")
    if refusal is not None:
        return html.Div([heading, refusal])
    return html.Div(
        [
            heading,
            *views.upload_form(config.MAX_UPLOAD_MB.get()),
            views.templates_section(template_files()),
            views.layouts_section(formats.layout_labels()),
        ]
    )


def _records(tokens: list[str]) -> list[dict]:
    """This user's uploads, without the figures of exempt datasets and indicators (and of
    totals including them) unless the user may see them."""
    user = guard.current_user()
    datasets, indicators = exempt.hidden("dataset"), exempt.hidden("indicator")
    out = []
    for token in tokens or []:
        try:
            record = pending.meta(token, user.name)
            out.append(pending.shown_to(record, datasets, indicators, exempt.within()))
        except pending.NotYours:
            continue
    return out


def _url() -> str:
    return db.get_engine().url.render_as_string(hide_password=False)


@callback(
    Output("upload-batch", "data"),
    Output("upload-files", "contents"),
    Input("upload-files", "contents"),
    State("upload-files", "filename"),
    prevent_initial_call=True,
)
@guard.requires("analyst", files=True)
def receive(contents, filenames):
    """Keep each dropped file on the server and start checking it."""
    if not contents:
        return no_update, no_update
    if isinstance(contents, str):
        contents, filenames = [contents], [filenames]
    user = guard.current_user()
    tokens, to_check = [], []
    for content, name in list(zip(contents, filenames or [], strict=False))[
        : int(config.MAX_UPLOAD_FILES.get())
    ]:
        try:
            data = pending.decode_upload(content)
        except ValueError:
            data = b""
        refused = pending.too_large(name, len(data))
        token = pending.save(user.name, name or "upload", None if refused else data, refused)
        if not refused:
            to_check.append(token)
        tokens.append(token)
    if to_check:
        pending.start(pending.check_drop, to_check, _url())
    return tokens, None


@callback(
    Output("upload-status", "children"),
    Output("upload-poll", "disabled"),
    Output("upload-confirm", "disabled"),
    Output("upload-report", "disabled"),
    Input("upload-poll", "n_intervals"),
    Input("upload-batch", "data"),
    Input("upload-confirmed", "data"),
)
@guard.requires("analyst")
def show(_n, tokens, _confirmed):
    """Each file's state, problems and preview; poll while any is being checked or loaded."""
    records = _records(tokens)
    if not records:
        return [], True, True, True
    busy = any(r.get("state") in WORKING for r in records)
    ready = any(r.get("state") == "ready" for r in records)
    problems = any((r.get("preview") or {}).get("problems") or r.get("problems") for r in records)
    cards = [views.file_card(r, i) for i, r in enumerate(records)]
    return cards, not busy, busy or not ready, not problems


@callback(
    Output("upload-confirmed", "data"),
    Input("upload-confirm", "n_clicks"),
    State("upload-batch", "data"),
    prevent_initial_call=True,
)
@guard.requires("analyst")
def confirm(n_clicks, tokens):
    """Load every file that is ready, one after the other, in the background."""
    if not n_clicks:
        return no_update
    ready = [r["token"] for r in _records(tokens) if r.get("state") == "ready"]
    ready = [token for token in ready if pending.claim(token)]
    for token in ready:
        pending.update(token, state="loading", progress="waiting for its turn")
    if ready:
        pending.start(pending.load, ready, _url())
    return ready


@callback(
    Output("upload-report-download", "data"),
    Input("upload-report", "n_clicks"),
    State("upload-batch", "data"),
    prevent_initial_call=True,
)
@guard.requires("analyst")
def report(n_clicks, tokens):
    """Every problem of every file in this upload, as CSV (safe to open in Excel)."""
    if not n_clicks:
        return no_update
    frames = []
    for r in _records(tokens):
        problems = r.get("problems") or (r.get("preview") or {}).get("problems") or []
        frames.append(views.problem_frame(problems).assign(File=r.get("filename")))
    frame = pd.concat(frames, ignore_index=True) if frames else views.problem_frame([])
    frame = frame[["File", *views.PROBLEM_COLUMNS]] if "File" in frame else frame
    return {
        "content": exports.csv_text(frame),
        "filename": "validation-report.csv",
        "type": "text/csv",
    }


@callback(
    Output("upload-template-download", "data"),
    Input({"type": "upload-template", "name": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
@guard.requires("analyst")
def template(clicks):
    """Send the chosen template workbook (only files in data/templates)."""
    if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
        return no_update
    name = ctx.triggered_id.get("name")
    if name not in template_files():
        return no_update
    return dcc.send_file(str(TEMPLATES_DIR / name))
