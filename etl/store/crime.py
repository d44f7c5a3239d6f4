"""Crime figures: series, counts, their source rows, which upload holds each area-month, and the
history tables that keep every figure a later upload (or a revert) displaced."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    String,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    type_coerce,
)

from core import db

HISTORY_COLUMNS = ["series_id", "month", "count", "upload_id", "replaced_by_upload_id", "reason"]
COVERAGE_HISTORY_COLUMNS = [
    "dataset",
    "area_code",
    "month",
    "upload_id",
    "replaced_by_upload_id",
    "reason",
]


def area_month_blocks(pairs: pd.DataFrame) -> Iterator[tuple[list[str], list[date]]]:
    """(areas, months) blocks covering ``pairs``, small enough for IN lists (usually one)."""
    by_area = pairs.groupby("area_code")["month"].apply(lambda s: tuple(sorted(s)))
    for months, areas in by_area.groupby(by_area):
        codes = list(areas.index)
        for start in range(0, len(codes), 500):
            yield codes[start : start + 500], list(months)


def _in_months(column, months: list[date]):
    """``column`` among ``months``: a range when they are consecutive calendar months (one index
    seek per series instead of one per month, a third of the time over a 24-month refresh)."""
    ordered = sorted(months)
    steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in itertools.pairwise(ordered)}
    if steps <= {1} and all(m.day == 1 for m in ordered):
        return column.between(ordered[0], ordered[-1])
    return column.in_(ordered)


def _series_in(dataset: str, codes: list[str]):
    s = db.crime_series
    return select(s.c.id).where(s.c.dataset == dataset, s.c.area_code.in_(codes))


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame, built column by column (pandas probes each Row object otherwise,
    which costs about a second per hundred thousand rows)."""
    if not rows:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    return pd.DataFrame(dict(zip(columns, zip(*rows, strict=True), strict=True)))


def _as_date(value) -> date | None:
    """A date read back as stored: ISO text on SQLite, a date on PostgreSQL."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]


# ---------------------------------------------------------------- loading


def held_coverage(
    conn: Connection, dataset: str, months: list[date], codes: list[str] | None = None
) -> pd.DataFrame:
    """Which upload (and its vintage) holds each area-month of ``dataset`` in the months' range
    (of the areas in ``codes`` only, when given: an index seek per area instead of a scan)."""
    cov, up = db.crime_coverage, db.uploads
    query = (
        # dates as stored (ISO text on SQLite), each distinct one converted once below
        select(
            cov.c.area_code,
            type_coerce(cov.c.month, String),
            cov.c.upload_id,
            type_coerce(up.c.vintage, String),
        )
        .join(up, up.c.id == cov.c.upload_id)
        .where(cov.c.dataset == dataset, cov.c.month.between(min(months), max(months)))
    )
    if codes is not None:
        query = query.where(cov.c.area_code.in_(codes))
    held = _frame(conn.execute(query).all(), ["area_code", "month", "upload_id", "vintage"])
    for column in ("month", "vintage"):
        dates = {v: _as_date(v) for v in pd.unique(held[column])}
        held[column] = held[column].map(dates).astype(object)
    return held


def held_totals(conn: Connection, dataset: str, months: list[date]) -> pd.DataFrame:
    """Sum of every held count per area and month of ``dataset`` in the months' range."""
    s, c = db.crime_series, db.crime_counts
    query = (
        select(s.c.area_code, c.c.month, func.sum(c.c.count))
        .join(s, s.c.id == c.c.series_id)
        .where(s.c.dataset == dataset, c.c.month.between(min(months), max(months)))
        .group_by(s.c.area_code, c.c.month)
    )
    return _frame(conn.execute(query).all(), ["area_code", "month", "old"])


def held_categories(conn: Connection, dataset: str, months: list[date]) -> pd.DataFrame:
    """The categories held per area of ``dataset`` in the months' range: area_code, minor_text
    (the MPS dashboard's subgroup), mopac7 (its MOPAC7 type, or None) and major_text."""
    s, c, cat = db.crime_series, db.crime_counts, db.categories
    query = (
        select(s.c.area_code, cat.c.minor_text, cat.c.mopac7, cat.c.major_text)
        .join(cat, cat.c.id == s.c.category_id)
        .where(
            s.c.dataset == dataset,
            s.c.id.in_(select(c.c.series_id).where(c.c.month.between(min(months), max(months)))),
        )
        .distinct()
    )
    columns = ["area_code", "minor_text", "mopac7", "major_text"]
    return pd.DataFrame(conn.execute(query).all(), columns=columns)


