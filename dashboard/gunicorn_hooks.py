"""gunicorn's settings file for the production command (``serving.gunicorn_command`` passes it
as ``--config python:dashboard.gunicorn_hooks``, with ``--preload``).

* The ``Server`` header names no software (gunicorn's says ``gunicorn``), as ``python app.py``'s
  does not either.
* ``when_ready``: the master, which has imported the app (``--preload``), computes the figures
  of the recent months once (``app.warm_pages``: WARM_MONTHS) before it forks the workers, so
  every worker starts with them in memory shared with the master instead of each computing its
  own while the first viewers wait. The database connections it used are closed first: a
  connection must not be shared by forked processes. The workers also share the data pages'
  answers and the tables they compute (``dashboard.answers.share``).
* Then it freezes what it holds (``gc.freeze``): the app, its modules and the warmed figures
  are left out of every later garbage collection, so a worker's full collection scans only what
  it made itself (about 30,000 objects instead of 330,000: a pause of a few milliseconds, not the
  150-190 ms that landed on one viewer's request now and then), and the pages they sit on stay
  shared with the master instead of being copied when a collection touches them.
* ``post_fork``: each worker then watches for new data versions (``dashboard.warming.watch``:
  a load in any worker or server); the first to notice one warms it into what the workers
  share (their folder, or Redis), so the first board member to open a page after an upload
  does not wait either; and starts its background jobs' server
  (``dashboard.jobs.start_job_server``: jobs start from it, not forked from the worker).
* With ``REDIS_URL``, the master starts CELERY_WORKERS Celery worker processes for the
  background jobs (``serving.celery_command``) and stops them when it stops (``on_exit``).
"""

from __future__ import annotations

import gc
import subprocess

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "dashboard"  # read by each response for its Server header


def when_ready(arbiter) -> None:
    import app
    from core import db
    from dashboard import answers

    answers.share()  # the workers share the pages' answers too (in Redis, with REDIS_URL)
    try:
        app.warm_pages(in_background=False)
    finally:
        db.dispose_engines()
    gc.collect()
    gc.freeze()  # before the fork: the workers inherit these objects frozen
    start_celery(arbiter)


def post_fork(_server, _worker) -> None:
    from dashboard import jobs, warming

    warming.watch()
    jobs.start_job_server()


_celery: list[subprocess.Popen] = []


def start_celery(arbiter) -> None:
    from dashboard import serving

    command = serving.celery_command()
    if command:
        arbiter.log.info("starting the Celery workers: %s", " ".join(command))
        _celery.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))


def on_exit(arbiter) -> None:
    for process in _celery:
        process.terminate()  # warm shutdown: a job running is given back to the queue
    for process in _celery:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
