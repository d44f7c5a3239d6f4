"""How computed figures are kept: the one seam every figure cache goes through.

``memoized`` keeps a function's answers per argument tuple (the arguments always carry the
database URL and the data or dataset version, so a new upload is a new key, never a stale hit);
``once_per_request`` reads a version once per web request; ``engine_url`` names a database in
a key. Modules that keep figures (``cache``, ``over_time`` and the priority figures) use these,
never their own caches.
"""

from __future__ import annotations

import threading
from functools import lru_cache, wraps

import flask
from sqlalchemy import Engine


def memoized(maxsize: int):
    """lru_cache that computes each miss once: a page request arriving while the start-up
    warm-up fills the same entry waits for it instead of repeating the work. The lock is the
    entry's, not the function's: a request for a month already computed never waits behind
    one computing another month."""

    def decorate(fn):
        cached = lru_cache(maxsize=maxsize)(fn)
        locks: dict[tuple, threading.Lock] = {}
        locks_lock = threading.Lock()

        @wraps(fn)
        def wrapper(*args):
            with locks_lock:
                if len(locks) > 4 * maxsize + 64:  # forget old entries' locks (none held long)
                    locks.clear()
                lock = locks.setdefault(args, threading.Lock())
            with lock:
                return cached(*args)

        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorate


def once_per_request(read, engine: Engine):
    """``read(engine)``, asked once per web request and engine (every call off the web)."""
    if not flask.has_request_context():
        return read(engine)
    found = flask.g.setdefault(f"once_{read.__name__}", {})
    key = engine_url(engine)
    if key not in found:
        found[key] = read(engine)
    return found[key]


def engine_url(eng: Engine) -> str:
    """The database a cached answer came from, as part of its key."""
    return eng.url.render_as_string(hide_password=False)
