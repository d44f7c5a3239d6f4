"""One entry point for reading an extract: ``read_extract(path)`` -> sheets of cells.

Handles what analysts actually send: CSV in UTF-8 (with or without BOM) or Windows-1252, and the
same layouts re-saved as .xlsx, and either gzip-compressed. Checks size limits before parsing and
guards against files that would unpack to an absurd size (zip and gzip bombs): an .xlsx by
reading the zip directory, not the data; a .gz by counting what it unpacks to, a chunk at a time,
before keeping any of it.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core import config
from etl.errors import Problem, problem


@dataclass
class Sheet:
    """A table of cells: ``frame`` has the header row's texts as columns.

    ``rows`` holds each frame row's row number as Excel shows it (header = row 1 for CSV).
    """

    name: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int = 1


@dataclass
class Extract:
    """A file as read from disk, before any layout is known."""

    filename: str
    size_bytes: int
    sha256: str
    kind: str  # csv | xlsx | json
    sheets: list[Sheet] = field(default_factory=list)
    grids: dict[str, pd.DataFrame] = field(default_factory=dict)  # xlsx: raw cells per sheet
    problems: list[Problem] = field(default_factory=list)
    document: object = None  # json: the parsed document (ward boundary GeoJSON)


class ExtractUnreadable(Exception):
    """Raised with the Problem that stops a file being read at all."""

    def __init__(self, item: Problem) -> None:
        super().__init__(item.message)
        self.problem = item


def file_digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes as uploaded (the same bytes twice load once)."""
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (BOM stripped) first, Windows-1252 when that fails."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def header_text(value: object) -> str:
    """A header cell as text; Excel keeps 201004 as a number, so 201004.0 -> '201004'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip().lstrip("\ufeff")


def _field_count_problems(text: str, limit: int) -> list[Problem]:
    out: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    expected = None
    for number, row in enumerate(reader, start=1):
        if expected is None:
            expected = len(row)
            continue
        if row and len(row) != expected and any(cell.strip() for cell in row):
            out.append(problem("wrong-field-count", row=number, found=len(row), expected=expected))
            if len(out) > limit:  # one past the cap, so the list says it was cut
                break
    return out


def _csv_frame_padded(text: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Slow path for broken files: rows cut or padded to the header so numbering stays right."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [header_text(h) for h in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object).replace("", np.nan)
    numbers = np.arange(2, len(body) + 2)
    keep = ~frame.isna().all(axis=1).to_numpy()
    return frame[keep].reset_index(drop=True), numbers[keep]


def _pandas_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(
        io.StringIO(text),
        skip_blank_lines=False,
        keep_default_na=False,
        na_values=[""],
        low_memory=False,
    )


def _may_have_wrong_rows(frame: pd.DataFrame | None) -> bool:
    """Whether a row may have the wrong number of fields, from pandas' reading: it refuses a
    row with too many (None here), fills a short row's last column with nothing, and makes
    extra leading fields of every row an index. Otherwise no row needs counting."""
    if frame is None or not isinstance(frame.index, pd.RangeIndex):
        return True
    return len(frame.columns) > 0 and bool(frame.iloc[:, -1].isna().any())


def read_csv_text(text: str, limit: int = 500) -> tuple[Sheet, list[Problem]]:
    """Parse CSV text into a Sheet; rows with the wrong number of fields become problems (each
    row's fields are counted only when pandas' reading leaves that possible)."""
    try:
        frame = _pandas_frame(text)
    except pd.errors.ParserError:
        frame = None
    problems = _field_count_problems(text, limit) if _may_have_wrong_rows(frame) else []
    if problems:
        frame, numbers = _csv_frame_padded(text)
    else:
        frame = _pandas_frame(text) if frame is None else frame  # its own error, if any
        frame.columns = [header_text(c) for c in frame.columns]
        numbers = np.arange(2, len(frame) + 2)
        blank = frame.isna().all(axis=1).to_numpy()
        if blank.any():
            frame, numbers = frame[~blank].reset_index(drop=True), numbers[~blank]
    # Excel's CSV export keeps trailing empty columns (",,"): no heading and no data, so drop
    # them as sheet_from_grid does for a workbook ("Unnamed: 5" is pandas' name for no heading)
    unnamed = np.array(
        [re.fullmatch(r"(Unnamed: \d+)?", str(c)) is not None for c in frame.columns]
    )
    frame = frame.loc[:, ~(unnamed & frame.isna().all(axis=0).to_numpy())]
    return Sheet(None, frame, numbers), problems


def _zip_size(data: bytes) -> int:
    """What a zip's directory says its members unpack to (read, never unpacked)."""
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


