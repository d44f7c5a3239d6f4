"""Population estimates: the current figure per area and year, and the ones it replaced."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Row, delete, insert, literal, select

from core import db


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def held(conn: Connection, codes: list[str], years: list[int]) -> list[Row]:
    """The held (area_code, year, population) rows for these areas and years."""
    p = db.populations
    held: list[Row] = []
    for start in range(0, len(codes), 500):
        held += conn.execute(
            select(p.c.area_code, p.c.year, p.c.population).where(
                p.c.area_code.in_(codes[start : start + 500]), p.c.year.in_(years)
            )
        ).all()
    return held


def replace(conn: Connection, frame: pd.DataFrame, upload_id: int) -> int:
    """Write a file's populations, moving the figures they replace to the history; the count
    replaced."""
    pops, hist = db.populations, db.population_history
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
    return replaced


def withdraw(conn: Connection, upload_id: int) -> list[dict]:
    """Move an upload's populations to the history; the rows moved."""
    pops, hist = db.populations, db.population_history
    mine = conn.execute(select(pops).where(pops.c.upload_id == upload_id)).mappings().all()
    if not mine:
        return []
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
    return [dict(r) for r in mine]


def earlier(conn: Connection, codes: list[str]) -> list[Row]:
    """Replaced populations of these areas from uploads still loaded (id, area_code, year,
    population, upload_id)."""
    hist, up = db.population_history, db.uploads
    return conn.execute(
        select(hist.c.id, hist.c.area_code, hist.c.year, hist.c.population, hist.c.upload_id)
        .join(up, up.c.id == hist.c.upload_id)
        .where(up.c.status == "loaded", hist.c.area_code.in_(codes))
    ).all()


def restore(conn: Connection, rows: list[Row]) -> None:
    """Make these history rows current again."""
    pops, hist = db.populations, db.population_history
    if not rows:
        return
    conn.execute(
        insert(pops),
        [
            {
                "area_code": r.area_code,
                "year": r.year,
                "population": r.population,
                "upload_id": r.upload_id,
            }
            for r in rows
        ],
    )
    conn.execute(delete(hist).where(hist.c.id.in_([r.id for r in rows])))
