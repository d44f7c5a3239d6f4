"""Long work off the request: the manager of the pages' Dash background callbacks (the board
pack's build, the upload's check and load: ``dashboard.upload_jobs``; each shows its progress,
disables what must wait and offers Cancel, which ends the job's process or Celery task).

Without ``REDIS_URL`` it is Dash's ``DiskcacheManager``: each job runs in a process of its own
beside the web server (started from a job server, not forked from the web process:
``CleanStart``), its progress and result in a diskcache folder of PENDING_DIR (shared by the
production command's workers). With ``REDIS_URL`` it is Dash's ``CeleryManager``: the
jobs run on the Celery workers ``scripts/serve.sh`` starts (``celery -A dashboard.jobs worker``),
progress and results in Redis, so a job started on one server is fetched from any other.

Both are given three rules of ours (``Owned``):

* a job's result and progress go only to the user who started it (the key is the user's, and
  the owner is checked on every poll), so no other manager can fetch a pack with its handles;
* a job whose process or worker died is answered with ``STOPPED`` in words within a minute
  (the worker writes a heartbeat every ``BEAT_SECONDS``; one older than ``STALE_SECONDS`` is a
  dead worker), never "building" for a day; a worker that dies mid-job has it given to another
  (Celery: ``acks_late``, ``reject_on_worker_lost``), which beats again;
* a job queued while no worker runs says so.

A job is given only what the browser sends (the pack's choices; an upload's tokens, whose files
it reads from the database), so it runs the same in a process beside the server or on a worker
of another server. What the user sees when a job is cancelled or dies is the page's to say: the
pack page in words from these reasons; the upload page from the uploads' records, which a
cancel marks (``pending.cancel``), as these reasons do (``upload_jobs.stopped``), and a reader
does when their process is gone (``pending.meta``, ``pending.recover_abandoned``).
"""

from __future__ import annotations

import functools
import os
import threading
import time

import flask
from dash import DiskcacheManager
from dash.background_callback import CeleryManager

from dashboard import memo, pending
from dashboard.auth import guard

BEAT_SECONDS = 10
STALE_SECONDS = 45
NOT_YOURS = "not-yours"
STOPPED = "stopped"
NO_WORKER = "no-worker"
RESULT_SECONDS = 24 * 3600


class JobError(Exception):
    """Why a background job gave no answer: ``NOT_YOURS``, ``STOPPED`` or ``NO_WORKER``."""


def _failure(reason: str) -> dict:
    # Dash hands this to the callback's ``on_error`` as a BackgroundCallbackError.
    return {"background_callback_error": {"msg": f"{JobError.__name__}:{reason}", "tb": ""}}


def reason(error: Exception) -> str | None:
    """The ``JobError`` reason in an ``on_error`` exception (None for an error of the job's)."""
    text = str(error)
    for word in (NOT_YOURS, STOPPED, NO_WORKER):
        if f"{JobError.__name__}:{word}" in text:
            return word
    return None


def _user() -> str | None:
    user = guard.current_user()
    return user.name if user else None


class Owned:
    """What both managers add to Dash's (see the module docstring)."""

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered):
        key = super().build_cache_key(fn, args, cache_args_to_ignore, triggered)
        return memo.digest(key, _user())

    def call_job_fn(self, key, job_fn, args, context):
        memo.put(f"job-owner:{key}", {"user": _user(), "started": time.time()})
        return super().call_job_fn(key, job_fn, args, context)

    def _mine(self, key) -> bool:
        record = memo.get(f"job-owner:{key}")
        return isinstance(record, dict) and record.get("user") == _user()

    def terminate_job(self, job):
        if flask.has_request_context() and flask.g.get("job_not_yours"):
            return None  # another user's job: theirs to cancel, never this request's
        return super().terminate_job(job)

    def get_progress(self, key):
        return super().get_progress(key) if self._mine(key) else None

    def get_result(self, key, job):
        if not self._mine(key):
            flask.g.job_not_yours = True  # Dash ends a running job it reads an error of
            return _failure(NOT_YOURS)
        result = super().get_result(key, job)
        if result is not self.UNDEFINED:
            return result
        problem = self.stopped(key, job)
        if problem is None:
            return self.UNDEFINED
        result = super().get_result(key, job)  # it may have finished meanwhile
        return result if result is not self.UNDEFINED else _failure(problem)


