"""Reading what analysts send: CSV in any of the usual encodings, .xlsx, .csv.gz; never a crash."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from etl import read as etl_read
from etl.formats import mps_crime
from etl.read import (
    ExtractUnreadable,
    decode_text,
    gunzipped_size,
    header_text,
    read_bytes,
    read_csv_text,
    read_extract,
    sheet_from_grid,
)
from fixtures.extracts import BOROUGH_RECENT, raw_seed, text_file, xlsx_bytes

HEADER = "MajorText,MinorText,BoroughName,202401,202402"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Caf\xc3\xa9", "Café"),  # UTF-8
        (b"\xef\xbb\xbfCaf\xc3\xa9", "Café"),  # UTF-8 with the BOM Excel writes
        (b"Caf\xe9", "Café"),  # Windows-1252
        (b"St Paul\x92s \x96 \x91x\x92", "St Paul’s – ‘x’"),  # Windows-1252 curly quotes, dash
        (b"plain", "plain"),
    ],
)
def test_decode_text(data, text):
    assert decode_text(data) == text


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (201004.0, "201004"),  # Excel keeps YYYYMM headings as numbers
        (201004, "201004"),
        ("\ufeffMajorText", "MajorText"),
        ("  BoroughName ", "BoroughName"),
        (None, ""),
        (float("nan"), ""),
        (2.5, "2.5"),
    ],
)
def test_header_text(cell, text):
    assert header_text(cell) == text


def test_csv_rows_are_numbered_as_excel_shows_them():
    text = "\r\n".join(
        [
            HEADER,
            "BURGLARY,BURGLARY IN A DWELLING,Barnet,1,2",
            "",
            ",,,,",
            "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,3,4",
        ]
    )
    sheet, problems = read_csv_text(text)
    assert problems == []
    assert sheet.rows.tolist() == [2, 5]
    assert sheet.frame["MinorText"].tolist() == [
        "BURGLARY IN A DWELLING",
        "ROBBERY OF PERSONAL PROPERTY",
    ]


def test_xlsx_rows_are_numbered_as_excel_shows_them():
    book = xlsx_bytes(
        {
            "Data": [
                HEADER.split(","),
                ["BURGLARY", "BURGLARY IN A DWELLING", "Barnet", 1, 2],
                [],
                ["ROBBERY", "ROBBERY OF PERSONAL PROPERTY", "Barnet", 3, 4],
            ]
        }
    )
    extract = read_bytes("crime.xlsx", book)
    sheet = sheet_from_grid("Data", extract.grids["Data"])
    assert extract.kind == "xlsx"
    assert list(sheet.frame.columns) == HEADER.split(",")  # 202401.0 read back as '202401'
    assert sheet.rows.tolist() == [2, 4]
    assert sheet.frame["202402"].tolist() == [2, 4]


def test_workbook_with_a_cover_sheet_uses_the_data_sheet():
    book = xlsx_bytes(
        {
            "Notes": [["Downloaded from the London Datastore"], ["Figures are provisional"]],
            "Data": [HEADER.split(","), ["BURGLARY", "BURGLARY IN A DWELLING", "Barnet", 1, 2]],
        }
    )
    sheets = mps_crime.candidate_sheets(read_bytes("crime.xlsx", book))
    assert [s.name for s in sheets] == ["Data"]


def test_gzipped_seed_reads_like_the_csv_inside():
    raw = raw_seed(BOROUGH_RECENT)
    extract = read_extract(BOROUGH_RECENT)
    (sheet,) = extract.sheets
    # the name as uploaded (the history showed ".csv" for a ".csv.gz")
    assert (extract.kind, extract.filename) == ("csv", "mps-borough-recent.csv.gz")
    assert list(sheet.frame.columns) == list(raw.columns)
    assert len(sheet.frame) == len(raw)
    assert np.array_equal(sheet.frame["202502"].to_numpy(), raw["202502"].to_numpy())
    assert sheet.rows[-1] == len(raw) + 1


def test_trailing_empty_columns_from_excel_csv_export_are_ignored():
    text = "\r\n".join([HEADER + ",,", "BURGLARY,BURGLARY IN A DWELLING,Barnet,1,2,,"])
    sheet, problems = read_csv_text(text)
    assert problems == []
    assert list(sheet.frame.columns) == HEADER.split(",")


def test_wrong_field_counts_are_problems_not_a_crash():
    text = "\r\n".join(
        [
            HEADER,
            "BURGLARY,BURGLARY IN A DWELLING,Barnet,1,2,3",
            "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,3",
        ]
    )
    sheet, problems = read_csv_text(text)
    assert [(p.code, p.row) for p in problems] == [
        ("wrong-field-count", 2),
        ("wrong-field-count", 3),
    ]
    assert sheet.rows.tolist() == [2, 3]
    assert sheet.frame.shape == (2, 5)


@pytest.mark.parametrize(
    ("rows", "wrong"),
    [
        (["a,b,c,1", "a,b,c,2"], [2, 3]),  # every row one field too many: pandas makes an index
        (["a,b,c", "a,b"], [3]),  # a short row (pandas fills it with nothing)
        (["a,b,c", "a,b,c,d"], [3]),  # one long row (pandas refuses the file)
        (['"a,1",b,c', '"x\ny",b,c'], []),  # commas and a line break inside quotes
    ],
)
def test_only_rows_with_the_wrong_number_of_fields_are_problems(rows, wrong):
    _, problems = read_csv_text("\n".join(["h1,h2,h3", *rows]))
    assert [p.row for p in problems if p.code == "wrong-field-count"] == wrong


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("crime.csv", b"", "file-empty"),
        ("crime.csv", b" \r\n\r\n", "file-empty"),
        ("crime.csv", text_file(HEADER), "file-empty"),
        ("crime.xlsx", xlsx_bytes({"Sheet1": []}), "file-empty"),
        ("crime.csv.gz", gzip.compress(b""), "file-empty"),
        ("crime.csv", b"\x00\x01\x02\x03" * 100, "file-unreadable"),
        ("crime.xlsx", b"this is not a workbook" * 20, "file-unreadable"),
        ("crime.xlsx", _zip({"notes.txt": b"hello"}), "file-unreadable"),
        ("crime.csv.gz", b"\x1f\x8b\x08\x00" + b"\xff" * 64, "file-unreadable"),
    ],
)
def test_unreadable_files_raise_one_problem(filename, data, code):
    with pytest.raises(ExtractUnreadable) as info:
        read_bytes(filename, data)
    assert info.value.problem.code == code


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(text_file(HEADER, *["BURGLARY,BURGLARY IN A DWELLING,Barnet,1,2"] * 50))
    monkeypatch.setenv("MAX_UPLOAD_MB", str(1000 / 2**20))
    for read in (lambda: read_extract(path), lambda: read_bytes(path.name, path.read_bytes())):
        with pytest.raises(ExtractUnreadable) as info:
            read()
        assert info.value.problem.code == "file-too-large"


def test_zip_bomb_is_refused_from_its_directory_without_unpacking():
    data = bytearray(_zip({"xl/worksheets/sheet1.xml": b"<x/>"}))
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = (2**32 - 2).to_bytes(4, "little")  # claims 4 GB
    with pytest.raises(ExtractUnreadable) as info:
        read_bytes("crime.xlsx", bytes(data))
    assert info.value.problem.code == "file-too-large-unzipped"


def gzip_bomb(megabytes: int) -> bytes:
    """A CSV header and ``megabytes`` MB of zeros, gzip-compressed (about 1 KB per MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    block = bytes(2**20)
    parts = [packer.compress(text_file(HEADER))]
    parts += [packer.compress(block) for _ in range(megabytes)]
    return b"".join([*parts, packer.flush()])


def test_a_gzip_bomb_is_refused_holding_far_less_than_the_limit(monkeypatch):
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", "64")
    bomb = gzip_bomb(256)
    assert len(bomb) < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ExtractUnreadable) as info:
            read_bytes("crime.csv.gz", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.problem.code == "file-too-large-unzipped"
    assert peak < 8 * 2**20  # a few chunks, not the 64 MB limit
    message = info.value.problem.message
    assert message.startswith("The compressed file would unpack to over 64 MB (limit 64 MB)")
    assert "workbook" not in message


def test_a_gzip_file_within_the_limit_is_unpacked_holding_it_once(monkeypatch):
    monkeypatch.setenv("MAX_UNCOMPRESSED_MB", "64")
    inside = text_file(HEADER) + text_file("BURGLARY,BURGLARY IN A DWELLING,Barnet,1,2") * 2**19
    packed = gzip.compress(inside, compresslevel=1)
    tracemalloc.start()
    try:
        unpacked = etl_read._gunzip(packed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert unpacked == inside
    assert peak < len(inside) + 8 * 2**20  # the file once and a few chunks, never twice


@pytest.mark.parametrize(
    "data",
    [
        gzip.compress(b"a,b\r\n1,2\r\n"),
        gzip.compress(b"a,b\r\n") + gzip.compress(b"1,2\r\n"),  # two members, as `cat` makes
        gzip.compress(b"a,b\r\n1,2\r\n") + bytes(8),  # zero padding after the member
    ],
)
def test_gzip_files_read_whole(data):
    assert gunzipped_size(data, 100) == 10
    (sheet,) = read_bytes("x.csv.gz", data).sheets
    assert sheet.frame.to_dict("records") == [{"a": 1, "b": 2}]


def test_a_gzip_file_cut_short_is_unreadable():
    data = gzip.compress(b"a,b\r\n1,2\r\n" * 1000)
    with pytest.raises(ExtractUnreadable) as info:
        read_bytes("x.csv.gz", data[: len(data) // 2])
    assert info.value.problem.code == "file-unreadable"
