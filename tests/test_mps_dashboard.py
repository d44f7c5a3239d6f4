"""The publisher's MPS Monthly Crime Dashboard files load as published: rows it could not place in a
borough or ward are kept apart by their own name, a ward listed under two teams is one ward, and
only genuine repeats are errors.

Small files below are shaped like the 2026 refreshes (blank `Area code`, sometimes a blank `Area
name`, under `Other / NK`; several rows for one label, month, offence and measure); expected
figures are the fixtures' own numbers added by hand, or pandas over the real seed file.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from core import db, queries
from etl.load import load_bytes, load_path
from fixtures.extracts import SEED, area, current_counts, text_file

HEADER = (
    "Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,Offence Subgroup,"
    "Measure,Financial Year,FY_FYIndex,Count,Refresh Date"
)
OFFENCES = "mps_dashboard_offences"
BOROUGHS_CSV = SEED / "monthly-crime-dashboard-boroughs.csv.gz"


def line(month: str, team: str, name: str, code: str, count: int, kind: str = "Borough") -> str:
    """One row of the publisher's file: `Hate crime` offences of an area in a month."""
    return (
        f"{month},{kind},{team},{name},{code},Hate crime,Hate crime,Offences,fy25-26,25-26_09,"
        f"{count},2026-01-05"
    )


def snt(month: str, team: str, name: str, code: str, count: int) -> str:
    return line(month, team, name, code, count, kind="Safer Neighbourhood Teams")


DEC, NOV = "2025-12-01", "2025-11-01"
OTHER = "Other / NK"
AVIATION = "Aviation Security (SO18) (Legacy Only)"

# rows 2-11, as a 2026 refresh gives them
REFRESH_2026 = text_file(
    HEADER,
    line(DEC, "Barnet", "Barnet", "E09000003", 40),
    line(DEC, OTHER, "N/K (Legacy Only)", "", 3),
    line(DEC, OTHER, "N/K (Legacy Only)", "", 4),  # the same label, month, offence, measure
    line(DEC, OTHER, AVIATION, "", 1),
    line(DEC, OTHER, "Non MET police force", "", 2),
    line(DEC, OTHER, "Non MET police force", "", 5),
    line(DEC, OTHER, "", "", 6),  # no name: Unknown
    line(DEC, OTHER, "Unknown", "", 1),
    line(NOV, OTHER, "N/K (Legacy Only)", "", 9),
    line(NOV, "Aviation Security", AVIATION, "SO18", 8),  # the same label, with a code
)


def _numbers(message: str) -> list[int]:
    """The rows and the repeats added that a non-borough-rows warning gives."""
    found = re.match(r"([\d,]+) rows .*?(?:; ([\d,]+) of them repeat|\.$)", message)
    return [int(n.replace(",", "")) for n in found.groups() if n]


def _sources(engine, upload_id: int, code: str, month: str) -> list[int]:
    """Every file row behind one figure: its first row and the rows added into it."""
    s = db.crime_series
    rows = []
    for table in (db.crime_cell_rows, db.crime_merged_rows):
        query = (
            select(table.c.source_row)
            .join(s, s.c.id == table.c.series_id)
            .where(
                table.c.upload_id == upload_id,
                s.c.area_code == code,
                table.c.month == date.fromisoformat(month),
            )
        )
        with engine.connect() as conn:
            rows += conn.execute(query).scalars().all()
    return sorted(rows)


def test_a_2026_refresh_loads_its_non_borough_rows_apart(engine):
    result = load_bytes("MPS_MonthlyCrimeDashboard_Other.csv", REFRESH_2026, engine)

    assert (result.status, result.errors) == ("loaded", [])
    assert current_counts(engine, OFFENCES) == {
        ("E09000003", "HATE CRIME", "HATE CRIME", DEC): 40,
        ("MPS-N-K-LEGACY-ONLY", "HATE CRIME", "HATE CRIME", DEC): 3 + 4,
        ("MPS-N-K-LEGACY-ONLY", "HATE CRIME", "HATE CRIME", NOV): 9,
        ("MPS-NON-MET-POLICE-FORCE", "HATE CRIME", "HATE CRIME", DEC): 2 + 5,
        ("MPS-UNKNOWN", "HATE CRIME", "HATE CRIME", DEC): 6 + 1,
        ("SO18", "HATE CRIME", "HATE CRIME", DEC): 1,
        ("SO18", "HATE CRIME", "HATE CRIME", NOV): 8,
    }


