"""Writing checked MPS crime tables: one transaction, revisions kept, provenance kept.

Revision rule (DOMAIN "Sources"): for each area and month a file covers, the figures from the
file with the newest vintage (its latest month; ties go to the later load) are the current ones.
Figures that lose their place, or that arrive older than what is held, go to the history table
with the upload that displaced them, so nothing loaded is ever lost.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from core import reference
from etl import store
from etl.errors import ProblemList
from etl.formats import CrimeFile
from etl.formats.mps_crime import CrimeTable
from etl.read import Extract
from etl.result import LoadResult, Progress, reject_file


def load_crime(
    engine: Engine,
    extract: Extract,
    parsed: CrimeFile,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Write the file's crime tables in one transaction, or reject the file if it has errors."""
    tables = parsed.tables
    if problems.has_errors or not tables:
        return reject_file(engine, extract, parsed.layout, problems, user)
    layout = tables[0].layout
    datasets = sorted({t.layout.dataset for t in tables})
    dataset = datasets[0] if len(datasets) == 1 else reference.MPS_DASHBOARD_UPLOAD
    vintage = max(max(t.months) for t in tables)
    progress(f"writing {sum(t.counts.size for t in tables):,} figures")
    with engine.begin() as conn:
        upload_id = store.uploads.new_upload(conn, extract, layout.name, dataset, vintage, user)
        results = [_write_table(conn, t, upload_id, vintage) for t in tables]
        result = results[0]
        for extra in results[1:]:
            result.figures_added += extra.figures_added
            result.figures_replaced += extra.figures_replaced
            result.area_months_added += extra.area_months_added
            result.area_months_replaced += extra.area_months_replaced
            result.area_months_kept += extra.area_months_kept
            result.areas = max(result.areas, extra.areas)
            result.message += " " + extra.message
        result.dataset = dataset
        result.rows_read = int(sum(len(t.sheet_rows) for t in tables))
        store.uploads.finish_upload(
            conn,
            upload_id,
            rows_read=result.rows_read,
            cells_added=result.figures_added,
            cells_replaced=result.figures_replaced,
            month_from=min(min(t.months) for t in tables),
            month_to=vintage,
            area_count=result.areas,
            warnings=store.uploads.json_problems(problems.final()),
            message=result.message,
        )
    result.filename, result.upload_id = extract.filename, upload_id
    result.problems = problems.final()
    return result


def _area_frame(table: CrimeTable) -> pd.DataFrame:
    """The table's areas and their parents, as ``store.areas.ensure_areas`` takes them."""
    vintage = 2022 if table.layout.dataset == "ward_crime" else None
    areas = pd.DataFrame(
        {
            "code": table.area_code,
            "name": table.area_name,
            "area_type": table.area_type,
            "parent_code": table.parent_code,
            "boundary_vintage": vintage,
        }
    )
    parents = pd.DataFrame({"code": table.parent_code, "name": table.parent_name})
    parents = parents.dropna(subset=["code"]).drop_duplicates("code")
    parents["area_type"] = [
        "borough" if reference.is_london_borough(c) else "other" for c in parents["code"]
    ]
    parents["parent_code"] = None
    parents["boundary_vintage"] = None
    return pd.concat([parents, areas], ignore_index=True)


def _write_table(conn: Connection, table: CrimeTable, upload_id: int, vintage: date) -> LoadResult:
    dataset = table.layout.dataset
    store.areas.ensure_areas(conn, _area_frame(table))
    category = store.areas.category_ids(conn, table.major, table.minor)
    series = store.crime.series_ids(conn, dataset, table.area_code, category)
    store.crime.write_source_rows(conn, upload_id, series, table.sheet_name, table.rows)
    month_text = np.array([m.isoformat() for m in table.months], dtype=object)
    if table.cell_rows is not None:  # long formats: one source row per figure
        r, c = np.nonzero(table.cell_rows)
        store.crime.write_cell_rows(
            conn, upload_id, series[r], month_text[c], table.cell_rows[r, c]
        )
    if table.merged_rows is not None:
        r, c, source = table.merged_rows.T
        store.crime.write_merged_rows(conn, upload_id, series[r], month_text[c], source)
    area_codes = pd.unique(table.area_code)
    pairs = pd.DataFrame(
        {
            "area_code": np.repeat(area_codes, len(table.months)),
            "month": np.tile(np.array(table.months, dtype=object), len(area_codes)),
        }
    )
    held = store.crime.held_coverage(conn, dataset, table.months, area_codes.tolist())
    pairs = pairs.merge(held, on=["area_code", "month"], how="left")
    held_mask = pairs["upload_id"].notna()
    newer_held = held_mask & (pairs["vintage"] > vintage)
    replace = pairs[held_mask & ~newer_held]
    kept = pairs[newer_held]
    figures_replaced = (
        store.crime.move_to_history(conn, dataset, replace, upload_id) if len(replace) else 0
    )

    # figures in the order of their key (series, month), so SQLite appends instead of searching:
    # each row is one series, so ordering the rows by series id orders the figures
    by_series = np.argsort(series, kind="stable")
    rows, cols = np.nonzero(table.counts[by_series])
    rows = by_series[rows]
    values = table.counts[rows, cols]
    if len(kept):
        store.crime.record_coverage_not_applied(conn, dataset, kept, upload_id)
        kept_index = pd.MultiIndex.from_arrays([kept["area_code"], kept["month"]])
        month_objs = np.array(table.months, dtype=object)
        cells = pd.MultiIndex.from_arrays([table.area_code[rows], month_objs[cols]])
        lose = cells.isin(kept_index)
        holder = kept.set_index(["area_code", "month"])["upload_id"].astype(int)
        holders = holder.reindex(cells[lose]).to_numpy()
        store.crime.record_counts_not_applied(
            conn,
            series[rows[lose]],
            month_text[cols[lose]],
            values[lose],
            upload_id,
            holders,
        )
        rows, cols, values = rows[~lose], cols[~lose], values[~lose]
    store.crime.write_counts(conn, series[rows], month_text[cols], values)
    store.crime.write_coverage(conn, dataset, pairs[~newer_held], upload_id)
    added = int((~held_mask).sum())
    result = LoadResult(
        table.layout.name,
        "loaded",
        table.layout.name,
        dataset,
        areas=len(area_codes),
        month_from=min(table.months),
        month_to=vintage,
        rows_read=len(table.rows),
        area_months_added=added,
        area_months_replaced=len(replace),
        area_months_kept=len(kept),
        figures_added=len(values),
        figures_replaced=figures_replaced,
    )
    result.message = (
        f"Loaded {len(values):,} figures for {len(area_codes)} areas, "
        f"{min(table.months):%b %Y} to {vintage:%b %Y}: {added:,} area-months new, "
        f"{len(replace):,} replaced (old figures kept in history), {len(kept):,} kept because "
        f"newer figures were already loaded."
    )
    return result
