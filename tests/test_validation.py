"""A bad extract is rejected with every problem listed where the analyst sees it in Excel,
and the database is left exactly as it was (only the upload log records the attempt)."""

from __future__ import annotations

import gzip
import io
import random
import re
import zipfile
from datetime import date, timedelta

import pytest

from etl.formats import mps_crime
from etl.load import load_bytes, load_path
from fixtures.extracts import ons_ward_workbook, table_counts, text_file, upload_log, xlsx_bytes

HEADER = "MajorText,MinorText,BoroughName,202401,202402"
DWELLING = "BURGLARY,BURGLARY IN A DWELLING,Barnet"
PERSONAL = "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet"
WARD_HEADER = "WardName,WardCode,MajorText,MinorText,LookUp_BoroughName,202401"
_next = date.today().replace(day=1) + timedelta(days=32)
NEXT_MONTH = f"{_next:%Y%m}"
THIS_MONTH = date.today().replace(day=1)  # the clock the loader reads (etl.load: date.today())

GOOD = text_file(
    "MajorText,MinorText,BoroughName,202312,202401",
    "BURGLARY,BURGLARY IN A DWELLING,Barnet,40,41",
    "THEFT,OTHER THEFT,Brent,7,0",
)


@pytest.fixture
def loaded(sqlite_engine):
    """A database that already holds one good file, so 'unchanged' means something.

    Checks run before anything is written, so most cases need one database only; the
    rejections below are repeated on PostgreSQL too.
    """
    assert load_bytes("good.csv", GOOD, sqlite_engine).status == "loaded"
    return sqlite_engine


def reject(engine, filename: str, data: bytes):
    """Load a file that must be rejected; check nothing but the upload log changed."""
    before, log_before = table_counts(engine), upload_log(engine)

    result = load_bytes(filename, data, engine)

    assert result.status == "rejected"
    assert table_counts(engine) == before
    log = upload_log(engine)
    assert len(log) == len(log_before) + 1
    last = log.iloc[-1]
    assert (last["id"], last["status"]) == (result.upload_id, "rejected")
    assert [p["code"] for p in last["problems"]] == [p.code for p in result.problems]
    return result


def where(result) -> list[tuple]:
    return [(p.code, p.row, p.column) for p in result.problems]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


ROW_CASES = [
    # (id, lines after the header, expected (code, Excel row, column) in order)
    ("blank-count", [f"{DWELLING},,2"], [("blank-count", 2, "202401")]),
    (
        "not-whole-number 1.5",
        [f"{DWELLING},1,2", f"{PERSONAL},1.5,2"],
        [("not-whole-number", 3, "202401")],
    ),
    ("not-whole-number abc", [f"{DWELLING},abc,2"], [("not-whole-number", 2, "202401")]),
    ("negative-count", [f"{DWELLING},1,2", f"{PERSONAL},3,-4"], [("negative-count", 3, "202402")]),
    (
        "negative-count -1 in a column that also holds 1.0",  # read as decimals, not integers
        [f"{DWELLING},1.0,2", f"{PERSONAL},-1,3"],
        [("negative-count", 3, "202401")],
    ),
    (
        "blank-value major",
        [f"{DWELLING},1,2", ",ROBBERY OF PERSONAL PROPERTY,Barnet,1,1"],
        [("blank-value", 3, "MajorText")],
    ),
    (
        "blank-value borough",
        ["BURGLARY,BURGLARY IN A DWELLING,,1,2"],
        [("blank-value", 2, "BoroughName")],
    ),
    (
        "duplicate-row",
        [f"{DWELLING},1,2", f"{PERSONAL},1,1", "burglary,Burglary in a Dwelling,BARNET,3,4"],
        [("duplicate-row", 4, None)],
    ),
    (
        "unknown-borough",
        ["BURGLARY,BURGLARY IN A DWELLING,Barnett,1,2"],
        [("unknown-borough", 2, "BoroughName")],
    ),
    (
        "rows after a blank row keep Excel numbers",
        [f"{DWELLING},1,2", ",,,,", f"{PERSONAL},x,1"],
        [("not-whole-number", 4, "202401")],
    ),
]


@pytest.mark.parametrize(
    ("lines", "expected"), [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES]
)
def test_row_problem_is_reported_at_its_excel_row(loaded, lines, expected):
    result = reject(loaded, "bad.csv", text_file(HEADER, *lines))
    assert where(result) == expected


def _as_xlsx(lines: list[str]) -> bytes:
    def cell(text: str):
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text) if "." in text else int(text)
        return text or None

    rows = [[cell(c) for c in line.split(",")] for line in [HEADER, *lines]]
    return xlsx_bytes({"Crime": rows})


