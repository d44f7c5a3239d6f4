"""The data pages' callback answers, kept per data version: a board member opening a page or a
month someone has opened since the last upload gets the answer already drawn, without the
figures, charts and sentences being made again.

Only answers that depend on nothing but what the request carries are kept: the data pages'
period callbacks (every callback of ``DATA_PAGES`` listening to the period picker) and the
page routing callback for a data page's address. The key is the request's body with the data
version (``cache.data_version``: a load in any worker changes it for every worker from its next
request; for the pages in ``PAGE_DATASETS``, only the versions of the datasets they read, so a
crime load keeps the hate crime page's answers), the targets and comparator groups
(``cache.reference_version``), the user's role and the items exempt from them
(``auth.exempt.hidden``), so a load or a change of exempt items is never answered from before
it, and no role sees another's answer. The app's shell (/_dash-layout) is kept too, per session
(it carries the user's menu), in the process only.
Kept in Flask-Caching's backends: each process's ``SimpleCache`` in front, and behind it what
``memo.shared`` shares (Redis with ``REDIS_URL``: every worker of every server; else, under the
production command, a folder its workers share, emptied when it starts, so a database made
again from scratch is never answered from the old one).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re

import dash
import flask
from flask import Flask, request
from flask_caching.backends import SimpleCache

from core import reference
from dashboard import cache, memo, pending
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
LOCAL_ANSWERS = 1000  # kept in each process's memory in front of the shared cache


class Kept:
    """This process's answers (Flask-Caching's SimpleCache), counting what was found."""

    def __init__(self, threshold: int = LOCAL_ANSWERS):
        self.threshold = threshold
        self.clear()

    def get(self, key: str):
        found = self.store.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: str, answer: tuple[int, bytes, str]) -> None:
        self.store.set(key, answer)

    def clear(self) -> None:
        self.store = SimpleCache(threshold=self.threshold, default_timeout=0)
        self.hits = self.misses = self.shared_hits = 0


ANSWERS = Kept()
_engine_ids = itertools.count()


def share() -> None:
    """Share answers between the processes of the production server: in Redis with REDIS_URL,
    else in a folder of PENDING_DIR (from a clean folder, see the module docstring)."""
    if memo.redis_url():
        memo.shared().clear()
    else:
        memo.share_folder(pending.pending_dir() / "answers")


def _database() -> str:
    url = memo.engine_url(cache.engine())
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _engine_id() -> int:
    """This process's number for the engine: a database dropped and made again under the same
    address (the tests do) gets a new engine, so it is never answered from the old one."""
    engine = cache.engine()
    if not hasattr(engine, "answers_id"):
        engine.answers_id = next(_engine_ids)
    return engine.answers_id


def _read_shared(key: str) -> tuple[int, bytes, str] | None:
    if not memo.is_shared():
        return None
    packed = memo.get(f"answer:{_database()}:{key}")
    if not isinstance(packed, bytes):
        return None
    try:
        head, _, body = gzip.decompress(packed).partition(b"\n")
        status, mimetype = json.loads(head)
        return int(status), body, str(mimetype)
    except (OSError, ValueError, EOFError):
        return None


def _write_shared(key: str, answer: tuple[int, bytes, str]) -> None:
    if not memo.is_shared():
        return
    status, body, mimetype = answer
    packed = gzip.compress(json.dumps([status, mimetype]).encode() + b"\n" + body, 1)
    memo.put(f"answer:{_database()}:{key}", packed)


def page_for(path: str) -> tuple[dict | None, dict[str, str]]:
    """The registered page that answers ``path`` and the values of its path template's
    ``<name>`` parts, as Dash Pages routes it (public registry only); (None, {}) for none."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        found = _template_values(template, path) if template else None
        if found is not None:
            return page, found
        if (path or "").strip("/") == page["path"].strip("/"):
            return page, {}
    return None, {}


def _template_values(template: str, path: str) -> dict[str, str] | None:
    parts, wanted = template.strip("/").split("/"), (path or "").strip("/").split("/")
    if len(parts) != len(wanted):
        return None
    values = {}
    for part, value in zip(parts, wanted, strict=True):
        name = re.fullmatch(r"<([^<>]+)>", part)
        if name and value:
            values[name[1]] = value
        elif part != value:
            return None
    return values


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
        page, _ = page_for(path)
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
            ANSWERS.shared_hits += 1
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