def _check_zip(data: bytes) -> None:
    try:
        unpacked = _zip_size(data)
    except zipfile.BadZipFile as exc:
        raise ExtractUnreadable(
            problem("file-unreadable", detail=f"it is not a valid Excel .xlsx workbook ({exc})")
        ) from exc
    limit = config.max_uncompressed_bytes()
    if unpacked > limit:
        raise ExtractUnreadable(
            problem(
                "file-too-large-unzipped",
                what="workbook",
                size_mb=round(unpacked / 2**20, 1),
                limit_mb=round(limit / 2**20),
            )
        )


def read_xlsx_grids(data: bytes) -> dict[str, pd.DataFrame]:
    """Every sheet's cells with no header applied (so title rows can be skipped per format)."""
    _check_zip(data)
    try:
        # "n/a", "NA", "-" typed in a cell are text to check, not blanks (as for CSV)
        grids = pd.read_excel(
            io.BytesIO(data),
            sheet_name=None,
            header=None,
            engine="calamine",
            keep_default_na=False,
            na_values=[""],
        )
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise ExtractUnreadable(
            problem("file-unreadable", detail=f"the workbook could not be read ({exc})")
        ) from exc
    return {str(name): grid for name, grid in grids.items()}


def sheet_from_grid(name: str, grid: pd.DataFrame, header_index: int = 0) -> Sheet:
    """Apply the header at ``header_index`` (0-based grid row) and number rows as Excel does."""
    header = [header_text(v) for v in grid.iloc[header_index].tolist()]
    frame = grid.iloc[header_index + 1 :].reset_index(drop=True)
    frame.columns = header
    # drop columns with no heading and no data (Excel's trailing formatting)
    keep_cols = [i for i, h in enumerate(header) if h or frame.iloc[:, i].notna().any()]
    frame = frame.iloc[:, keep_cols]
    numbers = np.arange(header_index + 2, header_index + 2 + len(frame))
    blank = frame.isna().all(axis=1).to_numpy()
    frame = frame[~blank].reset_index(drop=True)
    return Sheet(name, frame, numbers[~blank], header_row=header_index + 1)


GZIP_CHUNK = 2**20  # bytes unpacked at a time from a .gz file
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip


def gunzipped_size(data: bytes, limit: int) -> int:
    """How many bytes gzip ``data`` unpacks to, counted no further than one chunk past ``limit``
    and holding one chunk at a time (so a gzip bomb costs a moment, never memory)."""
    total = 0
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        while total <= limit:
            chunk = stream.read(GZIP_CHUNK)
            if not chunk:
                break
            total += len(chunk)
    return total


def _unpack_gzip(data: bytes, size: int) -> bytearray:
    out = bytearray(size)  # unpacked straight into place: never twice the file in memory
    view = memoryview(out)
    position = 0
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        while position < size:
            got = stream.readinto(view[position : position + GZIP_CHUNK])
            if not got:
                raise EOFError("the data ended early")
            position += got
    return out


def _gunzip(data: bytes) -> bytearray:
    """The file inside a .gz. It is measured first (one chunk held at a time) and refused as soon
    as it passes MAX_UNCOMPRESSED_MB, so nothing is kept of a file too large; one that fits is
    then unpacked into exactly its own size."""
    limit = config.max_uncompressed_bytes()
    try:
        size = gunzipped_size(data, limit)
        if size <= limit:
            return _unpack_gzip(data, size)
    except (OSError, EOFError, zlib.error) as exc:
        raise ExtractUnreadable(
            problem("file-unreadable", detail=f"bad gzip data ({exc})")
        ) from exc
    raise ExtractUnreadable(
        problem(
            "file-too-large-unzipped",
            what="compressed file",
            size_mb=f"over {round(limit / 2**20)}",
            limit_mb=round(limit / 2**20),
        )
    )


