"""police.uk street-level files and the ONS LSOA lookups: detection, placing rows by LSOA
(2011 and 2021 codes), "not placed" rows, zips, revisions, reverts and rejected files. The
files are tiny and shaped like the publisher's; every expected count is worked by hand."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core import queries
from etl.formats import police_uk
from etl.load import load_bytes
from etl.preview import preview_bytes
from etl.revert import revert_upload
from fixtures.extracts import text_file

WARD_LOOKUP = text_file(
    "\ufeffLSOA21CD,LSOA21NM,LSOA21NMW,WD24CD,WD24NM,WD24NMW,LAD24CD,LAD24NM,LAD24NMW,ObjectId",
    "E01000248,Barnet 001A,,E05013628,Barnet Vale,,E09000003,Barnet,,1",
    "E01000249,Barnet 001B,,E05013629,Brunswick Park,,E09000003,Barnet,,2",
    "E01033583,Barnet 001F,,E05013628,Barnet Vale,,E09000003,Barnet,,3",
    "E01000916,Camden 027B,,E05013652,Belsize,,E09000007,Camden,,4",
)
CHANGES_LOOKUP = text_file(
    "\ufeffObjectId,LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,LAD22NMW",
    "1,E01000248,Barnet 001A,E01000248,Barnet 001A,E09000003,Barnet,",
    "2,E01000249,Barnet 001B,E01000249,Barnet 001B,E09000003,Barnet,",
    "3,E01000250,Barnet 001C,E01033583,Barnet 001F,E09000003,Barnet,",
    "4,E01000916,Camden 027B,E01000916,Camden 027B,E09000007,Camden,",
)
HEAD = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
MET, CITY = "Metropolitan Police Service", "City of London Police"
SEED = Path(__file__).resolve().parent.parent / "data" / "seed"


def row(month: str, lsoa: str, kind: str, force: str = MET) -> str:
    crime_id = "" if kind == "Anti-social behaviour" else "ab12"
    where = "No location" if not lsoa else "On or near High Street"
    point = ",," if not lsoa else "-0.2,51.6,"
    return f"{crime_id},{month},{force},{force},{point[:-1]},{where},{lsoa},,{kind},,"


# 2023-01: 2011 codes. Rows 2, 3 (E01000250 -> E01033583) and 7 are ASB in Barnet Vale;
# row 4 a burglary in Brunswick Park; row 5 has no location; row 6 an LSOA in no lookup.
JAN = [
    row("2023-01", "E01000248", "Anti-social behaviour"),
    row("2023-01", "E01000250", "Anti-social behaviour"),
    row("2023-01", "E01000249", "Burglary"),
    row("2023-01", "", "Anti-social behaviour"),
    row("2023-01", "E01099999", "Drugs"),
    row("2023-01", "E01000248", "Anti-social behaviour"),
]


def street(*rows: str) -> bytes:
    return text_file(HEAD, *rows)


def loaded_lookups(engine) -> None:
    assert load_bytes("wards.csv", WARD_LOOKUP, engine).status == "loaded"
    assert load_bytes("changes.csv", CHANGES_LOOKUP, engine).status == "loaded"


def counts(engine) -> dict[tuple, int]:
    """Current counts: (month 'YYYY-MM', ward, crime type) -> count (summed over forces)."""
    frame = queries.police_uk.monthly_counts(engine)
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    sums = frame.groupby(["month", "ward_code", "crime_type"])["count"].sum()
    return {key: int(value) for key, value in sums.items()}


def test_the_lookups_are_found_by_their_headers_and_loaded(engine):
    result = load_bytes("LSOA_(2021)_to_Electoral_Ward_(2024).csv", WARD_LOOKUP, engine)
    assert (result.status, result.layout, result.rows_read) == ("loaded", "ons-lsoa21-ward-lad", 4)
    result = load_bytes("LSOA_(2011)_to_LSOA_(2021).csv", CHANGES_LOOKUP, engine)
    assert (result.status, result.layout, result.rows_read) == ("loaded", "ons-lsoa11-lsoa21", 4)
    lookup = queries.police_uk.ward_lookup(engine).set_index("lsoa_code")
    assert lookup.loc["E01033583", "ward_code"] == "E05013628"
    assert lookup.loc["E01000916", "lad_name"] == "Camden"


def test_a_lookup_with_a_bad_code_or_a_repeated_lsoa_is_rejected(sqlite_engine):
    bad = text_file(
        "LSOA21CD,WD22CD,WD22NM,LAD22CD,LAD22NM",
        "E01000248,E05013628,Barnet Vale,E09000003,Barnet",
        "E0100024,E05013628,Barnet Vale,E09000003,Barnet",
        "E01000248,E05013629,Brunswick Park,E09000003,Barnet",
    )
    result = load_bytes("lookup.csv", bad, sqlite_engine)
    assert result.status == "rejected"
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("bad-gss-code", 3, "LSOA21CD"),
        ("duplicate-row", 4, "LSOA21CD"),
    ]
    assert queries.police_uk.ward_lookup(sqlite_engine).empty


def test_rows_are_placed_by_2011_codes_and_the_rest_counted_not_placed(engine):
    loaded_lookups(engine)
    result = load_bytes("2023-01-metropolitan-street.csv", street(*JAN), engine)
    assert result.status == "loaded", result.problems
    assert counts(engine) == {
        ("2023-01", "E05013628", "Anti-social behaviour"): 3,
        ("2023-01", "E05013629", "Burglary"): 1,
    }
    [warning] = result.warnings
    assert warning.code == "not-placed"
    assert "2 of 6 rows" in warning.message and "1 have no LSOA" in warning.message
    files = queries.police_uk.held_files(engine)
    assert files[["rows", "not_placed"]].values.tolist() == [[6, 2]]
    frame = queries.police_uk.monthly_counts(engine)
    asb = frame[frame["crime_type"] == "Anti-social behaviour"].iloc[0]
    assert (asb["lad_code"], asb["source_row"]) == ("E09000003", 2)  # the first row counted


def test_2021_codes_are_placed_directly_from_june_2023(engine):
    loaded_lookups(engine)
    data = street(
        row("2023-06", "E01033583", "Anti-social behaviour"),
        row("2023-06", "E01000916", "Robbery"),
    )
    assert load_bytes("2023-06-metropolitan-street.csv", data, engine).status == "loaded"
    assert counts(engine) == {
        ("2023-06", "E05013628", "Anti-social behaviour"): 1,
        ("2023-06", "E05013652", "Robbery"): 1,
    }


def test_a_street_file_needs_a_lookup_loaded_first(sqlite_engine):
    result = load_bytes("2023-01-metropolitan-street.csv", street(*JAN), sqlite_engine)
    assert result.status == "rejected"
    assert [p.code for p in result.errors] == ["no-lookup"]


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_two_months_and_two_forces_skipping_other_files(engine):
    loaded_lookups(engine)
    data = zip_of(
        {
            "2023-01/2023-01-metropolitan-street.csv": street(*JAN),
            "2023-01/2023-01-metropolitan-outcomes.csv": b"Crime ID,Month\n",
            "2023-01/2023-01-city-of-london-street.csv": street(
                row("2023-01", "E01000916", "Theft from the person", CITY),
                row("2023-01", "E01000248", "Anti-social behaviour", CITY),
            ),
            "2023-02/2023-02-metropolitan-street.csv": street(
                row("2023-02", "E01000249", "Anti-social behaviour"),
                row("2023-02", "E01000249", "Anti-social behaviour"),
            ),
            "2023-02/2023-02-city-of-london-street.csv": street(
                row("2023-02", "E01000916", "Anti-social behaviour", CITY)
            ),
        }
    )
    result = load_bytes("custom-download.zip", data, engine)
    assert result.status == "loaded", result.problems
    assert counts(engine) == {
        ("2023-01", "E05013628", "Anti-social behaviour"): 4,  # 3 Met + 1 City
        ("2023-01", "E05013629", "Burglary"): 1,
        ("2023-01", "E05013652", "Theft from the person"): 1,
        ("2023-02", "E05013629", "Anti-social behaviour"): 2,
        ("2023-02", "E05013652", "Anti-social behaviour"): 1,
    }
    assert {p.code for p in result.warnings} == {"not-placed", "police-files-skipped"}
    assert len(queries.police_uk.held_files(engine)) == 4
    status = queries.dataset_status(engine).set_index("dataset")  # python -m etl status
    assert (status.loc["police_uk", "areas"], status.loc["police_uk", "months"]) == (2, 2)


def test_a_revised_month_replaces_the_earlier_file_and_a_revert_brings_it_back(engine):
    loaded_lookups(engine)
    first = load_bytes("2023-01-metropolitan-street.csv", street(*JAN), engine)
    revised = street(*JAN[:2], *JAN[3:5])  # the third ASB row and the burglary gone
    preview = preview_bytes("2023-01-metropolitan-street.csv", revised, engine)
    change = preview.changes.iloc[0]
    assert (change["replaced"], change["old_total"], change["new_total"]) == (1, 4, 2)
    second = load_bytes("2023-01-metropolitan-street.csv", revised, engine)
    assert second.status == "loaded"
    assert counts(engine) == {("2023-01", "E05013628", "Anti-social behaviour"): 2}
    files = queries.police_uk.held_files(engine)
    assert files["upload_id"].tolist() == [second.upload_id]
    revert_upload(second.upload_id, engine)
    assert counts(engine) == {
        ("2023-01", "E05013628", "Anti-social behaviour"): 3,
        ("2023-01", "E05013629", "Burglary"): 1,
    }
    assert queries.police_uk.held_files(engine)["upload_id"].tolist() == [first.upload_id]


@pytest.mark.parametrize(
    ("bad_row", "code"),
    [
        (row("2023-13", "E01000248", "Drugs"), "bad-police-month"),
        (row("2023-02", "E01000248", "Drugs"), "month-not-file-month"),
    ],
)
@pytest.mark.parametrize("chunk_rows", [2, 250_000])  # a file read in several chunks, or one
def test_a_bad_month_rejects_the_file_and_changes_nothing(
    sqlite_engine, monkeypatch, bad_row, code, chunk_rows
):
    monkeypatch.setattr(police_uk, "CHUNK_ROWS", chunk_rows)
    loaded_lookups(sqlite_engine)
    load_bytes("2023-01-metropolitan-street.csv", street(*JAN), sqlite_engine)
    before = counts(sqlite_engine)
    bad = street(JAN[0], JAN[1], bad_row)
    result = load_bytes("2023-01-metropolitan-street.csv", bad, sqlite_engine)
    assert result.status == "rejected"
    assert [(p.code, p.sheet, p.row, p.column) for p in result.errors] == [
        (code, "2023-01-metropolitan-street.csv", 4, "Month")
    ]
    assert counts(sqlite_engine) == before
    assert len(queries.police_uk.held_files(sqlite_engine)) == 1


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8-sig"))))


def test_the_shipped_met_month_counts_barnet_asb_as_the_file_does(sqlite_engine):
    for name in ("ons-lsoa21-ward-lad24-london.csv.gz", "ons-lsoa11-lsoa21-london.csv.gz"):
        assert load_bytes(name, (SEED / name).read_bytes(), sqlite_engine).status == "loaded"
    met = SEED / "2023-01-metropolitan-street-first-4000-rows.csv.gz"
    assert load_bytes(met.name, met.read_bytes(), sqlite_engine).status == "loaded"
    # by hand, row by row: 2011 code -> 2021 code -> local authority
    to_2021 = {
        r["LSOA11CD"]: r["LSOA21CD"] for r in _rows(SEED / "ons-lsoa11-lsoa21-london.csv.gz")
    }
    to_lad = {
        r["LSOA21CD"]: r["LAD24CD"] for r in _rows(SEED / "ons-lsoa21-ward-lad24-london.csv.gz")
    }
    expected: dict[str, int] = {}
    for r in _rows(met):
        lad = to_lad.get(to_2021.get(r["LSOA code"], r["LSOA code"]))
        if lad and r["Crime type"] == "Anti-social behaviour":
            expected[lad] = expected.get(lad, 0) + 1
    frame = queries.police_uk.monthly_counts(sqlite_engine)
    asb = frame[frame["crime_type"] == "Anti-social behaviour"].groupby("lad_code")["count"].sum()
    assert asb.to_dict() == expected
    assert sum(expected.values()) > 600  # most of the file's 699 ASB rows are in London


def test_a_reverted_lookup_gives_way_to_the_earlier_one(sqlite_engine):
    loaded_lookups(sqlite_engine)
    moved = text_file(
        "LSOA21CD,WD24CD,WD24NM,LAD24CD,LAD24NM",
        "E01000248,E05013629,Brunswick Park,E09000003,Barnet",
    )
    later = load_bytes("lookup-2.csv", moved, sqlite_engine)
    lookup = queries.police_uk.ward_lookup(sqlite_engine).set_index("lsoa_code")
    assert lookup.loc["E01000248", "ward_code"] == "E05013629"
    assert lookup.loc["E01000249", "ward_code"] == "E05013629"  # kept from the first
    revert_upload(later.upload_id, sqlite_engine)
    lookup = queries.police_uk.ward_lookup(sqlite_engine).set_index("lsoa_code")
    assert lookup.loc["E01000248", "ward_code"] == "E05013628"
    assert isinstance(lookup, pd.DataFrame)


def test_a_file_named_otherwise_takes_its_force_and_month_from_its_rows(sqlite_engine):
    loaded_lookups(sqlite_engine)
    load_bytes("2023-01-metropolitan-street.csv", street(*JAN), sqlite_engine)
    # the same force and month under another name replaces it (force from "Reported by")
    result = load_bytes("met-january.csv", street(JAN[0]), sqlite_engine)
    assert result.status == "loaded"
    files = queries.police_uk.held_files(sqlite_engine)
    assert files[["force", "member"]].values.tolist() == [["metropolitan", "met-january.csv"]]
    mixed = load_bytes(
        "met.csv", street(JAN[0], row("2023-02", "E01000248", "Drugs")), sqlite_engine
    )
    assert [(p.code, p.row) for p in mixed.errors] == [("month-not-file-month", 3)]


def test_the_preview_of_a_lookup_counts_lsoas_new_and_moved(sqlite_engine):
    loaded_lookups(sqlite_engine)
    moved = text_file(
        "LSOA21CD,WD24CD,WD24NM,LAD24CD,LAD24NM",
        "E01000248,E05013629,Brunswick Park,E09000003,Barnet",
        "E01000251,E05013629,Brunswick Park,E09000003,Barnet",
    )
    preview = preview_bytes("lookup-2.csv", moved, sqlite_engine)
    assert preview.status == "ready"
    change = preview.changes.iloc[0]
    # E01000248 was held (in Barnet Vale: it moves); E01000251 is new
    assert (change["area_code"], change["added"], change["replaced"], change["changed"]) == (
        "E09000003",
        1,
        1,
        1,
    )


def test_a_figure_traces_to_its_file_first_row_and_upload(sqlite_engine):
    loaded_lookups(sqlite_engine)
    result = load_bytes("2023-01-metropolitan-street.csv", street(*JAN), sqlite_engine, "anna")
    for area in ("E05013628", "E09000003"):  # the ward and its borough
        sources = queries.police_uk.figure_sources(
            sqlite_engine, area, "Anti-social behaviour", date(2023, 1, 1)
        )
        assert sources[
            ["member", "source_row", "count", "upload_id", "uploaded_by"]
        ].values.tolist() == [["2023-01-metropolitan-street.csv", 2, 3, result.upload_id, "anna"]]


def test_a_crime_type_not_among_the_14_is_counted_as_written_with_a_warning(sqlite_engine):
    loaded_lookups(sqlite_engine)
    data = street(JAN[0], row("2023-01", "E01000248", "Knife crime"))
    result = load_bytes("2023-01-metropolitan-street.csv", data, sqlite_engine)
    assert result.status == "loaded"
    assert [(p.code, p.value) for p in result.warnings] == [("unknown-crime-type", "Knife crime")]
    assert counts(sqlite_engine)[("2023-01", "E05013628", "Knife crime")] == 1
