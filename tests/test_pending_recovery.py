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
