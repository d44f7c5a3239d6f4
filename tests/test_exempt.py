"""Exempt datasets and indicators: hidden from viewers and analysts, shown to managers."""

from __future__ import annotations

import pytest

import webclient
from core import queries
from core.months import as_month
from dashboard import cache, cli
from dashboard.auth import exempt, sessions
from dashboard.reports.indicators import crime_indicators
from etl.load import load_bytes, load_path
from fixtures.extracts import SEED
from test_load import FILE_A

SAMPLES = SEED.parent / "samples"


@pytest.fixture
def site(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOST", "127.0.0.1")
    load_bytes("a.csv", FILE_A, sqlite_engine)
    for name, role in [("vera", "viewer"), ("anna", "analyst"), ("max", "manager")]:
        webclient.add_user(sqlite_engine, name, role)
    return sqlite_engine, webclient.the_app().server


def as_user(server, engine, name: str):
    context = server.test_request_context("/")
    context.push()
    row = queries.user_row(engine, name)
    sessions.sign_in(name, row.password_hash)
    return context


def call_as(site, name: str, call):
    """``call()`` inside a request signed in as ``name``; ``site``: (engine, server)."""
    engine, server = site
    context = as_user(server, engine, name)
    try:
        return call()
    finally:
        context.pop()


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("anna", False), ("max", True)])
def test_an_exempt_indicator_is_only_for_managers(site, name, sees):
    engine, server = site
    exempt.mark(engine, "indicator", "Burglary", "max")
    context = as_user(server, engine, name)
    try:
        indicators = set(cache.monthly("borough_crime", eng=engine)["indicator"])
    finally:
        context.pop()
    assert ("Burglary" in indicators) is sees
    assert "Robbery" in indicators


def test_an_exempt_dataset_is_empty_for_viewers(site):
    engine, server = site
    exempt.mark(engine, "dataset", "borough_crime")
    context = as_user(server, engine, "vera")
    try:
        assert cache.monthly("borough_crime", eng=engine).empty
    finally:
        context.pop()
    assert not cache.monthly("borough_crime", eng=engine).empty  # off the web: the operator


def test_the_history_hides_uploads_of_exempt_datasets(site):
    engine, server = site
    exempt.mark(engine, "dataset", "borough_crime")
    key = webclient.output_key("history-log")
    for name, shown in [("vera", False), ("max", True)]:
        client = server.test_client()
        webclient.sign_in(client, name)
        inputs = [{"id": "history-refresh", "property": "data", "value": 0}]
        text = webclient.fire(client, key, inputs).get_data(as_text=True)
        assert ("a.csv" in text) is shown, name


def test_the_exempt_cli(site, capsys):
    assert cli.exempt_main(["add", "indicator", "Robbery", "--user", "max"]) == 0
    assert cli.exempt_main(["list"]) == 0
    assert "Robbery" in capsys.readouterr().out
    assert cli.exempt_main(["remove", "indicator", "Robbery"]) == 0
    assert exempt.items(site[0]).empty


def test_a_viewer_opening_an_exempt_crime_type_sees_no_figures_and_no_error(site):
    from dashboard.pages import crime  # registered with the app the fixture made

    engine, server = site
    exempt.mark(engine, "indicator", "Burglary", "max")
    for name, shown in [("vera", False), ("max", True)]:
        context = as_user(server, engine, name)
        try:
            summary = crime.update(None, "burglary")[0]
        finally:
            context.pop()
        words = summary if isinstance(summary, str) else str(summary.children)
        assert ("No burglary figures to show" in words) is not shown, (name, words)


@pytest.mark.parametrize(
    ("dataset", "sample", "indicator"),
    [
        ("iom", "iom-cohort-sample.xlsx", "IOM cohort size"),
        ("wrap_training", "prevent-wrap-training-sample.xlsx", "WRAP coverage %: "),
        ("serious_youth_violence", "serious-youth-violence-sample.xlsx", "Serious youth violence"),
    ],
)
@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_the_indicators_export_leaves_out_an_exempt_council_dataset(
    site, dataset, sample, indicator, name, sees
):
    engine, _ = site
    assert load_path(SAMPLES / sample, engine).status == "loaded"
    exempt.mark(engine, "dataset", dataset, "max")
    month = as_month("2024-03")  # within each sample's figures
    table = call_as(site, name, lambda: crime_indicators(engine, month))
    shown = set(table["indicator"]) if len(table) else set()
    assert any(i.startswith(indicator) for i in shown) is sees, sorted(shown)