@pytest.mark.parametrize(
    ("lines", "expected"), [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES]
)
def test_same_problem_in_an_xlsx_is_at_the_same_row(sqlite_engine, lines, expected):
    load_bytes("good.csv", GOOD, sqlite_engine)
    result = reject(sqlite_engine, "bad.xlsx", _as_xlsx(lines))
    assert where(result) == expected
    assert {p.sheet for p in result.problems} == {"Crime"}


FILE_CASES = [
    # (id, file name, bytes, expected (code, row, column) in order)
    ("file-empty", "crime.csv", b"", [("file-empty", None, None)]),
    ("file-empty blank lines", "crime.csv", b"\r\n  \r\n", [("file-empty", None, None)]),
    ("file-empty header only", "crime.csv", text_file(HEADER), [("file-empty", None, None)]),
    ("file-empty xlsx", "crime.xlsx", xlsx_bytes({"Sheet1": []}), [("file-empty", None, None)]),
    (
        "file-unreadable binary junk",
        "crime.csv",
        bytes(range(256)) * 8,
        [("file-unreadable", None, None)],
    ),
    (
        "file-unreadable corrupt xlsx",
        "crime.xlsx",
        random.Random(7).randbytes(4000),
        [("file-unreadable", None, None)],
    ),
    (
        "file-unreadable zip not a workbook",
        "crime.xlsx",
        _zip({"readme.txt": b"hello"}),
        [("file-unreadable", None, None)],
    ),
    (
        "file-unreadable bad gzip",
        "crime.csv.gz",
        b"\x1f\x8b\x08\x00" + b"junk" * 50,
        [("file-unreadable", None, None)],
    ),
    (
        "unknown-layout",
        "crime.csv",
        text_file("Name,Value", "foo,1"),
        [("unknown-layout", 1, None)],
    ),
    (
        "missing-column",
        "crime.csv",
        text_file("MajorText,BoroughName,202401", "BURGLARY,Barnet,1"),
        [("missing-column", 1, "MinorText")],
    ),
    (
        "missing-column ward code",
        "crime.csv",
        text_file(
            "WardName,MajorText,MinorText,LookUp_BoroughName,202401", f"Burnt Oak,{DWELLING},1"
        ),
        [("missing-column", 1, "WardCode")],
    ),
    (
        "unexpected-column",
        "crime.csv",
        text_file(HEADER + ",Notes", f"{DWELLING},1,2,checked"),
        [("unexpected-column", 1, "Notes")],
    ),
    (
        "bad-month",
        "crime.csv",
        text_file("MajorText,MinorText,BoroughName,202312,202313", f"{DWELLING},1,2"),
        [("bad-month", 1, "202313")],
    ),
    (
        "future-month",
        "crime.csv",
        text_file(f"MajorText,MinorText,BoroughName,202401,{NEXT_MONTH}", f"{DWELLING},1,2"),
        [("future-month", 1, NEXT_MONTH)],
    ),
    (
        "no-months",
        "crime.csv",
        text_file("MajorText,MinorText,BoroughName", DWELLING),
        [("no-months", 1, None)],
    ),
    (
        "bad-ward-code",
        "wards.csv",
        text_file(
            WARD_HEADER, f"Barnet Vale,E05013628,{DWELLING},1", f"Burnt Oak,X0501363,{DWELLING},2"
        ),
        [("bad-ward-code", 3, "WardCode")],
    ),
    (
        "wrong-field-count too many",
        "crime.csv",
        text_file(HEADER, f"{DWELLING},1,2", f"{PERSONAL},1,2,3"),
        [("wrong-field-count", 3, None)],
    ),
    (
        "wrong-field-count too few",
        "crime.csv",
        text_file(HEADER, f"{DWELLING},1", f"{PERSONAL},1,2"),
        [("wrong-field-count", 2, None), ("blank-count", 2, "202402")],
    ),
]


