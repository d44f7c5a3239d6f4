"""The monthly figures export (``python -m dashboard report monthly``, each data page's
"Download the figures" at /figures/<page>.csv): every dataset's monthly counts as the pages use
them, one row per dataset, indicator, area and month, with the upload holding each figure;
exempt items withheld. Expected counts are the inline files' own numbers added by hand."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import webclient
from dashboard import cli
from dashboard.auth import exempt
from dashboard.reports.monthly import MONTHLY_COLUMNS, PAGE_FIGURES, PRODUCERS
from etl.load import load_bytes
from fixtures.extracts import BARNET
from test_domestic_abuse import OFFENCES_FILE, OUTCOMES_FILE
from test_overall_crime import CURRENT


def _load(engine) -> list[int]:
    ids = []
    for name, text in [("b.csv", CURRENT), ("o.csv", OFFENCES_FILE), ("p.csv", OUTCOMES_FILE)]:
        result = load_bytes(name, (text.rstrip("\n") + "\n").encode(), engine, user="t")
        assert result.status == "loaded", result.message
        ids.append(result.upload_id)
    return ids


def _rows(frame: pd.DataFrame, dataset: str, indicator: str, code: str = BARNET) -> list:
    rows = frame[
        (frame["dataset"] == dataset)
        & (frame["indicator"] == indicator)
        & (frame["area_code"] == code)
    ]
    return rows[["month", "count", "source_upload"]].values.tolist()


def test_the_command_writes_every_datasets_monthly_counts(use_database, tmp_path, capsys):
    borough, offences, outcomes = _load(use_database)
    out = tmp_path / "monthly.csv"
    assert cli.report_main(["monthly", "--out", str(out)]) == 0
    frame = pd.read_csv(out, dtype={"month": str})
    assert list(frame.columns) == MONTHLY_COLUMNS
    # Barnet, by hand: burglary 5, 6, 0; every offence 5 + 10 + 1 = 16, 6 + 0 + 2 = 8, 0
    assert _rows(frame, "borough_crime", "Burglary") == [
        ["2024-01", 5, borough],
        ["2024-02", 6, borough],
        ["2024-03", 0, borough],
    ]
    assert [r[1] for r in _rows(frame, "borough_crime", "Overall crime")] == [16, 8, 0]
    assert [r[1] for r in _rows(frame, "borough_crime", "MOPAC7 total")] == [5, 6, 0]
    vwi = "Domestic Abuse violence with injury"  # both spellings: one indicator
    assert _rows(frame, "mps_dashboard_offences", vwi) == [["2025-01", 40, offences]]
    assert _rows(frame, "mps_dashboard_outcomes", vwi) == [["2025-01", 7, outcomes]]
    barnet = frame[frame["area_code"] == BARNET].iloc[0]
    assert (barnet["area_name"], barnet["area_type"]) == ("Barnet", "borough")
    assert not frame.duplicated(["dataset", "indicator", "area_code", "month"]).any()


def test_every_dataset_has_a_producer_and_every_page_names_known_datasets():
    datasets = [p.dataset for p in PRODUCERS]
    assert len(set(datasets)) == len(datasets)
    for wanted in PAGE_FIGURES.values():
        assert set(wanted) <= set(datasets)


@pytest.fixture
def site(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOST", "127.0.0.1")
    _load(sqlite_engine)
    for name, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(sqlite_engine, name, role)
    return sqlite_engine, webclient.the_app().server


def _download(server, name: str | None, page: str):
    client = server.test_client()
    if name:
        webclient.sign_in(client, name)
    return client.get(f"/figures/{page}.csv")


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_a_page_download_withholds_exempt_items(site, name, sees):
    engine, server = site
    exempt.mark(engine, "indicator", "Burglary", "max")
    response = _download(server, name, "crime")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    frame = pd.read_csv(io.StringIO(response.get_data(as_text=True)))
    indicators = set(frame["indicator"])
    assert set(frame["dataset"]) == {"borough_crime"}
    assert "Robbery" in indicators  # not in the file: 0 each month, as the pages count it
    for withheld in ("Burglary", "MOPAC7 total", "Overall crime"):  # and totals including it
        assert (withheld in indicators) is sees


def test_a_download_needs_a_sign_in_and_a_known_page(site):
    _, server = site
    assert _download(server, None, "crime").status_code in (302, 401, 403)
    assert _download(server, "vera", "no-such-page").status_code == 404
    frame = pd.read_csv(io.StringIO(_download(server, "vera", "domestic-abuse").get_data(True)))
    assert set(frame["indicator"]) == {"Domestic Abuse violence with injury"}