def series_ids(
    conn: Connection, dataset: str, area_code: np.ndarray, category: np.ndarray
) -> np.ndarray:
    """The series id of each (area, category) row, creating series not seen before."""
    series = db.crime_series
    held = _frame(
        conn.execute(
            select(series.c.id, series.c.area_code, series.c.category_id).where(
                series.c.dataset == dataset
            )
        ).all(),
        ["id", "area_code", "category_id"],
    )
    wanted = pd.MultiIndex.from_arrays([area_code, category.astype(np.int64)])
    known = pd.MultiIndex.from_arrays([held["area_code"], held["category_id"].astype(np.int64)])
    found = known.get_indexer(wanted)
    ids = np.zeros(len(found), dtype=np.int64)
    missing = found < 0
    ids[~missing] = held["id"].to_numpy(dtype=np.int64)[found[~missing]]
    if missing.any():
        new = wanted[missing].unique().sort_values()
        next_id = (conn.execute(select(func.max(series.c.id))).scalar() or 0) + 1
        new_ids = np.arange(next_id, next_id + len(new), dtype=np.int64)
        db.bulk_insert(
            conn,
            series,
            ["id", "dataset", "area_code", "category_id"],
            zip(
                new_ids.tolist(),
                itertools.repeat(dataset),
                new.get_level_values(0).tolist(),
                new.get_level_values(1).tolist(),
            ),
        )
        ids[missing] = new_ids[new.get_indexer(wanted[missing])]
    return ids


def write_source_rows(
    conn: Connection, upload_id: int, series: np.ndarray, sheet: str | None, rows: np.ndarray
) -> None:
    """Where each series' row came from in the file (sheet and Excel row)."""
    db.bulk_insert(
        conn,
        db.crime_rows,
        ["upload_id", "series_id", "source_sheet", "source_row"],
        zip(
            [upload_id] * len(series),
            series.tolist(),
            [sheet] * len(series),
            rows.tolist(),
            strict=True,
        ),
    )


def write_cell_rows(
    conn: Connection, upload_id: int, series: np.ndarray, months: np.ndarray, rows: np.ndarray
) -> None:
    """Where each figure came from, for long layouts (one source row per figure)."""
    db.bulk_insert(
        conn,
        db.crime_cell_rows,
        ["upload_id", "series_id", "month", "source_row"],
        zip([upload_id] * len(rows), series.tolist(), months.tolist(), rows.tolist(), strict=True),
    )


def write_merged_rows(
    conn: Connection, upload_id: int, series: np.ndarray, months: np.ndarray, rows: np.ndarray
) -> None:
    """The further rows of figures made of several file rows added together."""
    db.bulk_insert(
        conn,
        db.crime_merged_rows,
        ["upload_id", "series_id", "month", "source_row"],
        zip([upload_id] * len(rows), series.tolist(), months.tolist(), rows.tolist(), strict=True),
    )


