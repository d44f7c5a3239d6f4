"""data.police.uk street-level files: ``YYYY-MM-<force>-street.csv``, one force and month each,
alone, several, gzipped, or in the zip the custom download gives (a folder per month; its
``-outcomes`` and ``-stop-and-search`` files are skipped with a note).

Found by the header (``Crime ID,Month,Reported by,...,LSOA code,LSOA name,Crime type,...``).
Read a chunk at a time, three columns only, and counted by month, LSOA and crime type as it
goes, so a whole force-year never sits in memory. ``place`` then puts each LSOA's counts in its
ward and local authority through the ONS lookups (DOMAIN "Anti-social behaviour and police.uk").
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from core import config
from core.reference import POLICE_UK_TYPES
from etl.errors import ProblemList, problem
from etl.read import GZIP_MAGIC, ZIP_MAGIC, ExtractUnreadable, gunzip

LAYOUT = "police-uk-street"
LABEL = "data.police.uk street-level crime (YYYY-MM-<force>-street.csv, or their zip)"
DATASET = "police_uk"
HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code"
USED = ["Month", "LSOA code", "Crime type"]
NAME = re.compile(r"(?:^|/)(\d{4})-(\d{2})-(.+?)-street(?=[-.])", re.IGNORECASE)
LAST_2011_CODES = date(2023, 5, 1)  # files up to May 2023 carry 2011 LSOA codes
CHUNK_ROWS = 250_000
GROUP_COLUMNS = ["lsoa", "crime_type", "count", "first_row"]


@dataclass
class StreetMember:
    """One force-month file, counted: ``groups`` has lsoa, crime_type, count, first_row."""

    member: str
    force: str
    force_name: str | None
    month: date | None
    rows: int
    groups: pd.DataFrame


@dataclass
class StreetFile:
    members: list[StreetMember] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    layout: str = LAYOUT
    label: str = LABEL


def _is_street_text(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").startswith(HEADER.encode())


def _member_force(name: str) -> tuple[date | None, str | None]:
    found = NAME.search(name)
    if not found or not 1 <= int(found[2]) <= 12:
        return None, None
    return date(int(found[1]), int(found[2]), 1), found[3].lower()


Source = tuple[str, Callable[[], bytes] | None]  # a file's name and how to read it


def _zip_sources(data: bytes | bytearray) -> list[Source] | None:
    """A zip's street-level files, each read when its turn comes (one in memory at a time);
    its other CSV files with no reader (skipped with a note)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    infos = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
    if not any(NAME.search(i.filename) for i in infos):
        return None
    limit = config.max_uncompressed_bytes()
    for info in infos:
        if info.file_size > limit:
            raise ExtractUnreadable(
                problem(
                    "file-too-large-unzipped",
                    what=f"file {info.filename} in the zip",
                    size_mb=round(info.file_size / 2**20, 1),
                    limit_mb=round(limit / 2**20),
                )
            )
    return [
        (i.filename, (lambda n=i.filename: archive.read(n)) if NAME.search(i.filename) else None)
        for i in sorted(infos, key=lambda i: i.filename)
    ]


def _gzip_head(data: bytes | bytearray, size: int = 200) -> bytes:
    """The first bytes a .gz unpacks to (b'' when it cannot be read: reading it says why)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read(size)
    except (OSError, EOFError, zlib.error):
        return b""


def sniff(filename: str, data: bytes | bytearray) -> list[Source] | None:
    """The street-level files in ``data`` (a CSV, a .gz or a zip of them); None: not this
    layout. Raises ExtractUnreadable for a zip or gzip that would unpack too large."""
    if data[:2] == GZIP_MAGIC:
        if not _is_street_text(_gzip_head(data)):  # other .gz files are not unpacked twice
            return None
        inner = gunzip(data)
        return [(filename.removesuffix(".gz"), lambda: inner)]
    if data[:4] == ZIP_MAGIC:
        return _zip_sources(data)
    return [(filename, lambda: data)] if _is_street_text(data[:200]) else None


def _month_problems(
    member: str, months: pd.Categorical, offset: int, expected: date | None, problems
) -> date | None:
    """Check the Month cells (each distinct value once, at its first row) against the month in
    the file's name, or with none, against the file's first month; the file's month."""
    for index, value in enumerate(months.categories):
        first = offset + int(np.argmax(months.codes == index))
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            problems.add(
                problem("bad-police-month", sheet=member, row=first, column="Month", value=value)
            )
            continue
        month = date(int(match[1]), int(match[2]), 1)
        if expected is None:
            expected = month
        elif month != expected:
            problems.add(
                problem(
                    "month-not-file-month",
                    sheet=member,
                    row=first,
                    column="Month",
                    value=value,
                    expected=f"{expected:%Y-%m}",
                )
            )
    return expected


