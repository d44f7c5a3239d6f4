"""Figures the pages and reports share, computed once per data version.

The key of every cache is the latest upload id, so a new upload shows at once without a restart
while repeated page views (and period changes) reuse the work.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard import config, db, queries
from dashboard.indicators import indicator_table


def data_version(engine: Engine) -> int:
    """The id of the newest upload: changes whenever figures may have changed."""
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(db.uploads.c.id), 0))).scalar()


def engine() -> Engine:
    return db.get_engine()


@lru_cache(maxsize=16)
def _monthly(url: str, version: int, dataset: str, area_codes: tuple[str, ...] | None):
    codes = list(area_codes) if area_codes is not None else None
    return queries.mopac7_monthly(db.get_engine(url), dataset, codes)


@lru_cache(maxsize=8)
def _reference(url: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    eng = db.get_engine(url)
    return queries.areas(eng), queries.populations(eng)


def _url(eng: Engine) -> str:
    return eng.url.render_as_string(hide_password=False)


def monthly(dataset: str, area_codes: list[str] | None = None, eng: Engine | None = None):
    """MOPAC7 monthly counts (cached per data version)."""
    eng = eng or engine()
    key = tuple(sorted(area_codes)) if area_codes is not None else None
    return _monthly(_url(eng), data_version(eng), dataset, key)


def reference(eng: Engine | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas, populations), cached per data version."""
    eng = eng or engine()
    return _reference(_url(eng), data_version(eng))


def home_borough(eng: Engine | None = None) -> dict | None:
    """The configured home borough's area row, or None when it has no data yet."""
    return queries.area_by_name(eng or engine(), config.home_borough())


def borough_table(month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for every area in the borough files (London ranks need all 32)."""
    eng = eng or engine()
    data = monthly("borough_crime", eng=eng)
    if data.empty:
        return pd.DataFrame()
    areas, pops = reference(eng)
    return indicator_table(data, areas, pops, month)


def ward_table(borough_code: str, month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for one borough's wards (ward ranks are within the borough)."""
    eng = eng or engine()
    areas, pops = reference(eng)
    wards = areas[(areas["parent_code"] == borough_code) & (areas["area_type"] == "ward")]
    data = monthly("ward_crime", list(wards["code"]), eng=eng)
    if data.empty:
        return pd.DataFrame()
    return indicator_table(data, areas, pops, month)


def latest_month(dataset: str = "borough_crime", eng: Engine | None = None):
    return queries.latest_month(eng or engine(), dataset)
