"""Upload (/upload, analysts): drop CSV or Excel files, see every problem and what loading them
would change, then confirm. Nothing is written before Confirm; each file loads in one
transaction. The files wait on the server (dashboard/pending.py); the browser holds only tokens.
Checking and loading are Dash background callbacks (dashboard/upload_jobs.py, on the
dashboard.jobs manager): the page shows their progress and offers Cancel meanwhile.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from core import config
from dashboard import pending, upload_jobs
from dashboard.auth import guard, inputs
from dashboard.ui import uploads as views
from etl import formats

dash.register_page(__name__, path="/upload", name="Upload", order=50, title="Upload data")
for _store in ("batch", "to-check", "checked", "confirmed", "loaded", "cancelled"):
    inputs.expect(f"upload-{_store}", "data", inputs.TEXTS)  # tokens

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


@callback(
    Output("upload-batch", "data"),
    Output("upload-files", "contents"),
    Output("upload-to-check", "data"),
    Input("upload-files", "contents"),
    State("upload-files", "filename"),
    prevent_initial_call=True,
)
@guard.requires("analyst", files=True)
def receive(contents, filenames):
    """Keep each dropped file on the server; the ones to check go to the check job."""
    if not contents:
        return no_update, no_update, no_update
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
    return tokens, None, to_check or no_update


@callback(
    Output("upload-checked", "data"),
    Input("upload-to-check", "data"),
    running=upload_jobs.RUNNING,
    progress_default=[upload_jobs.progress_line("Waiting to be checked")],
    **upload_jobs.BACKGROUND,
)
@guard.requires("analyst")
def check(set_progress, tokens):
    """Check the drop's files in the background, saying each step."""
    return upload_jobs.run_check(tokens, set_progress)


@callback(
    Output("upload-status", "children"),
    Output("upload-poll", "disabled"),
    Output("upload-confirm", "disabled"),
    Output("upload-report", "disabled"),
    Input("upload-poll", "n_intervals"),
    Input("upload-batch", "data"),
    Input("upload-confirmed", "data"),
    Input("upload-checked", "data"),
    Input("upload-loaded", "data"),
    Input("upload-cancelled", "data"),
)
@guard.requires("analyst")
def show(_n, tokens, *_changed):
    """Each file's state, problems and preview; poll while any is being checked or loaded."""
    records = upload_jobs.records(tokens)
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
    """Claim every file of this user's that is ready: the load job loads them."""
    ready = [r["token"] for r in upload_jobs.records(tokens) if r.get("state") == "ready"]
    return (pending.confirm(ready) if n_clicks else None) or no_update


@callback(
    Output("upload-loaded", "data"),
    Input("upload-confirmed", "data"),
    running=[*upload_jobs.RUNNING, (Output("upload-confirm", "disabled"), True, True)],
    progress_default=[upload_jobs.progress_line("Waiting to be loaded")],
    **upload_jobs.BACKGROUND,
)
@guard.requires("analyst")
def load(set_progress, tokens):
    """Load the claimed files one after the other in the background, saying each step."""
    return upload_jobs.run_load(tokens, set_progress)


@callback(
    Output("upload-cancelled", "data"),
    Input("upload-cancel", "n_clicks"),
    State("upload-batch", "data"),
    prevent_initial_call=True,
)
@guard.requires("analyst")
def cancel(_clicks, tokens):
    """Cancel ends the job's process (Dash's own callback on the button); this marks the files
    it was working on cancelled, in words."""
    return pending.cancel(tokens, guard.current_user().name)


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
    return upload_jobs.report_csv(upload_jobs.records(tokens))


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
