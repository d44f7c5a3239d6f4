"""Ward boundaries: the current outline of each ward of a borough (loaded from ONS GeoJSON)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from core import db
from core.queries.base import read_frame


def ward_boundaries(engine: Engine, borough_code: str) -> pd.DataFrame:
    """code, name and geometry (GeoJSON, WGS84) of the borough's wards with an outline."""
    b = db.ward_boundaries
    query = (
        select(b.c.code, b.c.name, b.c.geometry)
        .where(b.c.borough_code == borough_code, b.c.replaced_by_upload_id.is_(None))
        .order_by(b.c.code)
    )
    return read_frame(engine, query, ["code", "name", "geometry"])
