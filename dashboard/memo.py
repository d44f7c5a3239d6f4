"""How computed figures and answers are kept: the one seam every cache goes through.

``memoized`` keeps a function's answers per argument tuple (the arguments always carry the
database URL and the data or dataset version, so a new upload is a new key, never a stale hit);
``once_per_request`` reads a version once per web request; ``engine_url`` names a database in
a key. Modules that keep figures (``cache``, ``over_time`` and the priority figures) use these,
never their own caches.

What is kept lives in Flask-Caching's backends (``shared``): with ``REDIS_URL`` set, a
``RedisCache`` every worker on every server shares; without it, under the production command
(``share_folder``), a ``FileSystemCache`` its workers share; else the process's
``SimpleCache``. The pages' answers and the computed tables are kept there (each process keeps
its own copy of a table in memory in front of it, as unpickling a table on every call would
cost more than the call). A table missing from a shared cache is computed by one process at a
time (``one_at_a_time``: a Redis lock, or a file lock in the folder): the others wait for it
and read it, instead of every worker computing the same table at once after an upload.
``Shared`` is that backend for a Flask-Caching ``Cache`` (the pages' answers:
``dashboard.answers``).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import pickle
import shutil
import threading
import time
from functools import lru_cache, wraps
from pathlib import Path

import filelock
import flask
from flask_caching.backends import BaseCache, FileSystemCache, RedisCache, SimpleCache
from sqlalchemy import Engine

from core import config

PREFIX = "dashboard:"
TIMEOUT_SECONDS = 24 * 3600  # answers of an old data version are never asked for again
LOCAL_ANSWERS = 2000  # answers one process keeps in memory (SimpleCache's threshold)
SHARED_FILES = 4000  # answers and tables the production command's workers keep in their folder
LOCKS = "locks"  # the shared folder's file locks (``one_at_a_time``)
WAIT_SECONDS = 30  # for another process computing a table, before computing it here too
_shared_folder: Path | None = None
_redis_clients: dict[str, object] = {}
_backends: dict[tuple, object] = {}
_backends_lock = threading.Lock()
log = logging.getLogger(__name__)


def share_folder(folder: Path, empty: bool = True) -> None:
    """Without Redis, keep the pages' answers and tables in ``folder`` (emptied now, unless
    not ``empty``) for every worker of this server (the production command's master calls it
    before forking them)."""
    global _shared_folder
    _shared_folder = folder
    if empty:
        shared().clear()
        shutil.rmtree(folder / LOCKS, ignore_errors=True)


def redis_url() -> str:
    return config.REDIS_URL.get().strip()


def shared():
    """The Flask-Caching backend for what every worker shares: RedisCache on ``REDIS_URL``,
    else the production command's FileSystemCache, else this process's SimpleCache."""
    url = redis_url()
    key = (url, None if url else _shared_folder)
    with _backends_lock:
        if key not in _backends:
            _backends[key] = _backend(*key)
        return _backends[key]


def _backend(url: str, folder: Path | None):
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        _redis_clients[url] = client
        return RedisCache(host=client, key_prefix=PREFIX, default_timeout=TIMEOUT_SECONDS)
    if folder is not None:
        return FileSystemCache(str(folder), threshold=SHARED_FILES, default_timeout=0)
    # a timeout, not 0 (never): over its threshold SimpleCache drops every entry that never
    # expires at once (a running job's owner with the answers); with one, the oldest first
    return SimpleCache(threshold=LOCAL_ANSWERS, default_timeout=TIMEOUT_SECONDS)


def redis_answers() -> bool | None:
    """Whether Redis answers a ping (None when REDIS_URL is not set): for /healthz."""
    url = redis_url()
    if not url:
        return None
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        with client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def is_shared() -> bool:
    """True when what is kept is seen by other processes (Redis, or the production folder)."""
    return bool(redis_url()) or _shared_folder is not None


def get(key: str):
    """``shared().get(key)``; None when the cache cannot be reached (keeping is a saving,
    never a failure: for RETRY_SECONDS after a failure it is not asked, so a Redis that is
    down costs one timeout, not one per figure)."""
    return _safely(lambda backend: backend.get(key))


def put(key: str, value) -> None:
    _safely(lambda backend: backend.set(key, value))


def claim(key: str, seconds: int) -> bool:
    """Whether this process is the first to claim ``key`` for ``seconds`` among all that share
    the cache (Redis: an atomic add); True when the cache cannot be reached (each process then
    does its own work)."""
    claimed = _safely(lambda backend: backend.add(key, True, timeout=seconds))
    return claimed is None or bool(claimed)


class Shared(BaseCache):
    """``shared()`` as a Flask-Caching backend (``CACHE_TYPE: "dashboard.memo.Shared"``), asked
    at each call (the production command's master points it at its folder after the app is
    made), through ``get`` and ``put`` (a Redis that is down is not asked again for a while)."""

    def get(self, key: str):
        return get(key)

    def set(self, key: str, value, timeout=None) -> bool:
        put(key, value)
        return True

    def delete(self, key: str) -> bool:
        return bool(_safely(lambda backend: backend.delete(key)))

    def clear(self) -> bool:
        return bool(_safely(lambda backend: backend.clear()))


RETRY_SECONDS = 30
_down_until = 0.0


def _safely(action):
    global _down_until
    if time.monotonic() < _down_until:
        return None
    try:
        return action(shared())
    except Exception as exc:  # redis.RedisError, OSError: answer from the database instead
        _down_until = time.monotonic() + RETRY_SECONDS
        log.warning("the shared cache could not be reached: %s", exc)
        return None


def digest(*parts) -> str:
    """A key for ``parts`` (a function's name and arguments: reprs that are the same in every
    process, as the database URL, versions, months and names are)."""
    return hashlib.sha256(pickle.dumps(repr(parts))).hexdigest()


_entry_locks: list[dict] = []
_locks_lock = threading.Lock()


def _after_fork() -> None:
    """A forked process (a background job) starts with no entry locked: a thread of the parent
    computing an entry at the fork does not exist here and would never let it go."""
    global _locks_lock, _backends_lock
    _locks_lock, _backends_lock = threading.Lock(), threading.Lock()
    for locks in _entry_locks:
        locks.clear()


os.register_at_fork(after_in_child=_after_fork)


_process_caches: list = []  # every memoized function's own (``forget``)


def forget() -> None:
    """Empty what this process keeps of every memoized function (the shared cache keeps
    its own), as a worker that has computed nothing yet."""
    for cached in _process_caches:
        cached.cache_clear()


@contextlib.contextmanager
def one_at_a_time(key: str):
    """Hold ``key`` among the processes that share the cache: a Redis lock (redis-py), or a
    file lock in the shared folder (filelock); the others wait up to WAIT_SECONDS, then go on
    without it (a lock that cannot be had never stops a page). Locks taken while one is held
    are for what it is computed from, never the other way round, so none waits in a circle."""
    lock = _lock(key)
    held = lock is not None and bool(_safely(lambda _backend: _acquire(lock)))
    try:
        yield
    finally:
        if held:
            with contextlib.suppress(Exception):  # expired meanwhile: another took it over
                lock.release()


def _acquire(lock) -> bool:
    try:
        return bool(lock.acquire())  # Redis's: False after its blocking_timeout
    except filelock.Timeout:  # waited long enough: computed here too
        return False


def _lock(key: str):
    url = redis_url()
    if url:
        shared()  # makes the client, without connecting
        lock = _redis_clients[url].lock
        return lock(f"{PREFIX}lock:{key}", timeout=2 * WAIT_SECONDS, blocking_timeout=WAIT_SECONDS)
    if _shared_folder is None:
        return None
    with contextlib.suppress(OSError):
        (_shared_folder / LOCKS).mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(_shared_folder / LOCKS / f"{key}.lock", timeout=WAIT_SECONDS)


def memoized(maxsize: int):
    """lru_cache that computes each miss once: a page request arriving while the start-up
    warm-up fills the same entry waits for it instead of repeating the work. The lock is the
    entry's, not the function's: a request for a month already computed never waits behind
    one computing another month. With ``REDIS_URL``, a miss here is looked for in Redis (a
    table another worker or server computed) before it is computed, and put there after."""

    def decorate(fn):
        name = f"{fn.__module__}.{fn.__qualname__}"

        def compute(*args):
            if not is_shared():
                return fn(*args)
            key = "table:" + digest(name, args)
            found = get(key)
            if found is None:
                with one_at_a_time(key):
                    found = get(key)  # put by the process this one waited for
                    if found is None:
                        found = fn(*args)
                        put(key, found)
            return found

        cached = lru_cache(maxsize=maxsize)(compute)
        _process_caches.append(cached)
        locks: dict[tuple, threading.Lock] = {}
        _entry_locks.append(locks)

        @wraps(fn)
        def wrapper(*args):
            with _locks_lock:
                if len(locks) > 4 * maxsize + 64:  # forget old entries' locks (none held long)
                    locks.clear()
                lock = locks.setdefault(args, threading.Lock())
            with lock:
                return cached(*args)

        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorate


_pinned: contextvars.ContextVar[dict | None] = contextvars.ContextVar("pinned", default=None)


@contextlib.contextmanager
def pinned():
    """Off the web, read each version once for the block, as a request does (a warm-up asks
    for the data version about a thousand times: 0.4 s of queries)."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def once_per_request(read, engine: Engine):
    """``read(engine)``, asked once per web request and engine (every call off the web, but
    once per ``pinned`` block)."""
    if flask.has_request_context():
        found = flask.g.setdefault(f"once_{read.__name__}", {})
    elif (block := _pinned.get()) is not None:
        found = block.setdefault(read.__name__, {})
    else:
        return read(engine)
    key = engine_url(engine)
    if key not in found:
        found[key] = read(engine)
    return found[key]


def engine_url(eng: Engine) -> str:
    """The database a cached answer came from, as part of its key."""
    return eng.url.render_as_string(hide_password=False)