def test_each_kind_of_non_borough_row_is_one_warning_with_its_rows(engine):
    result = load_bytes("dashboard.csv", REFRESH_2026, engine)

    found = {
        p.value: (p.row, p.column, _numbers(p.message))
        for p in result.warnings
        if p.code == "non-borough-rows"
    }
    assert found == {  # value: first row, column, [rows, repeats added]
        "N/K (Legacy Only)": (3, "Area name", [3, 1]),
        AVIATION: (5, "Area name", [2]),
        "Non MET police force": (6, "Area name", [2, 1]),
        "Unknown": (8, "Area name", [2, 1]),
    }
    assert [p.code for p in result.problems] == ["non-borough-rows"] * 4


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("MPS-N-K-LEGACY-ONLY", "N/K (Legacy Only)"),
        ("MPS-NON-MET-POLICE-FORCE", "Non MET police force"),
        ("MPS-UNKNOWN", "Unknown"),
        ("SO18", AVIATION),
    ],
)
def test_non_borough_areas_are_never_ranked(engine, code, name):
    load_bytes("dashboard.csv", REFRESH_2026, engine)
    row = area(engine, code)
    assert (row["name"], row["area_type"], row["is_london_borough"]) == (name, "other", False)


def test_an_added_figure_still_names_every_row_it_came_from(engine):
    result = load_bytes("dashboard.csv", REFRESH_2026, engine)

    assert _sources(engine, result.upload_id, "MPS-N-K-LEGACY-ONLY", DEC) == [3, 4]
    assert _sources(engine, result.upload_id, "MPS-UNKNOWN", DEC) == [8, 9]
    assert _sources(engine, result.upload_id, "E09000003", DEC) == [2]
    assert result.rows_read == 10


def test_the_sources_page_names_each_figures_own_rows(engine):
    """A long file has one row per figure: the Sources page names the month's row (November's
    N/K figure is row 10, not the series' first row, 3) and every row added into a figure."""
    load_bytes("dashboard.csv", REFRESH_2026, engine)

    def rows(code, month):
        return queries.figure_provenance(engine, OFFENCES, code, date.fromisoformat(month))[
            "rows"
        ].tolist()

    assert rows("MPS-N-K-LEGACY-ONLY", DEC) == [[3, 4]]
    assert rows("MPS-N-K-LEGACY-ONLY", NOV) == [[10]]
    assert rows("MPS-UNKNOWN", DEC) == [[8, 9]]
    assert rows("E09000003", DEC) == [[2]]


def test_the_sources_page_names_the_real_files_row_of_each_figure(sqlite_engine):
    raw = pd.read_csv(BOROUGHS_CSV)
    feb = raw[
        (raw["area_code"] == "E09000003")
        & (raw["month_year"] == "2025-02-01")
        & (raw["measure"] == "Offences")
    ]
    load_path(BOROUGHS_CSV, sqlite_engine)

    where = queries.figure_provenance(sqlite_engine, OFFENCES, "E09000003", date(2025, 2, 1))

    in_file = where[where["rows"].str.len() > 0]
    expected = {s: [i + 2] for s, i in zip(feb["crime_subtype"], feb.index, strict=True)}
    assert dict(zip(in_file["minor"], in_file["rows"], strict=True)) == expected  # header: 1
    assert dict(zip(in_file["minor"], in_file["count"], strict=True)) == dict(
        zip(feb["crime_subtype"], feb["count"], strict=True)
    )
    # a subgroup with no row for February: a 0 the file left out, not some other month's row
    assert (where.loc[where["rows"].str.len() == 0, "count"] == 0).all()


HEATHROW, WHITECHAPEL = "E05013570", "E05009336"
TWO_TEAMS = text_file(
    HEADER,
    snt(DEC, "Aviation Security", "Heathrow Villages", HEATHROW, 3),
    snt(DEC, "Hillingdon Heathrow Villages", "Heathrow Villages", HEATHROW, 4),
    snt(NOV, "Hillingdon Heathrow Villages", "Heathrow Villages", HEATHROW, 2),
    snt(DEC, "Tower Hamlets Whitechapel", "Whitechapel", WHITECHAPEL, 5),
    snt(DEC, "Tower Hamlets Spitalfields & Banglatown", "Whitechapel", WHITECHAPEL, 6),
)