def move_to_history(conn: Connection, dataset: str, pairs: pd.DataFrame, upload_id: int) -> int:
    """Move the held figures and coverage of the area-months in ``pairs`` to the history tables
    (reason 'replaced', by ``upload_id``); returns the figures moved."""
    counts, hist, cov = db.crime_counts, db.crime_count_history, db.crime_coverage
    moved = 0
    for codes, months in area_month_blocks(pairs):
        in_areas = _series_in(dataset, codes)
        in_block = _in_months(cov.c.month, months)
        held = conn.execute(
            select(cov.c.month, cov.c.upload_id)
            .distinct()
            .where(cov.c.dataset == dataset, cov.c.area_code.in_(codes), in_block)
        ).all()
        # history needs the upload each replaced count came from: one statement per holder
        for holder, holder_months in pd.DataFrame(held, columns=["m", "u"]).groupby("u")["m"]:
            in_holder = _in_months(counts.c.month, list(holder_months))
            where = and_(counts.c.series_id.in_(in_areas), in_holder)
            source = select(
                counts.c.series_id,
                counts.c.month,
                counts.c.count,
                literal(int(holder)),
                literal(upload_id),
                literal("replaced"),
            ).where(where)
            conn.execute(insert(hist).from_select(HISTORY_COLUMNS, source))
            # the DELETE's rowcount: psycopg reports -1 for INSERT ... SELECT with parameters
            moved += conn.execute(counts.delete().where(where)).rowcount
        held_here = and_(cov.c.dataset == dataset, cov.c.area_code.in_(codes), in_block)
        # which upload held each area-month (zero months too), for etl/revert.py
        conn.execute(
            insert(db.crime_coverage_history).from_select(
                COVERAGE_HISTORY_COLUMNS,
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


def record_coverage_not_applied(
    conn: Connection, dataset: str, kept: pd.DataFrame, upload_id: int
) -> None:
    """Note the area-months (area_code, month, upload_id of the newer holder) this upload did not
    apply, because newer figures were held."""
    db.bulk_insert(
        conn,
        db.crime_coverage_history,
        COVERAGE_HISTORY_COLUMNS,
        (
            (dataset, a, m.isoformat(), upload_id, int(h), "not-applied")
            for a, m, h in zip(kept["area_code"], kept["month"], kept["upload_id"], strict=True)
        ),
    )


def record_counts_not_applied(
    conn: Connection,
    series: np.ndarray,
    months: np.ndarray,
    values: np.ndarray,
    upload_id: int,
    holders: np.ndarray,
) -> None:
    """Keep this upload's figures that were not applied in the history, with the holder."""
    size = len(values)
    db.bulk_insert(
        conn,
        db.crime_count_history,
        HISTORY_COLUMNS,
        zip(
            series.tolist(),
            months.tolist(),
            values.tolist(),
            [upload_id] * size,
            holders.tolist(),
            ["not-applied"] * size,
            strict=True,
        ),
    )


def write_counts(
    conn: Connection, series: np.ndarray, months: np.ndarray, values: np.ndarray
) -> None:
    """Insert the current figures (one per series and month), a chunk of columns at a time."""
    for start in range(0, len(values), COUNT_CHUNK):
        end = start + COUNT_CHUNK
        db.bulk_insert_columns(
            conn,
            db.crime_counts,
            ["series_id", "month", "count"],
            [series[start:end].tolist(), months[start:end].tolist(), values[start:end].tolist()],
        )


COUNT_CHUNK = 500_000  # figures written at a time (their parameters are held as a list)


def write_coverage(conn: Connection, dataset: str, won: pd.DataFrame, upload_id: int) -> None:
    """Record ``upload_id`` as the holder of the area-months in ``won`` (area_code, month)."""
    db.bulk_insert(
        conn,
        db.crime_coverage,
        ["dataset", "area_code", "month", "upload_id"],
        zip(
            itertools.repeat(dataset),
            won["area_code"].tolist(),
            _iso_texts(won["month"]),
            itertools.repeat(upload_id),
        ),
    )


def _iso_texts(months: pd.Series) -> list[str]:
    """Months as ISO text, each distinct month converted once."""
    text = {m: _iso(m) for m in pd.unique(months)}
    return [text[m] for m in months.tolist()]


# ---------------------------------------------------------------- reverting


def coverage_held_by(conn: Connection, upload_id: int) -> pd.DataFrame:
    """The area-months an upload holds: dataset, area_code, month."""
    cov = db.crime_coverage
    rows = conn.execute(
        select(cov.c.dataset, cov.c.area_code, cov.c.month).where(cov.c.upload_id == upload_id)
    ).all()
    return _frame(rows, ["dataset", "area_code", "month"])


def withdraw(
    conn: Connection, dataset: str, codes: list[str], months: list[date], upload_id: int
) -> int:
    """Move an upload's figures and coverage for these areas and months to the history tables
    (reason 'reverted'); returns the figures withdrawn."""
    counts, hist, cov = db.crime_counts, db.crime_count_history, db.crime_coverage
    mine = and_(counts.c.series_id.in_(_series_in(dataset, codes)), counts.c.month.in_(months))
    conn.execute(
        insert(hist).from_select(
            HISTORY_COLUMNS,
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
    removed = conn.execute(delete(counts).where(mine)).rowcount
    here = and_(cov.c.dataset == dataset, cov.c.area_code.in_(codes), cov.c.month.in_(months))
    conn.execute(
        insert(db.crime_coverage_history).from_select(
            COVERAGE_HISTORY_COLUMNS,
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
    return removed


def earlier_holders(
    conn: Connection, dataset: str, codes: list[str], months: list[date], upload_id: int
) -> pd.DataFrame:
    """Other uploads, still loaded, that once held these area-months (area_code, month,
    upload_id, vintage), from the coverage history."""
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
    return _frame(rows, ["area_code", "month", "upload_id", "vintage"])


def restore(conn: Connection, dataset: str, winner: int, cells: pd.DataFrame) -> int:
    """Bring back ``winner``'s figures for the area-months in ``cells``; returns figures."""
    counts, hist, ch = db.crime_counts, db.crime_count_history, db.crime_coverage_history
    restored = 0
    for codes, months in area_month_blocks(cells):
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
