"""The data pages' callback answers, kept per data version: a board member opening a page or a
month someone has opened since the last upload gets the answer already drawn, without the
figures, charts and sentences being made again.

Only answers that depend on nothing but what the request carries are kept: the data pages'
period callbacks (every callback of ``DATA_PAGES`` listening to the period picker) and the
page routing callback for a data page's address. The key is the request's body with the data
version (``cache.data_version``: a load in any worker changes it for every worker from its next
request; for the pages in ``PAGE_DATASETS``, only the versions of the datasets they read, so a
crime load keeps the hate crime page's answers), the targets and comparator groups (``cache.reference_version``), the user's role and the items exempt from them (``auth.exempt.hidden``), so a load or
a change of exempt items is never answered from before it, and no role sees another's answer.
The app's shell (/_dash-layout) is kept too, per session (it carries the user's menu).
Kept in each worker's memory (oldest first out past ``MAX_BYTES``) and, under the production
server (``share``, called by its master), compressed in a folder of PENDING_DIR that every
worker (and server) shares, one sub-folder per database (the oldest answers removed past
``MAX_SHARED_BYTES``; the whole folder when the server starts, so a database made again from
scratch is never answered from the old one): an answer drawn by one worker serves them all.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import itertools
import json
import os
import secrets
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

import dash
import flask
from dash._pages import _path_to_page
from flask import Flask, request

from core import reference
from dashboard import cache, pending
from dashboard.auth import exempt, guard, sessions

DATA_PAGES = frozenset(
    f"dashboard.pages.{name}"
    for name in (
        "overview",
        "crime",
        "wards",
        "ward",
        "hate_crime",
        "youth_violence",
        "reoffending",
        "prevent",
        "domestic_abuse",  # keyed by the data version: the partnership indicators will join it
    )
)
# Pages that read nothing but these datasets (the upload log's names) and areas, which loads only
# ever add to: their answers are keyed by these datasets' versions instead of the data version.
# tests/test_answers.py checks that loading every other kind of file leaves their answers as
# they were.
MPS_DASHBOARD = (reference.MPS_DASHBOARD_UPLOAD, *reference.MPS_DASHBOARD_DATASETS)
PAGE_DATASETS = {
    "dashboard.pages.hate_crime": (*MPS_DASHBOARD, "hate_reporting_centres", "population"),
    "dashboard.pages.youth_violence": (*MPS_DASHBOARD, "serious_youth_violence", "population"),
    "dashboard.pages.reoffending": ("iom", "proven_reoffending", "population"),
    "dashboard.pages.prevent": ("wrap_training", "population"),
}
ROUTING = "_pages_content.children"
PICKER = "period-select"
MAX_BYTES = 96 * 2**20
MAX_SHARED_BYTES = 512 * 2**20
TIDY_EVERY = 200  # shared answers written by this process between two size checks


class Answers:
    """A least-recently-used store of (status, bytes, mimetype) bounded by bytes."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes, self.size = max_bytes, 0
        self.items: OrderedDict[str, tuple[int, bytes, str]] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> tuple[int, bytes, str] | None:
        with self.lock:
            found = self.items.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self.items.move_to_end(key)
            return found

    def put(self, key: str, answer: tuple[int, bytes, str]) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = answer
            self.size += len(answer[1])
            while self.size > self.max_bytes and self.items:
                _, (_, old, _) = self.items.popitem(last=False)
                self.size -= len(old)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = self.hits = self.misses = 0


ANSWERS = Answers()
_shared = False
_engine_ids = itertools.count()


def share() -> None:
    """Share answers between the processes of the production server (from a clean folder)."""
    global _shared
    shutil.rmtree(pending.pending_dir() / "answers", ignore_errors=True)
    _shared = True


def _folder() -> Path:
    url = cache.engine().url.render_as_string(hide_password=False)
    database = hashlib.sha256(url.encode()).hexdigest()[:16]
    return pending.pending_dir() / "answers" / database


def _engine_id() -> int:
    """This process's number for the engine: a database dropped and made again under the same
    address (the tests do) gets a new engine, so it is never answered from the old one."""
    engine = cache.engine()
    if not hasattr(engine, "answers_id"):
        engine.answers_id = next(_engine_ids)
    return engine.answers_id


def _read_shared(key: str) -> tuple[int, bytes, str] | None:
    if not _shared:
        return None
    try:
        packed = (_folder() / key).read_bytes()
        head, _, body = gzip.decompress(packed).partition(b"\n")
        status, mimetype = json.loads(head)
        return int(status), body, str(mimetype)
    except (OSError, ValueError, EOFError):
        return None