def force_slug(force_name: str) -> str:
    """The file name's force from the force's name: 'Metropolitan Police Service' ->
    'metropolitan', 'City of London Police' -> 'city-of-london'."""
    name = re.sub(r"\s+police(\s+service)?$", "", force_name.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _chunk_groups(chunk: pd.DataFrame, offset: int) -> pd.DataFrame:
    """A chunk's rows counted by LSOA and crime type, with the first row of each (numpy on the
    categorical codes: a tenth of a pandas groupby's time)."""
    lsoa, kind = chunk["LSOA code"].array, chunk["Crime type"].array
    width = max(len(kind.categories), 1)
    key = lsoa.codes.astype(np.int64) * width + kind.codes
    unique, first, count = np.unique(key, return_index=True, return_counts=True)
    return pd.DataFrame(
        {
            "lsoa": np.asarray(lsoa.categories, dtype=object)[unique // width],
            "crime_type": np.asarray(kind.categories, dtype=object)[unique % width],
            "count": count,
            "first_row": first + offset,
        }
    )


def _read_member(name: str, data: bytes, problems: ProblemList) -> StreetMember:
    """Count one file by LSOA and crime type, a chunk at a time (three columns parsed, as
    categories). Row numbers are Excel's (header = 1); the publisher's files have no blank
    lines."""
    expected, force = _member_force(name)
    head = data[: data.find(b"\n", data.find(b"\n") + 1)]
    first = pd.read_csv(io.BytesIO(head), dtype=str, keep_default_na=False)
    missing = [c for c in [*USED, "Reported by"] if c not in first.columns]
    for column in missing:
        problems.add(problem("missing-column", sheet=name, row=1, column=column, layout=LABEL))
    force_name = first["Reported by"].iloc[0] if len(first) and not missing else None
    if force is None and force_name:
        force = force_slug(force_name)
    parts, rows, month = [], 0, expected
    if not missing:
        reader = pd.read_csv(
            io.BytesIO(data), usecols=USED, dtype="category", na_filter=False, chunksize=CHUNK_ROWS
        )
        for chunk in reader:
            offset = rows + 2
            rows += len(chunk)
            month = _month_problems(name, chunk["Month"].array, offset, month, problems)
            parts.append(_chunk_groups(chunk, offset))
    groups = pd.concat(parts) if parts else pd.DataFrame(columns=GROUP_COLUMNS)
    if len(parts) > 1:
        groups = groups.groupby(["lsoa", "crime_type"], as_index=False).agg(
            count=("count", "sum"), first_row=("first_row", "min")
        )
    return StreetMember(name, force or "unknown", force_name, month, rows, groups)


def parse(found: list[Source], problems: ProblemList) -> StreetFile:
    """Every street-level file counted and checked (problems go in ``problems``)."""
    parsed = StreetFile()
    seen: dict[tuple[str, date], str] = {}
    for name, read in found:
        if read is None:
            parsed.skipped.append(name)
            continue
        try:
            member = _read_member(name, read(), problems)
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            problems.add(problem("file-unreadable", sheet=name, detail=str(exc).strip()))
            continue
        key = (member.force, member.month)
        if member.month is not None and key in seen:
            problems.add(
                problem(
                    "police-file-twice",
                    sheet=name,
                    value=f"{member.force} {member.month:%Y-%m}",
                    first=seen[key],
                    second=name,
                )
            )
        seen.setdefault(key, name)
        parsed.members.append(member)
    if parsed.skipped:
        shown = ", ".join(parsed.skipped[:5]) + (" ..." if len(parsed.skipped) > 5 else "")
        problems.add(
            problem(
                "police-files-skipped",
                severity="warning",
                count=len(parsed.skipped),
                names=shown,
            )
        )
    _type_warnings(parsed, problems)
    return parsed


def _type_warnings(parsed: StreetFile, problems: ProblemList) -> None:
    counts: dict[str, int] = {}
    for member in parsed.members:
        odd = member.groups[~member.groups["crime_type"].isin(POLICE_UK_TYPES)]
        for kind, count in odd.groupby("crime_type")["count"].sum().items():
            counts[kind] = counts.get(kind, 0) + int(count)
    for kind, count in sorted(counts.items()):
        problems.add(
            problem("unknown-crime-type", severity="warning", value=kind or "(blank)", count=count)
        )


def place(
    groups: pd.DataFrame, month: date, wards: pd.DataFrame, changes: pd.DataFrame
) -> tuple[pd.DataFrame, int, int]:
    """One file's counts by ward (ward_code, lad_code, crime_type, count, first_row), and how
    many rows had no LSOA and how many an LSOA in no lookup (DOMAIN: "not placed").

    Up to May 2023 the codes are 2011 LSOAs: mapped to 2021 by ``changes`` (lsoa11_code,
    lsoa21_code) first; a code that lookup lacks is tried as a 2021 code, and a later file's
    code missing from ``wards`` is tried through ``changes``. ``wards``: lsoa_code, ward_code,
    lad_code."""
    codes = groups["lsoa"].str.strip()
    to_2021 = pd.Series(changes["lsoa21_code"].to_numpy(), index=changes["lsoa11_code"])
    to_ward = pd.Series(wards["ward_code"].to_numpy(), index=wards["lsoa_code"])
    mapped = codes.map(to_2021)
    if month <= LAST_2011_CODES:
        lsoa21 = mapped.fillna(codes)
    else:
        lsoa21 = codes.where(codes.isin(to_ward.index), mapped).fillna(codes)
    ward = lsoa21.map(to_ward)
    no_lsoa = (codes == "").to_numpy()
    unplaced = ward.isna().to_numpy()
    lad = pd.Series(wards["lad_code"].to_numpy(), index=wards["ward_code"])
    lad = lad[~lad.index.duplicated()]
    placed = groups[~unplaced].assign(ward_code=ward[~unplaced].to_numpy())
    placed["lad_code"] = placed["ward_code"].map(lad).to_numpy()
    placed = (
        placed.groupby(["ward_code", "lad_code", "crime_type"], as_index=False)
        .agg(count=("count", "sum"), first_row=("first_row", "min"))
        .astype({"count": "int64", "first_row": "int64"})
    )
    counts = groups["count"].to_numpy()
    return placed, int(counts[no_lsoa].sum()), int(counts[unplaced & ~no_lsoa].sum())
