"""Faults: a load killed with SIGKILL half-way leaves nothing behind and the next start is clean;
two uploads at the same moment both end consistent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from core import db
from dashboard import pending, upload_jobs
from etl.load import load_bytes, load_path
from fixtures.extracts import WARD_RECENT, table_counts, upload_log
from test_load import FILE_A, FILE_B
from test_revert import state

ROOT = Path(__file__).resolve().parents[1]

# Loads a file, but stops for a minute right after the first batch of counts is written: the
# transaction is open, half the figures are in it, and the test kills the process there.
CHILD = """
import sys, time
from core import db
from etl import load

def stopping(original):
    def insert(conn, table, columns, rows):
        original(conn, table, columns, rows)
        if table.name == "crime_counts":
            print("half-written", flush=True)
            time.sleep(60)
    return insert

# the counts go through either (bulk_insert_columns for the MPS files' columns)
db.bulk_insert = stopping(db.bulk_insert)
db.bulk_insert_columns = stopping(db.bulk_insert_columns)
load.load_path(sys.argv[2], db.get_engine(sys.argv[1]), user="doomed")
"""


def _kill_mid_load(url: str, path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "half-written", f"the load never reached its writes: {line!r}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()


def _integrity(engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        else:  # the killed session's backend has gone (its transaction rolled back)
            deadline = time.monotonic() + 20
            while conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' "
                    "AND datname = current_database()"
                )
            ).scalar():
                assert time.monotonic() < deadline, "the killed load's transaction is still open"
                time.sleep(0.1)
                conn.rollback()


def test_a_load_killed_half_way_leaves_no_partial_rows(engine):
    first = load_bytes("a.csv", FILE_A, engine)  # something already there must survive intact
    before_counts, before_log = table_counts(engine), upload_log(engine)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()  # the child must not inherit our connections

    _kill_mid_load(url, WARD_RECENT)

    _integrity(engine)
    assert table_counts(engine) == before_counts
    log = upload_log(engine)
    assert list(log["id"]) == list(before_log["id"]) == [first.upload_id]
    # the next start is clean: the same file loads in full
    again = load_path(WARD_RECENT, engine, user="next start")
    assert again.status == "loaded" and again.figures_added > 100_000
    _integrity(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def _same_moment(engine, files: list[tuple[str, bytes]]) -> list:
    barrier = threading.Barrier(len(files))
    results: list = [None] * len(files)

    def run(i: int, name: str, data: bytes) -> None:
        barrier.wait()
        try:
            results[i] = load_bytes(name, data, engine, user=f"analyst {i}")
        except OperationalError as exc:  # a clear "try again" in the page (pending.load)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, *f)) for i, f in enumerate(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _consistent(engine) -> None:
    cov = db.crime_coverage
    with engine.connect() as conn:
        loaded = set(
            conn.execute(select(db.uploads.c.id).where(db.uploads.c.status == "loaded")).scalars()
        )
        holders = set(conn.execute(select(cov.c.upload_id).distinct()).scalars())
        series = conn.execute(select(func.count()).select_from(db.crime_series)).scalar()
        keys = conn.execute(
            select(func.count()).select_from(
                select(
                    db.crime_series.c.dataset,
                    db.crime_series.c.area_code,
                    db.crime_series.c.category_id,
                )
                .distinct()
                .subquery()
            )
        ).scalar()
    assert holders <= loaded
    assert series == keys


def test_two_uploads_at_the_same_moment_end_as_if_one_after_the_other(engine, tmp_path):
    results = _same_moment(engine, [("a.csv", FILE_A), ("b.csv", FILE_B)])

    statuses = [getattr(r, "status", "try again") for r in results]
    assert set(statuses) <= {"loaded", "try again"} and "loaded" in statuses
    expected = db.get_engine(f"sqlite:///{tmp_path}/expected.db")
    for (name, data), status in zip([("a.csv", FILE_A), ("b.csv", FILE_B)], statuses, strict=True):
        if status == "loaded":
            load_bytes(name, data, expected)
    assert state(engine) == state(expected)
    _consistent(engine)


def test_the_same_file_twice_at_once_leaves_one_set_of_figures(engine, tmp_path):
    results = _same_moment(engine, [("a.csv", FILE_A), ("a copy.csv", FILE_A)])
    assert any(getattr(r, "status", None) == "loaded" for r in results)
    expected = db.get_engine(f"sqlite:///{tmp_path}/expected.db")
    load_bytes("a.csv", FILE_A, expected)
    assert state(engine)[0] == state(expected)[0]
    _consistent(engine)


def test_a_busy_database_gives_a_clear_try_again(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path))
    token = pending.save("anna", "a.csv", FILE_A)

    def busy(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("etl.load.load_bytes", busy)
    pending.confirm([token])  # as the page's Confirm leaves it for the load job
    upload_jobs.load([token], sqlite_engine.url.render_as_string(hide_password=False))
    record = pending.meta(token, "anna")
    assert record["state"] == "failed"
    assert "Try again" in record["error"] and "nothing changed" in record["error"]


@pytest.mark.parametrize("size_mb", ["0.001"])
def test_pending_files_are_private_and_owned(use_database, monkeypatch, tmp_path, size_mb):
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("MAX_UPLOAD_MB", size_mb)
    token = pending.save("anna", "../../etc/passwd", b"x")
    assert not (
        tmp_path / "pending"
    ).exists()  # kept in the database, never as a file named by anyone
    assert pending.meta(token, "anna")["filename"] == "passwd"
    with pytest.raises(pending.NotYours):
        pending.meta(token, "mallory")
    with pytest.raises(pending.NotYours):
        pending.meta("../" + token, "anna")
    assert [p.code for p in pending.too_large("big.csv", 2000)] == ["file-too-large"]
