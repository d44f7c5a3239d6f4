"""Areas and crime categories: added the first time a file names them, never changed after; and
the ward reference read from them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, exists, insert, select

from core import db, reference
from core.reference import mopac7_type
from etl.wards import REFERENCE_DATASET, WardReference, reference_from_pairs


def ensure_areas(conn: Connection, frame: pd.DataFrame) -> None:
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


def category_ids(conn: Connection, major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """The category id of each (major, minor) row, creating categories not seen before."""
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


def ward_reference(engine: Engine) -> WardReference:
    """The known wards of each borough: the wards (with their boroughs) that the MPS ward crime
    files loaded have figures for. Ward boundaries, when loaded, are one more source here."""
    a, s = db.areas, db.crime_series
    in_ward_files = exists().where(s.c.dataset == REFERENCE_DATASET, s.c.area_code == a.c.code)
    query = select(a.c.code, a.c.parent_code).where(
        a.c.area_type == "ward", a.c.parent_code.is_not(None), in_ward_files
    )
    with engine.connect() as conn:
        pairs = pd.DataFrame(conn.execute(query).all(), columns=["code", "borough"])
    return reference_from_pairs(pairs, "from the MPS ward crime files loaded")
