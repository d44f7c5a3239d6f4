"""Uploads waiting for the analyst's confirmation, kept on the server (never in the browser).

Each file dropped on the upload page is kept in the database (``core.pending_uploads``: its
bytes, owner and a record of who uploaded it, its name, and how checking and loading are
going), so every worker on every server sees it; the browser only holds the random tokens.
Checking (``etl.preview``) and loading (``etl.load.load_bytes``) run in a background thread
and write their progress into the record, which the page polls, so a large file shows its
progress and no request waits for minutes. A drop's files are checked one after another in one
thread, within MAX_DROP_UNCOMPRESSED_MB in all (``check_drop``), so no drop holds more than one
file in memory at a time. The files are kept only until loaded, discarded or a day old. A record
left "checking" or "loading" by a process that stopped mid-way (killed, or the server restarted)
is marked failed when it is next read or when the server next starts (``recover_abandoned``):
its process is gone (same machine), or it has not moved for STALE_SECONDS (any machine). The
load was one transaction, so nothing of it was written. PENDING_DIR holds only temporary files
(the production workers' shared answers, the local background jobs' results).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import socket
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import OperationalError

from core import config, db
from core import pending_uploads as store
from etl.errors import Problem, problem
from etl.read import is_packed, unpacked_size

TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600
BUSY_MESSAGE = (
    "Another upload was being written at the same moment, so this file was not loaded and "
    "nothing changed. Try again in a minute."
)
WORKING = ("checking", "loading")
STALE_SECONDS = 30 * 60
INTERRUPTED = (
    "The server stopped while this file was being {what}, so nothing changed. "
    "Drop the file again to load it."
)


class NotYours(Exception):
    """The token is unknown, malformed or belongs to someone else."""


def pending_dir() -> Path:
    """The folder for temporary files (PENDING_DIR, else one in the system's temp folder)."""
    folder = Path(config.PENDING_DIR.get() or Path(tempfile.gettempdir()) / "dashboard-pending")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _checked(token: str) -> str:
    if not TOKEN.match(token or ""):
        raise NotYours("not an upload token")
    return token


def _json(record: dict) -> str:
    return json.dumps(record, default=_jsonable)


def _jsonable(value):
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON: {type(value)}")


def decode_upload(contents: str) -> bytes:
    """The bytes of a dcc.Upload ``contents`` value ('data:...;base64,....')."""
    _, _, encoded = (contents or "").partition(",")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the file could not be decoded") from exc


def save(user: str, filename: str, data: bytes | None, problems: list[Problem] = ()) -> str:
    """Keep an uploaded file for ``user``; returns its token. ``data`` None: refused at once."""
    cleanup()
    token = secrets.token_hex(16)
    record = {
        "token": token,
        "user": user,
        "filename": Path(filename).name[:300],
        "size_bytes": len(data) if data is not None else None,
        "created": time.time(),
        "state": "checking",
        "progress": "waiting to be checked",
        "worker": _worker(),
    }
    if data is None:
        record.update(state="refused", progress="", problems=[p.as_dict() for p in problems])
    store.add(token, user, record["state"], _json(record), data, record["created"])
    return token


def meta(token: str, user: str) -> dict:
    """The record of a pending upload, only for the user who made it."""
    found = store.read(_checked(token))
    if found is None:
        raise NotYours("no such upload")
    owner, text, updated = found
    record = json.loads(text)
    if owner != user or record.get("user") != user:
        raise NotYours("not this user's upload")
    if _abandoned(record, updated):
        record = _mark_interrupted(token, record)
    return record


def _worker() -> dict:
    """Which process is working on a record: a later reader can tell whether it is still there."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def _gone(worker) -> bool:
    """True when the record's process was on this machine and no longer runs."""
    if not isinstance(worker, dict) or worker.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(worker["pid"]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, KeyError, TypeError, ValueError, OverflowError):
        return False
    return False


def _abandoned(record: dict, updated: float) -> bool:
    if record.get("state") not in WORKING:
        return False
    return _gone(record.get("worker")) or time.time() - updated > STALE_SECONDS


def _mark_interrupted(token: str, record: dict) -> dict:
    what = "loaded" if record.get("state") == "loading" else "checked"
    return update(token, state="failed", progress="", error=INTERRUPTED.format(what=what))


def recover_abandoned() -> int:
    """Mark failed every record left checking or loading by a stopped process (run at start);
    returns how many."""
    count = 0
    for token, text, updated in store.working(WORKING):
        try:
            record = json.loads(text)
            if isinstance(record, dict) and _abandoned(record, updated):
                _mark_interrupted(token, record)
                count += 1
        except (ValueError, NotYours):
            continue
    return count


def update(token: str, **fields) -> dict:
    if fields.get("state") in WORKING:
        fields["worker"] = _worker()

    def merge(text: str) -> tuple[str, str]:
        record = {**json.loads(text), **fields}
        return _json(record), str(record.get("state", ""))

    changed = store.change(_checked(token), merge, time.time())
    if changed is None:
        raise NotYours("no such upload")
    return json.loads(changed)


def claim(token: str) -> bool:
    """True for the one confirm, in any worker on any server, that may load this upload (a
    double click reaching two workers at once loads it once)."""
    return store.claim(_checked(token))


def data(token: str) -> bytes:
    found = store.data(_checked(token))
    if found is None:
        raise NotYours("the file is no longer kept")
    return found


def discard(token: str) -> None:
    store.remove(_checked(token))


def cleanup(max_age: float = MAX_AGE_SECONDS) -> None:
    """Remove pending uploads older than ``max_age`` seconds."""
    store.remove_older(time.time() - max_age)


def too_large(filename: str, size: int) -> list[Problem]:
    limit = config.max_upload_bytes()
    if size <= limit:
        return []
    return [
        problem("file-too-large", size_mb=round(size / 2**20, 1), limit_mb=round(limit / 2**20))
    ]


def shown_to(
    record: dict, datasets: set[str], indicators: set[str], within: set[str] | None = None
) -> dict:
    """The record as a user from whom ``datasets`` and ``indicators`` are hidden may see it:
    the figures of changes that include a hidden one are left out (``etl.preview.withheld``,
    marked ``withheld``) and the preview's line says so."""
    from etl.preview import FIGURES, summary, withheld

    preview = record.get("preview") or {}
    changes = preview.get("changes") or []
    hidden = [withheld(c, datasets, indicators, within) for c in changes]
    if not any(hidden):
        return record
    changes = [
        {**c, **dict.fromkeys(FIGURES), "withheld": True} if hide else c
        for c, hide in zip(changes, hidden, strict=True)
    ]
    message = summary(pd.DataFrame(changes))
    return {**record, "preview": {**preview, "changes": changes, "message": message}}


# ---------------------------------------------------------------- background work


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


def check(token: str, url: str) -> None:
    """Work out what the file would change (etl.preview); rejected files go in the log."""
    from etl.preview import preview_bytes, record_rejection

    record = update(token, progress="reading and checking the file")
    try:
        engine = db.get_engine(url)
        preview = preview_bytes(record["filename"], data(token), engine)
        fields = {"preview": _preview_record(preview), "progress": ""}
        if preview.status == "rejected":
            result = record_rejection(preview, engine, record["user"])
            fields.update(state="rejected", upload_id=result.upload_id)
            discard_data(token)
        elif preview.status == "unchanged":
            fields.update(state="unchanged")
            discard_data(token)
        else:
            fields.update(state="ready")
        update(token, **fields)
    except Exception as exc:  # the page must say something rather than spin for ever
        update(token, state="failed", progress="", error=f"The file could not be checked: {exc}")


def check_drop(tokens: list[str], url: str) -> None:
    """Check the files of one drop one after another, so the drop holds one file in memory at a
    time; a file that would take the drop's unpacked total past MAX_DROP_UNCOMPRESSED_MB is
    refused unopened (as is any file after it that would)."""
    left = config.max_drop_uncompressed_bytes()
    for token in tokens:
        try:
            left = _check_within(token, url, left)
        except (OSError, ValueError, NotYours):  # discarded meanwhile: the others are still checked
            continue


def _check_within(token: str, url: str, left: int) -> int:
    blob = data(token)
    packed, size = is_packed(blob), unpacked_size(blob, max(left, config.max_uncompressed_bytes()))
    del blob  # checking reads the file again: never two copies at once
    if packed and size > config.max_uncompressed_bytes():
        check(token, url)  # too large on its own: checking refuses it, holding nothing, and says so
        return left
    if size <= left:
        check(token, url)
        return left - size
    limit_mb = round(config.max_drop_uncompressed_bytes() / 2**20)
    refusal = problem("drop-too-large", limit_mb=limit_mb)
    update(token, state="refused", progress="", problems=[refusal.as_dict()])
    discard_data(token)
    return left


def discard_data(token: str) -> None:
    store.drop_data(_checked(token))


def load(tokens: list[str], url: str) -> None:
    """Load confirmed files one after another, each in its own transaction."""
    from etl.load import load_bytes

    engine = db.get_engine(url)
    for token in tokens:
        record = update(token, state="loading", progress="starting")

        def progress(stage: str, token=token) -> None:
            update(token, progress=stage)

        try:
            result = load_bytes(record["filename"], data(token), engine, record["user"], progress)
            update(
                token,
                state=result.status,
                progress="",
                upload_id=result.upload_id,
                result={
                    "status": result.status,
                    "message": result.message,
                    "dataset": result.dataset,
                    "upload_id": result.upload_id,
                    "problems": [p.as_dict() for p in result.problems],
                },
            )
            discard_data(token)
        except OperationalError as exc:
            busy = "locked" in str(exc).lower() or "lock timeout" in str(exc).lower()
            update(
                token,
                state="failed",
                progress="",
                error=BUSY_MESSAGE if busy else f"The load failed and nothing changed: {exc.orig}",
            )
        except Exception as exc:
            update(
                token,
                state="failed",
                progress="",
                error=f"The load failed and nothing changed: {exc}",
            )


def start(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name="upload-job", daemon=True)
    thread.start()
    return thread
