"""Kept answers and the default pack follow exemptions, roles and population loads (issue 18,
item 3): each test fails when the key or filter it names is dropped (planted-bug audit)."""

from __future__ import annotations

import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from core.months import as_month
from dashboard import answers
from dashboard.auth import exempt
from etl.load import load_bytes, load_path
from test_answers import client_of, overview
from test_answers_datasets import PAGES, period_callbacks
from test_crime_pages import population_csv
from test_exempt import SAMPLES
from test_exempt_leaks import BARNET, MONTHS, dashboard_csv

answers_site = pytest.importorskip("test_answers").site  # borough file and populations loaded
site = answers_site


MODULES = {p: f"dashboard.pages.{p.strip('/').replace('-', '_')}" for p in PAGES}


def page(client, path: str) -> str:
    """A page as the browser draws it: the router, then each callback of the period picker."""
    key = webclient.output_key("_pages_content")
    inputs = [
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": ""},
    ]
    texts = [webclient.fire(client, key, inputs)]
    for key in period_callbacks(MODULES[path]):
        entry = webclient.callback_map()[key]
        texts.append(webclient.fire(client, key, [{**i, "value": None} for i in entry["inputs"]]))
    assert all(t.status_code == 200 for t in texts)
    return " ".join(t.get_data(as_text=True) for t in texts)


def test_kept_answers_are_keyed_by_role_alone(site):
    # nothing exempt: a viewer and an analyst differ by role only. Prevent is empty: the viewer
    # is told whom to ask, the analyst how to load it
    engine, server = site
    webclient.add_user(engine, "anna", "analyst")
    assert "Not yet loaded for this borough" in page(client_of(server, "vera"), "/prevent")
    analyst = page(client_of(server, "anna"), "/prevent")
    assert "This needs" in analyst and "Not yet loaded for this borough" not in analyst


def test_kept_answers_are_keyed_by_exempt_datasets(site):
    engine, server = site
    vera = client_of(server, "vera")
    assert "1,638" in overview(vera)  # the MOPAC7 total (test_crime_pages' figures)
    exempt.mark(engine, "dataset", "borough_crime", "max")
    assert "1,638" not in overview(vera)


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """MPS dashboard figures for Barnet without populations; a viewer signed in."""
    from core import db

    url = f"sqlite:///{tmp_path}/bare.db"
    engine = db.get_engine(url)
    assert load_bytes("d.csv", dashboard_csv(), engine, user="test").status == "loaded"
    webclient.add_user(engine, "vera", "viewer")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    answers.clear()
    yield engine, client_of(webclient.the_app().server, "vera")
    answers.clear()
    db.dispose_engines()


@pytest.mark.parametrize(
    ("path", "rate"),
    [
        # Hate crime 971 a month: R12 11,652 per 100,000 residents = 1,165.2 per 10,000
        ("/hate-crime", "1,165.2"),
        # knife injury victims 43 a month: R12 516 per 100,000 = 51.60 per 10,000
        ("/youth-violence", "51.60"),
    ],
)
def test_kept_answers_are_keyed_by_population_uploads(bare, path, rate):
    engine, vera = bare
    assert rate not in page(vera, path)
    assert load_bytes("p.csv", population_csv(), engine, user="test").status == "loaded"
    assert rate in page(vera, path)


def test_the_default_packs_indicators_and_appendix_leave_out_exempt_datasets(tmp_path, monkeypatch):
    """An MPS dashboard dataset and a council one exempt: the default pack's Indicators sheet
    has none of their rows, its appendix none of their files; the exempt pack has both."""
    from core import db
    from dashboard.reports.indicators import crime_indicators
    from dashboard.reports.pack.audience import reading_as, withheld_names
    from dashboard.reports.pack.build import vintages

    url = f"sqlite:///{tmp_path}/pack.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    engine = db.get_engine(url)
    outcomes = f"{MONTHS[-1]:%Y-%m-%d},Borough,Barnet,Barnet,{BARNET},Hate crime,Hate crime,"
    both = dashboard_csv() + f"{outcomes}Positive Outcomes,5\n".encode()
    for name, loaded in [
        ("dashboard.csv", load_bytes("dashboard.csv", both, engine, user="test")),
        ("iom.xlsx", load_path(SAMPLES / "iom-cohort-sample.xlsx", engine, user="test")),
    ]:
        assert loaded.status == "loaded", name
    for dataset in ("mps_dashboard_offences", "iom"):
        exempt.mark(engine, "dataset", dataset, "max")
    month = as_month("2024-03")
    for with_exempt in (False, True):
        with reading_as(with_exempt):
            sheet = crime_indicators(engine, month)
            files = set(vintages(withheld_names()[0])["File"])
        shown = set(sheet["indicator"]) if len(sheet) else set()
        assert ("Hate crime" in shown) is with_exempt
        assert any(i.startswith("IOM") for i in shown) is with_exempt
        assert ("dashboard.csv" in files) is with_exempt
        assert ("iom-cohort-sample.xlsx" in files) is with_exempt
