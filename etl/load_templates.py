"""Writing a validated council template: one transaction, replaced rows kept, provenance kept.

Revision rule: the later upload wins. For each key a template sheet declares (a borough and
month, a quarter, a department and as-at date, ...) a new upload's row replaces the held row;
the held row goes to ``template_history`` (its key and values as JSON) with the upload it came
from and the upload that replaced it. Rows for keys the new file does not mention are kept.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine

from core import db, partnership, reference
from etl import store
from etl.errors import ProblemList
from etl.formats import TemplateFile, templates
from etl.formats.templates.spec import BOROUGH, SheetSpec, TemplateSpec
from etl.read import Extract
from etl.result import LoadResult, Progress, reject_file
from etl.template_rows import by_key, changed_count, json_value, key_json, python_value, records


def _history(spec: SheetSpec, table, held: list[dict], upload_id: int) -> list[dict]:
    """The held rows as ``template_history`` rows, replaced by ``upload_id``."""
    history = []
    for row in held:
        key = {k: row[k] for k in spec.key}
        values = {c: json_value(row[c]) for c in table.columns.keys() if c not in spec.key}
        history.append(
            {
                "table_name": spec.table,
                "key_json": key_json(key),
                "values_json": values,
                "upload_id": row["upload_id"],
                "replaced_by_upload_id": upload_id,
            }
        )
    return history


def _write_sheet(
    conn: Connection, spec: SheetSpec, frame: pd.DataFrame, upload_id: int
) -> tuple[int, int, int]:
    """Insert a sheet's rows, moving rows they replace to history: (added, replaced, changed)."""
    table = db.metadata.tables[spec.table]
    new = records(table, frame, upload_id)
    new_by_key = by_key(new, spec.key)
    held = store.templates.held_rows(conn, table, spec.key, set(new_by_key))
    changed = changed_count(table, spec.key, held, new_by_key)
    history = _history(spec, table, held, upload_id)
    store.templates.replace_rows(conn, table, spec.key, held, history, new)
    return len(new) - len(held), len(held), changed


def _define(
    conn: Connection, frame: pd.DataFrame, upload_id: int, user: str | None
) -> tuple[int, int, int]:
    """A definitions sheet's rows as changes to the definitions: (added, restated, changed)."""
    done = [
        partnership.define_in(conn, row, user, (upload_id, row["source_sheet"], row["source_row"]))
        for row in frame.to_dict("records")
    ]
    return done.count("added"), len(done) - done.count("added"), done.count("changed")


def _area_codes(spec: SheetSpec, frame: pd.DataFrame) -> set[str]:
    return {c for f in spec.fields if f.kind == BOROUGH for c in frame[f.name].dropna()}


def _boroughs(codes: set[str]) -> pd.DataFrame:
    """Boroughs as ``store.areas.ensure_areas`` takes them."""
    return pd.DataFrame(
        {
            "code": sorted(codes),
            "name": [reference.LONDON_AUTHORITIES[c] for c in sorted(codes)],
            "area_type": "borough",
            "parent_code": None,
            "boundary_vintage": None,
        }
    )


def _periods(template: TemplateSpec, frames: dict[str, pd.DataFrame]) -> tuple[date, date] | None:
    """The first and last month (or as-at date) the template's sheets cover: a quarter covers
    its three months, so 2022/23 Q3 to Q4 is October 2022 to March 2023."""
    starts: list[date] = []
    ends: list[date] = []
    for spec in template.sheets:
        if spec.name in frames and spec.period:
            values = [python_value(v) for v in frames[spec.name][spec.period].dropna()]
            starts += values
            later = pd.DateOffset(months=spec.period_months - 1)
            ends += [(pd.Timestamp(v) + later).date() for v in values]
    return (min(starts), max(ends)) if starts else None


def load_template(
    engine: Engine,
    extract: Extract,
    parsed: TemplateFile,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Write a council template in one transaction, or reject the file if it has errors."""
    template, frames = parsed.template, parsed.frames
    if problems.has_errors or not frames:
        return reject_file(engine, extract, template.name, problems, user)
    first, last = _periods(template, frames) or (None, None)
    rows = sum(len(f) for f in frames.values())
    progress(f"writing {rows:,} rows")
    added = replaced = changed = 0
    parts, areas = [], set()
    with engine.begin() as conn:
        upload_id = store.uploads.new_upload(
            conn, extract, template.name, template.dataset, last, user
        )
        for name, frame in frames.items():
            spec = templates.sheet_spec(template, name)
            codes = _area_codes(spec, frame)
            if codes:
                store.areas.ensure_areas(conn, _boroughs(codes))
                areas |= codes
            if spec.definitions:
                a, r, c = _define(conn, frame, upload_id, user)
            else:
                a, r, c = _write_sheet(conn, spec, frame, upload_id)
            added, replaced, changed = added + a, replaced + r, changed + c
            parts.append(
                f"'{name}': {len(frame):,} row{'' if len(frame) == 1 else 's'} ({a:,} new, "
                f"{r:,} replaced" + (f", {c:,} of them with different figures)" if r else ")")
            )
        message = (
            f"Loaded {template.title.split(':')[0]}: "
            + "; ".join(parts)
            + "."
            + (" The replaced figures are kept in the history." if replaced else "")
        )
        store.uploads.finish_upload(
            conn,
            upload_id,
            rows_read=rows,
            cells_added=added,
            cells_replaced=replaced,
            month_from=first,
            month_to=last,
            area_count=len(areas) or None,
            warnings=store.uploads.json_problems(problems.final()),
            message=message,
        )
    return LoadResult(
        extract.filename,
        "loaded",
        template.name,
        template.dataset,
        upload_id,
        problems.final(),
        areas=len(areas),
        month_from=first,
        month_to=last,
        rows_read=rows,
        figures_added=added,
        figures_replaced=replaced,
        message=message,
    )
