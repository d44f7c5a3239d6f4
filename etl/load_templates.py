"""Writing a validated council template: one transaction, replaced rows kept, provenance kept.

Revision rule: the later upload wins. For each key a template sheet declares (a borough and
month, a quarter, a department and as-at date, ...) a new upload's row replaces the held row;
the held row goes to ``template_history`` (its key and values as JSON) with the upload it came
from and the upload that replaced it. Rows for keys the new file does not mention are kept.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Table, and_, bindparam, insert, select, update

from core import db, reference
from etl.errors import ProblemList
from etl.formats import templates
from etl.formats.templates.spec import BOROUGH, SheetSpec
from etl.load import LoadResult, Progress, _ensure_areas, _json_problems, _new_upload, _reject
from etl.read import Extract

PROVENANCE = ("upload_id", "source_sheet", "source_row")


def _python(value: object) -> object:
    """A value as the database driver and JSON take it (no numpy scalars, no NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _json(value: object) -> object:
    value = _python(value)
    return value.isoformat() if isinstance(value, date) else value


def key_json(key: dict) -> str:
    """A key as canonical JSON text (sorted, ISO dates), so equal keys compare equal."""
    return json.dumps({k: _json(v) for k, v in key.items()}, sort_keys=True)


def _records(table: Table, frame: pd.DataFrame, upload_id: int) -> list[dict]:
    columns = [c.name for c in table.columns if c.name in frame.columns]
    rows = frame[columns].to_dict("records")
    return [{**{k: _python(v) for k, v in row.items()}, "upload_id": upload_id} for row in rows]


def _held(conn, table: Table, key: tuple[str, ...], wanted: set[tuple]) -> list[dict]:
    """Rows already held for any of the ``wanted`` key tuples."""
    first = sorted({k[0] for k in wanted}, key=str)
    held: list[dict] = []
    for start in range(0, len(first), 500):
        query = select(table).where(table.c[key[0]].in_(first[start : start + 500]))
        for row in conn.execute(query).mappings():
            if tuple(row[k] for k in key) in wanted:
                held.append(dict(row))
    return held


def _write_sheet(
    conn, spec: SheetSpec, frame: pd.DataFrame, upload_id: int
) -> tuple[int, int, int]:
    """Insert a sheet's rows, moving rows they replace to history: (added, replaced, changed)."""
    table = db.metadata.tables[spec.table]
    records = _records(table, frame, upload_id)
    new_by_key = {tuple(r[k] for k in spec.key): r for r in records}
    held = _held(conn, table, spec.key, set(new_by_key))
    figures = [c.name for c in table.columns if c.name not in spec.key and c.name not in PROVENANCE]
    changed = 0
    if held:
        history = []
        for row in held:
            key = {k: row[k] for k in spec.key}
            new = new_by_key[tuple(key.values())]
            changed += any(_python(row[c]) != new.get(c) for c in figures)
            values = {c: _json(row[c]) for c in table.columns.keys() if c not in spec.key}
            history.append(
                {
                    "table_name": spec.table,
                    "key_json": key_json(key),
                    "values_json": values,
                    "upload_id": row["upload_id"],
                    "replaced_by_upload_id": upload_id,
                }
            )
        conn.execute(insert(db.template_history), history)
        match = and_(*[table.c[k] == bindparam(f"key_{k}") for k in spec.key])
        conn.execute(
            table.delete().where(match), [{f"key_{k}": row[k] for k in spec.key} for row in held]
        )
    conn.execute(insert(table), records)
    return len(records) - len(held), len(held), changed


def _area_codes(spec: SheetSpec, frame: pd.DataFrame) -> set[str]:
    return {c for f in spec.fields if f.kind == BOROUGH for c in frame[f.name].dropna()}


def _periods(template, frames: dict[str, pd.DataFrame]) -> list[date]:
    periods: list[date] = []
    for spec in template.sheets:
        if spec.name in frames and spec.period:
            periods.extend(_python(v) for v in frames[spec.name][spec.period].dropna())
    return periods


def _load_template(
    engine,
    extract: Extract,
    detected: templates.Detected,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Validate a council template and, if it has no errors, write it in one transaction."""
    template = detected[0]
    frames = templates.parse(detected, problems)
    if problems.has_errors or not frames:
        return _reject(
            engine,
            extract.filename,
            extract.size_bytes,
            extract.sha256,
            template.name,
            problems.final(),
            user,
        )
    periods = _periods(template, frames)
    rows = sum(len(f) for f in frames.values())
    progress(f"writing {rows:,} rows")
    added = replaced = changed = 0
    parts, areas = [], set()
    with engine.begin() as conn:
        upload_id = _new_upload(
            conn, extract, template.name, template.dataset, max(periods) if periods else None, user
        )
        for name, frame in frames.items():
            spec = templates.sheet_spec(template, name)
            codes = _area_codes(spec, frame)
            if codes:
                _ensure_areas(
                    conn,
                    pd.DataFrame(
                        {
                            "code": sorted(codes),
                            "name": [reference.LONDON_AUTHORITIES[c] for c in sorted(codes)],
                            "area_type": "borough",
                            "parent_code": None,
                            "boundary_vintage": None,
                        }
                    ),
                )
                areas |= codes
            a, r, c = _write_sheet(conn, spec, frame, upload_id)
            added, replaced, changed = added + a, replaced + r, changed + c
            parts.append(
                f"'{name}': {len(frame):,} rows ({a:,} new, {r:,} replaced"
                + (f", {c:,} of them with different figures)" if r else ")")
            )
        message = (
            f"Loaded {template.title.split(':')[0]}: "
            + "; ".join(parts)
            + "."
            + (" The replaced figures are kept in the history." if replaced else "")
        )
        conn.execute(
            update(db.uploads)
            .where(db.uploads.c.id == upload_id)
            .values(
                rows_read=rows,
                cells_added=added,
                cells_replaced=replaced,
                month_from=min(periods) if periods else None,
                month_to=max(periods) if periods else None,
                area_count=len(areas) or None,
                warnings=_json_problems(problems.final()),
                message=message,
            )
        )
    return LoadResult(
        extract.filename,
        "loaded",
        template.name,
        template.dataset,
        upload_id,
        problems.final(),
        areas=len(areas),
        month_from=min(periods) if periods else None,
        month_to=max(periods) if periods else None,
        rows_read=rows,
        figures_added=added,
        figures_replaced=replaced,
        message=message,
    )
