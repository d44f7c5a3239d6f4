"""Writing a validated extract to the database: one transaction, revisions kept, provenance kept.

Revision rule (DOMAIN "Sources"): for each area and month a file covers, the figures from the
file with the newest vintage (its latest month; ties go to the later load) are the current ones.
Figures that lose their place, or that arrive older than what is held, go to the history table
with the upload that displaced them, so nothing loaded is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, func, insert, literal, select, text, update

from core import config, db, reference
from core.reference import mopac7_type
from etl.errors import Problem, ProblemList, problem
from etl.formats import mps_crime, mps_dashboard, population, templates
from etl.read import Extract, ExtractUnreadable, file_digest, read_bytes

Progress = Callable[[str], None]


@dataclass
class LoadResult:
    """What happened to one file, in the terms the CLI and the upload page report."""

    filename: str
    status: str  # loaded | rejected | unchanged
    layout: str | None = None
    dataset: str | None = None
    upload_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    areas: int = 0
    month_from: date | None = None
    month_to: date | None = None
    rows_read: int = 0
    area_months_added: int = 0
    area_months_replaced: int = 0
    area_months_kept: int = 0  # held figures were newer than this file's
    figures_added: int = 0
    figures_replaced: int = 0
    message: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def _quiet(_: str) -> None:
    pass


def load_path(
    path, engine: Engine | None = None, user: str | None = None, progress: Progress = _quiet
) -> LoadResult:
    """Load one file from disk."""
    from pathlib import Path

    path = Path(path)
    size = path.stat().st_size
    if size > config.max_upload_bytes():
        item = problem(
            "file-too-large",
            size_mb=round(size / 2**20, 1),
            limit_mb=round(config.max_upload_bytes() / 2**20),
        )
        return _reject(engine or db.get_engine(), path.name, size, "", None, [item], user)
    return load_bytes(path.name, path.read_bytes(), engine, user, progress)


def load_bytes(
    filename: str,
    data: bytes,
    engine: Engine | None = None,
    user: str | None = None,
    progress: Progress = _quiet,
) -> LoadResult:
    """Validate and load one extract; nothing is written unless it has no errors."""
    engine = engine or db.get_engine()
    digest = file_digest(data)
    previous = _loaded_upload_with_hash(engine, digest)
    if previous is not None:
        return LoadResult(
            filename,
            "unchanged",
            previous.layout,
            previous.dataset,
            previous.id,
            message=f"Already loaded as upload {previous.id} on "
            f"{previous.uploaded_at:%d %b %Y %H:%M}; nothing changed.",
        )
    progress("reading")
    problems = ProblemList(config.max_problems())
    try:
        extract = read_bytes(filename, data, problems.limit)
    except ExtractUnreadable as exc:
        return _reject(engine, filename, len(data), digest, None, [exc.problem], user)
    problems.extend(extract.problems)
    progress("checking")
    tables = _parse_tables(extract, problems, date.today())
    if tables is not None:
        return _load_crime(engine, extract, tables, problems, user, progress)
    template = templates.detect(extract)
    if template:
        from etl.load_templates import _load_template  # it imports this module's helpers

        return _load_template(engine, extract, template, problems, user, progress)
    detected = population.detect(extract)
    if detected:
        return _load_population(engine, extract, *detected, problems, user, progress)
    accepted = (
        mps_crime.accepted_layouts()
        + "; "
        + "; ".join(layout.label for layout in population.LAYOUTS)
        + "; "
        + templates.accepted_layouts()
    )
    header_row = 1
    item = problem("unknown-layout", row=header_row, accepted=accepted)
    return _reject(engine, filename, len(data), digest, None, [*problems.final(), item], user)


# ---------------------------------------------------------------- upload log


def _loaded_upload_with_hash(engine: Engine, digest: str):
    with engine.connect() as conn:
        return conn.execute(
            select(db.uploads).where(db.uploads.c.sha256 == digest, db.uploads.c.status == "loaded")
        ).first()


def _json_problems(items: list[Problem]) -> list[dict]:
    return [p.as_dict() for p in items]


def _reject(engine, filename, size, digest, layout, items: list[Problem], user) -> LoadResult:
    """Record the rejection in the upload log only; no data table is touched."""
    with engine.begin() as conn:
        upload_id = conn.execute(
            insert(db.uploads).values(
                filename=filename,
                size_bytes=size,
                sha256=digest,
                layout=layout,
                status="rejected",
                uploaded_at=datetime.now(),
                uploaded_by=user,
                problems=_json_problems(items),
                message=f"Rejected: {sum(p.severity == 'error' for p in items)} problem(s).",
            )
        ).inserted_primary_key[0]
    return LoadResult(
        filename,
        "rejected",
        layout,
        upload_id=upload_id,
        problems=items,
        message="The file was not loaded; nothing in the database changed.",
    )


WRITE_LOCK_KEY = 7_316_402  # any fixed number: the advisory lock every writer of figures takes


def lock_for_writing(conn) -> None:
    """Make writers of figures take turns (call first in the transaction).

    PostgreSQL: a transaction-scoped advisory lock, so two loads (or a load and a revert) run one
    after the other instead of clashing on new series ids; a wait over 5 minutes fails (the page
    says "try again"). SQLite: its single writer lock does this already, taken by the first
    write of the transaction (BUSY after busy_timeout).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL lock_timeout = '300s'"))
        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))


