"""The borough against London (DOMAIN.md "London rank"): which areas are the 32 boroughs, their
rows of an indicator table, London's own rate, and London ranks month by month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.months import Month, months_before
from core.reference import LONDON_BOROUGH_COUNT
from domain.periods import population_year_for_window


def london_codes(areas: pd.DataFrame) -> set[str]:
    """Codes of the 32 London boroughs among ``areas`` (not the City, airports or 'Unknown')."""
    return set(areas.loc[areas["is_london_borough"].fillna(False).astype(bool), "code"])


def london_rows(table: pd.DataFrame, areas: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The London boroughs' rows of an indicator table for one indicator, lowest rate first."""
    rows = table[(table["indicator"] == indicator) & table["area_code"].isin(london_codes(areas))]
    rate = [c for c in rows.columns if c.startswith("rate_per_")][:1]
    return rows.sort_values([*rate, "area_name"])


def london_rate(rows: pd.DataFrame, per: int, size: int = LONDON_BOROUGH_COUNT) -> float | None:
    """London's rate: the 32 boroughs' count per ``per`` of their residents (None unless all 32
    have a rate); with ``size``, a comparator group's rate from its members' rows."""
    column = f"rate_per_{per}"
    if len(rows) < size or not size or rows[column].isna().any():
        return None
    return float(rows["r12"].astype(float).sum() / rows["population"].astype(float).sum() * per)


def rank_a_year_earlier(history: pd.DataFrame, area_code: str, month: Month) -> dict:
    """{indicator: London rank for the 12 months to ``month`` minus a year} for one area, from
    ``london_rank_history`` rows (an indicator without a rank then is left out)."""
    earlier = months_before(month, 12)
    rows = history[(history["area_code"] == area_code) & (history["month"] == earlier)]
    return dict(zip(rows["indicator"], rows["london_rank"], strict=True))


def london_rank_history(
    monthly_counts: pd.DataFrame, areas: pd.DataFrame, populations: pd.DataFrame, per: int = 1000
) -> pd.DataFrame:
    """R12, rate and London rank of every London borough, indicator and month, all at once.

    The same figures as ``indicators.indicator_table`` gives month by month (a window with a
    missing month has no R12; a rank needs all 32 rates), vectorised over months for the
    rank-over-time chart. Columns: area_code, indicator, month, r12, rate, london_rank.
    """
    columns = ["area_code", "indicator", "month", "r12", "rate", "london_rank"]
    data = monthly_counts[monthly_counts["area_code"].isin(london_codes(areas))]
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
    wanted = [population_year_for_window(m) for m in months]
    pops = populations.pivot_table(index="area_code", columns="year", values="population")
    if pops.empty:
        return pd.DataFrame(float("nan"), index=index, columns=months)
    years = range(int(pops.columns.min()), max(int(pops.columns.max()), max(wanted)) + 1)
    pops = pops.reindex(columns=list(years)).ffill(axis=1).reindex(columns=wanted)
    pops.columns = months
    return pops.reindex(index.get_level_values("area_code")).set_axis(index, axis=0)


GROUP_COLUMNS = ["group_name", "group_size", "group_rank"]


def group_rank(rates: pd.Series, members) -> pd.Series:
    """Rank among a comparator group (DOMAIN.md "Most Similar Group"): the London rule within
    the group's members (1 = lowest rate, ties share the better rank), all <NA> unless every
    member has a rate. ``rates`` is indexed by area code; non-members get <NA>."""
    wanted = list(dict.fromkeys(members))
    ranks = pd.Series(pd.NA, index=rates.index, dtype="Int64")
    values = pd.to_numeric(rates.reindex(wanted))
    if not wanted or values.isna().any():
        return ranks
    ranked = values.rank(method="min").astype("Int64")
    inside = rates.index.isin(wanted)
    ranks[inside] = ranked.reindex(rates.index[inside]).to_numpy()
    return ranks


def add_group_ranks(table: pd.DataFrame, name: str | None, members) -> pd.DataFrame:
    """A copy of an indicator table with, on each member borough's rows, the comparator
    group's name and size and the borough's rank within it, per indicator (other rows, and
    every row without a group: the columns empty).

    ``group_rank`` for every indicator at once: an indicator's members are ranked only when
    each member has exactly one row and every one of them a rate."""
    if table.empty or "indicator" not in table:
        return table
    out = table.copy()
    members = list(dict.fromkeys(members or []))
    inside = out["area_code"].isin(members).to_numpy() if name else np.zeros(len(out), bool)
    out["group_name"] = pd.Series([name if i else None for i in inside], index=out.index)
    sizes = np.full(len(out), len(members), dtype=np.int64)
    out["group_size"] = pd.arrays.IntegerArray(sizes, ~inside)
    rank = np.full(len(out), np.nan)
    # each row's rate, per 1,000 or 10,000 (an indicator has one; a table may mix them)
    rate = [c for c in out.columns if c.startswith("rate_per_")]
    if name and members and rate and inside.any():
        rows = out[inside]
        indicator = pd.factorize(rows["indicator"])[0]
        rates = rows[rate].astype("Float64").bfill(axis=1).iloc[:, 0]
        rates = rates.to_numpy(dtype=float, na_value=np.nan)
        by_indicator = pd.DataFrame({"code": rows["area_code"].astype(object), "rate": rates})
        by_indicator = by_indicator.groupby(indicator)
        rows_each = by_indicator["code"].transform("size").to_numpy()
        codes_each = by_indicator["code"].transform("nunique").to_numpy()
        rated = by_indicator["rate"].transform("count").to_numpy()
        whole = (rows_each == len(members)) & (codes_each == len(members)) & (rated == rows_each)
        whole &= indicator >= 0  # a row without an indicator is in no indicator's ranking
        ranked = by_indicator["rate"].rank(method="min").to_numpy()
        rank[inside] = np.where(whole, ranked, np.nan)
    out["group_rank"] = pd.Series(rank, index=out.index).round().astype("Int64")
    return out
