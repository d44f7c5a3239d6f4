"""One drop of files on the Upload page: checked one after another and bounded in total, so a
drop of gzip bombs (or of many large files) cannot fill the server's memory."""

from __future__ import annotations

import gzip
import os
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from dashboard import pending, upload_jobs
from fixtures.extracts import upload_log
from test_load import FILE_A
from test_read import gzip_bomb


@pytest.fixture
def drop(use_database, monkeypatch, tmp_path):
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    url = use_database.url.render_as_string(hide_password=False)

    def run(files: list[tuple[str, bytes]]) -> list[dict]:
        tokens = [pending.save("anna", name, data) for name, data in files]
        upload_jobs.check_drop(tokens, url)
        return [pending.meta(t, "anna") for t in tokens]

    return run


def codes(record: dict) -> list[str]:
    problems = record.get("problems") or (record.get("preview") or {}).get("problems") or []
    return [p["code"] for p in problems]


def padded(megabytes: float) -> bytes:
    """FILE_A gzip-compressed, with blank lines making it unpack to about ``megabytes`` MB."""
    return gzip.compress(FILE_A + b"\r\n" * int(megabytes * 2**19), compresslevel=1)


def test_five_gzip_bombs_in_one_drop_are_refused_holding_far_less_than_one_limit(
    drop, use_database, monkeypatch
):
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", "64")
    bombs = [(f"bomb{i}.csv.gz", gzip_bomb(100)) for i in range(5)]
    tracemalloc.start()
    try:
        records = drop(bombs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r["state"] for r in records] == ["rejected"] * 5
    assert [codes(r) for r in records] == [["file-too-large-unzipped"]] * 5
    assert peak < 16 * 2**20  # five refusals in turn, each holding a chunk: not 5 x 64 MB
    assert list(upload_log(use_database)["status"]) == ["rejected"] * 5


def test_files_past_the_drops_total_are_refused_unopened(drop, monkeypatch):
    monkeypatch.setenv("MAX_DROP_UNCOMPRESSED_MB", "1")
    records = drop(
        [
            ("a.csv.gz", padded(0.4)),
            ("b.csv.gz", padded(0.4)),
            ("c.csv.gz", padded(0.4)),  # would take the drop to 1.2 MB
            ("d.csv", FILE_A),  # a few hundred bytes: still fits
        ]
    )
    assert [r["state"] for r in records] == ["ready", "ready", "refused", "ready"]
    refused = records[2]["problems"][0]
    assert refused["code"] == "drop-too-large"
    assert "more than 1 MB" in refused["message"]
    assert [kept(r["token"]) for r in records] == [True, True, False, True]


def kept(token: str) -> bool:
    """Whether the file's bytes are still kept (to be loaded once confirmed)."""
    try:
        return bool(pending.data(token))
    except pending.NotYours:
        return False


def test_a_file_too_large_on_its_own_says_so_and_costs_the_drop_nothing(drop, monkeypatch):
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", "1")
    monkeypatch.setenv("MAX_DROP_UNCOMPRESSED_MB", "3")
    records = drop([("bomb.csv.gz", gzip_bomb(2)), ("a.gz", padded(0.9)), ("b.gz", padded(0.8))])
    assert [codes(r) for r in records] == [["file-too-large-unzipped"], [], []]
    assert [r["state"] for r in records] == ["rejected", "ready", "ready"]


def test_a_file_discarded_while_waiting_leaves_the_others_checked(drop, use_database, monkeypatch):
    real_check = upload_jobs.check

    tokens = [pending.save("anna", n, FILE_A) for n in ("first.csv", "second.csv", "third.csv")]

    def check_then_discard(token, url, note):
        real_check(token, url, note)
        if token == tokens[0]:
            pending.discard(tokens[1])

    monkeypatch.setattr(upload_jobs, "check", check_then_discard)
    url = use_database.url.render_as_string(hide_password=False)
    upload_jobs.check_drop(tokens, url)
    assert pending.meta(tokens[2], "anna")["state"] == "ready"


def test_two_drops_at_once_are_checked_one_after_another(drop, use_database, monkeypatch):
    """Drops arriving together wait their turn: never two checks (each holding a file's
    tables) at once in a process."""
    active, most, lock = [0], [0], threading.Lock()

    def slow_check(token, url, note):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.3)
        with lock:
            active[0] -= 1

    monkeypatch.setattr(upload_jobs, "check", slow_check)
    url = use_database.url.render_as_string(hide_password=False)
    drops = [[pending.save("anna", f"f{i}.csv", FILE_A)] for i in range(3)]
    threads = [threading.Thread(target=upload_jobs.check_drop, args=(d, url)) for d in drops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_the_pending_folder_and_its_files_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    upload_jobs.check_drop([], "sqlite://")  # takes the turn to check: the lock file
    folder = tmp_path / "pending"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [".checking.lock"]
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_pending_folder_of_another_user_or_open_to_all_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "pending"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("PENDING_DIR", str(folder))
    assert pending.pending_dir() == folder
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    with pytest.raises(pending.UnsafeFolder, match="belongs to another user"):
        pending.pending_dir()
    monkeypatch.undo()
    monkeypatch.setenv("PENDING_DIR", str(folder))
    folder.chmod(0o777)
    with pytest.raises(pending.UnsafeFolder):
        pending.pending_dir()


# A worker process checking one drop, its check slowed and logged (a process of its own, not a
# fork of the test run, which may hold other threads' locks at the fork).
WORKER = """
import sys, time
from dashboard import pending, upload_jobs

def slow_check(token, url, note):
    with open(sys.argv[3], "a") as out:
        out.write("start\\n")
    time.sleep(0.3)
    with open(sys.argv[3], "a") as out:
        out.write("end\\n")

upload_jobs.check = slow_check
upload_jobs.check_drop([sys.argv[2]], sys.argv[1])
"""


def test_two_workers_check_one_drop_at_a_time(sqlite_engine, tmp_path, monkeypatch):
    """Drops received by two worker processes wait for each other too (a lock on a file in the
    PENDING_DIR they share), so a server of three workers never checks three at once."""
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    log = tmp_path / "log"
    url = sqlite_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    tokens = [pending.save("anna", f"f{i}.csv", FILE_A) for i in range(2)]
    root = Path(__file__).resolve().parents[1]
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, token, str(log)], cwd=root)
        for token in tokens
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert log.read_text().split() == ["start", "end", "start", "end"]
