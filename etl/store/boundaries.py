"""Ward boundaries: a borough's current outlines, replaced whole by a newer file (the old rows
stay, marked with the upload that replaced them), withdrawn and restored by a revert."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Row, insert, select, update

from core import db


def held(conn: Connection, boroughs: list[str]) -> list[Row]:
    """The current outlines (code, borough_code, geometry) of these boroughs."""
    b = db.ward_boundaries
    return conn.execute(
        select(b.c.code, b.c.borough_code, b.c.geometry).where(
            b.c.borough_code.in_(boroughs), b.c.replaced_by_upload_id.is_(None)
        )
    ).all()


def current_pairs(conn: Connection) -> pd.DataFrame:
    """(code, borough, name) of every current outline: the wards a boundary file gave."""
    b = db.ward_boundaries
    rows = conn.execute(
        select(b.c.code, b.c.borough_code, b.c.name).where(b.c.replaced_by_upload_id.is_(None))
    ).all()
    return pd.DataFrame(rows, columns=["code", "borough", "name"])


def replace(conn: Connection, frame: pd.DataFrame, upload_id: int) -> int:
    """Make ``frame``'s outlines its boroughs' current ones; the count of outlines replaced."""
    b = db.ward_boundaries
    replaced = conn.execute(
        update(b)
        .where(
            b.c.borough_code.in_(sorted(set(frame["borough"]))),
            b.c.replaced_by_upload_id.is_(None),
        )
        .values(replaced_by_upload_id=upload_id)
    ).rowcount
    records = [
        {
            "code": r["code"],
            "name": r["name"],
            "borough_code": r["borough"],
            "vintage": int(r["vintage"]),
            "geometry": r["geometry"],
            "upload_id": upload_id,
            "source_feature": int(r["feature"]),
        }
        for r in frame.to_dict("records")
    ]
    conn.execute(insert(b), records)
    return replaced


def withdraw(conn: Connection, upload_id: int) -> tuple[int, list[str]]:
    """Take an upload's current outlines out (marked reverted: replaced by their own upload);
    how many, and their boroughs."""
    b = db.ward_boundaries
    mine = b.c.upload_id == upload_id
    boroughs = conn.execute(
        select(b.c.borough_code).where(mine, b.c.replaced_by_upload_id.is_(None)).distinct()
    ).scalars()
    boroughs = list(boroughs)
    removed = conn.execute(
        update(b)
        .where(mine, b.c.replaced_by_upload_id.is_(None))
        .values(replaced_by_upload_id=upload_id)
    ).rowcount
    return removed, boroughs


def restore(conn: Connection, boroughs: list[str], upload_id: int) -> int:
    """Bring back, for each borough left without outlines, those the reverted upload had
    replaced (the latest such upload's); how many came back."""
    b = db.ward_boundaries
    restored = 0
    for borough in boroughs:
        if held(conn, [borough]):
            continue
        earlier = conn.execute(
            select(b.c.upload_id)
            .where(
                b.c.borough_code == borough,
                b.c.replaced_by_upload_id == upload_id,
                b.c.upload_id != upload_id,
            )
            .order_by(b.c.upload_id.desc())
        ).first()
        if earlier is not None:
            restored += conn.execute(
                update(b)
                .where(
                    b.c.borough_code == borough,
                    b.c.upload_id == earlier.upload_id,
                    b.c.replaced_by_upload_id == upload_id,
                )
                .values(replaced_by_upload_id=None)
            ).rowcount
    return restored
