"""The upload page's long work, run as Dash background jobs (``dashboard.jobs``: a process beside
the web server, or a Celery worker on any server with REDIS_URL): checking a drop's files
(``check_drop``) and loading the confirmed ones (``load``), each step's words written into the
upload's record (``dashboard.pending``) and shown in the page's progress line.

A job is given only tokens: it reads the files' bytes from the database, so a worker on any
server can do it, and it takes only records waiting for it (``pending.take``), so a token
already checked, loaded or taken by another job is left alone. The Cancel button ends the job's
process (Dash) and marks the records cancelled (``pending.cancel``); a job still running stops
at its next step (``pending.Cancelled``). Each file loads in one transaction, so a load ended
before it commits wrote nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading

import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, html, no_update
from sqlalchemy.exc import OperationalError

from core import config, db
from dashboard import jobs, memo, pending, warming
from dashboard.auth import exempt, guard
from dashboard.reports import exports
from dashboard.ui import uploads as views
from etl.errors import problem
from etl.read import is_packed, unpacked_size

BUSY_MESSAGE = (
    "Another upload was being written at the same moment, so this file was not loaded and "
    "nothing changed. Try again in a minute."
)
WAITING = "waiting for another upload's check to finish"
# One drop checked at a time (in a process, and across the workers: _one_check_at_a_time): drops
# arriving together wait their turn rather than each holding a file's tables in memory at once.
_checking = threading.BoundedSemaphore(1)


def _fresh_turn_after_fork() -> None:
    """A forked job starts with the turn free: a thread of the parent holding it at the fork
    does not exist in the child and would never give it back (the job would wait for ever)."""
    global _checking
    _checking = threading.BoundedSemaphore(1)


os.register_at_fork(after_in_child=_fresh_turn_after_fork)


def quiet(_words: str) -> None:
    """A job's progress words go nowhere (the record still has them)."""


def check(token: str, url: str | None = None, note=quiet) -> None:
    """Work out what the file would change (etl.preview); rejected files go in the log."""
    from etl.preview import preview_bytes, record_rejection

    record = pending.update(token, progress="reading and checking the file")
    note(f"Checking {record['filename']}: reading and checking the file")
    try:
        engine = db.get_engine(url or config.database_url())
        preview = preview_bytes(record["filename"], pending.data(token), engine)
        fields = {"preview": _preview_record(preview), "progress": ""}
        if preview.status == "rejected":
            pending.update(token, progress="noting the problems in the upload log")
            result = record_rejection(preview, engine, record["user"])
            fields.update(state="rejected", upload_id=result.upload_id)
            pending.discard_data(token)
        elif preview.status == "unchanged":
            fields.update(state="unchanged")
            pending.discard_data(token)
        else:
            fields.update(state="ready")
        pending.update(token, **fields)
    except pending.Cancelled:
        raise
    except Exception as exc:  # the page must say something rather than spin for ever
        pending.update(
            token, state="failed", progress="", error=f"The file could not be checked: {exc}"
        )


def check_drop(tokens: list[str], url: str | None = None, note=quiet) -> None:
    """Check the files of one drop one after another (a background job: ``upload_jobs``), so the
    drop holds one file in memory at a time; a file that would take the drop's unpacked total
    past MAX_DROP_UNCOMPRESSED_MB is refused unopened (as is any file after it that would).
    ``note`` is given each step's words for the page's progress line."""
    left = config.max_drop_uncompressed_bytes()
    mine = [token for token in tokens if _take(token, "checking")]  # its process named at once
    with _one_check_at_a_time(mine, note):
        for token in mine:
            try:
                left = _check_within(token, url, left, note)
            except pending.Cancelled:
                return
            except (OSError, ValueError, pending.NotYours):  # discarded meanwhile: check the rest
                continue


def _take(token: str, state: str) -> dict | None:
    try:
        return pending.take(token, state)
    except (ValueError, pending.NotYours):
        return None


