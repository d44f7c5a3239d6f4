"""Uploads waiting for the analyst's confirmation, kept on the server (never in the browser).

Each file dropped on the upload page is kept in the database (``core.pending_uploads``: its
bytes, owner and a record of who uploaded it, its name, and how checking and loading are
going), so every worker on every server sees it; the browser only holds the random tokens.
Checking (``etl.preview``) and loading (``etl.load.load_bytes``) are the page's background jobs
(``dashboard.upload_jobs`` on the ``dashboard.jobs`` manager: a process beside the web server,
or a Celery worker on any server): a job is given tokens, reads the bytes from here, takes only
records waiting for it (``take``) and writes each step into the record, so a page reloaded
mid-check shows where it is, and no request waits for minutes. One drop is checked at a time on
a machine, within MAX_DROP_UNCOMPRESSED_MB in all. The files are kept only until loaded,
discarded or a day old.

Cancel (``cancel``) marks the records being checked or loaded "cancelled" in words while Dash
ends the job's process; a job still running stops at its next step (``update`` raises
``Cancelled``). A load is one transaction, so one stopped before it committed wrote nothing;
one that had committed says loaded (the upload log is the truth: ``_loaded_meanwhile``). A
record left "checking" or "loading" by a process that stopped mid-way (killed, or the server
restarted) is marked failed when it is next read or when the server next starts
(``recover_abandoned``): its process is gone (same machine), or it has not moved for
STALE_SECONDS (any machine). PENDING_DIR holds only temporary files (the production workers'
shared answers, the local background jobs' results, the lock taking turns to check).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import socket
import stat
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from core import config, db
from core import pending_uploads as store
from etl.errors import Problem, problem

TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600
WORKING = ("checking", "loading")
STALE_SECONDS = 30 * 60
CANCELLED = {
    "checking": "You cancelled checking this file, so nothing was written. Drop it again to "
    "check it.",
    "loading": "You cancelled loading this file, so nothing changed.",
}
NO_WORKER = (
    "No worker was running, so this file was not {what} and nothing changed. Tell whoever "
    "runs the dashboard (scripts/serve.sh starts the workers), then drop the file again."
)
INTERRUPTED = (
    "The server stopped while this file was being {what}, so nothing changed. "
    "Drop the file again to load it."
)


class Cancelled(Exception):
    """The record says cancelled: the job working on it stops."""


class _Untouched(Exception):
    """A record not in the state a change expects: left as it is."""


class NotYours(Exception):
    """The token is unknown, malformed or belongs to someone else."""


class UnsafeFolder(RuntimeError):
    """PENDING_DIR is another user's or anyone may write in it: nothing is kept there."""


def pending_dir() -> Path:
    """The folder for temporary files (PENDING_DIR, else one in the system's temp folder), made
    private (0700) if new; refused when another user owns it or anyone may write in it (someone
    else could read, swap or plant what is kept there: the default is in the shared system temp
    folder, where anyone can make it first)."""
    folder = Path(config.PENDING_DIR.get() or Path(tempfile.gettempdir()) / "dashboard-pending")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    held = folder.stat()
    if held.st_uid != os.getuid() or held.st_mode & stat.S_IWOTH:
        raise UnsafeFolder(
            f"The folder {folder} (PENDING_DIR) belongs to another user or anyone may write in "
            "it, so nothing is kept there. Set PENDING_DIR to a folder of this user's (mode 0700)."
        )
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


def _mark_interrupted(token: str, record: dict, words: str = INTERRUPTED) -> dict:
    was = record.get("state")
    if was == "loading" and _loaded_meanwhile(token, record):
        return meta(token, record.get("user"))
    what = "loaded" if was == "loading" else "checked"
    error = words.format(what=what)
    return update(token, state="failed", progress="", error=error, interrupted_in=was)


