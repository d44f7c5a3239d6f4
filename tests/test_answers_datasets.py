"""The priority pages' answers are kept through loads of other datasets (dashboard/answers.py
``PAGE_DATASETS``): after a crime load, a board member opening hate crime, youth violence,
reoffending or Prevent is answered from what was drawn before, because those pages read nothing
the load changed, and a load or revert of their own data is shown at the next request.

The database holds the real MPS Monthly Crime Dashboard extracts, the ONS populations, the
council template samples and test_crime_pages' borough file.
"""

from __future__ import annotations

import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from dashboard import answers
from etl.load import load_bytes, load_path
from etl.revert import revert_upload
from fixtures.extracts import ONS_POPULATION
from test_crime_pages import MONTHS, WARDS, borough_csv, ward_csv
from test_mps_dashboard import REFRESH_2026
from test_priority_pages import BOROUGHS_CSV, SAMPLES, WARDS_CSV

PAGES = {
    "/hate-crime": "dashboard.pages.hate_crime",
    "/youth-violence": "dashboard.pages.youth_violence",
    "/reoffending": "dashboard.pages.reoffending",
    "/prevent": "dashboard.pages.prevent",
}
PERIODS = ["latest", "2023-03", "2024-11"]


@pytest.fixture
def site(tmp_path, monkeypatch):
    from core import db

    url = f"sqlite:///{tmp_path}/kept.db"
    engine = db.get_engine(url)
    for path in [BOROUGHS_CSV, WARDS_CSV, ONS_POPULATION, *sorted(SAMPLES.glob("*.xlsx"))]:
        assert load_path(path, engine, user="test").status == "loaded", path.name
    assert load_bytes("b.csv", borough_csv(), engine, user="test").status == "loaded"
    webclient.add_user(engine, "vera", "viewer")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    answers.clear()
    client = webclient.the_app().server.test_client()
    webclient.sign_in(client, "vera")
    yield engine, client
    answers.clear()
    db.dispose_engines()


def period_callbacks(module: str) -> list[str]:
    """The output keys of the page's callbacks that listen to the period picker."""
    return [
        key
        for key, entry in webclient.callback_map().items()
        if getattr(entry.get("callback"), "__module__", "") == module
        and any(i["id"] == "period-select" for i in entry["inputs"])
    ]


def drawn(client, kept: list | None = None) -> dict[tuple[str, str, str], str]:
    """Every priority page as a browser opens it (the router) and each of its period
    callbacks for a few periods: the answers' text (the keys of those sent as kept, not drawn
    again, added to ``kept``: Flask-Caching's hit indication)."""
    kept = [] if kept is None else kept
    found = {}
    router = webclient.output_key("_pages_content")
    for path, module in PAGES.items():
        for period in PERIODS:
            search = "" if period == "latest" else f"?period={period}"
            inputs = [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ]
            answer = webclient.fire(client, router, inputs)
            found[(path, "page", period)] = answer.get_data(as_text=True)
            if answer.headers.get("hit_cache") == "True":
                kept.append((path, "page", period))
            for key in period_callbacks(module):
                entry = webclient.callback_map()[key]
                inputs = [
                    {**i, "value": period if i["id"] == "period-select" else None}
                    for i in entry["inputs"]
                ]
                answer = webclient.fire(client, key, inputs)
                assert answer.status_code == 200, (path, key)
                found[(path, key, period)] = answer.get_data(as_text=True)
                if answer.headers.get("hit_cache") == "True":
                    kept.append((path, key, period))
    return found


def test_a_crime_load_keeps_the_priority_pages_answers(site):
    engine, client = site
    before = drawn(client)
    assert any("Barnet" in text for text in before.values())
    month = MONTHS[-1] + (MONTHS[-1] - MONTHS[-2])
    new_month = f"MajorText,MinorText,BoroughName,{month:%Y%m}\nROBBERY,ROBBERY,Barnet,3\n"
    assert load_bytes("new.csv", new_month.encode(), engine, user="test").status == "loaded"
    assert load_bytes("w.csv", ward_csv(), engine, user="test").status == "loaded"
    assert load_bytes("bad.csv", b"not,a,crime,file\n1,2,3,4\n", engine).status == "rejected"
    kept = []
    assert drawn(client, kept) == before
    assert sorted(kept) == sorted(before)  # every one answered as kept
    # and they are what the pages draw afresh now: the pages read nothing those loads changed
    answers.clear()
    kept.clear()
    assert drawn(client, kept) == before
    assert set(WARDS) and not kept


def test_a_load_or_revert_of_a_pages_own_data_is_shown_at_the_next_request(site):
    engine, client = site
    before = drawn(client)
    boroughs = min(row.id for row in load_history(engine) if row.dataset == "mps_dashboard")
    revert_upload(boroughs, engine, user="test")  # the MPS dashboard's borough rows
    after = drawn(client)
    for path in ("/hate-crime", "/youth-violence"):  # they read the MPS dashboard
        changed = [k for k in before if k[0] == path and before[k] != after[k]]
        assert changed, path
    for path in ("/reoffending", "/prevent"):  # they do not
        assert all(before[k] == after[k] for k in before if k[0] == path)


def test_a_load_of_dashboard_offences_alone_is_shown_at_the_next_request(site):
    """A file with only the offences measure is logged as "mps_dashboard_offences", not
    "mps_dashboard": the hate crime and youth violence pages must not be answered from before."""
    engine, client = site
    before = drawn(client)
    result = load_bytes("MPS_MonthlyCrimeDashboard_Other.csv", REFRESH_2026, engine)
    assert (result.status, result.dataset) == ("loaded", "mps_dashboard_offences")
    kept = []
    drawn(client, kept)
    unaffected = [k for k in before if k[0] in ("/reoffending", "/prevent")]
    assert sorted(kept) == sorted(unaffected)  # hate and youth drawn again


def load_history(engine):
    from core import queries

    return list(queries.upload_history(engine).itertuples())
