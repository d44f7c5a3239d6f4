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
from test_police_uk import CITY, JAN, loaded_lookups, row, street


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


# ---------------------------------------------------------------- police.uk (the ASB page's)

# Met January: JAN (3 ASB in Barnet Vale, a burglary in Brunswick Park, 2 not placed); City of
# London January: a theft in Camden; Met February: 2 ASB in Brunswick Park.
POLICE_FILES = [
    ("2023-01-metropolitan-street.csv", street(*JAN)),
    ("2023-01-city-of-london-street.csv", street(row("2023-01", "E01000916", "Robbery", CITY))),
    (
        "2023-02-metropolitan-street.csv",
        street(*[row("2023-02", "E01000249", "Anti-social behaviour")] * 2),
    ),
]
VALE, PARK, CAMDEN, BELSIZE = "E05013628", "E05013629", "E09000007", "E05013652"


@pytest.fixture
def police_site(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    loaded_lookups(sqlite_engine)
    ids = []
    for name, data in POLICE_FILES:
        result = load_bytes(name, data, sqlite_engine, user="t")
        assert result.status == "loaded", result.problems
        ids.append(result.upload_id)
    for name, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(sqlite_engine, name, role)
    return sqlite_engine, webclient.the_app().server, ids


def test_police_uk_counts_every_type_by_borough_and_home_ward_with_their_upload(police_site):
    _, server, (met_jan, city_jan, met_feb) = police_site
    from dashboard.pages import asb  # registers the page: after the app is made

    assert 'href="/figures/asb.csv"' in str(asb.layout()).replace("'", '"')
    frame = pd.read_csv(io.StringIO(_download(server, "vera", "asb").get_data(True)))
    assert set(frame["dataset"]) == {"police_uk"}
    asb = "Anti-social behaviour"
    assert _rows(frame, "police_uk", asb) == [["2023-01", 3, met_jan], ["2023-02", 2, met_feb]]
    assert _rows(frame, "police_uk", asb, VALE) == [
        ["2023-01", 3, met_jan],
        ["2023-02", 0, met_feb],
    ]
    assert _rows(frame, "police_uk", "Burglary", PARK) == [
        ["2023-01", 1, met_jan],
        ["2023-02", 0, met_feb],
    ]
    # Camden is covered by the Met's files; its robbery came in the City of London's file
    assert _rows(frame, "police_uk", "Robbery", CAMDEN) == [
        ["2023-01", 1, city_jan],
        ["2023-02", 0, met_feb],
    ]
    # Barnet, Camden and Barnet's two wards (not Camden's) x 14 types x 2 months
    assert len(frame) == 4 * 14 * 2 and BELSIZE not in set(frame["area_code"])
    vale = frame[frame["area_code"] == VALE].iloc[0]
    assert (vale["area_name"], vale["area_type"]) == ("Barnet Vale", "ward")


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
@pytest.mark.parametrize(("kind", "item"), [("indicator", "Burglary"), ("dataset", "police_uk")])
def test_an_exempt_police_uk_type_is_withheld_from_a_viewer(police_site, name, sees, kind, item):
    engine, server, _ = police_site
    exempt.mark(engine, kind, item, "max")
    for page in ("asb", "all"):
        frame = pd.read_csv(io.StringIO(_download(server, name, page).get_data(True)))
        shown = frame[frame["dataset"] == "police_uk"]
        assert ("Burglary" in set(shown["indicator"])) is sees
        assert ("Drugs" in set(shown["indicator"])) is (sees or kind == "indicator")


# ------------------------------------------------- hate crime reporting centres (the council's)


def _centres(engine, rows: list[tuple], made_up: bool) -> int:
    """A reporting-centres template with ``rows`` (month, centre, strand, crime or incident,
    reports), said to be illustrative (``made_up``) or not; the upload's id."""
    from etl.formats import templates
    from etl.templates_samples import ILLUSTRATIVE
    from etl.templates_write import workbook, workbook_bytes

    spec = templates.by_name("council-hate-reporting-centres")
    keys = ("month", "centre", "strand", "crime_or_incident", "reports")
    sheet = [{**dict(zip(keys, r, strict=True)), "referred_to_police": 0} for r in rows]
    data = workbook_bytes(
        workbook(spec, {"Reporting centres": sheet}, (ILLUSTRATIVE,) if made_up else ())
    )
    result = load_bytes("centres.xlsx", data, engine, user="t")
    assert result.status == "loaded", result.problems
    return result.upload_id


@pytest.mark.parametrize("made_up", [True, False])
def test_reporting_centre_reports_by_strand_and_month(site, made_up):
    """By hand: Racist Crime in April 2023 is 2 + 3 (Colindale, crime and incident) + 4 (Hendon)
    = 9; May 1; AntiSemitic April 5. Withheld with the dataset, or with a strand."""
    engine, server = site
    april, may = "2023-04-01", "2023-05-01"
    upload = _centres(
        engine,
        [
            (april, "Colindale community hub", "Racist Crime", "Crime", 2),
            (april, "Colindale community hub", "Racist Crime", "Incident", 3),
            (april, "Hendon Library", "Racist Crime", "Crime", 4),
            (april, "Hendon Library", "AntiSemitic", "Incident", 5),
            (may, "Hendon Library", "Racist Crime", "Crime", 1),
        ],
        made_up,
    )
    frame = pd.read_csv(io.StringIO(_download(server, "vera", "hate-crime").get_data(True)))
    centres = frame[frame["dataset"] == "hate_reporting_centres"]
    assert _rows(centres, "hate_reporting_centres", "Racist Crime") == [
        ["2023-04", 9, upload],
        ["2023-05", 1, upload],
    ]
    assert _rows(centres, "hate_reporting_centres", "AntiSemitic") == [["2023-04", 5, upload]]
    assert len(centres) == 3
    first = centres.iloc[0]
    assert (first["area_name"], first["area_type"]) == ("Barnet", "borough")
    assert set(centres["illustrative"]) == {"yes" if made_up else "no"}
    everything = pd.read_csv(io.StringIO(_download(server, "vera", "all").get_data(True)))
    assert len(everything[everything["dataset"] == "hate_reporting_centres"]) == 3
    exempt.mark(engine, "indicator", "AntiSemitic", "max")
    frame = pd.read_csv(io.StringIO(_download(server, "vera", "hate-crime").get_data(True)))
    shown = set(frame.loc[frame["dataset"] == "hate_reporting_centres", "indicator"])
    assert shown == {"Racist Crime"}
    exempt.mark(engine, "dataset", "hate_reporting_centres", "max")
    for name, count in [("vera", 0), ("max", 3)]:
        frame = pd.read_csv(io.StringIO(_download(server, name, "all").get_data(True)))
        assert (frame["dataset"] == "hate_reporting_centres").sum() == count