def test_a_ward_under_two_teams_is_one_ward(engine):
    result = load_bytes("dashboard.csv", TWO_TEAMS, engine)

    assert (result.status, result.errors) == ("loaded", [])
    assert current_counts(engine, OFFENCES) == {
        (HEATHROW, "HATE CRIME", "HATE CRIME", DEC): 3 + 4,
        (HEATHROW, "HATE CRIME", "HATE CRIME", NOV): 2,
        (WHITECHAPEL, "HATE CRIME", "HATE CRIME", DEC): 5 + 6,
    }
    assert (area(engine, HEATHROW)["area_type"], area(engine, HEATHROW)["parent_code"]) == (
        "ward",
        "E09000017",  # Hillingdon, though the first team named no borough
    )
    assert area(engine, WHITECHAPEL)["parent_code"] == "E09000030"  # Tower Hamlets


def test_a_ward_under_two_teams_is_one_warning_naming_both(engine):
    result = load_bytes("dashboard.csv", TWO_TEAMS, engine)

    warned = [p for p in result.warnings if p.code == "ward-in-two-teams"]
    assert [(p.row, p.column, p.value) for p in warned] == [
        (2, "Borough_SNT", "Heathrow Villages"),
        (5, "Borough_SNT", "Whitechapel"),
    ]
    assert "'Aviation Security' and 'Hillingdon Heathrow Villages'" in warned[0].message
    assert HEATHROW in warned[0].message


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(
            [line(DEC, "Barnet", "Barnet", "E09000003", 40)] * 2, id="a borough twice, same count"
        ),
        pytest.param(
            [line(DEC, "Barnet", "Barnet", "E09000003", n) for n in (40, 41)], id="a borough"
        ),
        pytest.param(
            [line(DEC, "Barnet", "Barnet", "", n) for n in (40, 41)], id="a borough by name only"
        ),
        pytest.param(
            [snt(DEC, "Barnet Barnet Vale", "Barnet Vale", "E05013628", n) for n in (4, 5)],
            id="a ward in one team",
        ),
        pytest.param(
            [
                snt(DEC, "Barnet Colindale", "Colindale (NOT ACTIVE)", "E05000046", n)
                for n in (1, 2)
            ],
            id="a ward no longer active",
        ),
    ],
)
def test_a_genuine_repeat_is_still_an_error(engine, rows):
    data = text_file(HEADER, line(NOV, "Brent", "Brent", "E09000005", 1), *rows)

    result = load_bytes("dashboard.csv", data, engine)

    assert result.status == "rejected"
    assert [(p.code, p.row) for p in result.errors] == [("duplicate-row", 4)]
    assert "already given on row 3" in result.errors[0].message


def test_the_real_file_keeps_its_other_rows_apart_by_name(sqlite_engine):
    raw = pd.read_csv(BOROUGHS_CSV, dtype=str, keep_default_na=False)
    apart = raw[~raw["area_code"].str.startswith("E09")]
    names = apart["area_name"].replace("", "Unknown")
    expected = names.value_counts().to_dict()

    result = load_path(BOROUGHS_CSV, sqlite_engine)

    assert result.status == "loaded"
    found = {p.value: _numbers(p.message)[0] for p in result.problems}
    assert found == expected  # Unknown: 463 rows without a name + 11 named Unknown
    assert {p.code for p in result.problems} == {"non-borough-rows"}
    offences = apart[(apart["measure"] == "Offences") & (names == "Unknown")]
    sums = (
        offences.assign(count=offences["count"].astype(int))
        .groupby([offences["month_year"], offences["crime_subtype"].str.upper()])["count"]
        .sum()
    )
    held = {
        (m, minor): n
        for (code, _, minor, m), n in current_counts(sqlite_engine, OFFENCES).items()
        if code == "MPS-UNKNOWN"
    }
    assert held == sums[sums > 0].to_dict()


def test_status_gives_both_dashboard_datasets_their_files_last_load(engine):
    """The real file (offences and positive outcomes) is one upload logged as "mps_dashboard"
    of two datasets: ``python -m etl status`` showed no last load for either."""
    result = load_path(SEED / "monthly-crime-dashboard-boroughs.csv.gz", engine)
    assert (result.status, result.dataset) == ("loaded", "mps_dashboard")
    status = queries.dataset_status(engine).set_index("dataset")
    loaded = queries.upload_history(engine).set_index("id").loc[result.upload_id, "uploaded_at"]
    for dataset in (OFFENCES, "mps_dashboard_outcomes"):
        assert status.loc[dataset, "last_load"] == loaded, dataset
