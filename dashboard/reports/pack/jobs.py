"""Board packs built in the background for the Board pack page, kept on the server.

``start`` writes ``<token>.json`` (who asked, the choices, the state and progress) in a private
folder beside the pending uploads (``dashboard.pending.pending_dir``) and builds the pack in a
thread, so no request waits for it and other users' pages are not held up; the page polls
``status`` and, once it is ready, sends ``<token>.bin``. Files on disk (not memory) so every
server process sees them; only the user who asked may read a job, and jobs are removed after
a day.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import traceback
from pathlib import Path

from core.months import Month
from dashboard import pending
from dashboard.reports.pack.build import build, file_name
from dashboard.reports.pack.quarter import QuarterError, quarter_label

MAX_AGE_SECONDS = 24 * 3600
FAILED = (
    "The pack could not be built. Try again; if it fails again, tell whoever runs the dashboard."
)


def folder() -> Path:
    path = pending.pending_dir() / "packs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path]:
    if not pending.TOKEN.match(token or ""):
        raise pending.NotYours("not a pack token")
    return folder() / f"{token}.bin", folder() / f"{token}.json"


def _write(path: Path, meta: dict) -> None:
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(partial, path)


def _tidy() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def start(user: str, end: Month, fmt: str, with_exempt: bool) -> str:
    """Begin building a pack for ``user``; returns the token the page polls with."""
    _tidy()
    token = secrets.token_hex(16)
    _, meta_path = _paths(token)
    meta = {
        "user": user,
        "state": "building",
        "progress": "Gathering the figures",
        "name": file_name(end, fmt, with_exempt),
        "quarter": quarter_label(end),
    }
    _write(meta_path, meta)
    args = (token, end, fmt, with_exempt, meta)
    threading.Thread(target=_run, args=args, name="board-pack", daemon=True).start()
    return token


def _run(token: str, end: Month, fmt: str, with_exempt: bool, meta: dict) -> None:
    data_path, meta_path = _paths(token)
    try:

        def progress(stage: str) -> None:
            meta.update(progress=stage)
            _write(meta_path, meta)

        data = build(end, fmt, with_exempt, progress)
        data_path.write_bytes(data)
        meta.update(state="ready", progress="Ready", size=len(data))
    except QuarterError as exc:
        meta.update(state="failed", progress=str(exc))
    except Exception:  # the page says so; the server log keeps the detail
        traceback.print_exc()
        meta.update(state="failed", progress=FAILED)
    _write(meta_path, meta)


def status(token: str, user: str) -> dict:
    """The job's state, progress and file name (``pending.NotYours`` for another user's)."""
    _, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise pending.NotYours("no such pack") from exc
    if meta.get("user") != user:
        raise pending.NotYours("another user's pack")
    return meta


def file_bytes(token: str, user: str) -> bytes:
    status(token, user)
    return _paths(token)[0].read_bytes()