class CleanStart:
    """Each job starts in a process forked from a single-threaded server process (Python's
    ``forkserver``, the app imported once in it), not from the web process: a fork copies only
    the thread that forks, so a lock another thread held at that moment (SQLite's own, while the
    warm-up or another request queries) stays held in the job for ever, and the job hung.

    The job is named by its callback's key (the server registered the same callbacks) and is
    given the web process's settings and the folder its result goes to."""

    def call_job_fn(self, key, job_fn, args, context):
        callback = next(name for name, made in self.func_registry.items() if made is job_fn)
        process = _processes().Process(
            target=_run_job,
            args=(dict(os.environ), self.handle.directory, callback),
            kwargs={"key": key, "progress_key": self._make_progress_key(key)}
            | {"args": args, "context": dict(context)},
            name=f"dashboard-job-{key[:8]}",
        )
        process.start()
        return process.pid


def _processes():
    from multiprocess import get_context

    context = get_context("forkserver")
    context.set_forkserver_preload(["__main__", "app"])  # the script the server was started by
    return context


def start_job_server() -> None:
    """Start this web process's job server now: it imports the app (a few seconds) while the
    server starts, not while the first analyst's check waits. Only where jobs run beside the
    web process (not on Celery)."""
    if isinstance(manager, LocalJobs):
        from multiprocess import forkserver

        _processes()
        forkserver.ensure_running()


def _run_job(environ: dict, folder: str, callback: str, **job) -> None:
    """In the job's process: the web process's settings, its callback, its result folder."""
    import diskcache
    from dash.background_callback.managers import BaseBackgroundCallbackManager

    os.environ.clear()
    os.environ.update(environ)
    import app  # noqa: F401  (already imported by the server: registers the callbacks)

    fn, progress = next(
        (fn, progress)
        for name, fn, progress in BaseBackgroundCallbackManager.functions
        if name == callback
    )
    run = DiskcacheManager(diskcache.Cache(folder)).make_job_fn(fn, progress)
    run(job["key"], job["progress_key"], job["args"], job["context"])


class LocalJobs(Owned, CleanStart, DiskcacheManager):
    def stopped(self, key, job) -> str | None:
        return None if job is None or self.job_running(job) else STOPPED


class CeleryJobs(Owned, CeleryManager):
    def stopped(self, key, job) -> str | None:
        if job is None:
            return None
        beat = memo.get(f"job-beat:{job}")
        if beat is not None:
            if time.time() - beat <= STALE_SECONDS:
                return None
            self.handle.control.revoke(job)  # a late redelivery must not build it again
            return STOPPED
        if not self.job_running(job):
            return STOPPED
        started = (memo.get(f"job-owner:{key}") or {}).get("started", time.time())
        if time.time() - started > STALE_SECONDS and not self.handle.control.ping(timeout=1):
            self.handle.control.revoke(job)
            return NO_WORKER
        return None  # waiting for a free worker

    def make_job_fn(self, fn, progress, key=None):
        return super().make_job_fn(_beating(fn), progress, key)


def _beating(fn):
    """The job, writing a heartbeat for its Celery task while it runs."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        from celery import current_task

        job = current_task.request.id if current_task else None
        done = threading.Event()

        def beat():
            while True:
                memo.put(f"job-beat:{job}", time.time())
                if done.wait(BEAT_SECONDS):
                    return

        threading.Thread(target=beat, name="job-heartbeat", daemon=True).start()
        try:
            return fn(*args, **kwargs)
        finally:
            done.set()

    return run


def make_celery(url: str):
    from celery import Celery

    app = Celery("dashboard", broker=url, backend=url)
    app.conf.update(
        task_acks_late=True,  # a worker that dies mid-job leaves it for another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,
        result_expires=RESULT_SECONDS,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


def make_manager():
    url = memo.redis_url()
    if url:
        return CeleryJobs(make_celery(url), expire=RESULT_SECONDS)
    import diskcache

    folder = pending.pending_dir() / "jobs"
    return LocalJobs(diskcache.Cache(str(folder)), expire=RESULT_SECONDS)


manager = make_manager()
celery_app = manager.handle if isinstance(manager, CeleryJobs) else None  # app.celery_app