@contextlib.contextmanager
def _one_check_at_a_time(tokens: list[str], note=quiet):
    """Hold the turn to check: one thread of this process (a semaphore), then one process of
    this machine (a lock on a file in PENDING_DIR, which every job and worker shares); the
    drop's records say it is waiting meanwhile."""
    if not _checking.acquire(blocking=False):
        _note_waiting(tokens, note)
        _checking.acquire()
    try:
        fd = os.open(pending.pending_dir() / ".checking.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                _note_waiting(tokens, note)
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # (closing releases the lock)
    finally:
        _checking.release()


def _note_waiting(tokens: list[str], note=quiet) -> None:
    note(WAITING[0].upper() + WAITING[1:])
    for token in tokens:
        try:
            pending.update(token, progress=WAITING)
        except (OSError, ValueError, pending.NotYours, pending.Cancelled):
            pass


def _check_within(token: str, url: str | None, left: int, note=quiet) -> int:
    blob = pending.data(token)
    packed, size = is_packed(blob), unpacked_size(blob, max(left, config.max_uncompressed_bytes()))
    del blob  # checking reads the file again: never two copies at once
    if packed and size > config.max_uncompressed_bytes():
        check(token, url, note)  # too large on its own: checking refuses it, holding nothing
        return left
    if size <= left:
        check(token, url, note)
        return left - size
    limit_mb = round(config.max_drop_uncompressed_bytes() / 2**20)
    refusal = problem("drop-too-large", limit_mb=limit_mb)
    pending.update(token, state="refused", progress="", problems=[refusal.as_dict()])
    pending.discard_data(token)
    return left


def load(tokens: list[str], url: str | None = None, note=quiet) -> list[str]:
    """Load confirmed files one after another, each in its own transaction (a background job:
    ``upload_jobs``); the tokens loaded. A file whose record says cancelled is not loaded: the
    check comes before each step, so a cancel before the writing starts stops it."""
    from etl.load import load_bytes

    engine = db.get_engine(url or config.database_url())
    loaded = []
    mine = [r for r in (_take(token, "loading") for token in tokens) if r]  # named at once
    for record in mine:
        token = record["token"]

        def progress(stage: str, token=token, name=record["filename"]) -> None:
            pending.update(token, progress=stage)  # raises Cancelled once the record says so
            note(f"Loading {name}: {stage}")

        try:
            progress("starting")
            result = load_bytes(
                record["filename"], pending.data(token), engine, record["user"], progress
            )
            pending.update(token, state=result.status, progress="", **_result(result))
            pending.discard_data(token)
            loaded += [token] if result.status == "loaded" else []
        except pending.Cancelled:
            return loaded
        except OperationalError as exc:
            busy = "locked" in str(exc).lower() or "lock timeout" in str(exc).lower()
            message = BUSY_MESSAGE if busy else f"The load failed and nothing changed: {exc.orig}"
            _failed(token, message)
        except Exception as exc:
            _failed(token, f"The load failed and nothing changed: {exc}")
    return loaded


def _result(result) -> dict:
    return {
        "upload_id": result.upload_id,
        "result": {
            "status": result.status,
            "message": result.message,
            "dataset": result.dataset,
            "upload_id": result.upload_id,
            "problems": [p.as_dict() for p in result.problems],
        },
    }


def _failed(token: str, error: str) -> None:
    with contextlib.suppress(pending.Cancelled):
        pending.update(token, state="failed", progress="", error=error)


def _preview_record(preview) -> dict:
    changes = preview.changes.astype(object).where(preview.changes.notna(), None)
    return {
        "status": preview.status,
        "layout": preview.layout,
        "layout_label": preview.layout_label,
        "message": preview.message,
        "rows_read": preview.rows_read,
        "sha256": preview.sha256,
        "problems": [p.as_dict() for p in preview.problems],
        "changes": changes.to_dict("records"),
    }


# ---------------------------------------------------------------- the page's callbacks

RUNNING = [  # while a job runs: no new drop, Cancel offered, the progress line shown
    (Output("upload-files", "disabled"), True, False),
    (Output("upload-cancel", "disabled"), False, True),
    (Output("upload-progress", "hidden"), False, True),
]
BACKGROUND = {
    "background": True,
    "manager": jobs.manager,
    "progress": [Output("upload-progress", "children")],
    "cancel": [Input("upload-cancel", "n_clicks")],
    "on_error": lambda error: stopped(error),
    "prevent_initial_call": True,
}


def stopped(error: Exception):
    """The check or load job gave no answer: when it died or found no worker (``dashboard.jobs``
    says so within a minute) its files say so at once; the page shows them from their records."""
    reason = jobs.reason(error)
    if reason in (jobs.STOPPED, jobs.NO_WORKER):
        body = flask.request.get_json(silent=True) or {}
        tokens = ((body.get("inputs") or [{}])[0] or {}).get("value")
        if isinstance(tokens, list) and guard.current_user() is not None:
            pending.abandon(tokens, guard.current_user().name, reason == jobs.NO_WORKER)
    return no_update


def records(tokens: list[str]) -> list[dict]:
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


def report_csv(shown: list[dict]) -> dict:
    """Every problem of every file, as dcc.Download's CSV (safe to open in Excel)."""
    frames = []
    for r in shown:
        problems = r.get("problems") or (r.get("preview") or {}).get("problems") or []
        frames.append(views.problem_frame(problems).assign(File=r.get("filename")))
    frame = pd.concat(frames, ignore_index=True) if frames else views.problem_frame([])
    frame = frame[["File", *views.PROBLEM_COLUMNS]] if "File" in frame else frame
    return {
        "content": exports.csv_text(frame),
        "filename": "validation-report.csv",
        "type": "text/csv",
    }


def progress_line(words: str) -> html.Span:
    return html.Span([dbc.Spinner(size="sm", spinner_class_name="me-2"), f"{words}…"])


def run_check(tokens: list[str], set_progress) -> list[str]:
    """The check job: the drop's files checked, each step said on the page."""
    check_drop(list(tokens or []), note=lambda words: set_progress(progress_line(words)))
    return list(tokens or [])


def run_load(tokens: list[str], set_progress) -> list[str]:
    """The load job: the confirmed files loaded, each step said on the page; then, where the
    tables are shared, the new data version's months warmed (``dashboard.warming``)."""
    tokens = list(tokens or [])
    loaded = load(tokens, note=lambda words: set_progress(progress_line(words)))
    if loaded and memo.redis_url():
        set_progress(progress_line("Loaded. Preparing the pages for the new figures"))
        warming.after_load()
    return tokens
