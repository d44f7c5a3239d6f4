"""An upload left "checking" or "loading" by a process that stopped mid-way (a worker killed
during a load, a restarted server) says it failed, instead of spinning until the day-old
cleanup removes it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import update

from core import pending_uploads
from dashboard import pending


@pytest.fixture
def folder(use_database, monkeypatch, tmp_path):
    """Pending uploads in a fresh database (SQLite, then PostgreSQL)."""
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    return use_database


def age(token: str, seconds: float) -> None:
    """Make the record look untouched for ``seconds``."""
    table = pending_uploads.pending_uploads
    with pending_uploads.engine().begin() as conn:
        when = time.time() - seconds
        conn.execute(update(table).where(table.c.token == token).values(updated=when))


def a_stopped_process() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def left_loading(pid: int, host: str | None = None) -> str:
    """A record in the "loading" state whose process is ``pid`` on ``host`` (this machine)."""
    token = pending.save("anna", "file.csv", b"a,b\n1,2\n")
    pending.update(token, state="loading", progress="writing figures")
    record = pending.meta(token, "anna")
    pending.update(token, worker={"pid": pid, "host": host or record["worker"]["host"]})
    return token


def test_a_load_whose_process_is_gone_says_it_failed_when_read(folder):
    token = left_loading(a_stopped_process())
    record = pending.meta(token, "anna")
    assert record["state"] == "failed"
    assert "stopped while this file was being loaded" in record["error"]
    assert "nothing changed" in record["error"]


def test_a_load_still_running_here_stays_loading(folder):
    token = left_loading(os.getpid())
    assert pending.meta(token, "anna")["state"] == "loading"


def test_a_load_on_another_machine_fails_only_once_its_record_is_stale(folder):
    token = left_loading(a_stopped_process(), host="another-server")
    assert pending.meta(token, "anna")["state"] == "loading"  # may still be running there
    age(token, pending.STALE_SECONDS + 60)
    assert pending.meta(token, "anna")["state"] == "failed"


def test_the_next_start_marks_every_abandoned_record_failed(folder):
    gone = a_stopped_process()
    tokens = [left_loading(gone) for _ in range(2)]
    checking = pending.save("anna", "other.csv", b"a\n1\n")
    record = pending.meta(checking, "anna")
    pending.update(checking, worker={**record["worker"], "pid": gone})
    running = left_loading(os.getpid())
    assert pending.recover_abandoned() == 3
    states = {t: pending.meta(t, "anna")["state"] for t in [*tokens, checking, running]}
    assert states == {
        tokens[0]: "failed",
        tokens[1]: "failed",
        checking: "failed",
        running: "loading",
    }
    assert "being checked" in pending.meta(checking, "anna")["error"]


def test_an_upload_saved_by_one_server_is_seen_by_another_and_loaded_once(
    folder, tmp_path, monkeypatch
):
    """No shared folder: another server (another PENDING_DIR) reads the file and its record
    from the database, and of two confirms only one may load it."""
    token = pending.save("anna", "file.csv", b"a,b\n1,2\n")
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "another-server"))
    assert pending.data(token) == b"a,b\n1,2\n"
    assert pending.meta(token, "anna")["filename"] == "file.csv"
    with pytest.raises(pending.NotYours):
        pending.meta(token, "bob")
    assert [pending.claim(token), pending.claim(token)] == [True, False]
    pending.discard_data(token)
    with pytest.raises(pending.NotYours):
        pending.data(token)
    assert not (tmp_path / "another-server").exists()  # nothing of it in a folder


@pytest.mark.parametrize("stopped_by", ["its process ending", "cancel"])
def test_a_load_stopped_after_it_committed_says_loaded(folder, stopped_by):
    """The load's transaction committed, then its process ended (or Cancel came) before the
    record was told: the record says loaded, never "nothing changed" (the upload log is the
    truth)."""
    from etl.load import load_bytes
    from etl.read import file_digest
    from test_load import FILE_A

    token = pending.save("anna", "a.csv", FILE_A)
    pending.update(token, state="loading", preview={"sha256": file_digest(FILE_A)})
    result = load_bytes("a.csv", FILE_A, folder, "anna")
    assert result.status == "loaded"
    if stopped_by == "cancel":
        assert pending.cancel([token], "anna") == []  # nothing to cancel: it is loaded
    else:
        record = pending.meta(token, "anna")
        pending.update(token, worker={**record["worker"], "pid": a_stopped_process()})
    record = pending.meta(token, "anna")
    assert (record["state"], record["upload_id"]) == ("loaded", result.upload_id)
    assert (
        record["result"]["message"]
        == f"Loaded as upload {result.upload_id} before it could be stopped."
    )


# A job process taking uploads to work on: prints the tokens it took.
TAKER = """
import os, sys, time
from dashboard import pending

pending.take("0" * 32, "checking")  # (connected: the work below starts at once)
open(sys.argv[1] + str(os.getpid()), "w").close()
while not os.path.exists(sys.argv[1]):  # all start together
    time.sleep(0.001)
for token in sys.argv[2:]:
    if pending.take(token, "checking") is not None:
        print(token, flush=True)
"""


def test_each_upload_is_taken_by_one_job_of_several_at_once(sqlite_engine, monkeypatch, tmp_path):
    """Jobs given the same tokens (a request sent twice, two workers) each work on an upload
    only if no other took it: on SQLite too, where a read begins no transaction of its own."""
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    tokens = [pending.save("anna", f"f{i}.csv", b"a\n1\n") for i in range(100)]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    go = tmp_path / "go"
    jobs = [
        subprocess.Popen(
            [sys.executable, "-c", TAKER, str(go), *tokens],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go*"))) < len(jobs):  # each has imported and connected
        assert time.monotonic() < deadline
        time.sleep(0.05)
    go.touch()
    taken = [line.strip() for job in jobs for line in job.communicate(timeout=120)[0].splitlines()]
    assert [job.returncode for job in jobs] == [0, 0, 0]
    assert sorted(taken) == sorted(tokens)  # every one taken, none twice


def test_an_upload_taken_by_a_job_that_died_is_taken_by_the_next(folder):
    """A Celery worker that dies mid-job has the job given to another: it may take the upload
    again, as the first's process is gone (its transaction rolled back); a running one's not."""
    token = pending.save("anna", "file.csv", b"a,b\n1,2\n")
    assert pending.take(token, "checking") is not None
    assert pending.take(token, "checking") is None  # taken by a job still running (this one)
    record = pending.meta(token, "anna")
    pending.update(token, worker={**record["worker"], "pid": a_stopped_process()})
    assert pending.take(token, "checking")["worker"]["pid"] == os.getpid()
