"""The anti-social behaviour page (/asb) against hand-worked figures: a lookup with one LSOA in
each London authority (two wards in Barnet), two years of small police.uk files in one zip, and
the real ONS populations. Barnet's ASB: 1 a month in 2023 (P12 = 12), 3 a month in 2024 (2 in
Barnet Vale, 1 in Brunswick Park: R12 = 36); Camden 1 a month; every other borough none."""

from __future__ import annotations

import io
import zipfile

import pytest

import app  # registers the pages, as in production
import webclient
from core.reference import LONDON_AUTHORITIES
from dashboard.auth import exempt
from dashboard.pages import asb
from etl.load import load_bytes, load_path
from fixtures.extracts import ONS_POPULATION, text_file
from test_exempt import call_as
from test_police_uk import HEAD, row

BARNET, CAMDEN = "E09000003", "E09000007"
CODES = sorted(LONDON_AUTHORITIES)
# LSOA E019000nn in ward E059000nn of the nn-th authority; Barnet's second: E01900099
LSOAS = {f"E0190{i:04d}": (f"E0590{i:04d}", code) for i, code in enumerate(CODES)}
SECOND = "E01900099"
LSOAS[SECOND] = ("E05900099", BARNET)
WARD_A, WARD_B = LSOAS[f"E0190{CODES.index(BARNET):04d}"][0], "E05900099"
LSOA_A, LSOA_CAMDEN = f"E0190{CODES.index(BARNET):04d}", f"E0190{CODES.index(CAMDEN):04d}"
MONTHS = [f"{year}-{month:02d}" for year in (2023, 2024) for month in range(1, 13)]
ASB = "Anti-social behaviour"


def lookups(codes: dict) -> tuple[bytes, bytes]:
    wards = text_file(
        "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM",
        *[
            f"{lsoa},{lsoa},{w},Ward {w[-2:]},{c},{LONDON_AUTHORITIES[c]}"
            for lsoa, (w, c) in codes.items()
        ],
    )
    changes = text_file("LSOA11CD,LSOA21CD", *[f"{code},{code}" for code in codes])
    return wards, changes


def month_rows(month: str) -> list[str]:
    barnet = [LSOA_A] if month < "2024" else [LSOA_A, LSOA_A, SECOND]
    return [row(month, code, ASB) for code in [*barnet, LSOA_CAMDEN]]


def year_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for month in MONTHS:
            name = f"{month}/{month}-metropolitan-street.csv"
            archive.writestr(name, text_file(HEAD, *month_rows(month)))
    return buffer.getvalue()


def load(engine, codes: dict) -> None:
    for name, data in zip(("wards.csv", "changes.csv"), lookups(codes), strict=True):
        assert load_bytes(name, data, engine).status == "loaded"
    assert load_path(ONS_POPULATION, engine).status == "loaded"
    assert load_bytes("met.zip", year_zip(), engine).status == "loaded"


@pytest.fixture
def page_database(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    return sqlite_engine


def test_the_asb_figures_and_london_rank_with_every_borough_loaded(page_database):
    load(page_database, LSOAS)
    summary, *outputs = asb.update("2024-12", ASB)
    # 36 in 2024 against 12 in 2023: up 200%, p (binomial, 36 of 48) far below 0.05;
    # 36 / 405,050 residents (mid-2024) x 1,000 = 0.089; 30 boroughs at 0 share rank 1,
    # Camden (12) is 31st, Barnet 32nd
    assert "36 anti-social behaviour incidents were reported to the police in Barnet" in summary
    assert "up 200" in summary and "statistically significant" in summary
    assert "0.09 per 1,000 residents (mid-2024 population)" in summary
    assert "London rank: 32nd lowest rate of 32 boroughs" in summary
    ward_table = outputs[-3]
    assert "<td>24</td><td>12</td>" in ward_table  # Barnet Vale: R12 24, P12 12
    assert "<td>12</td><td>0</td>" in ward_table  # Brunswick Park: R12 12, P12 0
    trend_table = outputs[2]
    assert trend_table.count("<tr>") == 25  # a header and the 24 months


def test_the_rank_is_not_available_in_words_without_every_borough(page_database):
    some = {lsoa: ward for lsoa, ward in LSOAS.items() if ward[1] in (BARNET, CAMDEN)}
    load(page_database, some)
    summary = asb.update("2024-12", ASB)[0]
    assert "London rank: not available — police.uk figures are loaded for 2 of 32 boroughs" in (
        summary
    )


def test_the_other_types_are_a_choice(page_database):
    load(page_database, LSOAS)
    summary = asb.update("2024-12", "Burglary")[0]
    assert "0 burglary crimes were reported to the police in Barnet" in summary


def test_nothing_loaded_says_what_to_load_without_files_for_a_board_member(page_database):
    summary = asb.update(None, ASB)[0]
    text = str(summary)
    assert "Not yet loaded for this borough" in text
    assert ".csv" not in text and "python -m" not in text


@pytest.mark.parametrize(("kind", "name"), [("dataset", "police_uk"), ("indicator", ASB)])
def test_an_exempt_police_uk_dataset_or_type_shows_a_viewer_no_figures(page_database, kind, name):
    load(page_database, LSOAS)
    for user, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(page_database, user, role)
    exempt.mark(page_database, kind, name, "max")
    site = (page_database, webclient.the_app().server)
    viewer = call_as(site, "vera", lambda: asb.update("2024-12", ASB)[0])
    manager = call_as(site, "max", lambda: asb.update("2024-12", ASB)[0])
    assert "incidents were reported" not in str(viewer)
    assert "36 anti-social behaviour incidents were reported" in manager


def test_asb_is_early_in_the_navigation():
    """The strategy's first priority comes before the other priorities' pages."""
    paths = [match[0] for match in app.nav_matches()]  # the navbar's links, in order
    assert paths.index("/asb") < paths.index("/youth-violence")
    assert paths.index("/asb") <= 3
