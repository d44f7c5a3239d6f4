"""Unknown wards are errors: a ward code that is not a ward of its row's borough in the ward
reference (the MPS ward crime files loaded) rejects the file, with its row, so it can never reach
the ward list. The ward files themselves are the reference and are never checked."""

from __future__ import annotations

import pytest

from core import queries
from etl.load import load_bytes, load_path
from etl.preview import preview_bytes
from etl.seed import seed_files
from fixtures.extracts import (
    BARNET,
    SEED,
    WARD_RECENT,
    ons_ward_workbook,
    table_counts,
    text_file,
)

WARD_HEADER = "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202511,202512"
BURGLARY = "BURGLARY,DOMESTIC BURGLARY"
HEATHROW = "E05013570"
REFERENCE = text_file(  # an MPS ward crime file: Barnet's first two wards and Heathrow Villages
    WARD_HEADER,
    f"{BURGLARY},Barnet Vale,E05013628,Barnet,1,2",
    f"{BURGLARY},Brunswick Park,E05013629,Barnet,3,4",
    f"{BURGLARY},Heathrow Villages,{HEATHROW},Hillingdon,5,6",
    f"{BURGLARY},Heathrow Villages,{HEATHROW},Aviation Security (SO18),1,1",
)
DASHBOARD_HEADER = (
    "Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,Offence Subgroup,"
    "Measure,Count"
)


def team_row(team: str, name: str, code: str, month: str = "2025-12-01", count: int = 2) -> str:
    return (
        f"{month},Safer Neighbourhood Teams,{team},{name},{code},Hate crime,Hate crime,"
        f"Offences,{count}"
    )


def dashboard(*rows: str) -> bytes:
    return text_file(DASHBOARD_HEADER, *rows)


@pytest.fixture
def reference(engine):
    """A database holding the ward reference."""
    assert load_bytes("MPS Ward Level Crime.csv", REFERENCE, engine).status == "loaded"
    return engine


def _barnet_wards(engine) -> list[str]:
    return sorted(queries.areas(engine, "ward", BARNET)["code"])


def test_an_unknown_ward_is_rejected_with_its_row_and_never_listed(reference):
    data = dashboard(
        team_row("Barnet Barnet Vale", "Barnet Vale", "E05013628"),
        team_row("Barnet Nowhere", "Nowhere", "E05099999"),
        team_row("Barnet Nowhere", "Nowhere", "E05099999", month="2025-11-01"),
    )
    before = table_counts(reference)

    result = load_bytes("dashboard.csv", data, reference)

    assert result.status == "rejected"
    assert [(p.code, p.row, p.column, p.value) for p in result.errors] == [
        ("unknown-ward", 3, "Area code", "E05099999")
    ]
    assert "not a ward of Barnet" in result.errors[0].message
    assert "1 more row" in result.errors[0].message
    assert table_counts(reference) == before
    assert _barnet_wards(reference) == ["E05013628", "E05013629"]


def test_a_ward_of_another_borough_is_not_a_ward_of_this_one(reference):
    data = dashboard(team_row("Barnet Heathrow Villages", "Heathrow Villages", HEATHROW))
    result = load_bytes("dashboard.csv", data, reference)
    assert [(p.code, p.row, p.value) for p in result.errors] == [("unknown-ward", 2, HEATHROW)]
    assert "not a ward of Barnet" in result.errors[0].message


@pytest.mark.parametrize(
    ("code", "codes"),
    [(HEATHROW, []), ("E05099998", ["unknown-ward"])],
    ids=["a ward of some borough", "no borough's ward"],
)
def test_a_team_outside_a_borough_is_checked_against_every_borough(reference, code, codes):
    data = dashboard(team_row("Aviation Security", "Heathrow Villages", code))
    result = load_bytes("dashboard.csv", data, reference)
    assert [p.code for p in result.errors] == codes
    assert all("any London borough" in p.message for p in result.errors)