def abandon(tokens: list[str], user: str, no_worker: bool = False) -> list[str]:
    """Mark failed this user's uploads still checking or loading whose job ``dashboard.jobs``
    found dead or never started (no worker): a worker on another machine gives no process to
    look for, so without this they would wait STALE_SECONDS. The tokens marked."""
    marked = []
    for token in tokens or []:
        try:
            record = meta(token, user)
            if record.get("state") in WORKING:
                _mark_interrupted(token, record, NO_WORKER if no_worker else INTERRUPTED)
                marked.append(token)
        except (NotYours, ValueError):
            continue
    return marked


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
    """Merge ``fields`` into the record. Raises Cancelled when it says cancelled (the job writing
    it stops), unless the fields say loaded: a load that committed is the truth."""
    if fields.get("state") in WORKING:
        fields["worker"] = _worker()

    def merge(text: str) -> tuple[str, str]:
        record = json.loads(text)
        if record.get("state") == "cancelled" and fields.get("state") != "loaded":
            raise Cancelled(token)
        record.update(fields)
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


# ---------------------------------------------------------------- the jobs' records


def take(token: str, state: str) -> dict | None:
    """Mark the record as being worked on by this process (a job), only when it waits in
    ``state`` and no job has taken it yet, or the one that took it is gone (a Celery worker
    that died gives its job to another): a job's tokens come from the browser, so a token
    already checked, loaded, cancelled or taken by a running job is left alone. The record, or
    None."""

    def merge(text: str) -> tuple[str, str]:
        record = json.loads(text)
        if record.get("state") != state:
            raise _Untouched
        if record.get("taken") == state and not _gone(record.get("worker")):
            raise _Untouched
        record.update(taken=state, worker=_worker())
        return _json(record), state

    try:
        changed = store.change(_checked(token), merge, time.time())
    except _Untouched:
        return None
    return json.loads(changed) if changed else None


def discard_data(token: str) -> None:
    store.drop_data(_checked(token))


def confirm(tokens: list[str]) -> list[str]:
    """Of these (the user's own, ready) uploads, the ones this confirm claims, marked waiting to
    be loaded: a double click reaching two workers at once loads each once."""
    claimed = [token for token in tokens if claim(token)]
    for token in claimed:
        update(token, state="loading", progress="waiting for its turn")
    return claimed


# ---------------------------------------------------------------- cancelling


def cancel(tokens: list[str], user: str) -> list[str]:
    """Mark this user's uploads being checked or loaded as cancelled (the Cancel button; Dash
    ends the job's process meanwhile); the tokens marked. A job still running stops at its next
    step, and a load stopped mid-transaction wrote nothing. A load that had committed says
    loaded instead (``_loaded_meanwhile``)."""
    marked = []
    for token in tokens or []:
        try:
            found = store.read(_checked(token))
            if found is None or found[0] != user:
                continue
            record = json.loads(found[1])
            if _stopped_in(record) == "loading" and _loaded_meanwhile(token, record):
                continue
            if _mark_cancelled(token):
                discard_data(token)
                marked.append(token)
        except (NotYours, ValueError):
            continue
    return marked


def _stopped_in(record: dict) -> str | None:
    """The work a record was in when it stopped or was cancelled: checking, loading or None."""
    if record.get("state") in WORKING:
        return record["state"]
    return record.get("interrupted_in") or record.get("cancelled_in")


def _mark_cancelled(token: str) -> bool:
    def merge(text: str) -> tuple[str, str]:
        record = json.loads(text)
        was = record.get("state") if record.get("state") in WORKING else None
        was = was or (record.get("interrupted_in") if record.get("state") == "failed" else None)
        if was is None:
            raise _Untouched  # finished meanwhile: it says how
        record.update(
            state="cancelled", progress="", error=CANCELLED[was], cancelled_in=was, taken=was
        )
        return _json(record), "cancelled"

    try:
        return store.change(token, merge, time.time()) is not None
    except _Untouched:
        return False


def _loaded_meanwhile(token: str, record: dict) -> bool:
    """True (and the record says loaded) when the upload log has this user's load of the file's
    bytes: the load committed before it was stopped, so saying "nothing changed" would be wrong."""
    from etl.store.uploads import loaded_upload_with_hash

    digest = (record.get("preview") or {}).get("sha256")
    if not digest:
        return False
    found = loaded_upload_with_hash(db.get_engine(config.database_url()), digest)
    if found is None or found.uploaded_by != record.get("user"):
        return False
    message = f"Loaded as upload {found.id} before it could be stopped."
    result = {"status": "loaded", "message": message, "dataset": found.dataset}
    fields = {"upload_id": found.id, "result": {**result, "upload_id": found.id, "problems": []}}
    update(token, state="loaded", progress="", error=None, **fields)
    discard_data(token)
    return True
