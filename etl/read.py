"""One entry point for reading an extract: ``read_extract(path)`` -> sheets of cells.

Handles what analysts actually send: CSV in UTF-8 (with or without BOM) or Windows-1252, and the
same layouts re-saved as .xlsx, and either gzip-compressed. Checks size limits before parsing and
guards against files that would unpack to an absurd size (zip and gzip bombs): an .xlsx by
reading the zip directory, not the data; a .gz by counting what it unpacks to, a chunk at a time,
before keeping any of it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import itertools
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

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
    lines_read: int = 0  # CSV: lines read after the header, blank ones included


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
    partial: bool = False  # a CSV read only as far as ``rows`` (read_bytes): more rows follow


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


TextOpener = Callable[[], TextIO]  # opens the file's text afresh (each pass reads it again)


def _field_count_problems(
    open_text: TextOpener, limit: int, rows: int | None = None
) -> tuple[list[Problem], int | None]:
    """Rows whose number of fields differs from the header's (within the first ``rows``), and
    (when there are more than ``limit``, so the file is refused anyway) the row the count
    stopped at."""
    out: list[Problem] = []
    expected = None
    with open_text() as stream:
        lines = csv.reader(stream)
        for number, row in enumerate(itertools.islice(lines, rows and rows + 1), start=1):
            if expected is None:
                expected = len(row)
                continue
            if row and len(row) != expected and any(cell.strip() for cell in row):
                out.append(
                    problem("wrong-field-count", row=number, found=len(row), expected=expected)
                )
                if len(out) > limit:  # one past the cap, so the list says it was cut
                    return out, number
    return out, None


def _csv_frame_padded(
    open_text: TextOpener, stop: int | None
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Slow path for broken files: rows cut or padded to the header so numbering stays right.
    ``stop``: the row at which the problems passed the cap; rows after it are not read (the file
    is refused whatever they hold, and a file of millions of bad rows would not fit in memory)."""
    with open_text() as stream:
        reader = csv.reader(stream)
        header = [header_text(h) for h in next(reader, [])]
        width = len(header)
        body = [
            (r + [""] * width)[:width]
            for r in itertools.islice(reader, None if stop is None else stop - 1)
        ]
    frame = pd.DataFrame(body, columns=header, dtype=object).replace("", np.nan)
    numbers = np.arange(2, len(body) + 2)
    keep = ~frame.isna().all(axis=1).to_numpy()
    return frame[keep].reset_index(drop=True), numbers[keep], len(body)


def _may_have_wrong_rows(frame: pd.DataFrame | None) -> bool:
    """Whether a row may have the wrong number of fields, from pandas' reading: it refuses a
    row with too many (None here), fills a short row's last column with nothing, and makes
    extra leading fields of every row an index. Otherwise no row needs counting."""
    if frame is None or not isinstance(frame.index, pd.RangeIndex):
        return True
    return len(frame.columns) > 0 and bool(frame.iloc[:, -1].isna().any())


def read_csv_text(text: str, limit: int = 500) -> tuple[Sheet, list[Problem]]:
    """Parse CSV text into a Sheet; rows with the wrong number of fields become problems."""
    return read_csv_stream(lambda: io.StringIO(text, newline=""), limit)


def _pandas_frame(open_text: TextOpener, rows: int | None) -> pd.DataFrame:
    with open_text() as stream:
        return pd.read_csv(
            stream,
            skip_blank_lines=False,
            keep_default_na=False,
            na_values=[""],
            low_memory=False,
            nrows=rows,
        )


def read_csv_stream(
    open_text: TextOpener, limit: int = 500, rows: int | None = None
) -> tuple[Sheet, list[Problem]]:
    """Parse CSV text, read from a stream a chunk at a time (never the whole text in memory),
    into a Sheet (only its first ``rows`` lines after the header, if given); rows with the wrong
    number of fields become problems (each row's fields are counted only when pandas' reading
    leaves that possible)."""
    try:
        frame = _pandas_frame(open_text, rows)
    except pd.errors.ParserError:
        frame = None
    problems, stop = [], None
    if _may_have_wrong_rows(frame):
        problems, stop = _field_count_problems(open_text, limit, rows)
    if problems:
        frame, numbers, read = _csv_frame_padded(open_text, stop or (rows and rows + 1))
    else:
        if frame is None:
            frame = _pandas_frame(open_text, rows)  # its own error, if any
        frame.columns = [header_text(c) for c in frame.columns]
        numbers, read = np.arange(2, len(frame) + 2), len(frame)
        blank = frame.isna().all(axis=1).to_numpy()
        if blank.any():
            frame, numbers = frame[~blank].reset_index(drop=True), numbers[~blank]
    # Excel's CSV export keeps trailing empty columns (",,"): no heading and no data, so drop
    # them as sheet_from_grid does for a workbook ("Unnamed: 5" is pandas' name for no heading)
    unnamed = np.array(
        [re.fullmatch(r"(Unnamed: \d+)?", str(c)) is not None for c in frame.columns]
    )
    frame = frame.loc[:, ~(unnamed & frame.isna().all(axis=0).to_numpy())]
    return Sheet(None, frame, numbers, lines_read=read), problems


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


