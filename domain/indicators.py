"""The indicator table: every area x indicator's figures for one month, as DOMAIN.md defines them.

Pure functions over DataFrames (no database). Every figure is worked for all rows at once: the
windows summed per (area, indicator) with ``numpy.bincount``, then the rules ``domain.crime``
states for one figure (changes, p-value, RAG, ranks) applied to whole columns, giving the same
values and types cell for cell (tests/test_indicator_table_rules.py pins them by hand).
``indicator_tables`` does the same for many months in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.stats import binom

from core.months import Month, months_before
from core.reference import LONDON_BOROUGH_COUNT
from core.values import is_missing
from domain.crime import BASELINE_END
from domain.london import london_codes
from domain.periods import population_year_for_window

EXPORT_COLUMNS = [
    "area_code",
    "area_name",
    "area_type",
    "indicator",
    "month",
    "r12",
    "p12",
    "baseline",
    "change_vs_baseline_pct",
    "change_vs_previous_pct",
    "population",
    "population_year",
    "rate_per_1000",
    "london_rank",
    "ward_rank",
    "p_value",
    "significant",
    "rag",
    "rate_per_10000",  # MPS dashboard indicators (knife crime, hate crime) and SYV
    "value",
    "period",  # figures as at a quarter, cohort or date (IOM, reoffending, WRAP)
    # the target in force (domain.targets) and the most similar group's rank (domain.london)
    "target",
    "target_kind",
    "target_value",
    "target_direction",
    "target_from",
    "group_name",
    "group_size",
    "group_rank",
    # MPS dashboard indicators with positive outcomes (domain.domestic_abuse.with_outcomes)
    "positive_outcomes_r12",
    "positive_outcome_rate_pct",
    # from a file that says its figures are made up (the shipped samples): 'yes' or 'no'
    "illustrative",
]


def _nullable_int(series: pd.Series) -> pd.Series:
    return series.round().astype("Int64")


def window_inputs(monthly: pd.DataFrame, end_month: Month) -> pd.DataFrame:
    """Only the months ``indicator_table`` reads (R12, P12, the 2011/12 baseline): the same
    result from a fraction of the pivot work."""
    month = monthly["month"]
    recent = (month > months_before(end_month, 24)) & (month <= end_month)
    base = (month >= months_before(BASELINE_END, 11)) & (month <= BASELINE_END)
    return monthly[recent | base]


def _month_number(month: Month | pd.Timestamp) -> int:
    return month.year * 12 + month.month - 1


class _Counts:
    """Monthly counts numbered by (area_code, indicator) group, for summing windows of months.

    A pivot of every month (rows area x indicator, a column a month) costs most of a table's
    time, and a table needs only three windows: this keeps the long rows and sums each window
    with ``numpy.bincount``. ``index`` is the groups' keys in the order (and with the dtypes)
    ``pivot_table`` gives them.
    """

    def __init__(self, monthly: pd.DataFrame):
        if monthly["month"].isna().any():  # pivot_table leaves these rows out
            monthly = monthly[monthly["month"].notna()]
        grouped = monthly.groupby(["area_code", "indicator"], sort=True)
        self.index = grouped.size().index
        group = grouped.ngroup()
        kept = group.notna().to_numpy()  # rows with a missing key belong to no group
        months = monthly["month"].to_numpy()[kept]
        numbers = months.astype("datetime64[M]")
        # only a month's first day is that month's column (another day is a column of its own)
        starts = numbers.astype(months.dtype) == months
        self.row_group, self.row_month = group.to_numpy()[kept].astype(np.int64), months
        self.group = self.row_group[starts]
        self.number = numbers[starts].astype(np.int64) + 1970 * 12
        self.count = monthly["count"].to_numpy(dtype=float)[kept][starts]

    def window(self, end_month: Month, length: int = 12) -> pd.Series:
        """Every group's sum of the ``length`` months ending ``end_month``, NaN where any of
        them has no row (DOMAIN.md: never a smaller total; several rows of a month add up)."""
        first = _month_number(end_month) - length + 1
        inside = (self.number >= first) & (self.number < first + length)
        group, position = self.group[inside], self.number[inside] - first
        size = len(self.index)
        total = np.bincount(group, weights=self.count[inside], minlength=size)
        seen = np.zeros((size, length), dtype=bool)
        seen[group, position] = True
        return pd.Series(np.where(seen.all(axis=1), total, np.nan), index=self.index)

    def present(self, end_month: Month) -> np.ndarray:
        """Which groups have a row among ``window_inputs(monthly, end_month)``: the rows of
        ``indicator_table`` for that month when it is given only those inputs."""
        month = self.row_month
        recent = (month > np.datetime64(months_before(end_month, 24))) & (
            month <= np.datetime64(end_month)
        )
        base = (month >= np.datetime64(months_before(BASELINE_END, 11))) & (
            month <= np.datetime64(BASELINE_END)
        )
        return np.bincount(self.row_group[recent | base], minlength=len(self.index)) > 0


def _populations_for(codes: pd.Series, populations: pd.DataFrame, wanted: np.ndarray):
    """(population, year used) for each of ``codes``, as Int64 columns aligned with it:
    ``periods.population_for_window`` for every area at once, ``wanted`` the population year
    of each row's window (the window's year, else the latest earlier year loaded; where one
    year is loaded twice, the later row)."""
    year = np.zeros(len(codes), dtype=np.int64)
    value = np.zeros(len(codes), dtype=np.int64)
    found = np.zeros(len(codes), dtype=bool)
    names = pd.Index(codes.astype(object))
    for each in np.unique(wanted):
        loaded = populations[populations["population"].notna() & (populations["year"] <= each)]
        latest = loaded.sort_values("year", kind="stable")
        latest = latest.drop_duplicates("area_code", keep="last").set_index("area_code")
        where = latest.index.get_indexer(names)
        rows = (wanted == each) & (where >= 0)
        year[rows] = latest["year"].to_numpy()[where[rows]].astype(np.int64)
        value[rows] = np.trunc(latest["population"].to_numpy(dtype=float)[where[rows]])
        found |= rows
    return (
        pd.Series(pd.arrays.IntegerArray(value, ~found), index=codes.index),
        pd.Series(pd.arrays.IntegerArray(year, ~found), index=codes.index),
    )


def indicator_table(
    monthly: pd.DataFrame,
    areas: pd.DataFrame,
    populations: pd.DataFrame,
    end_month: Month,
    per: int = 1000,
) -> pd.DataFrame:
    """One row per area x indicator with R12, P12, baseline, changes, rate, ranks, p, RAG.

    ``areas`` gives code, name, area_type, parent_code and is_london_borough for every area in
    ``monthly``; London ranks use London boroughs only, ward ranks wards of one borough.
    Every rule is applied to whole columns at once (a cold month's table is drawn while a
    viewer waits); tests pin each against DOMAIN.md's worked cases.
    """
    end = end_month
    counts = _Counts(monthly)
    table = pd.DataFrame(index=counts.index)
    table["r12"] = _nullable_int(counts.window(end))
    table["p12"] = _nullable_int(counts.window(months_before(end, 12)))
    table["baseline"] = _nullable_int(counts.window(BASELINE_END))
    table = table.reset_index()
    info = areas.set_index("code")
    table = table[table["area_code"].isin(info.index)]
    wanted = np.full(len(table), population_year_for_window(end))
    return _figures(table, areas, populations, end.strftime("%Y-%m"), wanted, per)


def _figures(table, areas, populations, month, wanted, per: int, period=None) -> pd.DataFrame:
    """The columns after R12, P12 and baseline, for one month's rows (or, with ``period`` an
    array numbering each row's month, several months' rows at once)."""
    info = areas.set_index("code")
    table["area_name"] = table["area_code"].map(info["name"])
    table["area_type"] = table["area_code"].map(info["area_type"])
    table["parent_code"] = table["area_code"].map(info["parent_code"])
    table["month"] = month
    table["population"], table["population_year"] = _populations_for(
        table["area_code"], populations, wanted
    )
    rate = table["r12"].astype("Float64") / table["population"].astype("Float64") * per
    table[f"rate_per_{per}"] = rate
    _add_changes(table)
    period = np.zeros(len(table), dtype=np.int64) if period is None else period
    _add_ranks(table, london_codes(areas), rate, period)
    return table


INFERRED = ["change_vs_baseline_pct", "change_vs_previous_pct", "p_value", "significant", "rag"]


def indicator_tables(
    monthly: pd.DataFrame,
    areas: pd.DataFrame,
    populations: pd.DataFrame,
    months: list[Month],
    per: int = 1000,
) -> dict[Month, pd.DataFrame]:
    """{month: ``indicator_table(window_inputs(monthly, month), areas, populations, month,
    per)``} for many months from one pass: the grouping, the area details and every rule are
    worked once over all the months' rows (ranks within each month), then cut into months.
    The same frames, cell for cell, as the month-by-month calls (a warm-up's way to fill a
    cache)."""
    months = list(dict.fromkeys(months))
    if monthly.empty or not months:
        return {
            m: indicator_table(window_inputs(monthly, m), areas, populations, m, per)
            for m in months
        }
    counts = _Counts(monthly)
    keys = pd.DataFrame(index=counts.index).reset_index()
    known = keys["area_code"].isin(set(areas["code"])).to_numpy()
    baseline = counts.window(BASELINE_END).to_numpy()
    groups, indexes, columns = [], [], {"r12": [], "p12": []}
    for end in months:
        present = np.flatnonzero(counts.present(end))
        kept = known[present]
        groups.append(present[kept])
        indexes.append(pd.RangeIndex(len(present))[kept])
        columns["r12"].append(counts.window(end).to_numpy()[present[kept]])
        columns["p12"].append(counts.window(months_before(end, 12)).to_numpy()[present[kept]])
    sizes = [len(g) for g in groups]
    rows = np.concatenate(groups)
    period = np.repeat(np.arange(len(months)), sizes)
    table = keys.iloc[rows].reset_index(drop=True)
    table["r12"] = _nullable_int(pd.Series(np.concatenate(columns["r12"])))
    table["p12"] = _nullable_int(pd.Series(np.concatenate(columns["p12"])))
    table["baseline"] = _nullable_int(pd.Series(baseline[rows]))
    labels = np.array([m.strftime("%Y-%m") for m in months], dtype=object)[period]
    wanted = np.array([population_year_for_window(m) for m in months])[period]
    table = _figures(table, areas, populations, labels, wanted, per, period)
    out, start = {}, 0
    for end, size, index in zip(months, sizes, indexes, strict=True):
        if not size:  # nothing for this month: the one-month path knows the empty frame
            out[end] = indicator_table(window_inputs(monthly, end), areas, populations, end, per)
            continue
        one = table.iloc[start : start + size].set_axis(index, axis=0)
        for column in INFERRED:  # each month's dtype as the one-month table infers it
            values = one[column]
            one[column] = _cells(values.to_numpy(dtype=object), values.isna().to_numpy())
        out[end], start = one, start + size
    return out


def _whole_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values as int64, missing) of an Int64 count column."""
    missing = column.isna().to_numpy()
    return column.to_numpy(dtype=np.int64, na_value=0), missing


