"""The police.uk figures the pages use, read and computed once per data version: monthly counts
by authority, ward and crime type (zeros in covered months, ``domain.police_uk``), the indicator
table of a month (``domain.indicators``: R12, P12, change, significance, rate per 1,000, London
and ward ranks) and an area's trend. Exempt items (the ``police_uk`` dataset, or a crime type as
an indicator) are left out of what the pages get.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import db, queries
from core.months import Month, as_month
from core.reference import POLICE_UK_DATASET
from dashboard import cache
from dashboard.auth import exempt
from dashboard.memo import engine_url, memoized
from domain import police_uk
from domain.crime import trend_frame
from domain.indicators import area_series, indicator_table, window_inputs
from domain.london import london_codes


def _engine(eng: Engine | None) -> Engine:
    return eng or cache.engine()


@memoized(maxsize=4)
def _loaded(url: str, version: int) -> dict:
    """What is loaded: counts, files in force, the ward lookup, and the derived frames."""
    eng = db.get_engine(url)
    counts = queries.police_uk.monthly_counts(eng)
    files = queries.police_uk.held_files(eng)
    lookup = queries.police_uk.ward_lookup(eng)
    months = police_uk.covered(counts, files, lookup)
    return {
        "files": files,
        "covered": months,
        "monthly": police_uk.area_monthly(counts, months),
        "areas": police_uk.areas_frame(lookup),
    }


def _data(eng: Engine | None) -> dict:
    eng = _engine(eng)
    return _loaded(engine_url(eng), cache.data_version(eng))


def hidden() -> bool:
    """Whether the police.uk dataset is exempt for the current user."""
    return POLICE_UK_DATASET in exempt.hidden("dataset")


def files(eng: Engine | None = None) -> pd.DataFrame:
    """The force-month files in force (force, month, force_name, rows, not_placed, ...)."""
    return _data(eng)["files"]


def areas(eng: Engine | None = None) -> pd.DataFrame:
    """The authorities and wards of the lookup in force (code, name, area_type, ...)."""
    return _data(eng)["areas"]


def covered_months(area_code: str, eng: Engine | None = None) -> list[Month]:
    """The months an area is covered by its force's files, oldest first."""
    months = _data(eng)["covered"]
    found = months.loc[months["area_code"] == area_code, "month"]
    return [as_month(m) for m in sorted(set(found))]


def monthly(eng: Engine | None = None) -> pd.DataFrame:
    """area_code, indicator (crime type), month, count; exempt items left out."""
    return exempt.visible(_data(eng)["monthly"], POLICE_UK_DATASET)


@memoized(maxsize=16)
def _table(url: str, version: int, month: Month) -> pd.DataFrame:
    data = _loaded(url, version)
    populations = cache.reference(db.get_engine(url))[1]
    inputs = window_inputs(data["monthly"], month)
    return indicator_table(inputs, data["areas"], populations, month)


def table(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """The indicator table of every authority and ward for the 12 months to ``month``."""
    eng = _engine(eng)
    frame = _table(engine_url(eng), cache.data_version(eng), month)
    return exempt.visible(frame, POLICE_UK_DATASET)


def trend(area_code: str, indicator: str, eng: Engine | None = None) -> pd.DataFrame:
    """month, count, r12 of one area and crime type (``domain.crime.trend_frame``)."""
    data = monthly(eng)
    return trend_frame(area_series(data, [area_code], indicator))


def boroughs_covered(month: Month, eng: Engine | None = None) -> int:
    """London boroughs covered in every month of the 12 to ``month`` (32: ranks can be given)."""
    data = _data(eng)
    return police_uk.boroughs_covered(data["covered"], london_codes(data["areas"]), month)
