"""Figures the pages share, read and computed once per data version: the tables a page is drawn
from (indicator tables, London ranks over time, trends, council templates), the months loaded and
the latest month of a dataset.

The key of every cache is the data version (``core.queries.data_version``: the latest upload id
and the reverts), so a new upload shows at once without a restart while repeated page views (and
period changes) reuse the work. Months loaded come out typed (``core.months.Month``); exempt
datasets and indicators (``dashboard.exempt``) are left out of the indicator tables, monthly
counts and council tables handed to pages.
"""

from __future__ import annotations

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
from domain.indicators import indicator_table, window_inputs
from domain.london import add_group_ranks, london_rank_history
from domain.priorities import syv_counts
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


def reference_version(engine: Engine) -> str:
    """``queries.reference_version`` (targets and comparator groups), read once per request."""
    return _once_per_request(queries.reference_version, engine)


def engine() -> Engine:
    return db.get_engine()


@_cache(maxsize=16)
def _monthly(url: str, version: int, dataset: str, area_codes: tuple[str, ...] | None):
    codes = list(area_codes) if area_codes is not None else None
    return queries.crime_monthly(db.get_engine(url), dataset, codes)


@_cache(maxsize=8)
def _reference(url: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    eng = db.get_engine(url)
    return queries.areas(eng), queries.populations(eng)


def monthly(dataset: str, area_codes: list[str] | None = None, eng: Engine | None = None):
    """MOPAC7 monthly counts (cached per data version)."""
    eng = eng or engine()
    key = tuple(sorted(area_codes)) if area_codes is not None else None
    return exempt.visible(_monthly(_url(eng), data_version(eng), dataset, key), dataset)


def reference(eng: Engine | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas, populations), cached per data version."""
    eng = eng or engine()
    return _reference(_url(eng), data_version(eng))


def borough_table(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for every area in the borough files (London ranks need all 32).

    Cached per data version and month: treat the frame as read-only.
    """
    eng = eng or engine()
    return exempt.visible(_borough_table(_url(eng), data_version(eng), month), "borough_crime")


def ward_table(borough_code: str, month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Indicator table for one borough's wards (ward ranks are within the borough).

    Cached per data version, borough and month: treat the frame as read-only.
    """
    eng = eng or engine()
    table = _ward_table(_url(eng), data_version(eng), borough_code, month)
    return exempt.visible(table, "ward_crime")


# --- caches for the pages (keyed by data version) ---------------------------------------------

PERIOD_DATASETS = ("borough_crime", "ward_crime")  # crime pages' months: the first loaded
PICKER_DATASETS = ("borough_crime", "ward_crime", "mps_dashboard_offences")


@_cache(maxsize=128)
def _borough_table(url: str, version: int, month: Month) -> pd.DataFrame:
    data = _monthly(url, version, "borough_crime", None)
    if data.empty:
        return pd.DataFrame()
    return indicator_table(window_inputs(data, month), *_areas_of(url, version, data), month)


def _areas_of(url: str, version: int, data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The areas and populations rows for the areas in ``data`` (halves the table's work)."""
    areas, pops = _reference(url, version)
    codes = set(data["area_code"].unique())
    return areas[areas["code"].isin(codes)], pops[pops["area_code"].isin(codes)]


def ward_codes_of(areas: pd.DataFrame, borough_code: str) -> tuple[str, ...]:
    """The codes of ``borough_code``'s wards in ``areas`` (``reference()``'s), sorted."""
    wards = areas[(areas["parent_code"] == borough_code) & (areas["area_type"] == "ward")]
    return tuple(sorted(wards["code"]))


@_cache(maxsize=128)
def _ward_table(url: str, version: int, borough_code: str, month: Month) -> pd.DataFrame:
    areas, pops = _reference(url, version)
    data = _monthly(url, version, "ward_crime", ward_codes_of(areas, borough_code))
    if data.empty:
        return pd.DataFrame()
    return indicator_table(window_inputs(data, month), *_areas_of(url, version, data), month)


@_cache(maxsize=8)
def _period_months(url: str, version: int) -> tuple[Month, ...]:
    eng = db.get_engine(url)
    for dataset in PERIOD_DATASETS:
        months = queries.loaded_months(eng, dataset)
        if months:
            return tuple(as_month(m) for m in months)
    return ()


def period_months(eng: Engine | None = None) -> list[Month]:
    """Months the crime pages show, oldest first: borough crime's (ward crime's if none)."""
    eng = eng or engine()
    return list(_period_months(_url(eng), data_version(eng)))


def picker_months(eng: Engine | None = None) -> list[Month]:
    """Months the period picker offers, oldest first: every month any monthly dataset has
    (each page then shows its own data's month nearest the one chosen)."""
    eng = eng or engine()
    return sorted({m for dataset in PICKER_DATASETS for m in dashboard_months(dataset, eng)})


@_cache(maxsize=64)
def _latest_month(url: str, version: int, dataset: str, area_code: str | None) -> Month | None:
    month = queries.latest_month(db.get_engine(url), dataset, area_code)
    return None if month is None else as_month(month)


def latest_month(
    dataset: str, area_code: str | None = None, eng: Engine | None = None
) -> Month | None:
    """The latest month loaded for a dataset (and area), cached per data version."""
    eng = eng or engine()
    return _latest_month(_url(eng), data_version(eng), dataset, area_code)


@_cache(maxsize=8)
def _home(url: str, version: int, name: str) -> dict | None:
    return queries.area_by_name(db.get_engine(url), name)


def home_area(eng: Engine | None = None) -> dict | None:
    """The configured home borough's area row (None until it has data), cached per data version
    (pages ask on every callback)."""
    eng = eng or engine()
    return _home(_url(eng), data_version(eng), config.home_borough())


@_cache(maxsize=8)
def _rank_history(url: str, version: int) -> pd.DataFrame:
    data = _monthly(url, version, "borough_crime", None)
    areas, pops = _reference(url, version)
    return london_rank_history(data, areas, pops)


def rank_history(eng: Engine | None = None) -> pd.DataFrame:
    """london_rank_history for the loaded borough figures (cached per data version)."""
    eng = eng or engine()
    return exempt.visible(_rank_history(_url(eng), data_version(eng)), "borough_crime")


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
    for month in months[::-1][: max(recent, 0) + 1]:
        borough_table(month, eng)
        if home:
            ward_table(home["code"], month, eng)
    for month in dashboard_months(eng=eng)[::-1][: max(recent, 0) + 1]:
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
    month, count) for every area loaded, boroughs and wards (cached per data version)."""
    eng = eng or engine()
    return exempt.visible(subgroup_counts(_url(eng), mps_version(eng), dataset), dataset)


@_cache(maxsize=32)
def _dashboard_table(url: str, version: int, dataset: str, month: Month) -> pd.DataFrame:
    data = subgroup_counts(url, version, dataset)
    if data.empty:
        return pd.DataFrame()
    areas, pops = _reference(url, version)
    return indicator_table(window_inputs(data, month), areas, pops, month, per=10_000)


def dashboard_table(month: Month, dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """Indicator table (R12, P12, rate per 10,000, London and ward ranks, significance) of the
    MPS dashboard subgroups for every area, one month (cached: treat as read-only)."""
    eng = eng or engine()
    table = _dashboard_table(_url(eng), mps_version(eng), dataset, month)
    return exempt.visible(table, dataset)


@_cache(maxsize=8)
def _dashboard_months(url: str, version: int, dataset: str) -> tuple[Month, ...]:
    return tuple(as_month(m) for m in queries.loaded_months(db.get_engine(url), dataset))


def dashboard_months(dataset: str = DASHBOARD_OFFENCES, eng: Engine | None = None):
    """Months loaded for a dataset (an MPS dashboard one, ``ward_crime``, ...), oldest first
    (empty if exempt)."""
    eng = eng or engine()
    if dataset in exempt.hidden("dataset"):
        return []
    return list(_dashboard_months(_url(eng), data_version(eng), dataset))


@_cache(maxsize=16)
def _dashboard_ranks(url: str, version: int, dataset: str, indicator: str) -> pd.DataFrame:
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


# what the pages read from the council templates: (query, the dataset an exemption names, the
# columns naming an indicator: each table says which, so none is filtered by a guessed name)
COUNCIL_TABLES = {
    "syv_monthly": (queries.syv_monthly, "serious_youth_violence", ()),
    "syv_summary": (queries.syv_summary, "serious_youth_violence", ()),
    "iom_quarters": (queries.iom_quarters, "iom", ()),
    "reoffending_rates": (queries.reoffending_rates, "proven_reoffending", ()),
    "wrap_training": (queries.wrap_training, "wrap_training", ()),
    "wrap_audiences": (queries.wrap_audiences, "wrap_training", ()),
    "hate_reporting_centres": (
        queries.hate_reporting_centres,
        "hate_reporting_centres",
        ("strand",),
    ),
}


@_cache(maxsize=16)
def _council(url: str, version: int, name: str) -> pd.DataFrame:
    return COUNCIL_TABLES[name][0](db.get_engine(url))


def council_table(name: str, eng: Engine | None = None) -> pd.DataFrame:
    """Every row of a council template table (a COUNCIL_TABLES name), cached per data version;
    empty when its dataset is exempt for this user. Treat the frame as read-only."""
    eng = eng or engine()
    frame = _council(_url(eng), data_version(eng), name)
    _, dataset, items = COUNCIL_TABLES[name]
    return exempt.visible(frame, dataset, items)


@_cache(maxsize=32)
def _syv_table(url: str, version: int, month: Month) -> pd.DataFrame:
    victims = _council(url, version, "syv_monthly")
    if victims.empty:
        return pd.DataFrame()
    counts = syv_counts(victims)
    areas, pops = _reference(url, version)
    return indicator_table(counts, areas, pops, month, per=10_000)


def syv_table(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Serious youth violence victims windowed like crime (R12, P12, rate per 10,000, London
    rank) for every borough, one month (cached: treat as read-only)."""
    eng = eng or engine()
    table = _syv_table(_url(eng), data_version(eng), month)
    return table.iloc[0:0] if "serious_youth_violence" in exempt.hidden("dataset") else table


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
    if not exempt.shown("borough_crime", indicator):
        return empty
    return _rank_groups(_url(eng), data_version(eng)).get((area_code, indicator), empty)


@_cache(maxsize=16)
def _series_groups(url: str, version: int, dataset: str, area_codes: tuple[str, ...] | None):
    data = _monthly(url, version, dataset, area_codes)
    return {
        key: rows.set_index("month")["count"]
        for key, rows in data.groupby(["area_code", "indicator"])
    }


def _area_series(url: str, version: int, dataset: str, area_code: str, indicator: str):
    codes = None
    if dataset == "ward_crime":
        areas, _ = _reference(url, version)
        parent = areas.loc[areas["code"] == area_code, "parent_code"]
        codes = ward_codes_of(areas, parent.iloc[0]) if len(parent) else (area_code,)
    found = _series_groups(url, version, dataset, codes).get((area_code, indicator))
    return found if found is not None else pd.Series(dtype="int64")


def area_series(dataset: str, area_code: str, indicator: str, eng: Engine | None = None):
    """Monthly counts of one area and crime type (indexed by month), cached per data version.

    Ward series come from the cache of their borough's wards (the one the ward pages use).
    """
    eng = eng or engine()
    if not exempt.shown(dataset, indicator):
        return pd.Series(dtype="int64")
    return _area_series(_url(eng), data_version(eng), dataset, area_code, indicator)


@_cache(maxsize=64)
def _trend(url: str, version: int, dataset: str, area_code: str, indicator: str) -> pd.DataFrame:
    return trend_frame(_area_series(url, version, dataset, area_code, indicator))


def trend(dataset: str, area_code: str, indicator: str, eng: Engine | None = None):
    """``domain.crime.trend_frame`` of one area and crime type (cached per data version)."""
    eng = eng or engine()
    if not exempt.shown(dataset, indicator):
        return trend_frame(pd.Series(dtype="int64"))
    return _trend(_url(eng), data_version(eng), dataset, area_code, indicator)


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
    version, reference = data_version(eng), reference_version(eng)
    return _borough_figures(_url(eng), version, reference, withheld, month)


@_cache(maxsize=128)
def _borough_figures(url: str, version: int, reference: str, withheld: tuple, month: Month):
    eng = db.get_engine(url)
    return judged(borough_table(month, eng), month, eng)