_writes = itertools.count(1)


def _write_shared(key: str, answer: tuple[int, bytes, str]) -> None:
    if not _shared:
        return
    folder = _folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status, body, mimetype = answer
        packed = gzip.compress(json.dumps([status, mimetype]).encode() + b"\n" + body, 1)
        tmp = folder / f"{key}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(packed)
        os.replace(tmp, folder / key)  # readers never see half an answer
        if next(_writes) % TIDY_EVERY == 0:
            tidy(folder)
    except OSError:
        pass  # sharing is a saving, never a failure


def tidy(folder: Path, max_bytes: int | None = None) -> None:
    """Past ``max_bytes`` (MAX_SHARED_BYTES), remove the answers written longest ago (those of
    older data versions first, as nothing asks for them) until half that is left."""
    limit = MAX_SHARED_BYTES if max_bytes is None else max_bytes
    found = []
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            stat = path.stat()
            found.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in found)
    if total <= limit:
        return
    for _, size, path in sorted(found):
        if total <= limit // 2:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size


def _value(items: list, component: str, prop: str):
    for item in items or []:
        if isinstance(item, dict) and item.get("id") == component and item.get("property") == prop:
            return item.get("value")
    return None


def keepable(body: dict) -> str | None:
    """The data page module whose answer to this callback request depends only on the request,
    the data, the role and the exempt items (see the module docstring); None for any other."""
    output = body.get("output")
    if not isinstance(output, str):
        return None
    if ROUTING in output:
        path = _value(body.get("inputs"), "_pages_location", "pathname")
        if not isinstance(path, str):
            return None
        page, _ = _path_to_page(path.strip("/"))
        module = page["module"] if page else None
        return module if module in DATA_PAGES else None
    entry = dash.get_app().callback_map.get(output)
    if not entry:
        return None
    module = getattr(entry.get("callback"), "__module__", "")
    listens = any(i.get("id") == PICKER for i in entry.get("inputs", []))
    return module if module in DATA_PAGES and listens else None


def _version(module: str | None = None) -> int | str:
    """What the answers of ``module``'s page are kept by: its datasets' versions for the pages
    in PAGE_DATASETS, else the data version."""
    engine = cache.engine()
    if module in PAGE_DATASETS:
        return cache.datasets_version(PAGE_DATASETS[module], engine)
    return cache.data_version(engine)


def answer_key(body: dict, module: str | None = None) -> str:
    user = guard.current_user()
    parts = [
        _version(module),
        module,
        cache.reference_version(cache.engine()),  # a target or group set since: judged again
        user.role if user else None,
        sorted(exempt.hidden("dataset")),
        sorted(exempt.hidden("indicator")),
        body,
    ]
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def shell_key() -> str:
    """The key of the app's shell (/_dash-layout: navbar, period picker, the user's menu with
    the session's form token) for this session: kept in this worker's memory only."""
    user = guard.current_user()
    return answer_key({"shell": [user.name, user.signed_in, sessions.csrf_token()]})


def _answer_kept():
    if request.method == "GET" and request.path.endswith("/_dash-layout"):
        return _kept(shell_key(), shared=False)
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True)
    module = keepable(body) if isinstance(body, dict) else None
    if module is None:
        return None
    return _kept(answer_key(body, module), shared=True)


def _kept(key: str, shared: bool):
    kept = f"{_engine_id()}:{key}"
    found = ANSWERS.get(kept)
    if found is None and shared:
        found = _read_shared(key)
        if found is not None:
            ANSWERS.put(kept, found)
    if found is None:
        flask.g.answer_key, flask.g.answer_shared = key, shared
        return None
    status, data, mimetype = found
    return flask.Response(data, status=status, mimetype=mimetype)


def _keep_answer(response):
    key = flask.g.pop("answer_key", None)
    if key and response.status_code in (200, 204) and not response.direct_passthrough:
        answer = (response.status_code, response.get_data(), response.mimetype)
        ANSWERS.put(f"{_engine_id()}:{key}", answer)
        if flask.g.get("answer_shared"):
            _write_shared(key, answer)
    return response


def init(server: Flask) -> None:
    """Answer kept callbacks before Dash runs them (after the guard has let them through)."""
    server.before_request(_answer_kept)
    server.after_request(_keep_answer)
