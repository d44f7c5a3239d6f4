"""The police.uk street-level figures and the LSOA lookups that place them (core/police_tables).

What is current is worked out when read: for an LSOA, the row of the latest loaded upload that
has it; for a force and month, the counts of the latest loaded upload of that file. So a newer
file wins, and a reverted upload (status no longer 'loaded') gives way to the one before it.
Each function takes an Engine, or the Connection of a load's transaction.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, select

from core import db
from core.queries.base import as_months, month_text

POLICE_UK = "police_uk"  # the upload log's dataset of the street-level files
LOOKUP_DATASETS = ("lsoa_lookup", "lsoa_2011_lookup")


def _frame(bind: Engine | Connection, query, columns: list[str]) -> pd.DataFrame:
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            rows = conn.execute(query).all()
    else:
        rows = bind.execute(query).all()
    if not rows:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    return pd.DataFrame(dict(zip(columns, zip(*rows, strict=True), strict=True)))


def _latest(table, keys: list[str]):
    """Per key, the latest loaded upload that has it (a subquery: keys..., upload_id)."""
    up = db.uploads
    return (
        select(*[table.c[k] for k in keys], func.max(table.c.upload_id).label("upload_id"))
        .join(up, up.c.id == table.c.upload_id)
        .where(up.c.status == "loaded")
        .group_by(*[table.c[k] for k in keys])
        .subquery()
    )


def _current(table, keys: list[str]):
    latest = _latest(table, keys)
    on = and_(table.c.upload_id == latest.c.upload_id, *[table.c[k] == latest.c[k] for k in keys])
    return table.join(latest, on)


def ward_lookup(bind: Engine | Connection) -> pd.DataFrame:
    """The LSOA (2021) -> ward -> local authority lookup in force: lsoa_code, ward_code,
    ward_name, lad_code, lad_name, upload_id."""
    t = db.lsoa_wards
    columns = ["lsoa_code", "ward_code", "ward_name", "lad_code", "lad_name", "upload_id"]
    query = select(*[t.c[c] for c in columns]).select_from(_current(t, ["lsoa_code"]))
    return _frame(bind, query, columns)


def lsoa_changes(bind: Engine | Connection) -> pd.DataFrame:
    """The LSOA 2011 -> 2021 lookup in force: lsoa11_code, lsoa21_code, upload_id."""
    t = db.lsoa_changes
    columns = ["lsoa11_code", "lsoa21_code", "upload_id"]
    query = select(*[t.c[c] for c in columns]).select_from(_current(t, ["lsoa11_code"]))
    return _frame(bind, query, columns)


def held_files(
    bind: Engine | Connection, pairs: list[tuple[str, date]] | None = None
) -> pd.DataFrame:
    """The force-month files in force: force, month (Timestamp), force_name, member, rows,
    not_placed, upload_id, filename, uploaded_at, uploaded_by (only ``pairs`` when given)."""
    f, up = db.police_uk_files, db.uploads
    columns = ["force", "month", "force_name", "member", "rows", "not_placed", "upload_id"]
    columns += ["filename", "uploaded_at", "uploaded_by"]
    query = (
        select(
            f.c.force,
            month_text(f.c.month),
            f.c.force_name,
            f.c.member,
            f.c.rows,
            f.c.not_placed,
            f.c.upload_id,
            up.c.filename,
            up.c.uploaded_at,
            up.c.uploaded_by,
        )
        .select_from(_current(f, ["force", "month"]).join(up, up.c.id == f.c.upload_id))
        .order_by(f.c.month, f.c.force)
    )
    if pairs:
        forces = sorted({force for force, _ in pairs})
        months = sorted({month for _, month in pairs})
        query = query.where(f.c.force.in_(forces), f.c.month.in_(months))
    held = _frame(bind, query, columns)
    held["month"] = as_months(held["month"])
    if pairs:
        wanted = pd.MultiIndex.from_tuples([(f, pd.Timestamp(m)) for f, m in pairs])
        held = held[pd.MultiIndex.from_frame(held[["force", "month"]]).isin(wanted)]
    return held.reset_index(drop=True)


def held_totals(bind: Engine | Connection, pairs: list[tuple[str, date]]) -> pd.DataFrame:
    """Counts in force for these force-months, added up: force, month (Timestamp), total."""
    c, f = db.police_uk_counts, db.police_uk_files
    latest = _latest(f, ["force", "month"])
    on = and_(
        c.c.upload_id == latest.c.upload_id,
        c.c.force == latest.c.force,
        c.c.month == latest.c.month,
    )
    months = sorted({m for _, m in pairs})
    query = (
        select(c.c.force, month_text(c.c.month), func.sum(c.c.count))
        .select_from(c.join(latest, on))
        .where(c.c.month.in_(months))
        .group_by(c.c.force, c.c.month)
    )
    totals = _frame(bind, query, ["force", "month", "total"])
    totals["month"] = as_months(totals["month"])
    return totals


def monthly_counts(engine: Engine, lad_codes: list[str] | None = None) -> pd.DataFrame:
    """Counts in force by month, authority, ward, crime type and force (zero rows absent):
    month (Timestamp), lad_code, ward_code, crime_type, force, count, upload_id, source_row."""
    c, f = db.police_uk_counts, db.police_uk_files
    latest = _latest(f, ["force", "month"])
    on = and_(
        c.c.upload_id == latest.c.upload_id,
        c.c.force == latest.c.force,
        c.c.month == latest.c.month,
    )
    columns = ["month", "lad_code", "ward_code", "crime_type", "force", "count", "upload_id"]
    columns += ["source_row"]
    query = select(
        month_text(c.c.month),
        c.c.lad_code,
        c.c.ward_code,
        c.c.crime_type,
        c.c.force,
        c.c["count"],
        c.c.upload_id,
        c.c.source_row,
    ).select_from(c.join(latest, on))
    if lad_codes is not None:
        query = query.where(c.c.lad_code.in_(lad_codes))
    counts = _frame(engine, query, columns)
    counts["month"] = as_months(counts["month"])
    counts["count"] = counts["count"].astype("int64")
    return counts


def figure_sources(engine: Engine, area_code: str, crime_type: str, month: date) -> pd.DataFrame:
    """Where a police.uk figure (an authority's or ward's count of a crime type in a month)
    came from: force, file (member), first row, upload_id, filename, uploaded_at, uploaded_by,
    count: one row per force file that contributed."""
    counts = monthly_counts(engine)
    part = counts[
        ((counts["lad_code"] == area_code) | (counts["ward_code"] == area_code))
        & (counts["crime_type"] == crime_type)
        & (counts["month"] == pd.Timestamp(month))
    ]
    if part.empty:
        return pd.DataFrame(columns=["force", "member", "source_row", "upload_id", "count"])
    files = held_files(engine)
    sums = part.groupby(["force", "upload_id"], as_index=False).agg(
        count=("count", "sum"), source_row=("source_row", "min")
    )
    files = files[files["month"] == pd.Timestamp(month)]
    return sums.merge(
        files.drop(columns=["rows", "not_placed", "month"]), on=["force", "upload_id"]
    )


def status_rows(engine: Engine) -> list[dict]:
    """``python -m etl status``'s rows: police.uk (authorities placed in, months held) and each
    LSOA lookup in force (its LSOAs)."""
    files = held_files(engine)
    rows = []
    if len(files):
        counts = monthly_counts(engine)
        rows.append(
            {
                "dataset": POLICE_UK,
                "areas": int(counts["lad_code"].nunique()),
                "first_month": files["month"].min().date(),
                "latest_month": files["month"].max().date(),
                "months": int(files["month"].nunique()),
            }
        )
    for dataset, lookup in zip(LOOKUP_DATASETS, (ward_lookup, lsoa_changes), strict=True):
        found = lookup(engine)
        if len(found):
            rows.append({"dataset": dataset, "areas": len(found), "months": None})
    return rows


def lookup_uploads(bind: Engine | Connection) -> tuple:
    """The LSOA lookups loaded, as (id, sha256) pairs: what the lookups in force depend on (a
    load, a revert or another database changes it)."""
    up = db.uploads
    query = (
        select(up.c.id, up.c.sha256)
        .where(up.c.dataset.in_(LOOKUP_DATASETS), up.c.status == "loaded")
        .order_by(up.c.id)
    )
    return tuple(map(tuple, _frame(bind, query, ["id", "sha256"]).itertuples(index=False)))
