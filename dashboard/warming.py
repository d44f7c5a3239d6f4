"""Warming the figures of a data version before anyone asks, so the first board member to open
a page after the server starts, or after an upload, does not wait for the first-time work.

``warm_pages`` computes the latest month's tables and the three busiest pages' charts, then the
recent months (WARM_MONTHS). A load changes only its own dataset's tables
(``cache.figures_version``): after a borough crime upload a warm-up is about 0.5 s of work on
the seed data and samples (the first, about 1.8 s). Where it runs depends on where computed
tables live (``dashboard.memo``):

* ``python app.py`` (one process, tables in its memory): its thread (``watch``) reads the data
  version every WATCH_SECONDS (one small query) and warms when it changes: the latest month at
  once, then the recent months PACE_SECONDS later, so the pages opened meanwhile share the
  CPUs with less of it. A background job is a process of its own whose memory goes when it
  ends, so warming there would help no one.
* The production command: its master warms once before it forks the workers
  (``dashboard.gunicorn_hooks``), so they share that first warm-up. The workers share tables
  (the server's folder, or Redis), each computed by one process at a time while the others
  wait for it (``memo.one_at_a_time``), so one process of all warms each new version
  (``_first_to_warm``: each of them computing the same tables at once would only slow the
  pages opened meanwhile) and the others read the tables on first use. Without Redis that is
  the first worker to notice it; with ``REDIS_URL`` the load's own background job as its last
  step (``after_load``, on the Celery worker that loaded), or for a file loaded without the
  page (``python -m etl load``) the first web process to notice it, HANDOVER_SECONDS later.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from dashboard import cache, memo

WATCH_SECONDS = 0.5  # one small query: a new version is warmed within half a second
PACE_SECONDS = 0.2  # between the latest month and the recent ones warmed after an upload
log = logging.getLogger(__name__)
_watchers: dict[int, threading.Thread] = {}
_watchers_lock = threading.Lock()
_warmed: dict[int, object] = {}  # per process: the data version it last warmed


def warm_pages(pace: float = 0.0) -> None:
    """The latest month's tables and the busiest pages' charts first, then, ``pace`` seconds
    later (after an upload the pages being opened meanwhile share the CPUs with less of it),
    the recent months' (WARM_MONTHS) in one pass (``cache.months_together``)."""
    with memo.pinned():  # the versions read once for the latest month's work
        _warm_latest()
    time.sleep(max(pace, 0.0))
    with memo.pinned():
        cache.warm()


def _warm_latest() -> None:
    from dashboard.pages import crime, overview, wards

    cache.warm(recent=0)
    overview.update(None)
    crime.update(None, "mopac7-total")
    wards.update(None, wards.FIRST_CRIME, wards.FIRST_MEASURE)
    _warm_other_pages()


def _warm_other_pages() -> None:
    """A ward page (its borough's ward series, which every ward page shares) and the youth
    violence and hate crime pages (the MPS dashboard's tables) for the latest month: the next
    slowest first drawings after an upload (about 0.8-1.1 s each under load)."""
    from dashboard.pages import hate_crime, ward, youth_violence

    home = cache.home_area()
    codes = cache.ward_codes_of(cache.reference()[0], home["code"]) if home else ()
    if codes:
        ward.layout(codes[0])
    youth_violence.update(None)
    hate_crime.update(None, None)


CLAIM_SECONDS = 600  # a version claimed by a warmer that died is warmed again after this
HANDOVER_SECONDS = 1.0  # with Redis, how long a web process leaves a new version to its load job


def after_load() -> bool:
    """Warm the new data version where it is shared (Redis: see the module docstring); True when
    it did. Called by the load job once its files' records say loaded."""
    if not memo.redis_url() or not _first_to_warm():
        return False
    try:
        warm_pages()
    except Exception:  # warming is a saving: the pages compute what is missing
        log.exception("warming the new data version failed")
        return False
    return True


def _after_upload() -> bool:
    if memo.redis_url():
        time.sleep(HANDOVER_SECONDS)  # the load's own job claims it first (a worker of its own)
    if memo.is_shared() and not _first_to_warm():
        return False  # another process warms what is shared: computing too would only compete
    warm_pages(pace=0.0 if memo.redis_url() else PACE_SECONDS)
    return True


def _first_to_warm() -> bool:
    """Where tables are shared, one process of all that share them warms each data version:
    with Redis the load's own job (which claims it as the load ends), else the first web process
    to notice it (a file loaded with ``python -m etl load``, or the production command's folder:
    its jobs do not warm it)."""
    eng = cache.engine()
    return memo.claim(
        f"warm:{memo.digest(memo.engine_url(eng))}:{cache.data_version(eng)}", CLAIM_SECONDS
    )


def watch(warm=_after_upload, seconds: float = WATCH_SECONDS) -> threading.Event:
    """Start this process's thread warming each new data version (once per process: a forked
    worker starts its own); the event stops it."""
    stop = threading.Event()
    with _watchers_lock:
        running = _watchers.get(os.getpid())
        if running is not None and running.is_alive():
            return running.stop
        thread = threading.Thread(
            target=_watch, args=(warm, seconds, stop, _version()), name="warm-new-data", daemon=True
        )
        thread.stop = stop
        _watchers[os.getpid()] = thread
    thread.start()
    return stop


def warmed():
    """The data version of this database this process's thread last warmed (None: none yet)."""
    database, version = _warmed.get(os.getpid(), (None, None))
    return version if database == memo.engine_url(cache.engine()) else None


def _watch(warm, seconds: float, stop: threading.Event, seen) -> None:
    while not stop.wait(seconds):
        version = _version()
        if version is None or version == seen:
            continue
        seen = version
        try:
            if warm() is not False:
                _warmed[os.getpid()] = version
        except Exception:  # warming is a saving: the pages compute what is missing
            log.exception("warming the new data version failed")


def _version() -> tuple[str, int] | None:
    """(the database, its data version): a new database is a new version too."""
    try:
        eng = cache.engine()
        return memo.engine_url(eng), cache.data_version(eng)
    except Exception:  # the database is away for a moment: looked at again soon
        return None
