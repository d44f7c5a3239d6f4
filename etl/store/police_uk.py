"""Writes of the LSOA lookups and the police.uk street-level counts (core/police_tables.py).

Nothing is deleted or updated: each upload's rows are kept, and which are current is decided
when read (core/queries/police_uk.py), so a newer file replaces an older one by being newer and
a revert by changing the upload's status.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, func, select

from core import db

WARD_COLUMNS = ["lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "lad_name"]
COUNT_COLUMNS = ["force", "month", "ward_code", "crime_type", "lad_code", "count", "source_row"]
FILE_COLUMNS = ["force", "month", "force_name", "member", "rows", "not_placed"]


def _rows(frame: pd.DataFrame, columns: list[str], upload_id: int):
    values = [frame[c].tolist() for c in columns]
    return zip([upload_id] * len(frame), *values, strict=True)


def write_ward_lookup(conn: Connection, frame: pd.DataFrame, upload_id: int, year: int) -> None:
    """The LSOA -> ward -> authority rows of one upload."""
    frame = frame.assign(ward_year=year)
    columns = [*WARD_COLUMNS, "ward_year", "source_row"]
    db.bulk_insert(conn, db.lsoa_wards, ["upload_id", *columns], _rows(frame, columns, upload_id))


def write_changes_lookup(conn: Connection, frame: pd.DataFrame, upload_id: int) -> None:
    """The LSOA 2011 -> 2021 rows of one upload."""
    columns = ["lsoa11_code", "lsoa21_code", "source_row"]
    db.bulk_insert(conn, db.lsoa_changes, ["upload_id", *columns], _rows(frame, columns, upload_id))


def write_files(conn: Connection, files: pd.DataFrame, upload_id: int) -> None:
    """One row per force-month file the upload holds."""
    files = files.assign(month=[m.isoformat() for m in files["month"]])
    db.bulk_insert(
        conn,
        db.police_uk_files,
        ["upload_id", *FILE_COLUMNS],
        _rows(files, FILE_COLUMNS, upload_id),
    )


def write_counts(conn: Connection, counts: pd.DataFrame, upload_id: int) -> None:
    """The upload's counts by force, month, ward and crime type."""
    counts = counts.assign(month=[m.isoformat() for m in counts["month"]])
    db.bulk_insert(
        conn,
        db.police_uk_counts,
        ["upload_id", *COUNT_COLUMNS],
        _rows(counts, COUNT_COLUMNS, upload_id),
    )


def upload_rows(conn: Connection, upload_id: int) -> int:
    """How many rows (lookup rows or counts) an upload holds in these tables."""
    tables = (db.lsoa_wards, db.lsoa_changes, db.police_uk_counts)
    return sum(
        conn.execute(select(func.count()).select_from(t).where(t.c.upload_id == upload_id)).scalar()
        for t in tables
    )


def upload_pairs(conn: Connection, upload_id: int) -> list[tuple[str, object]]:
    """The (force, month) files an upload held."""
    f = db.police_uk_files
    return [
        (force, month)
        for force, month in conn.execute(
            select(f.c.force, f.c.month).where(f.c.upload_id == upload_id)
        ).all()
    ]


def pair_rows(conn: Connection, holders: pd.DataFrame) -> int:
    """How many counts the uploads hold for their force-months (force, month, upload_id)."""
    c = db.police_uk_counts
    return sum(
        conn.execute(
            select(func.count())
            .select_from(c)
            .where(c.c.upload_id == int(u), c.c.force == f, c.c.month == m.date())
        ).scalar()
        for f, m, u in zip(holders["force"], holders["month"], holders["upload_id"], strict=True)
    )
