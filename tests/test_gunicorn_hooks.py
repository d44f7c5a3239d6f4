"""The production master, once it has warmed the figures, freezes what it holds before forking
its workers (``gc.freeze``): a worker's full garbage collection then scans only what it made,
not the app and the warmed tables (a 150-190 ms pause on some viewer's request otherwise)."""

from __future__ import annotations

import gc

import app
from dashboard import gunicorn_hooks


def test_the_master_freezes_what_it_warmed_before_the_workers_fork(monkeypatch):
    warmed = []
    monkeypatch.setattr(app, "warm_pages", lambda in_background: warmed.append(in_background))
    monkeypatch.setattr(gunicorn_hooks, "start_celery", lambda arbiter: None)
    monkeypatch.setattr("dashboard.answers.share", lambda: None)
    gc.unfreeze()
    try:
        gunicorn_hooks.when_ready(arbiter=None)
        assert warmed == [False]  # warmed first, in the master itself
        assert gc.get_freeze_count() > 10_000  # the app's modules and objects, at least
    finally:
        gc.unfreeze()