def gunzip(data: bytes) -> bytearray:
    """The file inside a .gz, measured and refused past MAX_UNCOMPRESSED_MB as ``read_bytes``
    does (raises ExtractUnreadable)."""
    return _gunzip(data)


def is_packed(data: bytes) -> bool:
    """True for gzip or zip (.xlsx) data: what MAX_UNCOMPRESSED_MB limits."""
    return data[:2] == GZIP_MAGIC or data[:4] == ZIP_MAGIC


def unpacked_size(data: bytes, limit: int) -> int:
    """The bytes reading ``data`` would unpack: a .gz counted (no further than just past
    ``limit``, a chunk at a time), an .xlsx from its zip directory, anything else its own size.
    A file that cannot be measured counts as its own size (reading it will say what is wrong)."""
    try:
        if data[:2] == GZIP_MAGIC:
            return gunzipped_size(data, limit)
        if data[:4] == ZIP_MAGIC:
            return _zip_size(data)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile):
        pass
    return len(data)


def read_bytes(filename: str, data: bytes | bytearray, limit: int = 500) -> Extract:
    """Read an extract's bytes; raises ExtractUnreadable when nothing can be read."""
    size = len(data)
    digest = file_digest(data)  # of the bytes as uploaded, as load_bytes checks it
    max_bytes = config.max_upload_bytes()
    if size > max_bytes:
        raise ExtractUnreadable(
            problem(
                "file-too-large",
                size_mb=round(size / 2**20, 1),
                limit_mb=round(max_bytes / 2**20),
            )
        )
    extract = Extract(Path(filename).name, size, digest, "csv")  # the name as uploaded
    if data[:2] == GZIP_MAGIC:  # the seed files ship compressed
        data = _gunzip(data)
        filename = filename.removesuffix(".gz")  # the inner name tells the kind
    if not data or data.isspace():  # (not data.strip(): that copies the whole file)
        raise ExtractUnreadable(problem("file-empty"))
    if data[:64].lstrip()[:1] == b"{" or filename.lower().endswith((".geojson", ".json")):
        return _read_json(extract, data)
    if data[:4] == ZIP_MAGIC or filename.lower().endswith((".xlsx", ".xlsm")):
        extract.kind = "xlsx"
        extract.grids = read_xlsx_grids(data)
        if not any(len(g) for g in extract.grids.values()):
            raise ExtractUnreadable(problem("file-empty"))
        return extract
    if b"\x00" in data[:4096]:
        raise ExtractUnreadable(
            problem("file-unreadable", detail="it is not a text CSV file or an .xlsx workbook")
        )
    text = decode_text(data)
    try:
        sheet, problems = read_csv_text(text, limit)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise ExtractUnreadable(problem("file-unreadable", detail=str(exc))) from exc
    if sheet.frame.empty:
        raise ExtractUnreadable(problem("file-empty"))
    extract.sheets.append(sheet)
    extract.problems.extend(problems)
    return extract


def _read_json(extract: Extract, data: bytes | bytearray) -> Extract:
    """A JSON document (GeoJSON ward boundaries): parsed whole; its layout decides the rest."""
    extract.kind = "json"
    try:
        extract.document = json.loads(decode_text(bytes(data)))
    except ValueError as exc:
        raise ExtractUnreadable(
            problem("file-unreadable", detail=f"it is not valid JSON ({exc})")
        ) from exc
    return extract


def read_extract(path: str | Path, limit: int = 500) -> Extract:
    """Read a file from disk (size checked before reading it into memory)."""
    path = Path(path)
    size = path.stat().st_size
    if size > config.max_upload_bytes():
        raise ExtractUnreadable(
            problem(
                "file-too-large",
                size_mb=round(size / 2**20, 1),
                limit_mb=round(config.max_upload_bytes() / 2**20),
            )
        )
    return read_bytes(path.name, path.read_bytes(), limit)