def _new_upload(conn, extract: Extract, layout: str, dataset: str, vintage, user) -> int:
    lock_for_writing(conn)
    return conn.execute(
        insert(db.uploads).values(
            filename=extract.filename,
            size_bytes=extract.size_bytes,
            sha256=extract.sha256,
            layout=layout,
            dataset=dataset,
            status="loaded",
            vintage=vintage,
            uploaded_at=datetime.now(),
            uploaded_by=user,
        )
    ).inserted_primary_key[0]


# ---------------------------------------------------------------- areas and categories


def _ensure_areas(conn, frame: pd.DataFrame) -> None:
    """Insert areas not yet known (code, name, area_type, parent_code, boundary_vintage)."""
    frame = frame.drop_duplicates("code")
    have = set(conn.execute(select(db.areas.c.code)).scalars())
    new = frame[~frame["code"].isin(have)]
    if len(new):
        records = new.assign(
            is_london_borough=new["code"].map(reference.is_london_borough)
        ).to_dict("records")
        records = [
            {k: (None if v is pd.NA or v is None or v != v else v) for k, v in r.items()}
            for r in records
        ]
        conn.execute(insert(db.areas), records)


def _category_ids(conn, major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    pairs = pd.DataFrame({"major": major, "minor": minor})
    pairs["major_key"] = pairs["major"].str.upper()
    pairs["minor_key"] = pairs["minor"].str.upper()
    existing = {
        (r.major_key, r.minor_key): r.id
        for r in conn.execute(
            select(db.categories.c.id, db.categories.c.major_key, db.categories.c.minor_key)
        )
    }
    unique = pairs.drop_duplicates(["major_key", "minor_key"])
    for row in unique.itertuples():
        key = (row.major_key, row.minor_key)
        if key not in existing:
            existing[key] = conn.execute(
                insert(db.categories).values(
                    major_key=row.major_key,
                    minor_key=row.minor_key,
                    major_text=row.major,
                    minor_text=row.minor,
                    mopac7=mopac7_type(row.major, row.minor),
                    known=row.minor_key in reference.KNOWN_MINOR_CATEGORIES,
                )
            ).inserted_primary_key[0]
    keys = list(zip(pairs["major_key"], pairs["minor_key"], strict=True))
    return np.array([existing[k] for k in keys], dtype=np.int64)


# ---------------------------------------------------------------- crime


def _parse_tables(extract: Extract, problems: ProblemList, today: date):
    """Crime tables from whichever wide or long MPS layout the file is in (None: neither)."""
    crime_sheets = mps_crime.candidate_sheets(extract)
    if crime_sheets:
        tables = [mps_crime.parse_sheet(s, problems, today) for s in crime_sheets]
        return [t for t in tables if t is not None][:1]  # the first sheet holding a table
    for sheet in mps_crime.header_sheets(extract):
        if mps_dashboard.is_dashboard(list(sheet.frame.columns)):
            return mps_dashboard.parse_sheet(sheet, problems, today)
    return None


def _load_crime(engine, extract, tables, problems: ProblemList, user, progress) -> LoadResult:
    if problems.has_errors or not tables:
        layout = tables[0].layout.name if tables else None
        return _reject(
            engine,
            extract.filename,
            extract.size_bytes,
            extract.sha256,
            layout,
            problems.final(),
            user,
        )
    layout = tables[0].layout
    datasets = sorted({t.layout.dataset for t in tables})
    dataset = datasets[0] if len(datasets) == 1 else "mps_dashboard"
    vintage = max(max(t.months) for t in tables)
    progress(f"writing {sum(t.counts.size for t in tables):,} figures")
    with engine.begin() as conn:
        upload_id = _new_upload(conn, extract, layout.name, dataset, vintage, user)
        results = [_write_crime(conn, t, upload_id, vintage) for t in tables]
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
        conn.execute(
            update(db.uploads)
            .where(db.uploads.c.id == upload_id)
            .values(
                rows_read=result.rows_read,
                cells_added=result.figures_added,
                cells_replaced=result.figures_replaced,
                month_from=min(min(t.months) for t in tables),
                month_to=vintage,
                area_count=result.areas,
                warnings=_json_problems(problems.final()),
                message=result.message,
            )
        )
    result.filename, result.upload_id = extract.filename, upload_id
    result.problems = problems.final()
    return result


def _area_frame(table: mps_crime.CrimeTable) -> pd.DataFrame:
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


def _held_coverage(conn, dataset: str, months: list[date]) -> pd.DataFrame:
    cov, up = db.crime_coverage, db.uploads
    query = (
        select(cov.c.area_code, cov.c.month, cov.c.upload_id, up.c.vintage)
        .join(up, up.c.id == cov.c.upload_id)
        .where(cov.c.dataset == dataset, cov.c.month.between(min(months), max(months)))
    )
    return pd.DataFrame(
        conn.execute(query).all(), columns=["area_code", "month", "upload_id", "vintage"]
    )


def _groups_by_months(pairs: pd.DataFrame) -> Iterator[tuple[list[str], list[date]]]:
    """(areas, months) blocks covering ``pairs``: usually one block for a whole file."""
    by_area = pairs.groupby("area_code")["month"].apply(lambda s: tuple(sorted(s)))
    for months, areas in by_area.groupby(by_area):
        codes = list(areas.index)
        for start in range(0, len(codes), 500):
            yield codes[start : start + 500], list(months)


def _series_ids(conn, dataset: str, area_code: np.ndarray, category: np.ndarray) -> np.ndarray:
    """The series id of each (area, category) row, creating series not seen before."""
    series = db.crime_series
    existing = {
        (r.area_code, r.category_id): r.id
        for r in conn.execute(
            select(series.c.id, series.c.area_code, series.c.category_id).where(
                series.c.dataset == dataset
            )
        )
    }
    keys = list(zip(area_code.tolist(), category.tolist(), strict=True))
    new = sorted({k for k in keys if k not in existing})
    if new:
        next_id = (conn.execute(select(func.max(series.c.id))).scalar() or 0) + 1
        for offset, key in enumerate(new):
            existing[key] = next_id + offset
        db.bulk_insert(
            conn,
            series,
            ["id", "dataset", "area_code", "category_id"],
            ((existing[k], dataset, k[0], k[1]) for k in new),
        )
    return np.array([existing[k] for k in keys], dtype=np.int64)


def _move_to_history(conn, dataset: str, pairs: pd.DataFrame, upload_id: int) -> int:
    counts, hist, series = db.crime_counts, db.crime_count_history, db.crime_series
    moved = 0
    for codes, months in _groups_by_months(pairs):
        in_areas = select(series.c.id).where(
            series.c.dataset == dataset, series.c.area_code.in_(codes)
        )
        held = conn.execute(
            select(db.crime_coverage.c.month, db.crime_coverage.c.upload_id)
            .distinct()
            .where(
                db.crime_coverage.c.dataset == dataset,
                db.crime_coverage.c.area_code.in_(codes),
                db.crime_coverage.c.month.in_(months),
            )
        ).all()
        # history needs the upload each replaced count came from: one statement per holder
        for holder, holder_months in pd.DataFrame(held, columns=["m", "u"]).groupby("u")["m"]:
            where = and_(counts.c.series_id.in_(in_areas), counts.c.month.in_(list(holder_months)))
            source = select(
                counts.c.series_id,
                counts.c.month,
                counts.c.count,
                literal(int(holder)),
                literal(upload_id),
                literal("replaced"),
            ).where(where)
            cols = ["series_id", "month", "count", "upload_id", "replaced_by_upload_id", "reason"]
            conn.execute(insert(hist).from_select(cols, source))
            # the DELETE's rowcount: psycopg reports -1 for INSERT ... SELECT with parameters
            moved += conn.execute(counts.delete().where(where)).rowcount
        cov = db.crime_coverage
        held_here = and_(
            cov.c.dataset == dataset, cov.c.area_code.in_(codes), cov.c.month.in_(months)
        )
        # which upload held each area-month (zero months too), for etl/revert.py
        conn.execute(
            insert(db.crime_coverage_history).from_select(
                ["dataset", "area_code", "month", "upload_id", "replaced_by_upload_id", "reason"],
                select(
                    cov.c.dataset,
                    cov.c.area_code,
                    cov.c.month,
                    cov.c.upload_id,
                    literal(upload_id),
                    literal("replaced"),
                ).where(held_here),
            )
        )
        conn.execute(cov.delete().where(held_here))
    return moved


def _write_crime(conn, table: mps_crime.CrimeTable, upload_id: int, vintage: date) -> LoadResult:
    dataset = table.layout.dataset
    _ensure_areas(conn, _area_frame(table))
    category = _category_ids(conn, table.major, table.minor)
    series = _series_ids(conn, dataset, table.area_code, category)
    db.bulk_insert(
        conn,
        db.crime_rows,
        ["upload_id", "series_id", "source_sheet", "source_row"],
        zip(
            [upload_id] * len(series),
            series.tolist(),
            [table.sheet_name] * len(series),
            table.rows.tolist(),
            strict=True,
        ),
    )
    month_text = np.array([m.isoformat() for m in table.months], dtype=object)
    if table.cell_rows is not None:  # long formats: one source row per figure
        r, c = np.nonzero(table.cell_rows)
        db.bulk_insert(
            conn,
            db.crime_cell_rows,
            ["upload_id", "series_id", "month", "source_row"],
            zip(
                [upload_id] * len(r),
                series[r].tolist(),
                month_text[c].tolist(),
                table.cell_rows[r, c].tolist(),
                strict=True,
            ),
        )
    area_codes = pd.unique(table.area_code)
    pairs = pd.DataFrame(
        {
            "area_code": np.repeat(area_codes, len(table.months)),
            "month": np.tile(np.array(table.months, dtype=object), len(area_codes)),
        }
    )
    held = _held_coverage(conn, dataset, table.months)
    pairs = pairs.merge(held, on=["area_code", "month"], how="left")
    held_mask = pairs["upload_id"].notna()
    newer_held = held_mask & (pairs["vintage"] > vintage)
    replace = pairs[held_mask & ~newer_held]
    kept = pairs[newer_held]
    figures_replaced = _move_to_history(conn, dataset, replace, upload_id) if len(replace) else 0

    rows, cols = np.nonzero(table.counts)
    values = table.counts[rows, cols]
    if len(kept):
        db.bulk_insert(
            conn,
            db.crime_coverage_history,
            ["dataset", "area_code", "month", "upload_id", "replaced_by_upload_id", "reason"],
            (
                (dataset, a, m.isoformat(), upload_id, int(h), "not-applied")
                for a, m, h in zip(kept["area_code"], kept["month"], kept["upload_id"], strict=True)
            ),
        )
        kept_index = pd.MultiIndex.from_arrays([kept["area_code"], kept["month"]])
        month_objs = np.array(table.months, dtype=object)
        cells = pd.MultiIndex.from_arrays([table.area_code[rows], month_objs[cols]])
        lose = cells.isin(kept_index)
        holder = kept.set_index(["area_code", "month"])["upload_id"].astype(int)
        holders = holder.reindex(cells[lose]).to_numpy()
        db.bulk_insert(
            conn,
            db.crime_count_history,
            ["series_id", "month", "count", "upload_id", "replaced_by_upload_id", "reason"],
            zip(
                series[rows[lose]].tolist(),
                month_text[cols[lose]].tolist(),
                values[lose].tolist(),
                [upload_id] * int(lose.sum()),
                holders.tolist(),
                ["not-applied"] * int(lose.sum()),
                strict=True,
            ),
        )
        rows, cols, values = rows[~lose], cols[~lose], values[~lose]
    order = np.lexsort((cols, series[rows]))
    db.bulk_insert(
        conn,
        db.crime_counts,
        ["series_id", "month", "count"],
        _count_rows(series[rows[order]], month_text[cols[order]], values[order]),
    )
    won = pairs[~newer_held]
    db.bulk_insert(
        conn,
        db.crime_coverage,
        ["dataset", "area_code", "month", "upload_id"],
        (
            (dataset, a, m.isoformat(), upload_id)
            for a, m in zip(won["area_code"], won["month"], strict=True)
        ),
    )
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


def _count_rows(series, months, values, chunk=200_000):
    for start in range(0, len(values), chunk):
        end = start + chunk
        yield from zip(
            series[start:end].tolist(),
            months[start:end].tolist(),
            values[start:end].tolist(),
            strict=False,
        )


# ---------------------------------------------------------------- populations


def _load_population(
    engine, extract, layout, sheets, problems: ProblemList, user, progress
) -> LoadResult:
    frame = population.parse(layout, sheets, problems)
    if problems.has_errors or frame.empty:
        if frame.empty and not problems.has_errors:
            problems.add(problem("file-empty"))
        return _reject(
            engine,
            extract.filename,
            extract.size_bytes,
            extract.sha256,
            layout.name,
            problems.final(),
            user,
        )
    progress(f"writing {len(frame):,} population figures")
    pops, hist = db.populations, db.population_history
    with engine.begin() as conn:
        upload_id = _new_upload(conn, extract, layout.name, "population", None, user)
        names = frame["area_name"].where(
            frame["area_type"] != "borough", frame["area_code"].map(reference.LONDON_AUTHORITIES)
        )
        _ensure_areas(
            conn,
            pd.DataFrame(
                {
                    "code": frame["area_code"],
                    "name": names.fillna(frame["area_code"]),
                    "area_type": frame["area_type"],
                    "parent_code": frame["parent_code"],
                    "boundary_vintage": np.where(frame["area_type"] == "ward", 2022, None),
                }
            ),
        )
        replaced = 0
        for code_chunk in _chunks(list(pd.unique(frame["area_code"])), 500):
            where = pops.c.area_code.in_(code_chunk) & pops.c.year.in_(
                [int(y) for y in pd.unique(frame["year"])]
            )
            source = select(
                pops.c.area_code,
                pops.c.year,
                pops.c.population,
                pops.c.upload_id,
                literal(upload_id),
            ).where(where)
            conn.execute(
                insert(hist).from_select(
                    ["area_code", "year", "population", "upload_id", "replaced_by_upload_id"],
                    source,
                )
            )
            # the DELETE's rowcount: psycopg reports -1 for INSERT ... SELECT with parameters
            replaced += conn.execute(pops.delete().where(where)).rowcount
        db.bulk_insert(
            conn,
            pops,
            ["area_code", "year", "population", "upload_id", "source_sheet", "source_row"],
            zip(
                frame["area_code"],
                frame["year"].astype(int).tolist(),
                frame["population"].astype(int).tolist(),
                [upload_id] * len(frame),
                frame["sheet"],
                frame["row"].astype(int).tolist(),
                strict=True,
            ),
        )
        message = (
            f"Loaded {len(frame):,} population figures for "
            f"{frame['area_code'].nunique()} areas, {frame['year'].min()}-"
            f"{frame['year'].max()}; {replaced:,} replaced (old figures kept in history)."
        )
        conn.execute(
            update(db.uploads)
            .where(db.uploads.c.id == upload_id)
            .values(
                rows_read=len(frame),
                cells_added=len(frame),
                cells_replaced=replaced,
                area_count=int(frame["area_code"].nunique()),
                warnings=_json_problems(problems.final()),
                message=message,
            )
        )
    return LoadResult(
        extract.filename,
        "loaded",
        layout.name,
        "population",
        upload_id,
        problems.final(),
        areas=int(frame["area_code"].nunique()),
        rows_read=len(frame),
        figures_added=len(frame),
        figures_replaced=replaced,
        message=message,
    )


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