@pytest.mark.parametrize(
    ("filename", "data", "expected"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_bad_file_is_rejected_and_nothing_changes(loaded, filename, data, expected):
    result = reject(loaded, filename, data)
    assert where(result) == expected


# the rejection path writes the upload log: one case per stage, on PostgreSQL too
BOTH_FILE_CASES = ["file-unreadable corrupt xlsx", "unknown-layout", "wrong-field-count too few"]
BOTH_ROW_CASES = ["blank-count", "duplicate-row", "unknown-borough"]


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [c[1:] for c in FILE_CASES if c[0] in BOTH_FILE_CASES]
    + [("bad.csv", text_file(HEADER, *c[1]), c[2]) for c in ROW_CASES if c[0] in BOTH_ROW_CASES],
    ids=BOTH_FILE_CASES + BOTH_ROW_CASES,
)
def test_rejections_on_both_databases(engine, filename, data, expected):
    assert load_bytes("good.csv", GOOD, engine).status == "loaded"
    result = reject(engine, filename, data)
    assert where(result) == expected


def test_unknown_layout_near_none_says_where_the_layouts_are_listed(loaded):
    result = reject(loaded, "crime.csv", text_file("Name,Value", "foo,1"))
    (item,) = result.problems
    # 5 MPS crime layouts, the MPS dashboard, 3 population, 6 council templates (partnership
    # indicators too), boundaries, police.uk street files and the two ONS LSOA lookups
    assert item.message.endswith(
        "(any of 19: the Upload page lists them, with templates to fill in)."
    )
    assert len(item.message) < 200  # was 1,400 characters listing every layout


def test_unknown_layout_names_the_nearest_and_its_missing_columns(loaded):
    header = "Major Text,MinorText,Borough Name,202401"
    result = reject(
        loaded, "crime.csv", text_file(header, "BURGLARY,BURGLARY - RESIDENTIAL,Barnet,3")
    )
    (item,) = result.problems
    assert item.code == "unknown-layout"
    assert item.message == (
        "The column headings do not match any layout we accept. The nearest is "
        f"{mps_crime.LAYOUTS[2].label}; this file has no column 'MajorText' or 'BoroughName' "
        "(it has 'Major Text' and 'Borough Name': write the headings exactly as shown)."
    )


def test_duplicate_row_names_the_first_row(loaded):
    data = text_file(
        HEADER, f"{DWELLING},1,2", f"{PERSONAL},1,1", f"{PERSONAL},5,5", f"{DWELLING},3,4"
    )
    result = reject(loaded, "dup.csv", data)
    rows = [(p.row, int(re.search(r"row (\d+)", p.message).group(1))) for p in result.problems]
    assert rows == [(4, 3), (5, 2)]


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Barnett", "Barnet"), ("Kensington & Chelsa", "Kensington and Chelsea"), ("Mars", None)],
)
def test_unknown_borough_suggests_the_nearest_name(loaded, name, suggestion):
    result = reject(
        loaded, "b.csv", text_file(HEADER, f"BURGLARY,BURGLARY IN A DWELLING,{name},1,2")
    )
    (item,) = result.problems
    assert (item.code, item.value) == ("unknown-borough", name)
    hint = re.search(r"did you mean '([^']+)'", item.message)
    assert (hint.group(1) if hint else None) == suggestion


# ---------------------------------------------------------------- size limits


