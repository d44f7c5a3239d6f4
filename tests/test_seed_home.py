"""The first-run seed loads what the home borough needs: every borough's borough rows (London
ranks), only the home borough's ward rows, and its ward boundaries when data/boundaries has them.
Expected wards are read from the seed file directly, not through the loader."""

from __future__ import annotations

import gzip
import io

import pandas as pd
import pytest
from sqlalchemy import select

from core import db, queries
from etl.seed import boundary_file, seed_if_empty
from fixtures.extracts import BARNET, BARNET_BOUNDARIES, CAMDEN, SEED, WARD_RECENT, boundary_wards


def _seed_wards(borough: str) -> set[str]:
    frame = pd.read_csv(io.BytesIO(gzip.decompress(WARD_RECENT.read_bytes())), dtype=str)
    return set(frame.loc[frame["LookUp_BoroughName"] == borough, "WardCode"])


def _ward_parents(engine) -> pd.DataFrame:
    a = db.areas
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.code, a.c.parent_code).where(a.c.area_type == "ward"))
        return pd.DataFrame(rows.all(), columns=["code", "parent"])


@pytest.mark.parametrize(
    ("home", "code", "outlines"), [("Camden", CAMDEN, 0), ("Barnet", BARNET, 24)]
)
def test_the_seed_loads_the_home_borough_s_wards_only(
    sqlite_engine, monkeypatch, home, code, outlines
):
    monkeypatch.setenv("HOME_BOROUGH", home)
    seed_if_empty(sqlite_engine, SEED)
    wards = _ward_parents(sqlite_engine)
    assert set(wards["parent"]) == {code}
    assert set(wards["code"]) >= _seed_wards(home)
    boroughs = queries.areas(sqlite_engine)
    assert boroughs["is_london_borough"].astype(bool).sum() >= 32  # every borough for ranks
    drawn = queries.ward_boundaries(sqlite_engine, code)
    assert len(drawn) == outlines
    if outlines:
        assert set(drawn["code"]) == set(boundary_wards(BARNET_BOUNDARIES))
    # the partnership's own published figures are Barnet's: 19 indicators of its annual report
    assert len(queries.partnership_indicators(sqlite_engine)) == (19 if home == "Barnet" else 0)


def test_the_home_borough_s_boundary_file_is_found_by_its_name():
    assert boundary_file("Barnet") == BARNET_BOUNDARIES
    assert boundary_file("Camden") is None
    assert boundary_file("Kensington and Chelsea") is None
