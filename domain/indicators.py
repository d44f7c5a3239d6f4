"""The indicator table: every area x indicator's figures for one month, as DOMAIN.md defines them.

Pure functions over DataFrames (no database): the windows are summed for all areas at once on a
wide month matrix, then the scalar rules (p-value, RAG, ranks) come from ``domain.crime``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.stats import binom

from core.months import Month, months_before
from core.values import is_missing
from domain import crime
from domain.crime import BASELINE_END
from domain.london import london_codes
from domain.periods import population_for_window, window_months

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
]


def wide_counts(monthly: pd.DataFrame) -> pd.DataFrame:
    """Long (area_code, indicator, month, count) -> rows (area_code, indicator) x month columns."""
    return monthly.pivot_table(
        index=["area_code", "indicator"], columns="month", values="count", aggfunc="sum"
    )


def window_total(wide: pd.DataFrame, end_month: Month, length: int = 12) -> pd.Series:
    """Sum of the ``length`` months ending ``end_month``; NaN where any month is missing."""
    months = window_months(end_month, length)
    window = wide.reindex(columns=months)
    return window.sum(axis=1, skipna=False)


def _nullable_int(series: pd.Series) -> pd.Series:
    return series.round().astype("Int64")


def window_inputs(monthly: pd.DataFrame, end_month: Month) -> pd.DataFrame:
    """Only the months ``indicator_table`` reads (R12, P12, the 2011/12 baseline): the same
    result from a fraction of the pivot work."""
    month = monthly["month"]
    recent = (month > months_before(end_month, 24)) & (month <= end_month)
    base = (month >= months_before(BASELINE_END, 11)) & (month <= BASELINE_END)
    return monthly[recent | base]


def _populations_for(areas: pd.Index, populations: pd.DataFrame, end_month: Month):
    by_area = {
        code: grp.set_index("year")["population"] for code, grp in populations.groupby("area_code")
    }
    years, values = [], []
    for code in areas:
        year, value = population_for_window(by_area.get(code, pd.Series(dtype=float)), end_month)
        years.append(year)
        values.append(value)
    return (
        pd.Series(values, index=areas, dtype="Float64"),
        pd.Series(years, index=areas, dtype="Int64"),
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
    """
    end = end_month
    wide = wide_counts(monthly)
    table = pd.DataFrame(index=wide.index)
    table["r12"] = _nullable_int(window_total(wide, end))
    table["p12"] = _nullable_int(window_total(wide, months_before(end, 12)))
    table["baseline"] = _nullable_int(window_total(wide, BASELINE_END))
    table = table.reset_index()
    info = areas.set_index("code")
    table = table[table["area_code"].isin(info.index)]
    table["area_name"] = table["area_code"].map(info["name"])
    table["area_type"] = table["area_code"].map(info["area_type"])
    table["parent_code"] = table["area_code"].map(info["parent_code"])
    table["month"] = end.strftime("%Y-%m")
    pop, pop_year = _populations_for(pd.Index(table["area_code"].unique()), populations, end)
    table["population"] = _nullable_int(table["area_code"].map(pop).astype("Float64"))
    table["population_year"] = table["area_code"].map(pop_year).astype("Int64")
    rate = table["r12"].astype("Float64") / table["population"].astype("Float64") * per
    table[f"rate_per_{per}"] = rate
    _add_changes(table)
    _add_ranks(table, london_codes(areas), rate)
    return table


def _add_changes(table: pd.DataFrame) -> None:
    def pairs(a, b):
        return zip(table[a].astype(object), table[b].astype(object), strict=True)

    clean = crime.whole
    table["change_vs_baseline_pct"] = [
        crime.percent_change(clean(r), clean(b)) for r, b in pairs("r12", "baseline")
    ]
    table["change_vs_previous_pct"] = [
        crime.percent_change(clean(r), clean(p)) for r, p in pairs("r12", "p12")
    ]
    table["p_value"] = poisson_p_values(table["r12"], table["p12"])
    table["significant"] = [crime.is_significant(p) for p in table["p_value"]]
    table["rag"] = [crime.rag(clean(r), clean(b)) for r, b in pairs("r12", "baseline")]


def poisson_p_values(current: pd.Series, reference: pd.Series) -> list[float | None]:
    """crime.poisson_p_value for whole columns at once.

    With p = 0.5 the binomial is symmetric, so the two-sided exact p-value is
    min(1, 2 * P(X <= min(a, b))) for X ~ Binomial(a + b, 0.5); tests check it against scipy's
    binomtest through ``crime.poisson_p_value``.
    """
    a = current.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    b = reference.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(a) | np.isnan(b)
    n = np.where(missing, 0, a + b)
    low = np.where(missing, 0, np.minimum(a, b))
    p = np.minimum(1.0, 2 * binom.cdf(low, n, 0.5))
    p = np.where(np.abs(a - b) <= 1, 1.0, p)  # the two middle values: exactly 1 (cdf rounds)
    return [None if m else float(v) for m, v in zip(missing, p, strict=True)]


def _add_ranks(table: pd.DataFrame, london: set[str], rate: pd.Series) -> None:
    table["london_rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["ward_rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    is_borough = table["area_code"].isin(london)
    for _, idx in table[is_borough].groupby("indicator").groups.items():
        ranks = crime.london_rank(rate.loc[idx].astype(float))
        table.loc[idx, "london_rank"] = ranks.to_numpy()
    wards = table[(table["area_type"] == "ward") & table["parent_code"].notna()]
    for _, idx in wards.groupby(["parent_code", "indicator"]).groups.items():
        ward_rates = rate.loc[idx]
        values = ward_rates if ward_rates.notna().all() else table.loc[idx, "r12"]
        table.loc[idx, "ward_rank"] = crime.ward_rank(values.astype(float)).to_numpy()


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
    out["value"] = pd.Series(
        [
            None if is_missing(v) else (int(v) if float(v).is_integer() else float(v))
            for v in out["value"]
        ],
        index=out.index,
        dtype=object,
    )
    return out.sort_values(["area_type", "area_code", "indicator"], kind="stable")