def test_without_a_ward_list_ward_rows_load_with_a_warning(engine):
    data = dashboard(
        team_row("Barnet Barnet Vale", "Barnet Vale", "E05013628"),
        team_row("Barnet Nowhere", "Nowhere", "E05099999"),
    )

    result = load_bytes("dashboard.csv", data, engine)

    assert result.status == "loaded"
    assert [(p.code, p.row, p.value) for p in result.problems] == [
        ("wards-not-checked", 2, "Barnet")
    ]
    assert "under Barnet were not checked" in result.problems[0].message


def test_a_borough_the_ward_list_does_not_cover_is_a_warning(reference):
    data = dashboard(
        team_row("Camden Kilburn", "Kilburn", "E05013660"),
        team_row("Barnet Brunswick Park", "Brunswick Park", "E05013629"),
    )
    result = load_bytes("dashboard.csv", data, reference)
    assert result.status == "loaded"
    assert [(p.code, p.value) for p in result.problems] == [("wards-not-checked", "Camden")]


def test_the_ward_file_is_the_reference_and_never_rejected_by_it(reference):
    new_ward = text_file(WARD_HEADER, f"{BURGLARY},New Ward,E05099999,Barnet,1,1")

    assert load_bytes("MPS Ward Level Crime (new).csv", new_ward, reference).status == "loaded"

    data = dashboard(team_row("Barnet New Ward", "New Ward", "E05099999"))
    result = load_bytes("dashboard.csv", data, reference)
    assert (result.status, result.problems) == ("loaded", [])


def test_the_preview_rejects_an_unknown_ward_too(reference):
    data = dashboard(team_row("Barnet Nowhere", "Nowhere", "E05099999"))
    preview = preview_bytes("dashboard.csv", data, reference)
    assert preview.status == "rejected"
    assert [(p.code, p.row) for p in preview.errors] == [("unknown-ward", 2)]


def test_ward_populations_are_checked_against_their_borough(reference):
    sheets = {
        "Mid-2022 Ward 2022": [
            ["E09000003", "Barnet", "E05013628", "Barnet Vale", 16_123, 91, 96],
            ["E09000003", "Barnet", HEATHROW, "Heathrow Villages", 9_000, 40, 45],
        ]
    }
    result = load_bytes("wards.xlsx", ons_ward_workbook(sheets), reference)
    assert result.status == "rejected"
    assert [(p.code, p.sheet, p.row, p.column, p.value) for p in result.errors] == [
        ("unknown-ward", "Mid-2022 Ward 2022", 6, "Ward 2022 Code", HEATHROW)
    ]


def test_known_ward_populations_load_without_a_word(reference):
    sheets = {
        "Mid-2022 Ward 2022": [["E09000003", "Barnet", "E05013629", "Brunswick Park", 9, 4, 5]]
    }
    result = load_bytes("wards.xlsx", ons_ward_workbook(sheets), reference)
    assert (result.status, result.problems) == ("loaded", [])


def test_a_population_template_ward_must_be_a_ward_somewhere(reference):
    data = text_file(
        "area_code,area_name,year,population",
        "E05013628,Barnet Vale,2023,16200",
        "E05099999,Nowhere,2023,100",
    )
    result = load_bytes("population.csv", data, reference)
    assert [(p.code, p.row, p.column) for p in result.errors] == [("unknown-ward", 3, "area_code")]
    assert "any London borough" in result.errors[0].message


def test_the_seed_loads_the_ward_reference_first():
    names = [p.name for p in seed_files(SEED)]
    assert names[:2] == ["mps-ward-historical.csv.gz", "mps-ward-recent.csv.gz"]
    assert names.index("monthly-crime-dashboard-barnet-wards.csv.gz") > 1


def test_the_real_barnet_team_file_passes_the_real_ward_list(sqlite_engine):
    assert load_path(WARD_RECENT, sqlite_engine).status == "loaded"

    result = load_path(SEED / "monthly-crime-dashboard-barnet-wards.csv.gz", sqlite_engine)

    assert result.status == "loaded"
    assert [p.code for p in result.problems] == ["merged-rows"]  # Edgware and Edgware (SX)
