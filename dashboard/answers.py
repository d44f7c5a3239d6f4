"""The data pages' callback answers, kept: a board member opening a page or a month someone has
opened since the last upload gets the answer already drawn, without Dash running the callback.

Flask-Caching's ``cached`` wraps Dash's dispatch view (/_dash-update-component; a kept answer
carries a ``hit_cache`` header). Kept (``keepable``): the period callbacks of ``DATA_PAGES``
and the routing callback for a data page's address, answered 200 or 204. The key
(``answer_key``): the request's body; the data version (``cache.data_version``: a load in any
worker changes it for every worker from its next request), or for ``PAGE_DATASETS``' pages
their datasets' versions (a crime load keeps the hate crime page's answers); the targets and
groups (``cache.reference_version``); the role and the items exempt from it; the database.
They live in what ``memo.shared`` shares: Redis with ``REDIS_URL`` (every worker of every
server: after making the database again from scratch, ``redis-cli FLUSHDB``); under the
production command a folder its workers share, emptied when it starts; else the process.
The app's shell (/_dash-layout: the user's menu and form token) is kept per session, in the
process only.
"""

from __future__ import annotations

import hashlib
import itertools
import json

import dash
from flask import Flask, request
from flask_caching import Cache

from core import reference
from dashboard import cache, memo, pending, routes
from dashboard.auth import exempt, guard, sessions

DATA_PAGES = frozenset(  # domestic_abuse by the data version: partnership indicators will join it
    f"dashboard.pages.{name}"
    for name in "overview crime wards ward hate_crime youth_violence reoffending prevent "
    "domestic_abuse asb".split()
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
LOCAL_SHELLS = 500  # sessions' shells each process keeps
ANSWERS = Cache(config={"CACHE_TYPE": "dashboard.memo.Shared"}, with_jinja2_ext=False)
SHELLS = Cache(
    config={
        "CACHE_TYPE": "SimpleCache",
        "CACHE_THRESHOLD": LOCAL_SHELLS,
        "CACHE_DEFAULT_TIMEOUT": memo.TIMEOUT_SECONDS,  # over the threshold: the oldest go first
    },
    with_jinja2_ext=False,
)
_engine_ids = itertools.count()


def share() -> None:
    """The production server's workers share answers: in Redis with REDIS_URL (never emptied
    at a start: other servers' jobs keep their owners there), else a folder, emptied now."""
    if not memo.redis_url():
        memo.share_folder(pending.pending_dir() / "answers")


def clear() -> None:
    """Forget every kept answer and shell (tests: a database made again)."""
    ANSWERS.clear()
    SHELLS.clear()


def _database(local: bool) -> str:
    """The database in a key: its address, and for what this process alone keeps, its engine's
    number here (a database dropped and made again under the same address, as the tests do,
    gets a new engine, so it is never answered from the old one)."""
    engine = cache.engine()
    url = hashlib.sha256(memo.engine_url(engine).encode()).hexdigest()[:16]
    if not local:
        return url
    if not hasattr(engine, "answers_id"):
        engine.answers_id = next(_engine_ids)
    return f"{url}.{engine.answers_id}"


def _value(items: list, component: str, prop: str):
    for item in items or []:
        if isinstance(item, dict) and item.get("id") == component and item.get("property") == prop:
            return item.get("value")
    return None


def keepable(body) -> str | None:
    """The data page module whose answer to this callback request depends only on the request,
    the data, the role and the exempt items (see the module docstring); None for any other."""
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, str):
        return None
    if ROUTING in output:
        page, _ = routes.page_for(_value(body.get("inputs"), "_pages_location", "pathname"))
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


def _callback_key() -> str:
    body = request.get_json(silent=True)
    local = not memo.is_shared()
    return f"answer:{_database(local)}:{answer_key(body, keepable(body))}"


def shell_key() -> str:
    """The key of the app's shell (/_dash-layout: navbar, period picker, the user's menu with
    the session's form token) for this session: kept in this worker's memory only."""
    user = guard.current_user()
    shell = {"shell": [user.name, user.signed_in, sessions.csrf_token()]}
    return f"shell:{_database(True)}:{answer_key(shell)}"


def _not_kept() -> bool:
    return keepable(request.get_json(silent=True)) is None


def _answered(response) -> bool:
    return response.status_code in (200, 204) and not response.direct_passthrough


def init(server: Flask) -> None:
    """Wrap Dash's callback dispatch and shell views in Flask-Caching's ``cached`` (they run
    after every before-request check: the guard, CSRF and the callback body's)."""
    ANSWERS.init_app(server)
    SHELLS.init_app(server)
    kept = {"_dash-update-component": (ANSWERS, _callback_key, _not_kept)}
    kept["_dash-layout"] = (SHELLS, shell_key, None)
    for rule in list(server.url_map.iter_rules()):
        name = rule.rule.rsplit("/", 1)[-1]
        if name in kept:
            store, key, unless = kept[name]
            view = server.view_functions[rule.endpoint]
            server.view_functions[rule.endpoint] = store.cached(
                make_cache_key=key,
                unless=unless,
                response_filter=_answered,
                response_hit_indication=True,
            )(view)
