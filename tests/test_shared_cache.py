"""With REDIS_URL, the pages' answers and the computed tables are shared through Redis
(dashboard/memo.py, dashboard/answers.py): a worker that has drawn nothing is answered from what
another drew, yet no role is given another's answer and a load shows at the next request.

"Another worker" is this process with its own memory emptied (its tables; the answers are kept
in Redis only), so only Redis can hold what it is answered from. Figures are test_crime_pages'
(Barnet, Feb 2025: MOPAC7 total R12 1,638).
"""

from __future__ import annotations

import pytest
import redis

from dashboard import cache, memo
from dashboard.auth import exempt
from etl.load import load_bytes
from test_answers import MONTHS, TOTAL, client_of, kept, overview, overview_answer
from test_answers import site as site  # noqa: F401 (the fixture)


@pytest.fixture
def shared(site, redis_url, monkeypatch):  # noqa: F811
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setattr(memo, "_down_until", 0.0)
    another_worker()
    yield (*site, client)
    another_worker()


def another_worker() -> None:
    """Forget what this process keeps in memory (its tables: the answers are kept in Redis
    only): only the shared cache remembers."""
    memo.forget()


def kept_in_redis(client, kind: str) -> int:
    return len(client.keys(f"{memo.PREFIX}{kind}:*"))


def test_another_worker_is_answered_from_redis(shared):
    _, server, client = shared
    first = overview(client_of(server, "vera"))
    assert kept_in_redis(client, "answer") >= 1 and kept_in_redis(client, "table") >= 1
    another_worker()
    again = overview_answer(client_of(server, "vera"))
    assert kept(again) and again.get_data(as_text=True) == first and "1,638" in first


def test_a_viewer_never_gets_a_managers_answer_from_redis(shared):
    engine, server, _ = shared
    exempt.mark(engine, "indicator", TOTAL, "max")
    assert "1,638" in overview(client_of(server, "max"))
    another_worker()
    assert "1,638" not in overview(client_of(server, "vera"))


def test_a_load_by_another_worker_shows_at_the_next_request(shared):
    engine, server, _ = shared
    vera = client_of(server, "vera")
    before = overview(vera)
    month = MONTHS[-1] + (MONTHS[-1] - MONTHS[-2])
    new_file = f"MajorText,MinorText,BoroughName,{month:%Y%m}\nROBBERY,ROBBERY,Barnet,3\n"
    assert load_bytes("new.csv", new_file.encode(), engine, user="test").status == "loaded"
    label = f"{month:%B %Y}"
    assert label not in before and label in overview(vera)


def test_a_table_another_worker_computed_is_read_from_redis(shared, monkeypatch):
    engine, server, _ = shared
    with server.test_request_context("/"):
        first = cache.monthly("borough_crime", eng=engine)
    another_worker()

    def not_again(*_args):
        raise AssertionError("computed again: not read from Redis")

    monkeypatch.setattr(cache.queries, "mopac7_monthly", not_again)
    with server.test_request_context("/"):
        assert cache.monthly("borough_crime", eng=engine).equals(first)


def test_pages_answer_when_redis_is_down(site, monkeypatch):  # noqa: F811
    _, server = site
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(memo, "_down_until", 0.0)
    another_worker()
    assert "1,638" in overview(client_of(server, "vera"))
    another_worker()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def celery_jobs(redis_url, monkeypatch):
    from dashboard import jobs

    redis.Redis.from_url(redis_url).flushdb()
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setattr(memo, "_down_until", 0.0)
    return jobs, jobs.CeleryJobs(jobs.make_celery(redis_url))


def test_a_job_whose_worker_stopped_beating_is_stopped_in_words(celery_jobs):
    import time

    jobs, manager = celery_jobs
    memo.put("job-beat:j1", time.time() - 5)  # beat 5 s ago: still building
    assert manager.stopped("key", "j1") is None
    memo.put("job-beat:j1", time.time() - jobs.STALE_SECONDS - 1)  # its worker died
    assert manager.stopped("key", "j1") == jobs.STOPPED


def test_a_job_queued_with_no_worker_running_says_so(celery_jobs):
    import time

    jobs, manager = celery_jobs
    memo.put("job-owner:key", {"user": "max", "started": time.time()})
    assert manager.stopped("key", "j2") is None  # just queued: a worker may take it
    memo.put("job-owner:key", {"user": "max", "started": time.time() - jobs.STALE_SECONDS - 1})
    assert manager.stopped("key", "j2") == jobs.NO_WORKER  # a minute on, and no worker answers
