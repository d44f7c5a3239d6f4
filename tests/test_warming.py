"""After an upload, the new data version's figures are computed before any page asks: in each
web process by its watching thread (no Redis: tables live in each process's memory), or once in
Redis by the load job (every worker and server then reads them instead of computing them).

"Computed" is judged by the database: a page's first update after the warming asks it no more
than the same update asked again (only the versions), where a cold one reads its tables."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

import webclient
from dashboard import cache, memo, over_time, pending, upload_jobs, warming
from etl.load import load_bytes, load_path
from etl.revert import revert_upload
from fixtures.extracts import BARNET, BOROUGH_RECENT, ONS_POPULATION, SEED, WARD_RECENT

MPS_DASHBOARD_BOROUGHS = SEED / "monthly-crime-dashboard-boroughs.csv.gz"

NEW_FILE = b"MajorText,MinorText,BoroughName,202503\nBURGLARY,BURGLARY IN A DWELLING,Barnet,7\n"


@pytest.fixture
def loaded(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("WARM_MONTHS", "1")
    for path in (BOROUGH_RECENT, ONS_POPULATION):
        assert load_path(path, sqlite_engine, user="test").status == "loaded"
    webclient.the_app()  # the pages are the app's
    return sqlite_engine


SENT: list[str] = []  # the last action's statements, for a failure's message


def statements(action) -> int:
    """How many SQL statements ``action`` sends to the dashboard's database (from this thread:
    not a watching thread's look at the version meanwhile)."""
    count = [0]
    me = threading.get_ident()
    SENT.clear()

    def seen(_conn, _cursor, statement, *_args, **_kwargs):
        if threading.get_ident() == me:
            count[0] += 1
            SENT.append(" ".join(statement.split())[:160])

    engine = cache.engine()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return count[0]


def first_and_again() -> tuple[int, int]:
    from dashboard.pages import overview

    first = statements(lambda: overview.update(None))
    sent = list(SENT)
    again = statements(lambda: overview.update(None))
    if first != again:
        print("the first update's statements:", *sent, sep="\n  ")
    return first, again


def forget_tables() -> None:
    """Empty this process's tables, as a web worker that has computed nothing yet."""
    memo.forget()


