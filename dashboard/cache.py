"""Figures the pages and reports share, computed once per data version.

The key of every cache is the latest upload id, so a new upload shows at once without a restart
while repeated page views (and period changes) reuse the work.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache, wraps
from pathlib import Path

import flask
import pandas as pd
from sqlalchemy import Engine, func, select

from core import config, db, queries
from core.months import as_month
from core.reference import LONDON_BOROUGH_COUNT
from dashboard.auth import exempt
from domain import metrics
from domain.indicators import indicator_table


def _cache(maxsize: int):
    """lru_cache that computes each miss once: a page request arriving while the start-up
    warm-up fills the same entry waits for it instead of repeating the work."""

    def decorate(fn):
        cached = lru_cache(maxsize=maxsize)(fn)
        lock = threading.RLock()

        @wraps(fn)
        def wrapper(*args):
            with lock:
                return cached(*args)

        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorate


def data_version(engine: Engine) -> int:
    """The id of the newest upload, plus the number of reverts (etl/revert.py) scaled past any
    upload id: changes whenever figures may have changed.

    Read once per web request (a page asks for it a dozen times, two queries each); an upload
    finishing mid-request shows from the next one.
    """
    if not flask.has_request_context():
        return _read_data_version(engine)
    versions = flask.g.setdefault("data_versions", {})
    key = _url(engine)
    if key not in versions:
        versions[key] = _read_data_version(engine)
    return versions[key]


def data_key(eng: Engine | None = None) -> tuple[str, int]:
    """(database URL, data version): what every cache of figures is keyed by, so a cache outside
    this module stays right across databases and uploads alike."""
    eng = eng or engine()
    return _url(eng), data_version(eng)


def _read_data_version(engine: Engine) -> int:
    with engine.connect() as conn:
        latest = conn.execute(select(func.coalesce(func.max(db.uploads.c.id), 0))).scalar()
        reverts = conn.execute(select(func.count()).select_from(db.upload_reverts)).scalar()
    return latest + reverts * 1_000_000_000


def engine() -> Engine:
    return db.get_engine()


@_cache(maxsize=16)
def _monthly(url: str, version: int, dataset: str, area_codes: tuple[str, ...] | None):
    codes = list(area_codes) if area_codes is not None else None
    return queries.mopac7_monthly(db.get_engine(url), dataset, codes)


@_cache(maxsize=8)
def _reference(url: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    eng = db.get_engine(url)
    return queries.areas(eng), queries.populations(eng)


def _url(eng: Engine) -> str:
    return eng.url.render_as_string(hide_password=False)


def monthly(dataset: str, area_codes: list[str] | None = None, eng: Engine | None = None):
    """MOPAC7 monthly counts (cached per data version)."""
    eng = eng or engine()
    key = tuple(sorted(area_codes)) if area_codes is not None else None
    return exempt.visible(_monthly(_url(eng), data_version(eng), dataset, key), dataset)


def reference(eng: Engine | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas, populations), cached per data version."""
    eng = eng or engine()
    return _reference(_url(eng), data_version(eng))


def home_borough(eng: Engine | None = None) -> dict | None:
    """The configured home borough's area row, or None when it has no data yet."""
    return queries.area_by_name(eng or engine(), config.home_borough())


