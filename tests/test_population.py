"""Populations for rates: the ONS London workbook, ONS ward estimates and the council template."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import db, queries
from etl.load import load_bytes, load_path
from fixtures.extracts import (
    BARNET,
    ONS_POPULATION,
    area,
    ons_population,
    ons_ward_workbook,
    table_counts,
    text_file,
    xlsx_bytes,
)


def _populations(engine) -> dict[tuple[str, int], int]:
    frame = queries.populations(engine)
    return dict(
        zip(zip(frame["area_code"], frame["year"], strict=True), frame["population"], strict=True)
    )


def _sources(engine) -> dict[tuple[str, int], tuple]:
    p = db.populations
    with engine.connect() as conn:
        rows = conn.execute(select(p.c.area_code, p.c.year, p.c.source_sheet, p.c.source_row))
        return {(a, y): (s, r) for a, y, s, r in rows}


# ---------------------------------------------------------------- ONS mid-year estimates (long)


def test_ons_workbook_gives_barnet_as_published(engine):
    result = load_path(ONS_POPULATION, engine)
    assert (result.status, result.layout, result.dataset) == (
        "loaded",
        "ons-mid-year-long",
        "population",
    )
    # SOURCES.md: Barnet mid-2011 = 357,538; mid-2024 = 405,050
    assert _populations(engine)[(BARNET, 2011)] == 357_538
    assert _populations(engine)[(BARNET, 2024)] == 405_050


def test_ons_workbook_loads_every_london_estimate_and_nothing_else(engine):
    expected = {
        (code, int(year)): int(pop)
        for (code, year), pop in ons_population().items()
        if code.startswith("E09")
    }
    assert len(expected) == 33 * 14  # 32 boroughs and the City, mid-2011 to mid-2024

    result = load_path(ONS_POPULATION, engine)

    assert result.errors == []
    assert _populations(engine) == expected
    assert area(engine, "E09000001")["is_london_borough"] is False  # City of London
    assert (area(engine, BARNET)["name"], area(engine, BARNET)["area_type"]) == (
        "Barnet",
        "borough",
    )


# ---------------------------------------------------------------- ONS ward estimates


WARD_SHEETS = {
    "Mid-2021 Ward 2022": [
        ["E09000003", "Barnet", "E05013628", "Barnet Vale", 16_010, 90, 95],
        ["E09000003", "Barnet", "E05013630", "Burnt Oak", 19_750, 140, 150],
    ],
    "Mid-2022 Ward 2022": [
        ["E09000003", "Barnet", "E05013628", "Barnet Vale", 16_123, 91, 96],
        ["E09000003", "Barnet", "E05013630", "Burnt Oak", 19_876, 141, 151],
        ["E06000001", "Hartlepool", "E05008942", "Burn Valley", 8_000, 40, 45],
    ],
}


def test_ons_ward_estimates_workbook(engine):
    result = load_bytes("sapewardstablefinal.xlsx", ons_ward_workbook(WARD_SHEETS), engine)

    assert (result.status, result.layout) == ("loaded", "ons-ward-estimates")
    assert _populations(engine) == {
        ("E05013628", 2021): 16_010,
        ("E05013630", 2021): 19_750,
        ("E05013628", 2022): 16_123,
        ("E05013630", 2022): 19_876,
    }
    # three title rows and the header: the first ward is on Excel row 5
    assert _sources(engine)[("E05013630", 2022)] == ("Mid-2022 Ward 2022", 6)
    # no MPS ward file loaded yet: the ward codes load unchecked, with a warning per sheet
    assert [(p.code, p.severity, p.sheet, p.row) for p in result.problems] == [
        ("wards-not-checked", "warning", "Mid-2021 Ward 2022", 5),
        ("unknown-area", "warning", "Mid-2022 Ward 2022", 7),
        ("wards-not-checked", "warning", "Mid-2022 Ward 2022", 5),
    ]
    ward = area(engine, "E05013628")
    assert (ward["area_type"], ward["parent_code"], ward["name"]) == (
        "ward",
        BARNET,
        "Barnet Vale",
    )


def test_ons_ward_estimates_without_a_total_column_is_rejected(engine):
    header = ["LAD 2022 Code", "LAD 2022 Name", "Ward 2022 Code", "Ward 2022 Name", "F0", "M0"]
    row = ["E09000003", "Barnet", "E05013628", "Barnet Vale", 91, 96]
    sheets = {"Mid-2022 Ward 2022": [["Title"], [], [], header, row]}
    before = table_counts(engine)
    result = load_bytes("wards.xlsx", xlsx_bytes(sheets), engine)
    assert result.status == "rejected"
    assert [(p.code, p.row, p.column) for p in result.problems] == [("missing-column", 4, "Total")]
    assert table_counts(engine) == before


# ---------------------------------------------------------------- the council template

TEMPLATE_HEADER = "area_code,area_name,year,population"


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_population_template(engine, form):
    rows = [["E09000003", "Barnet", 2025, 410_000], ["E05013628", "Barnet Vale", 2023, 16_300]]
    if form == "csv":
        data = text_file(TEMPLATE_HEADER, *[",".join(map(str, r)) for r in rows])
    else:
        data = xlsx_bytes({"Population": [TEMPLATE_HEADER.split(","), *rows]})

    result = load_bytes(f"population.{form}", data, engine)

    assert (result.status, result.layout, result.errors) == ("loaded", "population-template", [])
    assert _populations(engine) == {(BARNET, 2025): 410_000, ("E05013628", 2023): 16_300}
    assert _sources(engine)[("E05013628", 2023)][1] == 3


@pytest.mark.parametrize(
    ("year", "population", "code"),
    [
        ("20x4", "410000", "bad-year"),
        ("1850", "410000", "bad-year"),
        ("2024.5", "410000", "bad-year"),
        ("", "410000", "bad-year"),
        ("2024", "-5", "bad-population"),
        ("2024", "0", "bad-population"),
        ("2024", "1.5", "bad-population"),
        ("2024", "abc", "bad-population"),
        ("2024", "", "bad-population"),
    ],
)
def test_bad_template_values_are_rejected_at_their_row(sqlite_engine, year, population, code):
    # checks happen before anything is written; test_template_area_problems covers PostgreSQL
    engine = sqlite_engine
    load_bytes("held.csv", text_file(TEMPLATE_HEADER, "E09000003,Barnet,2024,405050"), engine)
    before = table_counts(engine)
    data = text_file(
        TEMPLATE_HEADER, "E09000005,Brent,2024,340000", f"E09000003,Barnet,{year},{population}"
    )

    result = load_bytes("population.csv", data, engine)

    assert result.status == "rejected"
    assert [(p.code, p.row) for p in result.problems] == [(code, 3)]
    assert table_counts(engine) == before
    assert _populations(engine)[(BARNET, 2024)] == 405_050


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["E09999999,Nowhere,2024,1000"], [("unknown-area", 2)]),
        (["E09000003,Barnet,2024,1000", "E09000003,Barnet,2024,1001"], [("duplicate-row", 3)]),
    ],
)
def test_template_area_problems(engine, lines, expected):
    before = table_counts(engine)
    result = load_bytes("population.csv", text_file(TEMPLATE_HEADER, *lines), engine)
    assert result.status == "rejected"
    assert [(p.code, p.row) for p in result.problems] == expected
    assert table_counts(engine) == before


def test_newer_population_replaces_and_keeps_the_old_figure(engine):
    ons = load_path(ONS_POPULATION, engine)
    data = text_file(TEMPLATE_HEADER, "E09000003,Barnet,2024,406000")

    update = load_bytes("population.csv", data, engine)

    assert (update.status, update.figures_replaced) == ("loaded", 1)
    assert _populations(engine)[(BARNET, 2024)] == 406_000
    assert _populations(engine)[(BARNET, 2023)] == ons_population()[(BARNET, 2023)]
    h = db.population_history
    with engine.connect() as conn:
        kept = conn.execute(
            select(
                h.c.area_code, h.c.year, h.c.population, h.c.upload_id, h.c.replaced_by_upload_id
            )
        ).all()
    assert [tuple(r) for r in kept] == [(BARNET, 2024, 405_050, ons.upload_id, update.upload_id)]


def test_loading_the_ons_workbook_twice_changes_nothing(engine):
    load_path(ONS_POPULATION, engine)
    before = table_counts(engine)
    assert load_path(ONS_POPULATION, engine).status == "unchanged"
    assert table_counts(engine) == before
