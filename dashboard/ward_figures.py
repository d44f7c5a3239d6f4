"""What the ward pages draw the same way for many months, kept: the ward page's table for a
month (a borough's wards' indicator table judged against the targets in force,
``cache.judged``), kept like ``cache.borough_figures`` per month, version of ward crime's
figures and reference version and what is withheld from the user, as every ward of the borough
(and each period change back to a month) asks for the same one; and where the wards' names go on
a ward map, per data version."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import db
from core.months import Month
from dashboard import cache
from dashboard.auth import exempt
from dashboard.charts.wards_map import label_points
from dashboard.memo import engine_url, memoized


def ward_figures(borough_code: str, month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """``cache.judged(cache.ward_table(borough_code, month), month)``, kept (read-only)."""
    eng = eng or cache.engine()
    withheld = tuple(sorted(exempt.hidden("dataset"))), tuple(sorted(exempt.hidden("indicator")))
    version, reference = cache.figures_version("ward_crime", eng), cache.reference_version(eng)
    return _ward_figures(engine_url(eng), version, reference, withheld, borough_code, month)


@memoized(maxsize=128)
def _ward_figures(
    url: str, version: str, reference: str, withheld: tuple, borough_code: str, month: Month
) -> pd.DataFrame:
    eng = db.get_engine(url)
    return cache.judged(cache.ward_table(borough_code, month, eng), month, eng)


def label_places(borough_code: str, frame: pd.DataFrame, eng: Engine | None = None) -> dict:
    """``charts.wards_map.label_points`` of the wards in ``frame`` (code, name) on the map of
    the borough's outlines, kept per data version: pass to ``wards_map_figure(points=...)``."""
    eng = eng or cache.engine()
    wards = tuple(sorted(zip(frame["code"].astype(str), frame["name"].astype(str), strict=True)))
    return _label_places(engine_url(eng), cache.data_version(eng), borough_code, wards)


@memoized(maxsize=32)
def _label_places(url: str, version: int, borough_code: str, wards: tuple) -> dict:
    return label_points(cache.ward_boundaries(borough_code, db.get_engine(url)), wards)
