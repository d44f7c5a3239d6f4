"""The MPS dashboard figures over time that a period change does not alter, computed once per
version of the MPS dashboard's figures (``cache.mps_version``: a crime file's load keeps them):
an area's monthly counts of one indicator, their R12 month by month, and the hate crime
positive outcome rates. The pages slice the month they show from these; what a page draws the
same for every period is kept per version of the dataset it is drawn from (``drawn``).

Each is cached from every figure loaded, before any exemption: the public functions then give
the user the figure an exempt dataset or indicator leaves (the domain function over no rows),
so what one user may not see never reaches another's page from the cache.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

import pandas as pd
from sqlalchemy import Engine

from dashboard import cache
from dashboard.auth import exempt
from dashboard.cache import DASHBOARD_OFFENCES, DASHBOARD_OUTCOMES
from dashboard.cache import subgroup_counts as _subgroups
from dashboard.memo import engine_url as _url
from dashboard.memo import memoized as _memo
from domain.crime import trend_frame
from domain.hate_crime import outcome_rates
from domain.indicators import area_series

T = TypeVar("T")


@_memo(maxsize=256)
def _series(url: str, version: str, dataset: str, codes: tuple[str, ...], indicator: str):
    return area_series(_subgroups(url, version, dataset), codes, indicator)


@_memo(maxsize=64)
def _trend(url: str, version: str, dataset: str, codes: tuple[str, ...], indicator: str):
    return trend_frame(_series(url, version, dataset, codes, indicator))


@_memo(maxsize=64)
def _rates(url: str, version: str, codes: tuple[str, ...], indicator: str, outcomes: bool):
    offences = _series(url, version, DASHBOARD_OFFENCES, codes, indicator)
    if outcomes:
        return outcome_rates(offences, _series(url, version, DASHBOARD_OUTCOMES, codes, indicator))
    return outcome_rates(offences, _withheld(url, version, DASHBOARD_OUTCOMES, codes, indicator))


def _withheld(url: str, version: str, dataset: str, codes: tuple[str, ...], indicator: str):
    """What ``area_series`` gives for figures the user may not see: its sum over no rows."""
    return area_series(_subgroups(url, version, dataset).iloc[0:0], codes, indicator)


def _key(eng: Engine | None, area_codes: Iterable[str]) -> tuple[str, str, tuple[str, ...]]:
    """The series are the MPS dashboard's alone: kept through a crime file's load."""
    eng = eng or cache.engine()
    return _url(eng), cache.mps_version(eng), tuple(sorted(area_codes))


def dashboard_series(
    indicator: str,
    area_codes: Iterable[str],
    dataset: str = DASHBOARD_OFFENCES,
    eng: Engine | None = None,
) -> pd.Series:
    """``domain.indicators.area_series`` of an MPS dashboard dataset (monthly counts of one
    indicator summed over ``area_codes``), cached per MPS dashboard version: treat as read-only."""
    url, version, codes = _key(eng, area_codes)
    if not exempt.shown(dataset, indicator):
        return _withheld(url, version, dataset, codes, indicator)
    return _series(url, version, dataset, codes, indicator)


def dashboard_trend(
    indicator: str,
    area_codes: Iterable[str],
    dataset: str = DASHBOARD_OFFENCES,
    eng: Engine | None = None,
) -> pd.DataFrame:
    """``domain.crime.trend_frame`` of ``dashboard_series`` (cached: treat as read-only)."""
    url, version, codes = _key(eng, area_codes)
    if not exempt.shown(dataset, indicator):
        return trend_frame(_withheld(url, version, dataset, codes, indicator))
    return _trend(url, version, dataset, codes, indicator)


def hate_outcome_rates(
    strand: str, area_codes: Iterable[str], eng: Engine | None = None
) -> pd.DataFrame:
    """``domain.hate_crime.outcome_rates`` of one strand's offences and positive outcomes over
    ``area_codes`` (cached per MPS dashboard version: treat as read-only)."""
    url, version, codes = _key(eng, area_codes)
    if not exempt.shown(DASHBOARD_OFFENCES, strand):
        offences = _withheld(url, version, DASHBOARD_OFFENCES, codes, strand)
        return outcome_rates(offences, dashboard_series(strand, codes, DASHBOARD_OUTCOMES, eng))
    return _rates(url, version, codes, strand, exempt.shown(DASHBOARD_OUTCOMES, strand))


# --- what a page draws from these: its tables month by month, its charts of every month -------

DRAWN_MAX = 256
_drawn: OrderedDict[tuple, object] = OrderedDict()
_drawn_lock = threading.Lock()


def _fresh_lock_after_fork() -> None:
    """A forked job starts with the lock free (a parent's thread may hold it at the fork)."""
    global _drawn_lock
    _drawn_lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_after_fork)


def drawn(dataset: str | None, key: tuple, draw: Callable[[], T], eng: Engine | None = None) -> T:
    """``draw()``, kept per version of ``dataset``'s figures (``cache.figures_version``: the
    one dataset ``draw`` reads; None: it reads more, kept per data version), the exemptions
    hidden from the user and ``key`` (what is drawn and from what: the page's piece, strand,
    area): the pieces of a page a period change does not alter are drawn once. ``draw`` must
    read only through this module and the cache (so the user's exemptions decide what it sees).
    Treat the result as read-only."""
    eng = eng or cache.engine()
    hidden = (frozenset(exempt.hidden("dataset")), frozenset(exempt.hidden("indicator")))
    version = cache.data_version(eng) if dataset is None else cache.figures_version(dataset, eng)
    full = (_url(eng), version, hidden, *key)
    with _drawn_lock:
        if full in _drawn:
            _drawn.move_to_end(full)
            return _drawn[full]
    value = draw()
    with _drawn_lock:
        _drawn[full] = value
        while len(_drawn) > DRAWN_MAX:
            _drawn.popitem(last=False)
    return value
