"""Fixtures: a fresh database for each test, on SQLite and on a throw-away PostgreSQL."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

import pgserver
import redisserver
from core import db


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of the PostgreSQL server for this run: TEST_DATABASE_URL_PG or one started here."""
    if os.environ.get("SKIP_POSTGRES") == "1":
        pytest.skip("SKIP_POSTGRES=1")
    try:
        with pgserver.running() as url:
            yield url
    except pgserver.PostgresNotFound as exc:
        pytest.fail(
            f"{exc}: install the Debian package postgresql (bash scripts/test.sh does), "
            "point TEST_DATABASE_URL_PG at a server, or set SKIP_POSTGRES=1 to skip these tests",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """URL of the Redis server for this run: TEST_REDIS_URL or one started here."""
    if os.environ.get("SKIP_REDIS") == "1":
        pytest.skip("SKIP_REDIS=1")
    try:
        with redisserver.running() as url:
            yield url
    except redisserver.RedisNotFound as exc:
        pytest.fail(
            f"{exc}: install the Debian package redis-server (bash scripts/test.sh does), "
            "point TEST_REDIS_URL at a server, or set SKIP_REDIS=1 to skip these tests",
            pytrace=False,
        )


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A new SQLite file database with the schema, for tests that need not run on both."""
    try:
        yield db.get_engine(f"sqlite:///{tmp_path}/test.db")
    finally:
        db.dispose_engines()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database with the schema, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/test.db"
    else:
        url = request.getfixturevalue("pg_url")
        pgserver.reset_schema(url)
    try:
        yield db.get_engine(url)
    finally:
        db.dispose_engines()


@pytest.fixture
def use_database(engine, monkeypatch) -> Engine:
    """Point DATABASE_URL at the test database, for code that reads its engine from config."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return engine


@pytest.fixture(scope="session", autouse=True)
def _no_warming_thread_on_the_first_request() -> None:
    """The app's first request starts a thread warming every page (``app._start_warming``): in a
    test run it would go on computing in whichever database later tests point at, adding their
    queries to the ones a test counts, and be mid-query when a background job forks. Tests of
    the warm-up call it themselves."""
    import app

    app._warmed = True


@pytest.fixture
def forked_jobs(monkeypatch) -> None:
    """Background jobs forked from the test's process, so a pause the test puts in a job's work
    is in the job too (a job otherwise starts from the job server, which has none of this
    process's changes: ``dashboard.jobs.CleanStart``)."""
    from multiprocess import get_context

    from dashboard import jobs

    monkeypatch.setattr(jobs, "_processes", lambda: get_context("fork"))


SERVERS = ("forkserver", "resource_tracker")  # the background jobs' own: expected to be running


def pytest_sessionfinish(session, exitstatus):
    """A background job a test left running (stuck, or still working) must not keep the run from
    ending (Python waits for such child processes at exit): ended here, and named."""
    import psutil

    left = psutil.Process().children(recursive=True)
    for child in left:
        with contextlib.suppress(psutil.Error):
            command = " ".join(child.cmdline())
            if not any(f"multiprocess.{server} import main" in command for server in SERVERS):
                print(f"\nended a process the tests left running: {command[:200]}")
            child.terminate()
    _, alive = psutil.wait_procs(left, timeout=10)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