def wait_until_warmed() -> None:
    """Until this process's watching thread has noticed the new data version and warmed it."""
    deadline = time.monotonic() + 60
    while warming.warmed() != cache.data_version(cache.engine()):
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.fixture
def on_redis(loaded, redis_url, monkeypatch):
    """The dashboard on an empty Redis; a web process leaves a new version to its load job for
    no time at all."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setattr(warming, "HANDOVER_SECONDS", 0)
    return loaded


def test_each_web_process_warms_a_new_data_version_before_a_page_asks(loaded):
    left = [t for t in threading.enumerate() if t.name == "warm-new-data"]
    assert not left, "an earlier test left a watching thread running (it warms other databases)"
    stop = warming.watch(seconds=0.05)
    try:
        version = cache.data_version(cache.engine())
        assert load_bytes("new.csv", NEW_FILE, loaded, user="anna").status == "loaded"
        assert cache.data_version(cache.engine()) != version
        wait_until_warmed()
    finally:
        stop.set()
    first, again = first_and_again()
    assert first == again  # its tables were already in memory
    forget_tables()
    assert first_and_again()[0] > again  # (a cold update reads its tables: the check can tell)


def test_with_redis_the_load_job_warms_the_new_version_for_every_worker(on_redis):
    token = pending.save("anna", "new.csv", NEW_FILE)
    pending.update(token, state="ready")
    assert pending.confirm([token]) == [token]
    said = []
    upload_jobs.run_load([token], said.append)
    assert pending.meta(token, "anna")["state"] == "loaded"
    assert "Preparing the pages" in str(said[-1])
    forget_tables()  # another worker, or server: nothing in its memory, the tables in Redis
    first, again = first_and_again()
    assert first == again
    memo.shared().clear()
    forget_tables()
    assert first_and_again()[0] > again  # without them in Redis the update reads its tables


def test_with_redis_a_file_loaded_without_the_page_is_warmed_by_a_web_process(on_redis):
    """``python -m etl load`` runs no load job: the first web process to notice the new version
    warms it into Redis for every other worker and server."""
    stop = warming.watch(seconds=0.05)
    try:
        assert load_bytes("new.csv", NEW_FILE, on_redis, user="anna").status == "loaded"
        wait_until_warmed()
    finally:
        stop.set()
    forget_tables()  # another worker, or server: nothing in its memory, the tables in Redis
    first, again = first_and_again()
    assert first == again
    assert warming._after_upload() is False  # the version is claimed: no other process warms it


def test_with_redis_a_version_its_load_job_warmed_is_not_warmed_again(on_redis, monkeypatch):
    assert load_bytes("new.csv", NEW_FILE, on_redis, user="anna").status == "loaded"
    assert warming.after_load() is True  # the load job: the first to claim the new version
    warmed = []
    monkeypatch.setattr(warming, "warm_pages", lambda **_: warmed.append(True))
    assert warming._after_upload() is False and warmed == []  # each web process leaves it


def test_the_warm_up_draws_a_ward_pages_borough_series_too(loaded, monkeypatch):
    """The first ward page opened after an upload groups no ward figures into series (every
    ward page of the borough shares them: about 0.1 s of its first drawing) once the warm-up
    has run."""
    from dashboard.pages import ward

    assert load_path(WARD_RECENT, loaded, user="test").status == "loaded"
    forget_tables()
    warming.warm_pages()
    other = cache.ward_codes_of(cache.reference()[0], BARNET)[-1]
    # (not the ward the warm-up drew: its series are shared, not its own)
    grouped = []
    monthly = cache._monthly
    monkeypatch.setattr(cache, "_monthly", lambda *args: grouped.append(args[2]) or monthly(*args))
    ward.layout(other)
    assert "ward_crime" not in grouped


def test_a_crime_file_loaded_keeps_the_mps_dashboards_tables(loaded):
    """Loading borough crime changes no MPS dashboard figure: the hate crime and knife crime
    tables are kept (nothing to warm again for the youth violence and hate crime pages)."""
    assert load_path(MPS_DASHBOARD_BOROUGHS, loaded, user="test").status == "loaded"
    month = cache.dashboard_months()[-1]
    before = cache.dashboard_table(month)
    assert not before.empty
    assert load_bytes("new.csv", NEW_FILE, loaded, user="anna").status == "loaded"
    assert cache.dashboard_table(month) is before


def test_a_crime_file_loaded_keeps_the_mps_dashboards_series_and_a_dashboard_file_not(loaded):
    """The hate crime and knife crime series over time are the MPS dashboard's alone: a crime
    file leaves them as they were; a dashboard file loaded (or reverted) draws them again."""
    dashboard = load_path(MPS_DASHBOARD_BOROUGHS, loaded, user="test")
    assert dashboard.status == "loaded"
    codes = [cache.home_area()["code"]]
    indicator = cache.dashboard_table(cache.dashboard_months()[-1])["indicator"].iloc[0]
    before = over_time.dashboard_series(indicator, codes)
    assert load_bytes("new.csv", NEW_FILE, loaded, user="anna").status == "loaded"
    assert over_time.dashboard_series(indicator, codes) is before
    revert_upload(dashboard.upload_id, loaded, user="test")
    assert over_time.dashboard_series(indicator, codes) is not before


def test_a_warm_up_reads_the_versions_once_per_block_not_once_per_table(loaded):
    def five_tables():
        for _ in range(5):
            cache.data_version(cache.engine())

    assert statements(five_tables) == 5  # off the web, every call asks
    with memo.pinned():
        assert statements(five_tables) == 1
