"""Undoing an upload: its figures leave, the figures it replaced come back, in one transaction.

After ``revert_upload`` the figures are what they would be had the upload never been loaded:
for each area and month it held, the newest-vintage figures among the other uploads that covered
that area-month (from the history tables, zero months included) become current again. For
populations and council templates, where the later upload wins, the latest other upload's row
comes back; for ward boundaries, a borough left without outlines gets back those the upload
replaced. The reverted upload's own figures move to the history tables (reason 'reverted'), so
nothing loaded is ever lost, and the upload is marked 'reverted' in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Date, Engine, Table

from core import db, queries
from etl import store
from etl.formats import templates
from etl.template_rows import key_json


class RevertRefused(Exception):
    """The upload cannot be reverted (unknown, not loaded, or already reverted)."""


@dataclass
class RevertResult:
    upload_id: int
    figures_removed: int
    figures_restored: int
    area_months: int
    message: str


def revert_upload(
    upload_id: int, engine: Engine | None = None, user: str | None = None
) -> RevertResult:
    """Revert one loaded upload (see the module docstring); raises RevertRefused."""
    engine = engine or db.get_engine()
    with engine.begin() as conn:
        store.uploads.lock_for_writing(conn)
        refused = store.uploads.claim_for_revert(conn, upload_id)
        if refused:
            raise RevertRefused(f"Upload {upload_id} {refused}: nothing was changed.")
        removed, restored, cells = _revert_crime(conn, upload_id)
        r2, s2 = _revert_population(conn, upload_id)
        r3, s3 = _revert_templates(conn, upload_id)
        r4, s4 = _revert_boundaries(conn, upload_id)
        r5, s5 = _revert_police_uk(conn, upload_id)
        removed, restored = removed + r2 + r3 + r4 + r5, restored + s2 + s3 + s4 + s5
        message = (
            f"Reverted upload {upload_id}: {removed:,} figures withdrawn (kept in the "
            f"history), {restored:,} earlier figures restored"
            + (f" across {cells:,} area-months." if cells else ".")
        )
        store.uploads.record_revert(conn, upload_id, user, removed, restored, message)
    return RevertResult(upload_id, removed, restored, cells, message)


# ---------------------------------------------------------------- crime


def _newest(holders: pd.DataFrame) -> pd.DataFrame:
    """Per area-month, the upload whose figures should be current: newest vintage first, then
    the later load."""
    return holders.sort_values(["vintage", "upload_id"]).drop_duplicates(
        ["area_code", "month"], keep="last"
    )


def _revert_crime(conn: Connection, upload_id: int) -> tuple[int, int, int]:
    held = store.crime.coverage_held_by(conn, upload_id)
    removed = restored = 0
    for dataset, part in held.groupby("dataset"):
        for codes, months in store.crime.area_month_blocks(part):
            removed += store.crime.withdraw(conn, dataset, codes, months, upload_id)
            holders = store.crime.earlier_holders(conn, dataset, codes, months, upload_id)
            for winner, cells in _newest(holders).groupby("upload_id"):
                restored += store.crime.restore(conn, dataset, int(winner), cells)
    return removed, restored, len(held)


# ---------------------------------------------------------------- populations


def _revert_population(conn: Connection, upload_id: int) -> tuple[int, int]:
    mine = store.population.withdraw(conn, upload_id)
    if not mine:
        return 0, 0
    keys = {(r["area_code"], r["year"]) for r in mine}
    candidates = store.population.earlier(conn, sorted({k[0] for k in keys}))
    best: dict[tuple, tuple] = {}
    for row in candidates:
        key = (row.area_code, row.year)
        if key in keys and (key not in best or row.upload_id > best[key].upload_id):
            best[key] = row
    store.population.restore(conn, list(best.values()))
    return len(mine), len(best)


# ---------------------------------------------------------------- ward boundaries


def _revert_boundaries(conn: Connection, upload_id: int) -> tuple[int, int]:
    removed, boroughs = store.boundaries.withdraw(conn, upload_id)
    return removed, store.boundaries.restore(conn, boroughs, upload_id) if removed else 0


# ---------------------------------------------------------------- police.uk and LSOA lookups


def _revert_police_uk(conn: Connection, upload_id: int) -> tuple[int, int]:
    """Nothing moves: the upload's rows stay (no longer current, its status being 'reverted'),
    and the latest other loaded file of each force-month it held is current again."""
    removed = store.police_uk.upload_rows(conn, upload_id)
    pairs = store.police_uk.upload_pairs(conn, upload_id)
    if not pairs:
        return removed, 0
    back = queries.police_uk.held_files(conn, pairs)
    return removed, store.police_uk.pair_rows(conn, back)


# ---------------------------------------------------------------- council templates


def _from_json(table: Table, name: str, value):
    if value is not None and isinstance(table.c[name].type, Date):
        return date.fromisoformat(str(value)[:10])
    return value


def _revert_templates(conn: Connection, upload_id: int) -> tuple[int, int]:
    removed = restored = 0
    # definitions (partnership indicators) are reference data: a revert leaves them
    specs = {s.table: s for t in templates.TEMPLATES for s in t.sheets if not s.definitions}
    for name, spec in specs.items():
        table = db.metadata.tables[name]
        mine = store.templates.rows_of_upload(conn, table, upload_id)
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
            prior = store.templates.latest_replaced(conn, name, text)
            if prior is not None:
                stored = prior.values_json
                stored = json.loads(stored) if isinstance(stored, str) else stored
                back.append({**key, **{c: _from_json(table, c, v) for c, v in stored.items()}})
                used.append(prior.id)
        store.templates.withdraw(conn, table, history, upload_id)
        if back:
            store.templates.restore(conn, table, back, used)
        removed, restored = removed + len(mine), restored + len(back)
    return removed, restored
