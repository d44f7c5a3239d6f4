"""Undoing an upload: its figures leave, the figures it replaced come back, in one transaction.

After ``revert_upload`` the figures are what they would be had the upload never been loaded:
for each area and month it held, the newest-vintage figures among the other uploads that covered
that area-month (from the history tables, zero months included) become current again. For
populations and council templates, where the later upload wins, the latest other upload's row
comes back. The reverted upload's own figures move to the history tables (reason 'reverted'), so
nothing loaded is ever lost, and the upload is marked 'reverted' in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Date, Engine, and_, delete, insert, literal, select, update

from core import db
from etl.formats import templates
from etl.load import lock_for_writing
from etl.load_templates import key_json


class RevertRefused(Exception):
    """The upload cannot be reverted (unknown, not loaded, or already reverted)."""


@dataclass
class RevertResult:
    upload_id: int
    figures_removed: int
    figures_restored: int
    area_months: int
    message: str


def revert_upload(upload_id: int, engine: Engine | None = None, user: str | None = None):
    """Revert one loaded upload (see the module docstring); raises RevertRefused."""
    engine = engine or db.get_engine()
    up = db.uploads
    with engine.begin() as conn:
        lock_for_writing(conn)
        # First statement a write: SQLite takes its writer lock here, so what we read next is
        # what we change; the status condition makes a second revert of the same upload a no-op.
        claimed = conn.execute(
            update(up)
            .where(up.c.id == upload_id, up.c.status == "loaded")
            .values(status="reverted")
        ).rowcount
        if claimed != 1:
            row = conn.execute(select(up.c.status).where(up.c.id == upload_id)).first()
            state = "does not exist" if row is None else f"is {row.status}, not loaded"
            raise RevertRefused(f"Upload {upload_id} {state}: nothing was changed.")
        removed, restored, cells = _revert_crime(conn, upload_id)
        r2, s2 = _revert_population(conn, upload_id)
        r3, s3 = _revert_templates(conn, upload_id)
        removed, restored = removed + r2 + r3, restored + s2 + s3
        message = (
            f"Reverted upload {upload_id}: {removed:,} figures withdrawn (kept in the "
            f"history), {restored:,} earlier figures restored"
            + (f" across {cells:,} area-months." if cells else ".")
        )
        conn.execute(
            insert(db.upload_reverts).values(
                upload_id=upload_id,
                reverted_by=user,
                reverted_at=datetime.now(),
                figures_removed=removed,
                figures_restored=restored,
                message=message,
            )
        )
    return RevertResult(upload_id, removed, restored, cells, message)


# ---------------------------------------------------------------- crime


def _held_by(conn, upload_id: int) -> pd.DataFrame:
    cov = db.crime_coverage
    rows = conn.execute(
        select(cov.c.dataset, cov.c.area_code, cov.c.month).where(cov.c.upload_id == upload_id)
    ).all()
    return pd.DataFrame(rows, columns=["dataset", "area_code", "month"])


def _blocks(cells: pd.DataFrame):
    """(dataset, area codes, months) blocks covering ``cells``, small enough for IN lists."""
    for dataset, part in cells.groupby("dataset"):
        by_area = part.groupby("area_code")["month"].apply(lambda s: tuple(sorted(s)))
        for months, areas in by_area.groupby(by_area):
            codes = list(areas.index)
            for start in range(0, len(codes), 500):
                yield dataset, codes[start : start + 500], list(months)


def _series_in(dataset: str, codes: list[str]):
    s = db.crime_series
    return select(s.c.id).where(s.c.dataset == dataset, s.c.area_code.in_(codes))


def _winners(conn, dataset: str, codes: list[str], months: list[date], upload_id: int):
    """Per area-month, the upload whose figures should be current once ``upload_id`` is gone:
    newest vintage first, then the later load, among uploads still loaded."""
    ch, up = db.crime_coverage_history, db.uploads
    rows = conn.execute(
        select(ch.c.area_code, ch.c.month, ch.c.upload_id, up.c.vintage)
        .join(up, up.c.id == ch.c.upload_id)
        .where(
            ch.c.dataset == dataset,
            ch.c.area_code.in_(codes),
            ch.c.month.in_(months),
            ch.c.upload_id != upload_id,
            up.c.status == "loaded",
        )
        .distinct()
    ).all()
    frame = pd.DataFrame(rows, columns=["area_code", "month", "upload_id", "vintage"])
    frame = frame.sort_values(["vintage", "upload_id"]).drop_duplicates(
        ["area_code", "month"], keep="last"
    )
    return frame


def _revert_crime(conn, upload_id: int) -> tuple[int, int, int]:
    counts, hist, ch = db.crime_counts, db.crime_count_history, db.crime_coverage_history
    cov = db.crime_coverage
    held = _held_by(conn, upload_id)
    removed = restored = 0
    for dataset, codes, months in _blocks(held):
        series = _series_in(dataset, codes)
        mine = and_(counts.c.series_id.in_(series), counts.c.month.in_(months))
        conn.execute(
            insert(hist).from_select(
                ["series_id", "month", "count", "upload_id", "replaced_by_upload_id", "reason"],
                select(
                    counts.c.series_id,
                    counts.c.month,
                    counts.c.count,
                    literal(upload_id),
                    literal(upload_id),
                    literal("reverted"),
                ).where(mine),
            )
        )
        removed += conn.execute(delete(counts).where(mine)).rowcount
        here = and_(cov.c.dataset == dataset, cov.c.area_code.in_(codes), cov.c.month.in_(months))
        conn.execute(
            insert(ch).from_select(
                ["dataset", "area_code", "month", "upload_id", "replaced_by_upload_id", "reason"],
                select(
                    cov.c.dataset,
                    cov.c.area_code,
                    cov.c.month,
                    cov.c.upload_id,
                    literal(upload_id),
                    literal("reverted"),
                ).where(here),
            )
        )
        conn.execute(delete(cov).where(here))
        winners = _winners(conn, dataset, codes, months, upload_id)
        for winner, part in winners.groupby("upload_id"):
            restored += _restore_crime(conn, dataset, int(winner), part)
    return removed, restored, len(held)


def _restore_crime(conn, dataset: str, winner: int, cells: pd.DataFrame) -> int:
    """Bring back ``winner``'s figures for the area-months in ``cells``; returns figures."""
    counts, hist, ch = db.crime_counts, db.crime_count_history, db.crime_coverage_history
    restored = 0
    for _, codes, months in _blocks(cells.assign(dataset=dataset)):
        theirs = and_(
            hist.c.upload_id == winner,
            hist.c.series_id.in_(_series_in(dataset, codes)),
            hist.c.month.in_(months),
            hist.c.reason.in_(["replaced", "not-applied"]),
        )
        conn.execute(
            insert(counts).from_select(
                ["series_id", "month", "count"],
                select(hist.c.series_id, hist.c.month, hist.c.count).where(theirs),
            )
        )
        restored += conn.execute(delete(hist).where(theirs)).rowcount
        conn.execute(
            delete(ch).where(
                ch.c.upload_id == winner,
                ch.c.dataset == dataset,
                ch.c.area_code.in_(codes),
                ch.c.month.in_(months),
            )
        )
    db.bulk_insert(
        conn,
        db.crime_coverage,
        ["dataset", "area_code", "month", "upload_id"],
        (
            (dataset, a, _iso(m), winner)
            for a, m in zip(cells["area_code"], cells["month"], strict=True)
        ),
    )
    return restored


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]


