"""The domestic abuse page's figures, computed once per data version from the MPS dashboard
frames the cache keeps: the indicator table of the two domestic abuse indicators (rates per 1,000,
London and ward ranks) with their positive outcomes, and their London ranks over time.

Each is cached from every figure loaded, before any exemption; the public functions then leave
out what the user may not see (an exempt dataset or indicator), as ``dashboard.over_time`` does.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import db
from core.months import Month
from dashboard import cache
from dashboard.auth import exempt
from dashboard.cache import DASHBOARD_OFFENCES, DASHBOARD_OUTCOMES
from dashboard.memo import engine_url as _url
from dashboard.memo import memoized as _memo
from domain import domestic_abuse as da
from domain.indicators import indicator_table, window_inputs
from domain.london import london_rank_history


@_memo(maxsize=8)
def _counts(url: str, version: int, dataset: str) -> pd.DataFrame:
    """The two indicators' rows of every count loaded (kept: each month's table starts here)."""
    data = cache.subgroup_counts(url, version, dataset)
    return data[data["indicator"].isin(da.INDICATORS)]


@_memo(maxsize=32)
def _table(url: str, version: int, dataset: str, month: Month) -> pd.DataFrame:
    data = _counts(url, version, dataset)
    if data.empty:
        return pd.DataFrame()
    areas, pops = cache.reference(db.get_engine(url))
    return indicator_table(window_inputs(data, month), areas, pops, month, per=da.PER)


@_memo(maxsize=8)
def _ranks(url: str, version: int, indicator: str) -> pd.DataFrame:
    data = _counts(url, version, DASHBOARD_OFFENCES)
    areas, pops = cache.reference(db.get_engine(url))
    return london_rank_history(data[data["indicator"] == indicator], areas, pops, per=da.PER)


def table(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Domestic abuse offences and DA violence with injury for every area loaded (boroughs and
    wards), one month: R12, P12, change, significance, rate per 1,000, London and ward ranks,
    positive outcomes and their rate (cached: treat as read-only)."""
    eng = eng or cache.engine()
    url, version = _url(eng), cache.data_version(eng)
    offences = exempt.visible(_table(url, version, DASHBOARD_OFFENCES, month), DASHBOARD_OFFENCES)
    outcomes = exempt.visible(_table(url, version, DASHBOARD_OUTCOMES, month), DASHBOARD_OUTCOMES)
    return da.with_outcomes(offences, outcomes)


def rank_history(indicator: str, eng: Engine | None = None) -> pd.DataFrame:
    """``london_rank_history`` (rates per 1,000) of one domestic abuse indicator (cached)."""
    eng = eng or cache.engine()
    history = _ranks(_url(eng), cache.data_version(eng), indicator)
    return exempt.visible(history, DASHBOARD_OFFENCES)