def borough_table(month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for every area in the borough files (London ranks need all 32).

    Cached per data version and month: treat the frame as read-only.
    """
    eng = eng or engine()
    return exempt.visible(
        _borough_table(_url(eng), data_version(eng), _month_key(month)), "borough_crime"
    )


def ward_table(borough_code: str, month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for one borough's wards (ward ranks are within the borough).

    Cached per data version, borough and month: treat the frame as read-only.
    """
    eng = eng or engine()
    table = _ward_table(_url(eng), data_version(eng), borough_code, _month_key(month))
    return exempt.visible(table, "ward_crime")


def latest_month(dataset: str = "borough_crime", eng: Engine | None = None):
    return queries.latest_month(eng or engine(), dataset)


# --- caches for the pages (keyed by data version) ---------------------------------------------

BOUNDARIES_DIR = config.DATA_DIR / "boundaries"
PERIOD_DATASETS = ("borough_crime", "ward_crime")  # the period picker offers the first loaded


def _month_key(month) -> str:
    return as_month(month).strftime("%Y-%m")


def window_inputs(data: pd.DataFrame, month) -> pd.DataFrame:
    """Only the months the indicator table reads (R12, P12, the 2011/12 baseline): same result,
    a fraction of the pivot work."""
    end = as_month(month)
    recent = (data["month"] > end - pd.DateOffset(months=24)) & (data["month"] <= end)
    base = (data["month"] >= pd.Timestamp(2011, 4, 1)) & (data["month"] <= pd.Timestamp(2012, 3, 1))
    return data[recent | base]


@_cache(maxsize=128)
def _borough_table(url: str, version: int, month: str) -> pd.DataFrame:
    data = _monthly(url, version, "borough_crime", None)
    if data.empty:
        return pd.DataFrame()
    return indicator_table(window_inputs(data, month), *_areas_of(url, version, data), month)


def _areas_of(url: str, version: int, data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The areas and populations rows for the areas in ``data`` (halves the table's work)."""
    areas, pops = _reference(url, version)
    codes = set(data["area_code"].unique())
    return areas[areas["code"].isin(codes)], pops[pops["area_code"].isin(codes)]


def _ward_codes(areas: pd.DataFrame, borough_code: str) -> tuple[str, ...]:
    wards = areas[(areas["parent_code"] == borough_code) & (areas["area_type"] == "ward")]
    return tuple(sorted(wards["code"]))


@_cache(maxsize=128)
def _ward_table(url: str, version: int, borough_code: str, month: str) -> pd.DataFrame:
    areas, pops = _reference(url, version)
    data = _monthly(url, version, "ward_crime", _ward_codes(areas, borough_code))
    if data.empty:
        return pd.DataFrame()
    return indicator_table(window_inputs(data, month), *_areas_of(url, version, data), month)


def ward_monthly(borough_code: str, eng: Engine | None = None) -> pd.DataFrame:
    """MOPAC7 monthly counts for every ward of a borough (cached per data version)."""
    eng = eng or engine()
    areas, _ = reference(eng)
    data = _monthly(_url(eng), data_version(eng), "ward_crime", _ward_codes(areas, borough_code))
    return exempt.visible(data, "ward_crime")


@_cache(maxsize=8)
def _period_months(url: str, version: int) -> tuple[pd.Timestamp, ...]:
    eng = db.get_engine(url)
    for dataset in PERIOD_DATASETS:
        months = queries.loaded_months(eng, dataset)
        if months:
            return tuple(pd.Timestamp(m) for m in months)
    return ()


def period_months(eng: Engine | None = None) -> list[pd.Timestamp]:
    """Months the period picker offers, oldest first: borough crime's (ward crime's if none)."""
    eng = eng or engine()
    return list(_period_months(_url(eng), data_version(eng)))


@_cache(maxsize=16)
def _latest_months(url: str, version: int) -> dict[str, pd.Timestamp | None]:
    eng = db.get_engine(url)
    out = {}
    for dataset in PERIOD_DATASETS:
        month = queries.latest_month(eng, dataset)
        out[dataset] = pd.Timestamp(month) if month else None
    return out


def dataset_latest_month(dataset: str, eng: Engine | None = None) -> pd.Timestamp | None:
    """The latest month loaded for a dataset (cached per data version)."""
    eng = eng or engine()
    return _latest_months(_url(eng), data_version(eng)).get(dataset)


@_cache(maxsize=8)
def _home(url: str, version: int, name: str) -> dict | None:
    return queries.area_by_name(db.get_engine(url), name)


def home_area(eng: Engine | None = None) -> dict | None:
    """home_borough(), cached per data version (pages ask on every callback)."""
    eng = eng or engine()
    return _home(_url(eng), data_version(eng), config.home_borough())


def london_rank_history(
    monthly_counts: pd.DataFrame, areas: pd.DataFrame, populations: pd.DataFrame, per: int = 1000
) -> pd.DataFrame:
    """R12, rate and London rank of every London borough, indicator and month, all at once.

    The same figures as ``indicator_table`` gives month by month (a window with a missing month
    has no R12; a rank needs all 32 rates), vectorised over months for the rank-over-time chart.
    Columns: area_code, indicator, month, r12, rate, london_rank.
    """
    columns = ["area_code", "indicator", "month", "r12", "rate", "london_rank"]
    london = set(areas.loc[areas["is_london_borough"].fillna(False).astype(bool), "code"])
    data = monthly_counts[monthly_counts["area_code"].isin(london)]
    if data.empty:
        return pd.DataFrame(columns=columns)
    wide = data.pivot_table(
        index=["area_code", "indicator"], columns="month", values="count", aggfunc="sum"
    )
    months = pd.date_range(wide.columns.min(), wide.columns.max(), freq="MS")
    r12 = wide.reindex(columns=months).T.rolling(12, min_periods=12).sum().T
    rate = r12 / _window_populations(populations, r12.index, months).to_numpy() * per
    ranks = []
    for indicator in rate.index.unique("indicator"):
        by_area = rate.xs(indicator, level="indicator")
        rank = by_area.rank(axis=0, method="min")
        rank.loc[:, by_area.notna().sum(axis=0) < LONDON_BOROUGH_COUNT] = float("nan")
        rank.index = pd.MultiIndex.from_product([rank.index, [indicator]], names=rate.index.names)
        ranks.append(rank)
    out = pd.DataFrame(
        {
            "r12": r12.stack(future_stack=True),
            "rate": rate.stack(future_stack=True),
            "london_rank": pd.concat(ranks).stack(future_stack=True),
        }
    )
    out.index.names = ["area_code", "indicator", "month"]
    out = out.reset_index()
    out["london_rank"] = out["london_rank"].round().astype("Int64")
    return out[columns]


def _window_populations(populations: pd.DataFrame, index: pd.MultiIndex, months) -> pd.DataFrame:
    """Population for each row's area and each window end: the year of the window's 7th month,
    else the latest earlier year loaded (NaN when none is)."""
    wanted = [metrics.population_year_for_window(m) for m in months]
    pops = populations.pivot_table(index="area_code", columns="year", values="population")
    if pops.empty:
        return pd.DataFrame(float("nan"), index=index, columns=months)
    years = range(int(pops.columns.min()), max(int(pops.columns.max()), max(wanted)) + 1)
    pops = pops.reindex(columns=list(years)).ffill(axis=1).reindex(columns=wanted)
    pops.columns = months
    return pops.reindex(index.get_level_values("area_code")).set_axis(index, axis=0)


@_cache(maxsize=8)
def _rank_history(url: str, version: int) -> pd.DataFrame:
    data = _monthly(url, version, "borough_crime", None)
    areas, pops = _reference(url, version)
    return london_rank_history(data, areas, pops)


def rank_history(eng: Engine | None = None) -> pd.DataFrame:
    """london_rank_history for the loaded borough figures (cached per data version)."""
    eng = eng or engine()
    return exempt.visible(_rank_history(_url(eng), data_version(eng)), "borough_crime")


@_cache(maxsize=4)
def _boundary_features(folder: str, mtimes: tuple) -> tuple[dict, ...]:
    features = []
    for path in sorted(Path(folder).glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
            if feature.get("properties", {}).get("WD22CD"):
                features.append(feature)
    return tuple(features)


def ward_boundaries(codes, folder: Path | None = None) -> list[dict]:
    """GeoJSON features (2022 wards, WD22CD/WD22NM) for the given ward codes, from
    data/boundaries; wards without a boundary file are simply absent."""
    folder = Path(folder or BOUNDARIES_DIR)
    paths = sorted(folder.glob("*.geojson"))
    mtimes = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
    wanted = set(codes)
    features = _boundary_features(str(folder), mtimes)
    return [f for f in features if f["properties"]["WD22CD"] in wanted]


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
    for month in months[::-1][: max(recent, 0) + 1]:
        borough_table(month, eng)
        if home:
            ward_table(home["code"], month, eng)


# --- the other priorities (pages/youth_violence, reoffending, prevent, hate_crime) -------------

DASHBOARD_OFFENCES = "mps_dashboard_offences"
DASHBOARD_OUTCOMES = "mps_dashboard_outcomes"


@_cache(maxsize=8)
def _subgroups(url: str, version: int, dataset: str) -> pd.DataFrame:
    return queries.subgroup_monthly(db.get_engine(url), dataset)


def dashboard_monthly(dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """MPS Monthly Crime Dashboard counts (area_code, indicator = the publisher's subgroup,
    month, count) for every area loaded, boroughs and wards (cached per data version)."""
    eng = eng or engine()
    return exempt.visible(_subgroups(_url(eng), data_version(eng), dataset), dataset)


@_cache(maxsize=32)
def _dashboard_table(url: str, version: int, dataset: str, month: str) -> pd.DataFrame:
    data = _subgroups(url, version, dataset)
    if data.empty:
        return pd.DataFrame()
    areas, pops = _reference(url, version)
    return indicator_table(window_inputs(data, month), areas, pops, month, per=10_000)


def dashboard_table(month, dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """Indicator table (R12, P12, rate per 10,000, London and ward ranks, significance) of the
    MPS dashboard subgroups for every area, one month (cached: treat as read-only)."""
    eng = eng or engine()
    table = _dashboard_table(_url(eng), data_version(eng), dataset, _month_key(month))
    return exempt.visible(table, dataset)


@_cache(maxsize=8)
def _dashboard_months(url: str, version: int, dataset: str) -> tuple[pd.Timestamp, ...]:
    return tuple(pd.Timestamp(m) for m in queries.loaded_months(db.get_engine(url), dataset))


def dashboard_months(dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """Months loaded for an MPS dashboard dataset, oldest first (empty if exempt)."""
    eng = eng or engine()
    if dataset in exempt.hidden("dataset"):
        return []
    return list(_dashboard_months(_url(eng), data_version(eng), dataset))


@_cache(maxsize=16)
def _dashboard_ranks(url: str, version: int, dataset: str, indicator: str) -> pd.DataFrame:
    data = _subgroups(url, version, dataset)
    areas, pops = _reference(url, version)
    return london_rank_history(data[data["indicator"] == indicator], areas, pops, per=10_000)


def dashboard_rank_history(
    indicator: str, dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None
) -> pd.DataFrame:
    """london_rank_history (rates per 10,000) of one MPS dashboard subgroup (cached)."""
    eng = eng or engine()
    history = _dashboard_ranks(_url(eng), data_version(eng), dataset, indicator)
    return exempt.visible(history, dataset)


# what the pages read from the council templates: (query, the dataset an exemption names)
COUNCIL_TABLES = {
    "syv_monthly": (queries.syv_monthly, "serious_youth_violence"),
    "syv_summary": (queries.syv_summary, "serious_youth_violence"),
    "iom_quarters": (queries.iom_quarters, "iom"),
    "reoffending_rates": (queries.reoffending_rates, "proven_reoffending"),
    "wrap_training": (queries.wrap_training, "wrap_training"),
    "wrap_audiences": (queries.wrap_audiences, "wrap_training"),
    "hate_reporting_centres": (queries.hate_reporting_centres, "hate_reporting_centres"),
}


@_cache(maxsize=16)
def _council(url: str, version: int, name: str) -> pd.DataFrame:
    return COUNCIL_TABLES[name][0](db.get_engine(url))


def council_table(name: str, eng: Engine | None = None) -> pd.DataFrame:
    """Every row of a council template table (a COUNCIL_TABLES name), cached per data version;
    empty when its dataset is exempt for this user. Treat the frame as read-only."""
    eng = eng or engine()
    frame = _council(_url(eng), data_version(eng), name)
    return exempt.visible(frame, COUNCIL_TABLES[name][1])


def london_boroughs(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The London boroughs' rows of an indicator table for one indicator, lowest rate first."""
    areas, _ = reference()
    london = set(areas.loc[areas["is_london_borough"].fillna(False).astype(bool), "code"])
    rows = table[(table["indicator"] == indicator) & table["area_code"].isin(london)]
    rate = [c for c in rows.columns if c.startswith("rate_per_")][:1]
    return rows.sort_values([*rate, "area_name"])


def london_rate(rows: pd.DataFrame, per: int = 10_000) -> float | None:
    """London's rate: the 32 boroughs' count per ``per`` of their residents (None unless all 32
    have a rate)."""
    column = f"rate_per_{per}"
    if len(rows) < LONDON_BOROUGH_COUNT or rows[column].isna().any():
        return None
    return float(rows["r12"].astype(float).sum() / rows["population"].astype(float).sum() * per)


@_cache(maxsize=8)
def _rank_groups(url: str, version: int) -> dict[tuple[str, str], pd.DataFrame]:
    history = _rank_history(url, version)
    return {
        key: rows.reset_index(drop=True)
        for key, rows in history.groupby(["area_code", "indicator"])
    }


def rank_series(area_code: str, indicator: str, eng: Engine | None = None) -> pd.DataFrame:
    """One borough's rank_history rows for one crime type (month, r12, rate, london_rank)."""
    eng = eng or engine()
    empty = pd.DataFrame(columns=["area_code", "indicator", "month", "r12", "rate", "london_rank"])
    return _rank_groups(_url(eng), data_version(eng)).get((area_code, indicator), empty)


@_cache(maxsize=16)
def _series_groups(url: str, version: int, dataset: str, area_codes: tuple[str, ...] | None):
    data = _monthly(url, version, dataset, area_codes)
    return {
        key: rows.set_index("month")["count"]
        for key, rows in data.groupby(["area_code", "indicator"])
    }


def area_series(dataset: str, area_code: str, indicator: str, eng: Engine | None = None):
    """Monthly counts of one area and crime type (indexed by month), cached per data version.

    Ward series come from the cache of their borough's wards (the one the ward pages use).
    """
    eng = eng or engine()
    url, version = _url(eng), data_version(eng)
    codes = None
    if dataset == "ward_crime":
        areas, _ = _reference(url, version)
        parent = areas.loc[areas["code"] == area_code, "parent_code"]
        codes = _ward_codes(areas, parent.iloc[0]) if len(parent) else (area_code,)
    found = _series_groups(url, version, dataset, codes).get((area_code, indicator))
    return found if found is not None else pd.Series(dtype="int64")


def home_name(eng: Engine | None = None) -> str:
    """The home borough's name as the data spells it (the setting's text until data is loaded)."""
    area = home_area(eng)
    return area["name"] if area else config.home_borough()
