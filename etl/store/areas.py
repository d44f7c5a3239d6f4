"""Areas and crime categories: added the first time a file names them, never changed after; and
the ward reference read from them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, exists, insert, select

from core import db, reference
from core.reference import mopac7_type
from etl.store import boundaries
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
    cat = db.categories
    existing = {
        (major_key, minor_key): id_
        for id_, major_key, minor_key in conn.execute(
            select(cat.c.id, cat.c.major_key, cat.c.minor_key)
        )
    }
    # each distinct pair once (a file repeats a few dozen categories thousands of times)
    rows, labels = pd.factorize(pd.MultiIndex.from_arrays([major, minor]))
    ids = np.empty(len(labels), dtype=np.int64)
    for i, (major_text, minor_text) in enumerate(labels):
        key = (major_text.upper(), minor_text.upper())
        if key not in existing:
            existing[key] = conn.execute(
                insert(cat).values(
                    major_key=key[0],
                    minor_key=key[1],
                    major_text=major_text,
                    minor_text=minor_text,
                    mopac7=mopac7_type(major_text, minor_text),
                    known=key[1] in reference.KNOWN_MINOR_CATEGORIES,
                )
            ).inserted_primary_key[0]
        ids[i] = existing[key]
    return ids[rows]


def ward_reference(engine: Engine) -> WardReference:
    """The known wards of each borough: the wards (with their boroughs) that the MPS ward crime
    files loaded have figures for, and those of the ward boundaries loaded."""
    a, s = db.areas, db.crime_series
    in_ward_files = exists().where(s.c.dataset == REFERENCE_DATASET, s.c.area_code == a.c.code)
    query = select(a.c.code, a.c.parent_code, a.c.name).where(
        a.c.area_type == "ward", a.c.parent_code.is_not(None), in_ward_files
    )
    with engine.connect() as conn:
        pairs = pd.DataFrame(conn.execute(query).all(), columns=["code", "borough", "name"])
        outlines = boundaries.current_pairs(conn)
    if len(outlines):
        pairs = pd.concat([pairs, outlines], ignore_index=True)
        source = "from the MPS ward crime files and ward boundaries loaded"
    else:
        source = "from the MPS ward crime files loaded"
    return reference_from_pairs(pairs.drop_duplicates(["code", "borough"]), source)