# ---------------------------------------------------------------- populations


def _revert_population(conn, upload_id: int) -> tuple[int, int]:
    pops, hist, up = db.populations, db.population_history, db.uploads
    mine = conn.execute(select(pops).where(pops.c.upload_id == upload_id)).mappings().all()
    if not mine:
        return 0, 0
    keys = {(r["area_code"], r["year"]) for r in mine}
    conn.execute(
        insert(hist),
        [
            {
                "area_code": r["area_code"],
                "year": r["year"],
                "population": r["population"],
                "upload_id": upload_id,
                "replaced_by_upload_id": upload_id,
            }
            for r in mine
        ],
    )
    conn.execute(delete(pops).where(pops.c.upload_id == upload_id))
    candidates = conn.execute(
        select(hist.c.id, hist.c.area_code, hist.c.year, hist.c.population, hist.c.upload_id)
        .join(up, up.c.id == hist.c.upload_id)
        .where(up.c.status == "loaded", hist.c.area_code.in_(sorted({k[0] for k in keys})))
    ).all()
    best: dict[tuple, tuple] = {}
    for row in candidates:
        key = (row.area_code, row.year)
        if key in keys and (key not in best or row.upload_id > best[key].upload_id):
            best[key] = row
    if best:
        conn.execute(
            insert(pops),
            [
                {
                    "area_code": r.area_code,
                    "year": r.year,
                    "population": r.population,
                    "upload_id": r.upload_id,
                }
                for r in best.values()
            ],
        )
        conn.execute(delete(hist).where(hist.c.id.in_([r.id for r in best.values()])))
    return len(mine), len(best)


# ---------------------------------------------------------------- council templates


def _from_json(table, name: str, value):
    if value is not None and isinstance(table.c[name].type, Date):
        return date.fromisoformat(str(value)[:10])
    return value


def _revert_templates(conn, upload_id: int) -> tuple[int, int]:
    th, up = db.template_history, db.uploads
    removed = restored = 0
    specs = {s.table: s for t in templates.TEMPLATES for s in t.sheets}
    for name, spec in specs.items():
        table = db.metadata.tables[name]
        mine = conn.execute(select(table).where(table.c.upload_id == upload_id)).mappings().all()
        if not mine:
            continue
        history, back, used = [], [], []
        for row in mine:
            key = {k: row[k] for k in spec.key}
            text = key_json(key)
            values = {
                c: (v.isoformat() if isinstance(v, date) else v)
                for c, v in row.items()
                if c not in spec.key
            }
            history.append(
                {
                    "table_name": name,
                    "key_json": text,
                    "values_json": values,
                    "upload_id": upload_id,
                    "replaced_by_upload_id": upload_id,
                }
            )
            prior = conn.execute(
                select(th.c.id, th.c.values_json)
                .join(up, up.c.id == th.c.upload_id)
                .where(th.c.table_name == name, th.c.key_json == text, up.c.status == "loaded")
                .order_by(th.c.upload_id.desc(), th.c.id.desc())
                .limit(1)
            ).first()
            if prior is not None:
                stored = prior.values_json
                stored = json.loads(stored) if isinstance(stored, str) else stored
                back.append({**key, **{c: _from_json(table, c, v) for c, v in stored.items()}})
                used.append(prior.id)
        conn.execute(insert(th), history)
        conn.execute(delete(table).where(table.c.upload_id == upload_id))
        if back:
            conn.execute(insert(table), back)
            conn.execute(delete(th).where(th.c.id.in_(used)))
        removed, restored = removed + len(mine), restored + len(back)
    return removed, restored
