"""Workers that share a cache (the production command's folder, or Redis) share the tables
they compute (dashboard/memo.py): after an upload, a table is computed by one worker and read
by the others, not computed by every worker at the same moment on the same CPUs (which made the
first page opened after an upload wait over a second)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from dashboard import memo

WORKER = Path(__file__).parent / "shared_table_worker.py"
ROOT = Path(__file__).resolve().parent.parent


def ask_together(where: str, log: Path, workers: int = 3) -> list[str]:
    """What each of ``workers`` processes asking for the same missing table at once got."""
    start = time.time() + 2.0  # after every process has imported the app's modules
    runs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), where, str(log), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(workers)
    ]
    outs = [run.communicate(timeout=60)[0].strip() for run in runs]
    assert [run.returncode for run in runs] == [0] * workers
    return outs


def test_workers_sharing_a_folder_compute_a_missing_table_once(tmp_path, monkeypatch):
    folder, log = tmp_path / "answers", tmp_path / "computed.log"
    monkeypatch.setattr(memo, "_shared_folder", None)  # as it was, after the test
    memo.share_folder(folder)  # the master, before it forks the workers: emptied
    got = ask_together(str(folder), log)
    computed = log.read_text().split()
    assert len(computed) == 1
    assert got == computed * 3  # every worker was given the table the one computed


def test_workers_sharing_redis_compute_a_missing_table_once(redis_url, tmp_path):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    log = tmp_path / "computed.log"
    got = ask_together(redis_url, log)
    computed = log.read_text().split()
    assert len(computed) == 1
    assert got == computed * 3


def test_a_table_another_worker_computed_is_read_from_the_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(memo, "_shared_folder", None)  # as it was, after the test
    calls = []

    @memo.memoized(maxsize=4)
    def table(url: str, version: int) -> list:
        calls.append(version)
        return [url, version]

    memo.share_folder(tmp_path / "answers")
    assert table("sqlite:///a.db", 1) == ["sqlite:///a.db", 1]
    table.cache_clear()  # another worker: nothing in its memory
    assert table("sqlite:///a.db", 1) == ["sqlite:///a.db", 1]
    assert calls == [1]
    assert table("sqlite:///a.db", 2) == ["sqlite:///a.db", 2]  # a new version: computed
    assert calls == [1, 2]