def test_file_over_the_upload_limit_is_rejected(loaded, monkeypatch, tmp_path):
    big = text_file(HEADER, *[f"{DWELLING},{i},{i}" for i in range(100)])
    path = tmp_path / "big.csv"
    path.write_bytes(big)
    monkeypatch.setenv("MAX_UPLOAD_MB", str(1000 / 2**20))  # 1,000 bytes
    assert len(big) > 1000

    assert where(reject(loaded, "big.csv", big)) == [("file-too-large", None, None)]
    before = table_counts(loaded)
    from_disk = load_path(path, loaded)
    assert where(from_disk) == [("file-too-large", None, None)]
    assert table_counts(loaded) == before


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """An .xlsx-shaped zip whose one member unpacks to 288 MB of zeros (1.3 MB on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = bytes(2**24)
            for _ in range(18):
                member.write(chunk)
    return out.getvalue()


def test_zip_bomb_is_rejected_from_its_directory(loaded, monkeypatch, zip_bomb):
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", "100")
    result = reject(loaded, "crime.xlsx", zip_bomb)
    assert where(result) == [("file-too-large-unzipped", None, None)]


def _lying_zip(declared: int) -> bytes:
    """A tiny zip whose directory claims its member unpacks to ``declared`` bytes.

    Only a reader that trusts the directory sees the size; one that unpacked the member would
    hit a size mismatch instead, so this also shows the check does not unpack anything.
    """
    data = bytearray(_zip({"xl/workbook.xml": b"<workbook/>"}))
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")
    return bytes(data)


def test_zip_claiming_4_gb_is_rejected_with_default_limits(loaded):
    result = reject(loaded, "crime.xlsx", _lying_zip(2**32 - 2))
    assert where(result) == [("file-too-large-unzipped", None, None)]


def test_normal_workbook_over_a_small_unzipped_limit_is_rejected(loaded, monkeypatch):
    book = xlsx_bytes({"Crime": [HEADER.split(","), [*DWELLING.split(","), 1, 2]]})
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", str(1000 / 2**20))
    result = reject(loaded, "crime.xlsx", book)
    assert where(result) == [("file-too-large-unzipped", None, None)]


def test_gzip_bomb_is_rejected(loaded, monkeypatch):
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", "1")
    bomb = gzip.compress(text_file(HEADER) + b"x" * (3 * 2**20), compresslevel=1)
    result = reject(loaded, "crime.csv.gz", bomb)
    assert where(result) == [("file-too-large-unzipped", None, None)]


# ---------------------------------------------------------------- the problem cap

BOROUGHS = [
    "Barnet",
    "Brent",
    "Camden",
    "Croydon",
    "Ealing",
    "Enfield",
    "Hackney",
    "Harrow",
    "Lambeth",
    "Merton",
]


@pytest.mark.parametrize(
    ("kind", "errors", "cap", "listed", "cut"),
    [
        ("not-whole-number", 3, 3, 3, False),
        ("not-whole-number", 4, 3, 3, True),  # one past the cap
        ("not-whole-number", 10, 3, 3, True),
        ("wrong-field-count", 3, 3, 3, False),
        ("wrong-field-count", 4, 3, 3, True),
    ],
)
def test_problem_list_is_capped_and_the_file_still_rejected(
    loaded, monkeypatch, kind, errors, cap, listed, cut
):
    monkeypatch.setenv("MAX_PROBLEMS", str(cap))
    rows = [f"ROBBERY,ROBBERY OF PERSONAL PROPERTY,{b}" for b in BOROUGHS[:errors]]
    if kind == "not-whole-number":
        data = text_file(HEADER, *[f"{row},x,1" for row in rows])
    else:
        data = text_file(HEADER, *[f"{row},1,1,1" for row in rows])

    result = reject(loaded, "capped.csv", data)

    codes = [p.code for p in result.problems]
    assert codes == [kind] * listed + (["too-many-problems"] if cut else [])
    assert [p.row for p in result.problems[:listed]] == list(range(2, 2 + listed))


def test_one_error_after_a_cap_full_of_warnings_still_rejects(loaded, monkeypatch):
    # the first sheet's ward outside London fills a cap of 1 with a warning; the second
    # sheet's bad population is the only error, and it comes after the cap
    monkeypatch.setenv("MAX_PROBLEMS", "1")
    book = ons_ward_workbook(
        {
            "Mid-2021 Ward 2022": [
                ["E09000003", "Barnet", "E05013628", "Barnet Vale", 16000, 90, 95],
                ["E06000001", "Hartlepool", "E05008942", "Burn Valley", 8000, 40, 45],
            ],
            "Mid-2022 Ward 2022": [
                ["E09000003", "Barnet", "E05013628", "Barnet Vale", -16100, 91, 96],
            ],
        }
    )

    result = reject(loaded, "sapewards.xlsx", book)

    assert [(p.code, p.severity) for p in result.problems] == [
        ("unknown-area", "warning"),
        ("too-many-problems", "error"),
    ]


# ---------------------------------------------------------------- the latest month


def test_a_file_whose_latest_month_is_this_month_loads(loaded):
    # a month in progress is not in the future: the MPS publishes it part-way through
    previous = (THIS_MONTH - timedelta(days=1)).replace(day=1)
    data = text_file(
        f"MajorText,MinorText,BoroughName,{previous:%Y%m},{THIS_MONTH:%Y%m}", f"{DWELLING},3,4"
    )
    result = load_bytes("this-month.csv", data, loaded)
    assert (result.status, [p.code for p in result.problems]) == ("loaded", [])


# ---------------------------------------------------------------- MPS Monthly Crime Dashboard

DASHBOARD_HEADER = (
    "month_year,area_type,borough_snt,area_name,area_code,crime_type,crime_subtype,measure,count"
)
KNIFE = "Borough,Barnet,Barnet,E09000003,Knife Crime,Knife Crime,Offences"


def test_dashboard_negative_count_beside_a_decimal_is_rejected(loaded):
    # the count column holds 1.0 (a whole number) and -1: read as decimals, -1 is still negative
    data = text_file(DASHBOARD_HEADER, f"2024-01-01,{KNIFE},1.0", f"2024-02-01,{KNIFE},-1")
    result = reject(loaded, "dashboard.csv", data)
    assert where(result) == [("negative-count", 3, "count")]


def test_dashboard_file_whose_latest_month_is_this_month_loads(loaded):
    previous = (THIS_MONTH - timedelta(days=1)).replace(day=1)
    data = text_file(
        DASHBOARD_HEADER, f"{previous:%Y-%m-%d},{KNIFE},2", f"{THIS_MONTH:%Y-%m-%d},{KNIFE},3"
    )
    result = load_bytes("dashboard.csv", data, loaded)
    assert (result.status, [p.code for p in result.problems]) == ("loaded", [])


def test_dashboard_month_after_this_one_is_rejected(loaded):
    data = text_file(
        DASHBOARD_HEADER, f"{THIS_MONTH:%Y-%m-%d},{KNIFE},2", f"{_next:%Y-%m-01},{KNIFE},3"
    )
    result = reject(loaded, "dashboard.csv", data)
    assert where(result) == [("future-month", 3, "month_year")]
