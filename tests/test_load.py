"""Loading the same months twice: the newest vintage wins, nothing is lost, reloads change nothing.

File A is the older vintage (Jan-Mar 2024) and B the newer (Feb-Apr 2024) with revised figures
and the residential burglary label renamed, as the MPS did between downloads.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from core import db, queries
from etl.load import load_bytes, load_path
from fixtures.extracts import (
    BARNET,
    BOROUGH_HISTORICAL,
    BOROUGH_PRE2019,
    BOROUGH_RECENT,
    area,
    current_counts,
    history,
    loaded_mopac7,
    raw_seed,
    table_counts,
    text_file,
    upload_log,
)

FILE_A = text_file(
    "MajorText,MinorText,BoroughName,202401,202402,202403",
    "BURGLARY,BURGLARY IN A DWELLING,Barnet,10,11,12",
    "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,5,6,7",
    "THEFT,OTHER THEFT,Barnet,3,4,5",
    "BURGLARY,BURGLARY IN A DWELLING,Brent,20,21,22",
)
FILE_B = text_file(
    "MajorText,MinorText,BoroughName,202402,202403,202404",
    "BURGLARY,BURGLARY - RESIDENTIAL,Barnet,13,14,15",
    "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,8,9,10",
    "THEFT,OTHER THEFT,Barnet,0,6,7",
    "BURGLARY,BURGLARY - RESIDENTIAL,Brent,23,24,25",
)
BRENT = "E09000005"
DWELLING, RESIDENTIAL = "BURGLARY IN A DWELLING", "BURGLARY - RESIDENTIAL"
PERSONAL, OTHER_THEFT = "ROBBERY OF PERSONAL PROPERTY", "OTHER THEFT"

# January from A (B does not cover it); February to April from B. B's 0 for other theft in
# February is a real zero: A's 4 must not survive.
CURRENT = {
    (BARNET, "BURGLARY", DWELLING, "2024-01-01"): 10,
    (BARNET, "BURGLARY", RESIDENTIAL, "2024-02-01"): 13,
    (BARNET, "BURGLARY", RESIDENTIAL, "2024-03-01"): 14,
    (BARNET, "BURGLARY", RESIDENTIAL, "2024-04-01"): 15,
    (BARNET, "ROBBERY", PERSONAL, "2024-01-01"): 5,
    (BARNET, "ROBBERY", PERSONAL, "2024-02-01"): 8,
    (BARNET, "ROBBERY", PERSONAL, "2024-03-01"): 9,
    (BARNET, "ROBBERY", PERSONAL, "2024-04-01"): 10,
    (BARNET, "THEFT", OTHER_THEFT, "2024-01-01"): 3,
    (BARNET, "THEFT", OTHER_THEFT, "2024-03-01"): 6,
    (BARNET, "THEFT", OTHER_THEFT, "2024-04-01"): 7,
    (BRENT, "BURGLARY", DWELLING, "2024-01-01"): 20,
    (BRENT, "BURGLARY", RESIDENTIAL, "2024-02-01"): 23,
    (BRENT, "BURGLARY", RESIDENTIAL, "2024-03-01"): 24,
    (BRENT, "BURGLARY", RESIDENTIAL, "2024-04-01"): 25,
}
# A's figures for the months B also covers
A_OVERLAP = sorted(
    [
        (BARNET, DWELLING, "2024-02-01", 11),
        (BARNET, DWELLING, "2024-03-01", 12),
        (BARNET, PERSONAL, "2024-02-01", 6),
        (BARNET, PERSONAL, "2024-03-01", 7),
        (BARNET, OTHER_THEFT, "2024-02-01", 4),
        (BARNET, OTHER_THEFT, "2024-03-01", 5),
        (BRENT, DWELLING, "2024-02-01", 21),
        (BRENT, DWELLING, "2024-03-01", 22),
    ]
)


def _history_rows(engine) -> list[tuple]:
    kept = history(engine)
    return sorted(zip(kept["area_code"], kept["minor"], kept["month"], kept["count"], strict=True))


def test_newer_file_replaces_the_overlap_and_keeps_the_old_figures(engine):
    a = load_bytes("mps-2024-03.csv", FILE_A, engine)
    b = load_bytes("mps-2024-04.csv", FILE_B, engine)

    assert (a.status, b.status) == ("loaded", "loaded")
    assert current_counts(engine, "borough_crime") == CURRENT
    assert _history_rows(engine) == A_OVERLAP
    kept = history(engine)
    assert set(kept["reason"]) == {"replaced"}
    assert set(kept["upload_id"]) == {a.upload_id}
    assert set(kept["replaced_by"]) == {b.upload_id}
    # 2 areas x (1 new month, 2 replaced months); 8 non-zero figures of A replaced
    assert (b.area_months_added, b.area_months_replaced, b.area_months_kept) == (2, 4, 0)
    assert b.figures_replaced == 8


def test_older_file_loaded_second_does_not_overwrite_newer_figures(engine):
    b = load_bytes("mps-2024-04.csv", FILE_B, engine)
    a = load_bytes("mps-2024-03.csv", FILE_A, engine)

    assert (b.status, a.status) == ("loaded", "loaded")
    assert current_counts(engine, "borough_crime") == CURRENT
    assert _history_rows(engine) == A_OVERLAP
    kept = history(engine)
    assert set(kept["reason"]) == {"not-applied"}
    assert set(kept["upload_id"]) == {a.upload_id}
    assert set(kept["replaced_by"]) == {b.upload_id}
    assert (a.area_months_added, a.area_months_replaced, a.area_months_kept) == (2, 0, 4)


@pytest.mark.parametrize("order", ["A then B", "B then A"])
def test_renamed_burglary_label_is_not_double_counted(engine, order):
    files = [("a.csv", FILE_A), ("b.csv", FILE_B)]
    for name, data in files if order == "A then B" else files[::-1]:
        load_bytes(name, data, engine)

    monthly = loaded_mopac7(engine, "borough_crime", BARNET)

    assert monthly.loc["Burglary"].tolist() == [10, 13, 14, 15]
    assert monthly.loc["Robbery"].tolist() == [5, 8, 9, 10]
    assert monthly.loc["MOPAC7 total"].tolist() == [15, 21, 23, 25]


def test_reissue_of_the_same_vintage_replaces_the_earlier_load(engine):
    corrected = FILE_A.replace(b"Barnet,10,11,12", b"Barnet,10,11,99")
    first = load_bytes("mps.csv", FILE_A, engine)
    second = load_bytes("mps-corrected.csv", corrected, engine)

    counts = current_counts(engine, "borough_crime")
    assert counts[(BARNET, "BURGLARY", DWELLING, "2024-03-01")] == 99
    kept = history(engine)
    assert kept[kept["count"] == 12][["upload_id", "replaced_by", "reason"]].values.tolist() == [
        [first.upload_id, second.upload_id, "replaced"]
    ]


@pytest.mark.parametrize("second_name", ["mps-2024-03.csv", "renamed copy.csv"])
def test_loading_the_same_file_again_changes_nothing(engine, second_name):
    first = load_bytes("mps-2024-03.csv", FILE_A, engine)
    before, log_before = table_counts(engine), len(upload_log(engine))

    again = load_bytes(second_name, FILE_A, engine)

    assert again.status == "unchanged"
    assert again.upload_id == first.upload_id
    assert table_counts(engine) == before
    assert len(upload_log(engine)) == log_before


def test_same_file_after_a_newer_one_is_still_unchanged(engine):
    load_bytes("a.csv", FILE_A, engine)
    load_bytes("b.csv", FILE_B, engine)
    before = table_counts(engine)

    assert load_bytes("a.csv", FILE_A, engine).status == "unchanged"
    assert load_bytes("b.csv", FILE_B, engine).status == "unchanged"
    assert table_counts(engine) == before
    assert current_counts(engine, "borough_crime") == CURRENT


def test_baseline_year_comes_from_the_newer_vintage_when_both_are_loaded(sqlite_engine):
    # April 2011 Barnet burglary (awk on the raw files): Historical 121 + 291 = 412,
    # pre-2019 file 291 + 123 = 414. The Historical file is the newer vintage, whatever the order.
    historical = load_path(BOROUGH_HISTORICAL, sqlite_engine)
    pre2019 = load_path(BOROUGH_PRE2019, sqlite_engine)

    monthly = loaded_mopac7(sqlite_engine, "borough_crime", BARNET)

    assert monthly.loc["Burglary", pd.Timestamp(2011, 4, 1)] == 412
    # months only the pre-2019 file has are still loaded from it
    assert monthly.loc["Burglary", pd.Timestamp(2008, 1, 1)] == 262 + 106
    kept = history(sqlite_engine)
    april = kept[(kept["area_code"] == BARNET) & (kept["month"] == "2011-04-01")]
    assert set(april["reason"]) == {"not-applied"}
    assert set(april["upload_id"]) == {pre2019.upload_id}
    assert set(april["replaced_by"]) == {historical.upload_id}


# ---------------------------------------------------------------- provenance


@pytest.mark.parametrize(
    ("month", "filename", "rows"),
    [
        # January only A has: Barnet is on A's rows 2-4
        (date(2024, 1, 1), "a.csv", [(2, DWELLING, 10), (3, PERSONAL, 5), (4, OTHER_THEFT, 3)]),
        # February is B's: its 0 for other theft is a real figure on row 4
        (date(2024, 2, 1), "b.csv", [(2, RESIDENTIAL, 13), (3, PERSONAL, 8), (4, OTHER_THEFT, 0)]),
    ],
)
def test_provenance_names_the_file_and_excel_row(engine, month, filename, rows):
    load_bytes("a.csv", FILE_A, engine)
    load_bytes("b.csv", FILE_B, engine)

    where = queries.figure_provenance(engine, "borough_crime", BARNET, month)

    assert set(where["filename"]) == {filename}
    got = [
        (r, m.upper(), c)
        for r, m, c in zip(where["row"], where["minor"], where["count"], strict=True)
    ]
    assert got == rows


def test_provenance_of_a_real_figure(engine):
    raw = raw_seed(BOROUGH_RECENT)
    barnet = raw[raw["BoroughName"] == "Barnet"]
    load_path(BOROUGH_RECENT, engine)

    where = queries.figure_provenance(engine, "borough_crime", BARNET, date(2024, 3, 1))

    assert set(where["filename"]) == {"mps-borough-recent.csv.gz"}  # the name as uploaded
    assert where["row"].tolist() == [i + 2 for i in barnet.index]  # header is row 1
    assert where["minor"].tolist() == barnet["MinorText"].tolist()
    assert where["count"].tolist() == barnet["202403"].tolist()


# ---------------------------------------------------------------- unknown categories and areas


def test_unknown_category_is_loaded_under_its_own_name_with_a_warning(engine):
    data = text_file(
        "MajorText,MinorText,BoroughName,202401,202402",
        "BURGLARY,BURGLARY IN A DWELLING,Barnet,10,11",
        "THEFT,PARCEL THEFT FROM DOORSTEP,Barnet,7,8",
        "THEFT,PARCEL THEFT FROM DOORSTEP,Brent,1,0",
    )
    result = load_bytes("new-category.csv", data, engine)

    assert result.status == "loaded"
    assert [(p.code, p.row, p.value) for p in result.problems] == [
        ("unknown-category", 3, "PARCEL THEFT FROM DOORSTEP")
    ]
    with engine.connect() as conn:
        cat = (
            conn.execute(
                select(db.categories).where(
                    db.categories.c.minor_key == "PARCEL THEFT FROM DOORSTEP"
                )
            )
            .mappings()
            .one()
        )
    assert (cat["mopac7"], cat["known"]) == (None, False)
    counts = current_counts(engine, "borough_crime")
    assert counts[(BARNET, "THEFT", "PARCEL THEFT FROM DOORSTEP", "2024-02-01")] == 8
    assert loaded_mopac7(engine, "borough_crime", BARNET).loc["MOPAC7 total"].tolist() == [10, 11]
    warnings = upload_log(engine)["warnings"].iloc[-1]
    assert [w["code"] for w in warnings] == ["unknown-category"]


AREA_NAMES = [
    # (name in the file, area code, area type)
    ("Barnet", BARNET, "borough"),
    ("Kingston Upon Thames", "E09000021", "borough"),
    ("Hammersmith & Fulham", "E09000013", "borough"),
    ("Unknown", "MPS-UNKNOWN", "other"),
    ("London Heathrow and London City Airports", "MPS-AIRPORTS", "other"),
    ("Aviation Security (SO18)", "MPS-SO18", "other"),
]


def test_area_names_in_borough_files(engine):
    data = text_file(
        "MajorText,MinorText,BoroughName,202401",
        *[
            f"ROBBERY,ROBBERY OF PERSONAL PROPERTY,{name},{i + 1}"
            for i, (name, _, _) in enumerate(AREA_NAMES)
        ],
    )
    assert load_bytes("areas.csv", data, engine).status == "loaded"
    monthly = queries.mopac7_monthly(engine, "borough_crime")
    robbery = monthly[monthly["indicator"] == "Robbery"].set_index("area_code")["count"]
    for i, (_, code, area_type) in enumerate(AREA_NAMES):
        row = area(engine, code)
        assert (row["area_type"], row["is_london_borough"]) == (area_type, area_type == "borough")
        assert robbery[code] == i + 1


def test_upload_log_records_a_load(engine):
    result = load_bytes("a.csv", FILE_A, engine, user="analyst@barnet")
    log = upload_log(engine)
    row = log.iloc[-1]
    assert (row["id"], row["status"], row["layout"], row["dataset"]) == (
        result.upload_id,
        "loaded",
        "mps-borough-current",
        "borough_crime",
    )
    assert (row["rows_read"], row["area_count"], row["uploaded_by"]) == (4, 2, "analyst@barnet")
    assert pd.Timestamp(row["month_from"]) == pd.Timestamp(2024, 1, 1)
    assert pd.Timestamp(row["vintage"]) == pd.Timestamp(2024, 3, 1)
