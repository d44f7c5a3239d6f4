"""Reads of the published board packs (``core.published``)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from core.published import published_packs
from core.queries.base import read_frame

LISTED = ["id", "quarter", "version", "exempt", "published_by", "published_at"]


def published_list(engine: Engine) -> pd.DataFrame:
    """Every published pack (without its files), newest first."""
    columns = [published_packs.c[name] for name in LISTED]
    query = select(*columns).order_by(
        published_packs.c.published_at.desc(), published_packs.c.id.desc()
    )
    return read_frame(engine, query)


def published_file(engine: Engine, pack_id: int, fmt: str) -> tuple[dict, bytes] | None:
    """(the pack's row without files, its PDF or workbook bytes), None when there is none."""
    if fmt not in ("pdf", "xlsx"):
        return None
    columns = [published_packs.c[name] for name in LISTED]
    query = select(*columns, published_packs.c[fmt]).where(published_packs.c.id == pack_id)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return {name: row[name] for name in LISTED}, bytes(row[fmt])
