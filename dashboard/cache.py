"""Figures the pages share, read and computed once per version of what they are computed from:
the tables a page is drawn from (indicator tables, London ranks over time, trends, council
templates), the months loaded and the latest month of a dataset.

The key of each cache is the version of the figures it reads (``figures_version``: the latest
upload id and the reverts of that dataset and of the populations; ``data_version``, all
datasets', for the few that read more), so a new upload shows at once without a restart while
repeated page views (and period changes) reuse the work, and a load keeps the tables of every
dataset it did not touch. Months loaded come out typed (``core.months.Month``); exempt datasets
and indicators (``dashboard.exempt``) are left out of the indicator tables, monthly counts and
council tables handed to pages.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

import pandas as pd
from sqlalchemy import Engine

from core import config, db, queries
from core.months import Month, as_month
from core.reference import MPS_DASHBOARD_DATASETS, MPS_DASHBOARD_UPLOAD, borough_code, ons_group_of
from dashboard.auth import exempt
from dashboard.memo import engine_url as _url
from dashboard.memo import memoized as _cache
from dashboard.memo import once_per_request as _once_per_request
from domain.crime import trend_frame
from domain.indicators import indicator_table, indicator_tables, window_inputs
from domain.london import add_group_ranks, london_rank_history
from domain.targets import Target, apply_targets, most_similar_group
from domain.targets import from_rows as target_rows_to_targets


def upload_versions(engine: Engine) -> tuple[int, dict[str | None, int]]:
    """``queries.upload_versions``: (the data version, each dataset's version).

    Read once per web request (a page asks for the data version a dozen times); an upload
    finishing mid-request shows from the next one.
    """
    return _once_per_request(queries.upload_versions, engine)


def data_version(engine: Engine) -> int:
    """Changes whenever figures may have changed: what every cache here is keyed by."""
    return upload_versions(engine)[0]


def datasets_version(datasets: tuple[str, ...], engine: Engine) -> str:
    """Changes only when one of ``datasets`` (the upload log's names) may have changed."""
    versions = upload_versions(engine)[1]
    return ",".join(f"{name}={versions.get(name, 0)}" for name in datasets)


def figures_version(dataset: str, engine: Engine) -> str:
    """What the tables of one dataset's figures are kept by: its own uploads' and the
    populations' versions (the MPS dashboard's: ``mps_version``). Areas and categories are only
    ever added to (``etl.store.areas``), so another dataset's load leaves them as they were:
    after a borough crime upload each worker no longer reads and windows the ward figures
    again (about 1.4 s of its warm-up), nor the council templates'."""
    if dataset in MPS_DASHBOARD_DATASETS or dataset == MPS_DASHBOARD_UPLOAD:
        return mps_version(engine)
    return datasets_version((dataset, "population"), engine)


def reference_version(engine: Engine) -> str:
    """``queries.reference_version`` (targets and comparator groups), read once per request."""
    return _once_per_request(queries.reference_version, engine)


def engine() -> Engine:
    return db.get_engine()


@_cache(maxsize=16)
def _monthly(url: str, version: str, dataset: str, area_codes: tuple[str, ...] | None):
    codes = list(area_codes) if area_codes is not None else None
    return queries.crime_monthly(db.get_engine(url), dataset, codes)


@_cache(maxsize=16)  # one per version of what a table reads (``figures_version``)
def _reference(url: str, version: int | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    eng = db.get_engine(url)
    return queries.areas(eng), queries.populations(eng)


def monthly(dataset: str, area_codes: list[str] | None = None, eng: Engine | None = None):
    """MOPAC7 monthly counts (cached per version of the dataset's figures)."""
    eng = eng or engine()
    key = tuple(sorted(area_codes)) if area_codes is not None else None
    return exempt.visible(_monthly(_url(eng), figures_version(dataset, eng), dataset, key), dataset)


def reference(eng: Engine | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas, populations), cached per data version."""
    eng = eng or engine()
    return _reference(_url(eng), data_version(eng))


def borough_table(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for every area in the borough files (London ranks need all 32).

    Cached per version of borough crime's figures and month: treat the frame as read-only.
    """
    eng = eng or engine()
    version = figures_version("borough_crime", eng)
    return exempt.visible(_borough_table(_url(eng), version, month), "borough_crime")


def ward_table(borough_code: str, month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for one borough's wards (ward ranks are within the borough).

    Cached per version of ward crime's figures, borough and month: treat as read-only.
    """
    eng = eng or engine()
    table = _ward_table(_url(eng), figures_version("ward_crime", eng), borough_code, month)
    return exempt.visible(table, "ward_crime")


# --- caches for the pages (keyed by the versions of what they read) ---------------------------

PERIOD_DATASETS = ("borough_crime", "ward_crime")  # crime pages' months: the first loaded
PICKER_DATASETS = ("borough_crime", "ward_crime", "mps_dashboard_offences")


_together: ContextVar[dict | None] = ContextVar("months_together", default=None)


@contextlib.contextmanager
def months_together(months: list[Month]):
    """Within the block, the first table missing for one of ``months`` is computed with the
    others' in one pass (``indicator_tables``: about a quarter of the time of computing them
    month by month) and the others are then taken from it as they are asked for: a warm-up's
    way to fill the caches. A table already kept is not computed again."""
    token = _together.set({"months": tuple(months), "tables": {}})
    try:
        yield
    finally:
        _together.reset(token)


def _table_of(source: tuple, data: pd.DataFrame, areas, pops, month: Month, per: int = 1000):
    """``indicator_table`` of ``month``'s window of ``data`` (``source`` names it: the cached
    function's arguments but the month), or its part of a ``months_together`` block's pass."""
    block = _together.get()
    if block is None or month not in block["months"]:
        return indicator_table(window_inputs(data, month), areas, pops, month, per)
    if source not in block["tables"]:
        months = list(block["months"])
        block["tables"][source] = indicator_tables(data, areas, pops, months, per)
    return block["tables"][source][month]


@_cache(maxsize=128)
def _borough_table(url: str, version: str, month: Month) -> pd.DataFrame:
    data = _monthly(url, version, "borough_crime", None)
    if data.empty:
        return pd.DataFrame()
    areas, pops = _areas_of(url, version, "borough_crime", None)
    return _table_of(("borough", url, version), data, areas, pops, month)


@_cache(maxsize=16)
def _areas_of(url: str, version: str, dataset: str, area_codes: tuple[str, ...] | None):
    """The areas and populations rows for the areas in ``_monthly``'s figures (halves the
    table's work), found once for all its months."""
    areas, pops = _reference(url, version)
    codes = set(_monthly(url, version, dataset, area_codes)["area_code"].unique())
    return areas[areas["code"].isin(codes)], pops[pops["area_code"].isin(codes)]


def ward_codes_of(areas: pd.DataFrame, borough_code: str) -> tuple[str, ...]:
    """The codes of ``borough_code``'s wards in ``areas`` (``reference()``'s), sorted."""
    wards = areas[(areas["parent_code"] == borough_code) & (areas["area_type"] == "ward")]
    return tuple(sorted(wards["code"]))


@_cache(maxsize=128)
def _ward_table(url: str, version: str, borough_code: str, month: Month) -> pd.DataFrame:
    codes = ward_codes_of(_reference(url, version)[0], borough_code)
    data = _monthly(url, version, "ward_crime", codes)
    if data.empty:
        return pd.DataFrame()
    areas, pops = _areas_of(url, version, "ward_crime", codes)
    return _table_of(("ward", url, version, borough_code), data, areas, pops, month)


@_cache(maxsize=8)
def _period_months(url: str, version: str) -> tuple[Month, ...]:
    eng = db.get_engine(url)
    for dataset in PERIOD_DATASETS:
        months = queries.loaded_months(eng, dataset)
        if months:
            return tuple(as_month(m) for m in months)
    return ()


def period_months(eng: Engine | None = None) -> list[Month]:
    """Months the crime pages show, oldest first: borough crime's (ward crime's if none)."""
    eng = eng or engine()
    return list(_period_months(_url(eng), datasets_version(PERIOD_DATASETS, eng)))


def picker_months(eng: Engine | None = None) -> list[Month]:
    """Months the period picker offers, oldest first: every month any monthly dataset has
    (each page then shows its own data's month nearest the one chosen)."""
    eng = eng or engine()
    return sorted({m for dataset in PICKER_DATASETS for m in dashboard_months(dataset, eng)})


@_cache(maxsize=64)
def _latest_month(url: str, version: str, dataset: str, area_code: str | None) -> Month | None:
    month = queries.latest_month(db.get_engine(url), dataset, area_code)
    return None if month is None else as_month(month)


def latest_month(
    dataset: str, area_code: str | None = None, eng: Engine | None = None
) -> Month | None:
    """The latest month loaded for a dataset (and area), cached per version of its figures."""
    eng = eng or engine()
    return _latest_month(_url(eng), figures_version(dataset, eng), dataset, area_code)


@_cache(maxsize=8)
def _home(url: str, version: int, name: str) -> dict | None:
    return queries.area_by_name(db.get_engine(url), name)


def home_area(eng: Engine | None = None) -> dict | None:
    """The configured home borough's area row (None until it has data), cached per data version
    (pages ask on every callback)."""
    eng = eng or engine()
    return _home(_url(eng), data_version(eng), config.home_borough())


@_cache(maxsize=8)
def _rank_history(url: str, version: str) -> pd.DataFrame:
    data = _monthly(url, version, "borough_crime", None)
    areas, pops = _reference(url, version)
    return london_rank_history(data, areas, pops)


def rank_history(eng: Engine | None = None) -> pd.DataFrame:
    """london_rank_history for the loaded borough figures (cached per version of them)."""
    eng = eng or engine()
    history = _rank_history(_url(eng), figures_version("borough_crime", eng))
    return exempt.visible(history, "borough_crime")


@_cache(maxsize=8)
def _boundaries(url: str, version: int, borough_code: str) -> pd.DataFrame:
    return queries.ward_boundaries(db.get_engine(url), borough_code)


def ward_boundaries(borough_code: str, eng: Engine | None = None) -> pd.DataFrame:
    """The borough's ward outlines loaded (code, name, geometry), cached per data version;
    empty when none are loaded for it."""
    eng = eng or engine()
    return _boundaries(_url(eng), data_version(eng), borough_code)


def warm(eng: Engine | None = None, recent: int | None = None) -> None:
    """Fill the caches the pages use: the latest month first, then the ``recent`` months
    before it (config.WARM_MONTHS), newest first, as board members mostly pick recent ones."""
    eng = eng or engine()
    months = period_months(eng)
    home = home_area(eng)
    if not months:
        return
    recent = int(config.WARM_MONTHS.get()) if recent is None else recent
    rank_history(eng)
    wanted = months[::-1][: max(recent, 0) + 1]
    with months_together(wanted):
        for month in wanted:
            borough_table(month, eng)
            if home:
                ward_table(home["code"], month, eng)
    wanted = dashboard_months(eng=eng)[::-1][: max(recent, 0) + 1]
    with months_together(wanted):
        for month in wanted:
            dashboard_table(month, eng=eng)  # hate crime and knife crime (youth violence)


# --- the other priorities (pages/youth_violence, reoffending, prevent, hate_crime) -------------

DASHBOARD_OFFENCES = "mps_dashboard_offences"
DASHBOARD_OUTCOMES = "mps_dashboard_outcomes"


MPS_DASHBOARD_VERSION = (MPS_DASHBOARD_UPLOAD, *MPS_DASHBOARD_DATASETS, "population")


def mps_version(eng: Engine) -> str:
    """What the MPS dashboard's tables are kept by: its own uploads' and the populations'
    versions (areas are only ever added to), so a crime file loaded keeps them (after an
    upload of borough crime, warming them again cost a second of the two CPUs)."""
    return datasets_version(MPS_DASHBOARD_VERSION, eng)


@_cache(maxsize=8)
def subgroup_counts(url: str, version: int | str, dataset: str) -> pd.DataFrame:
    """Every MPS dashboard count of ``dataset``, before exemptions: callers withhold."""
    frame = queries.subgroup_monthly(db.get_engine(url), dataset)
    return _as_categories(frame, ["area_code", "indicator"])


def _as_categories(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Codes and names as categories: the pages' filters on a large frame then compare small
    integers instead of strings (the hate crime page's update: about 480 -> 220 ms)."""
    for column in columns:
        if column in frame.columns:
            frame[column] = frame[column].astype("category")
    return frame


def dashboard_monthly(dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """MPS Monthly Crime Dashboard counts (area_code, indicator = the publisher's subgroup,
    month, count) for every area loaded, boroughs and wards (cached per ``mps_version``)."""
    eng = eng or engine()
    return exempt.visible(subgroup_counts(_url(eng), mps_version(eng), dataset), dataset)


@_cache(maxsize=32)
def _dashboard_table(url: str, version: str, dataset: str, month: Month) -> pd.DataFrame:
    data = subgroup_counts(url, version, dataset)
    if data.empty:
        return pd.DataFrame()
    areas, pops = _reference(url, version)
    return _table_of(("dashboard", url, version, dataset), data, areas, pops, month, 10_000)


def dashboard_table(month: Month, dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """Indicator table (R12, P12, rate per 10,000, London and ward ranks, significance) of the
    MPS dashboard subgroups for every area, one month (cached: treat as read-only)."""
    eng = eng or engine()
    table = _dashboard_table(_url(eng), mps_version(eng), dataset, month)
    return exempt.visible(table, dataset)


@_cache(maxsize=8)
def _dashboard_months(url: str, version: str, dataset: str) -> tuple[Month, ...]:
    return tuple(as_month(m) for m in queries.loaded_months(db.get_engine(url), dataset))


def dashboard_months(dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """Months loaded for a dataset (an MPS dashboard one, ``ward_crime``, ...), oldest first
    (empty if exempt)."""
    eng = eng or engine()
    if dataset in exempt.hidden("dataset"):
        return []
    return list(_dashboard_months(_url(eng), figures_version(dataset, eng), dataset))


@_cache(maxsize=16)
def _dashboard_ranks(url: str, version: str, dataset: str, indicator: str) -> pd.DataFrame:
    data = subgroup_counts(url, version, dataset)
    areas, pops = _reference(url, version)
    return london_rank_history(data[data["indicator"] == indicator], areas, pops, per=10_000)


def dashboard_rank_history(
    indicator: str, dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None
) -> pd.DataFrame:
    """london_rank_history (rates per 10,000) of one MPS dashboard subgroup (cached)."""
    eng = eng or engine()
    history = _dashboard_ranks(_url(eng), mps_version(eng), dataset, indicator)
    return exempt.visible(history, dataset)


@_cache(maxsize=8)
def _rank_groups(url: str, version: str) -> dict[tuple[str, str], pd.DataFrame]:
    history = _rank_history(url, version)
    return {
        key: rows.reset_index(drop=True)
        for key, rows in history.groupby(["area_code", "indicator"])
    }


def rank_series(area_code: str, indicator: str, eng: Engine | None = None) -> pd.DataFrame:
    """One borough's rank_history rows for one crime type (month, r12, rate, london_rank)."""
    eng = eng or engine()
    empty = pd.DataFrame(columns=["area_code", "indicator", "month", "r12", "rate", "london_rank"])
    if not exempt.shown("borough_crime", indicator):
        return empty
    groups = _rank_groups(_url(eng), figures_version("borough_crime", eng))
    return groups.get((area_code, indicator), empty)


@_cache(maxsize=16)
def _series_groups(url: str, version: str, dataset: str, area_codes: tuple[str, ...] | None):
    data = _monthly(url, version, dataset, area_codes)
    months, counts = data["month"].to_numpy(), data["count"].to_numpy()
    return {  # each group's rows taken by position: a tenth of the time of a set_index each
        key: pd.Series(counts[rows], index=pd.Index(months[rows], name="month"), name="count")
        for key, rows in data.groupby(["area_code", "indicator"]).indices.items()
    }


def _area_series(url: str, version: str, dataset: str, area_code: str, indicator: str):
    codes = None
    if dataset == "ward_crime":
        areas, _ = _reference(url, version)
        parent = areas.loc[areas["code"] == area_code, "parent_code"]
        codes = ward_codes_of(areas, parent.iloc[0]) if len(parent) else (area_code,)
    found = _series_groups(url, version, dataset, codes).get((area_code, indicator))
    return found if found is not None else pd.Series(dtype="int64")


def area_series(dataset: str, area_code: str, indicator: str, eng: Engine | None = None):
    """Monthly counts of one area and crime type (indexed by month), cached per version of
    the dataset's figures.

    Ward series come from the cache of their borough's wards (the one the ward pages use).
    """
    eng = eng or engine()
    if not exempt.shown(dataset, indicator):
        return pd.Series(dtype="int64")
    return _area_series(_url(eng), figures_version(dataset, eng), dataset, area_code, indicator)


@_cache(maxsize=64)
def _trend(url: str, version: str, dataset: str, area_code: str, indicator: str) -> pd.DataFrame:
    return trend_frame(_area_series(url, version, dataset, area_code, indicator))


def trend(dataset: str, area_code: str, indicator: str, eng: Engine | None = None):
    """``domain.crime.trend_frame`` of one area and crime type (cached per version of the
    dataset's figures)."""
    eng = eng or engine()
    if not exempt.shown(dataset, indicator):
        return trend_frame(pd.Series(dtype="int64"))
    return _trend(_url(eng), figures_version(dataset, eng), dataset, area_code, indicator)


def home_name(eng: Engine | None = None) -> str:
    """The home borough's name as the data spells it (the setting's text until data is loaded)."""
    area = home_area(eng)
    return area["name"] if area else config.home_borough()


# --- targets and the comparator group the manager sets (not data: keyed by reference_version,
# read once per request, so a change shows from the next request) -------------------------------


@_cache(maxsize=8)
def _targets(url: str, reference: str) -> tuple[Target, ...]:
    return tuple(target_rows_to_targets(queries.targets(db.get_engine(url))))


def targets(eng: Engine | None = None) -> list[Target]:
    """Every target the manager has set (read again whenever one changes)."""
    eng = eng or engine()
    return list(_targets(_url(eng), reference_version(eng)))


@_cache(maxsize=8)
def _group(url: str, reference: str, home_code: str | None) -> tuple[str | None, tuple[str, ...]]:
    eng = db.get_engine(url)
    name = most_similar_group(queries.comparator_groups(eng), ons_group_of(home_code))
    members = queries.group_members(eng)
    return name, tuple(members.loc[members["group_name"] == name, "area_code"])


def comparator_group(eng: Engine | None = None) -> tuple[str | None, list[str]]:
    """(name, borough codes) of the home borough's most similar group: the one the manager
    chose, else the ONS group (Inner or Outer London) containing the home borough."""
    eng = eng or engine()
    home = home_area(eng)
    code = home["code"] if home else borough_code(config.home_borough())
    name, members = _group(_url(eng), reference_version(eng), code)
    return name, list(members)


def judged(table: pd.DataFrame, month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """An indicator table with the targets in force (and the RAG they give) and the most
    similar group's ranks: what pages and exports show."""
    if table.empty:
        return table
    name, members = comparator_group(eng)
    return add_group_ranks(apply_targets(table, targets(eng), month), name, members)


def borough_figures(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """``borough_table`` judged against the targets in force, with the group ranks: kept per
    month, data and reference version and what is withheld from the user, as the overview,
    crime and wards pages and their period changes all ask for it."""
    eng = eng or engine()
    withheld = tuple(sorted(exempt.hidden("dataset"))), tuple(sorted(exempt.hidden("indicator")))
    version, reference = figures_version("borough_crime", eng), reference_version(eng)
    return _borough_figures(_url(eng), version, reference, withheld, month)


@_cache(maxsize=128)
def _borough_figures(url: str, version: str, reference: str, withheld: tuple, month: Month):
    eng = db.get_engine(url)
    return judged(borough_table(month, eng), month, eng)