def _cells(values, missing: np.ndarray) -> list:
    """A column as the list the scalar rules gave (None where missing), so pandas infers the
    same dtype as before: float64 with NaN, or object when every cell is None."""
    return [None if m else v for m, v in zip(missing.tolist(), values.tolist(), strict=True)]


def percent_changes(current: pd.Series, reference: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, missing): ``crime.percent_change`` of two Int64 count columns at once.

    (c - r) / r x 100 to one decimal place with halves away from zero is
    round_half_away(1000 (c - r) / r) / 10, worked in whole numbers so no float rounding can
    move a half; missing where either count is or the reference is 0.
    """
    c, c_missing = _whole_numbers(current)
    r, r_missing = _whole_numbers(reference)
    missing = c_missing | r_missing | (r == 0)
    num = 1000 * (c - r)
    den = np.where(missing, 1, r)
    tenths = np.sign(num) * np.sign(den) * ((2 * np.abs(num) + np.abs(den)) // (2 * np.abs(den)))
    return tenths / 10 + 0.0, missing


def rags(current: pd.Series, baseline: pd.Series) -> list[str | None]:
    """``crime.rag`` with the default target (20% below baseline) for two Int64 columns.

    For whole counts, current <= 0.8 x baseline exactly when 5 x current <= 4 x baseline, so
    no float enters: Green at or below that, Amber below baseline, else Red; None where
    either count is missing."""
    c, c_missing = _whole_numbers(current)
    b, b_missing = _whole_numbers(baseline)
    colour = np.where(5 * c <= 4 * b, "Green", np.where(c < b, "Amber", "Red"))
    return _cells(colour, c_missing | b_missing)


def _add_changes(table: pd.DataFrame) -> None:
    table["change_vs_baseline_pct"] = _cells(*percent_changes(table["r12"], table["baseline"]))
    table["change_vs_previous_pct"] = _cells(*percent_changes(table["r12"], table["p12"]))
    p, missing = _p_values(table["r12"], table["p12"])
    table["p_value"] = _cells(p, missing)
    table["significant"] = _cells(p < 0.05, missing)  # crime.is_significant
    table["rag"] = rags(table["r12"], table["baseline"])


def _p_values(current: pd.Series, reference: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    a = current.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    b = reference.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(a) | np.isnan(b)
    n = np.where(missing, 0, a + b)
    low = np.where(missing, 0, np.minimum(a, b))
    p = np.minimum(1.0, 2 * binom.cdf(low, n, 0.5))
    p = np.where(np.abs(a - b) <= 1, 1.0, p)  # the two middle values: exactly 1 (cdf rounds)
    return p, missing


def poisson_p_values(current: pd.Series, reference: pd.Series) -> list[float | None]:
    """crime.poisson_p_value for whole columns at once.

    With p = 0.5 the binomial is symmetric, so the two-sided exact p-value is
    min(1, 2 * P(X <= min(a, b))) for X ~ Binomial(a + b, 0.5); tests check it against scipy's
    binomtest through ``crime.poisson_p_value``.
    """
    return _cells(*_p_values(current, reference))


def _ranks(values: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """``crime._rank_lowest_first`` within each group (1 = lowest, ties share the better
    rank, NaN unranked) for all groups at once."""
    return pd.Series(values).groupby(groups, sort=False).rank(method="min").to_numpy().copy()


def _add_ranks(table: pd.DataFrame, london: set[str], rate: pd.Series, period) -> None:
    """London ranks (``crime.london_rank`` per indicator: none unless 32 boroughs have a rate)
    and ward ranks (``crime.ward_rank`` per borough and indicator: by rate when every ward
    has one, else by R12), within each ``period`` (the month numbered per row)."""
    rates = rate.to_numpy(dtype=float, na_value=np.nan)
    indicator = pd.factorize(table["indicator"])[0]
    borough = table["area_code"].isin(london).to_numpy()
    london_rank = np.full(len(table), np.nan)
    if borough.any():
        keys = [period[borough], indicator[borough]]
        ranked = _ranks(rates[borough], keys)
        have = pd.Series(~np.isnan(rates[borough])).groupby(keys).transform("sum")
        ranked[have.to_numpy() < LONDON_BOROUGH_COUNT] = np.nan
        london_rank[borough] = ranked
    ward = ((table["area_type"] == "ward") & table["parent_code"].notna()).to_numpy()
    ward_rank = np.full(len(table), np.nan)
    if ward.any():
        parent = pd.factorize(table["parent_code"])[0]
        keys = [period[ward], parent[ward], indicator[ward]]
        ward_rates = rates[ward]
        all_rated = pd.Series(~np.isnan(ward_rates)).groupby(keys).transform("all").to_numpy()
        r12 = table["r12"].to_numpy(dtype=float, na_value=np.nan)[ward]
        ward_rank[ward] = _ranks(np.where(all_rated, ward_rates, r12), keys)
    table["london_rank"] = _nullable_int(pd.Series(london_rank, index=table.index))
    table["ward_rank"] = _nullable_int(pd.Series(ward_rank, index=table.index))


def area_series(monthly: pd.DataFrame, codes: Iterable[str], indicator: str) -> pd.Series:
    """Monthly counts of one indicator summed over the areas ``codes`` (indexed by month)."""
    rows = monthly[monthly["area_code"].isin(codes) & (monthly["indicator"] == indicator)]
    sums = rows.groupby("month")["count"].sum()
    return pd.Series(sums.to_numpy(dtype=float), index=pd.DatetimeIndex(sums.index.to_numpy()))


def has_ward_populations(areas: pd.DataFrame, populations: pd.DataFrame, borough: str) -> bool:
    """True when populations are loaded for the borough's wards (their rates can be shown)."""
    wards = areas[(areas["parent_code"] == borough) & (areas["area_type"] == "ward")]
    return bool(len(wards)) and bool(populations["area_code"].isin(wards["code"]).any())


def record(table: pd.DataFrame, area_code: str, indicator: str, month=None) -> dict:
    """One area's row of an indicator table for one indicator, as a dict ({} when it has none),
    with the month it is shown for under "month" when ``month`` is given."""
    if table.empty:
        return {}
    rows = table[(table["area_code"] == area_code) & (table["indicator"] == indicator)]
    if not len(rows):
        return {}
    row = rows.iloc[0].to_dict()
    return row if month is None else {**row, "month": month}


def export_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The indicators export's exact columns, rounded for reading; empty where not available."""
    out = table.reindex(columns=EXPORT_COLUMNS).copy()
    for column in ("rate_per_1000", "rate_per_10000"):
        out[column] = out[column].astype("Float64").round(4)
    out["significant"] = out["significant"].astype("boolean")
    out["positive_outcomes_r12"] = out["positive_outcomes_r12"].astype("Int64")
    out["positive_outcome_rate_pct"] = out["positive_outcome_rate_pct"].astype("Float64")
    out["value"] = pd.Series(
        [
            None if is_missing(v) else (int(v) if float(v).is_integer() else float(v))
            for v in out["value"]
        ],
        index=out.index,
        dtype=object,
    )
    return out.sort_values(["area_type", "area_code", "indicator"], kind="stable")