def _gzip_too_large(limit: int) -> ExtractUnreadable:
    return ExtractUnreadable(
        problem(
            "file-too-large-unzipped",
            what="compressed file",
            size_mb=f"over {round(limit / 2**20)}",
            limit_mb=round(limit / 2**20),
        )
    )


def _gzip_read(data: bytes | bytearray, action):
    """``action()`` on gzip ``data``, a damaged stream answered as an unreadable file."""
    try:
        return action()
    except (OSError, EOFError, zlib.error) as exc:
        raise ExtractUnreadable(
            problem("file-unreadable", detail=f"bad gzip data ({exc})")
        ) from exc


def _gzip_size(data: bytes | bytearray) -> int:
    """What a .gz unpacks to, measured holding one chunk at a time and refused as soon as it
    passes MAX_UNCOMPRESSED_MB, so nothing is kept of a file too large."""
    limit = config.max_uncompressed_bytes()
    size = _gzip_read(data, lambda: gunzipped_size(data, limit))
    if size > limit:
        raise _gzip_too_large(limit)
    return size


def _gunzip(data: bytes | bytearray) -> bytearray:
    """The file inside a .gz, whole (a workbook or a JSON document, which are parsed whole),
    measured first and then unpacked into exactly its own size."""
    size = _gzip_size(data)
    return _gzip_read(data, lambda: _unpack_gzip(data, size))


def _gzip_head(data: bytes | bytearray) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        return _gzip_read(data, lambda: stream.read(HEAD_BYTES))


HEAD_BYTES = 4096  # what is looked at to tell a CSV, a workbook and a JSON document apart


def _scan(open_binary: Callable[[], BinaryIO]) -> tuple[str, bool]:
    """The file's text encoding (UTF-8, its BOM dropped, unless some bytes are not UTF-8: then
    Windows-1252) and whether it is all blank, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, blank = True, True
    with open_binary() as stream:
        for chunk in iter(lambda: stream.read(GZIP_CHUNK), b""):
            blank = blank and chunk.isspace()
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
            if not (utf8 or blank):
                break
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    return ("utf-8-sig" if utf8 else "cp1252"), blank


def _text_opener(open_binary: Callable[[], BinaryIO], encoding: str) -> TextOpener:
    errors = "strict" if encoding.startswith("utf-8") else "replace"
    return lambda: io.TextIOWrapper(open_binary(), encoding=encoding, errors=errors, newline="")


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


def read_bytes(
    filename: str, data: bytes | bytearray, limit: int = 500, rows: int | None = None
) -> Extract:
    """Read an extract's bytes; raises ExtractUnreadable when nothing can be read. ``rows``: a
    CSV is read no further than its first ``rows`` lines after the header (``partial`` says
    whether more follow)."""
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
    open_binary = lambda: io.BytesIO(data)  # noqa: E731 (reads the bytes, never copies them)
    head = bytes(data[:HEAD_BYTES])
    if data[:2] == GZIP_MAGIC:  # the seed files ship compressed
        _gzip_size(data)
        filename = filename.removesuffix(".gz")
        head = _gzip_head(data)
        if _whole_document(filename, head):
            data = _gunzip(data)
        else:  # a CSV is read from the stream, a chunk unpacked at a time, never whole
            open_binary = lambda: gzip.GzipFile(fileobj=io.BytesIO(data))  # noqa: E731
    if _whole_document(filename, head):
        if not data or data.isspace():  # (not data.strip(): that copies the whole file)
            raise ExtractUnreadable(problem("file-empty"))
        if head.lstrip()[:1] == b"{" or filename.lower().endswith((".geojson", ".json")):
            return _read_json(extract, data)
        extract.kind = "xlsx"
        extract.grids = read_xlsx_grids(data)
        if not any(len(g) for g in extract.grids.values()):
            raise ExtractUnreadable(problem("file-empty"))
        return extract
    encoding, blank = _scan(open_binary)
    if blank:
        raise ExtractUnreadable(problem("file-empty"))
    if b"\x00" in head:
        raise ExtractUnreadable(
            problem("file-unreadable", detail="it is not a text CSV file or an .xlsx workbook")
        )
    open_text = _text_opener(open_binary, encoding)
    try:
        sheet, problems = read_csv_stream(open_text, limit, rows)
        reached = rows is not None and sheet.lines_read >= rows
        extract.partial = reached and _has_line(open_text, rows + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise ExtractUnreadable(problem("file-unreadable", detail=str(exc))) from exc
    if sheet.frame.empty:
        raise ExtractUnreadable(problem("file-empty"))
    extract.sheets.append(sheet)
    extract.problems.extend(problems)
    return extract


def _has_line(open_text: TextOpener, index: int) -> bool:
    """Whether the CSV has a row (of any content) after its first ``index`` rows."""
    with open_text() as stream:
        return next(itertools.islice(csv.reader(stream), index, None), None) is not None


def _whole_document(filename: str, head: bytes) -> bool:
    """A JSON document or an .xlsx workbook: parsed whole, unlike a CSV."""
    name = filename.lower()
    return (
        head[:64].lstrip()[:1] == b"{"
        or head[:4] == ZIP_MAGIC
        or name.endswith((".geojson", ".json", ".xlsx", ".xlsm"))
    )


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
