"""The other priorities' figures (DOMAIN "The other priorities"), as pure functions.

WRAP training coverage and its RAG, IOM reduction in offending, proven reoffending rates and the
serious youth violence London table; which return, quarter or cohort a month shows. No I/O:
pages pass in what the cache returned.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.months import Month
from core.reference import LONDON_BOROUGH_COUNT
from core.values import is_missing
from domain.crime import (
    SMALL_COUNT,
    london_rank,
    percent_change,
    rag,
    rate_per,
    rolling_12_months,
)
from domain.london import london_codes
from domain.periods import dataset_month, month_end, population_for_window
from domain.rounding import percent_1dp

Number = int | float
WRAP_TARGET_PERCENT = 100.0  # of the staff requiring training; the manager can change it
WRAP_TOTAL = "All with a target"  # the departments with a target, together
SYV = "Serious youth violence"  # the indicator name of the council template's victims
KNIFE_VICTIMS = "Knife Injury Victims (non DA 1-24)"  # the MPS subtype DOMAIN.md names
KNIFE_INDICATORS = [KNIFE_VICTIMS, "Knife Crime with Injury", "Knife Crime"]


# --- Prevent WRAP training ----------------------------------------------------------------


def wrap_coverage(trained: Number | None, requiring: Number | None) -> float | None:
    """Coverage % = trained / requiring x 100 (1 dp); None when no target (blank or 0)."""
    if is_missing(trained) or is_missing(requiring) or requiring == 0:
        return None
    return percent_1dp(trained, requiring)


def wrap_rag(coverage: float | None, target: float = WRAP_TARGET_PERCENT) -> str | None:
    """Green at or above target, Amber above 0% (the baseline), Red at 0%; None without a target."""
    if is_missing(coverage):
        return None
    return rag(coverage, 0.0, target, lower_is_better=False)


def wrap_coverage_table(
    training: pd.DataFrame, target: float = WRAP_TARGET_PERCENT
) -> pd.DataFrame:
    """``training`` (department, staff_requiring, staff_trained, ...) with coverage and rag.

    A last row 'All with a target' totals the departments that have a target.
    """
    out = training.copy()
    out["coverage"] = [
        wrap_coverage(t, r)
        for t, r in zip(out["staff_trained"], out["staff_requiring"], strict=True)
    ]
    out["rag"] = [wrap_rag(c, target) for c in out["coverage"]]
    with_target = out[pd.to_numeric(out["staff_requiring"], errors="coerce").fillna(0) > 0]
    if len(with_target):
        requiring = int(with_target["staff_requiring"].sum())
        trained = int(with_target["staff_trained"].sum())
        coverage = wrap_coverage(trained, requiring)
        total = {
            "department": WRAP_TOTAL,
            "staff_requiring": requiring,
            "staff_trained": trained,
            "sessions": int(with_target["sessions"].sum()),
            "coverage": coverage,
            "rag": wrap_rag(coverage, target),
        }
        out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    return out


def wrap_too_small(row: dict) -> bool:
    """Fewer than 10 staff requiring training: coverage moves a lot with one person."""
    requiring = row.get("staff_requiring")
    return not is_missing(requiring) and 0 < int(requiring) < SMALL_COUNT


def wrap_end(training: pd.DataFrame, month: Month | None) -> pd.Timestamp:
    """The last day whose returns a month shows: the month's end, or the latest return's date
    when the month is later or not given."""
    return month_end(dataset_month(month, [training["as_at"].max()]))


def latest_return(frame: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """The rows of the latest return (as_at) on or before ``end``."""
    frame = frame[frame["as_at"] <= end] if len(frame) else frame
    return frame[frame["as_at"] == frame["as_at"].max()] if len(frame) else frame


def wrap_total_before(training: pd.DataFrame, as_at, target: float) -> dict | None:
    """The 'All with a target' row of the return before ``as_at`` (with its as_at), or None."""
    earlier = training[training["as_at"] < as_at]
    if not len(earlier):
        return None
    previous = wrap_coverage_table(earlier[earlier["as_at"] == earlier["as_at"].max()], target)
    total = previous[previous["department"] == WRAP_TOTAL]
    return {**total.iloc[0].to_dict(), "as_at": earlier["as_at"].max()} if len(total) else None


def wrap_progress(training: pd.DataFrame, target: float) -> pd.DataFrame:
    """as_at, series (department, and the total), value (coverage %) for every return."""
    frames = []
    for as_at, rows in training.groupby("as_at", sort=True):
        table = wrap_coverage_table(rows, target)
        frames.append(
            pd.DataFrame(
                {
                    "as_at": as_at,
                    "series": table["department"],
                    "value": table["coverage"].astype(float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# --- IOM and proven reoffending ------------------------------------------------------------


def iom_reduction_percent(before: Number | None, after: Number | None) -> float | None:
    """Reduction in offending % = (before - after) / before x 100 (1 dp); positive = fewer."""
    change = percent_change(after, before)
    return None if change is None else -change + 0.0


def proven_reoffending_rate(reoffenders: Number | None, offenders: Number | None) -> float | None:
    """Proven reoffending rate % = reoffenders / offenders x 100 (1 dp); None without a cohort."""
    if is_missing(reoffenders) or is_missing(offenders) or offenders == 0:
        return None
    return percent_1dp(reoffenders, offenders)


def iom_table(quarters: pd.DataFrame) -> pd.DataFrame:
    """IOM quarters with reoffending_rate (of the cohort) and reduction_percent."""
    out = quarters.copy()
    out["reoffending_rate"] = [
        proven_reoffending_rate(r, c)
        for r, c in zip(out["reoffenders"], out["cohort_size"], strict=True)
    ]
    out["reduction_percent"] = [
        iom_reduction_percent(b, a)
        for b, a in zip(out["offences_before"], out["offences_after"], strict=True)
    ]
    return out


def reoffending_table(rates: pd.DataFrame) -> pd.DataFrame:
    """MoJ rows with the proven reoffending rate and reoffences per reoffender (2 dp)."""
    out = rates.copy()
    out["reoffending_rate"] = [
        proven_reoffending_rate(r, o)
        for r, o in zip(out["reoffenders"], out["offenders"], strict=True)
    ]
    out["reoffences_per_reoffender"] = [
        None if is_missing(r) or not r else round(n / r, 2)
        for n, r in zip(out["reoffences"], out["reoffenders"], strict=True)
    ]
    return out


def iom_quarters_by(quarters: pd.DataFrame, month: Month | None) -> pd.DataFrame:
    """The IOM quarters that start by the end of ``month`` (all of them without one)."""
    return quarters if month is None else quarters[quarters["quarter_start"] <= month_end(month)]


_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}


def cohort_end(text: str) -> Month | None:
    """The last month of a MoJ cohort label: 'Jan 2022 to Mar 2022' -> March 2022,
    '2021/22' -> March 2022, '2021' -> December 2021; None when it names no period."""
    words = re.findall(r"([A-Za-z]{3,9})\.?\s+(\d{4})", str(text))
    months = [(int(y), _MONTHS[m[:3].lower()]) for m, y in words if m[:3].lower() in _MONTHS]
    if months:
        return Month(pd.Timestamp(*months[-1], 1))
    financial = re.search(r"(\d{4})\s*/\s*(\d{2,4})", str(text))
    if financial:
        return Month(pd.Timestamp(int(financial.group(1)) + 1, 3, 1))
    year = re.search(r"\b(\d{4})\b", str(text))
    return Month(pd.Timestamp(int(year.group(1)), 12, 1)) if year else None


def cohorts_by(rates: pd.DataFrame, month: Month | None) -> pd.DataFrame:
    """``reoffending_table`` of the cohorts ending by the end of ``month`` (and those whose label
    names no period), oldest first, with cohort_end."""
    table = reoffending_table(rates)
    table["cohort_end"] = [cohort_end(c) for c in table["cohort"]]
    if month is not None:
        table = table[table["cohort_end"].isna() | (table["cohort_end"] <= month_end(month))]
    return table.sort_values(["cohort_end", "cohort"], kind="stable", na_position="first")


def latest_cohort(rates: pd.DataFrame) -> str | None:
    """The label of the latest cohort loaded (by its last month), None when none names one."""
    ends = [(cohort_end(c), c) for c in rates["cohort"]] if len(rates) else []
    ends = [e for e in ends if e[0] is not None]
    return max(ends)[1] if ends else None


def latest_cohorts(table: pd.DataFrame, borough: str) -> pd.DataFrame:
    """Per adult/juvenile, every area's row for the home borough's latest cohort."""
    home = table[table["geography"].str.lower() == borough.lower()]
    latest = home.groupby("adult_juvenile")["cohort"].last()
    keys = set(latest.items())
    pairs = zip(table["adult_juvenile"], table["cohort"], strict=True)
    # a boolean Series, not a list: an empty list would select no columns instead of no rows
    return table[pd.Series([k in keys for k in pairs], index=table.index, dtype=bool)]


def cohort_group(table: pd.DataFrame, group: str, borough: str) -> pd.DataFrame:
    """One group's rows (adults or juveniles): the borough, London, England and Wales, others."""
    rows = table[table["adult_juvenile"].str.lower() == group.lower()]
    order = {borough.lower(): 0, "london": 1, "england and wales": 2}
    return rows.sort_values(
        "geography", key=lambda g: g.str.lower().map(order).fillna(3), kind="stable"
    )


# --- against London (serious youth violence, knife and hate crime) ------------------------


def london_figures(
    table: pd.DataFrame, areas: pd.DataFrame, area_code: str, indicators, month=None, per=10_000
) -> list[tuple]:
    """(indicator, the area's row, London's rate per ``per``) for each of ``indicators``, from
    an indicator table (the row with the month it is shown for under "month" when given).

    The figures of ``record`` and ``london_rate(london_rows(...))`` per indicator, found in one
    pass: the London rows are sorted as ``london_rows`` sorts them once, and each indicator's
    positions summed in that order (the same sums, to the last bit)."""
    indicators = list(indicators)
    if table.empty:
        return [(indicator, {}, None) for indicator in indicators]
    codes = london_codes(areas)
    rate = [c for c in table.columns if c.startswith("rate_per_")][:1]
    column = f"rate_per_{per}"
    wanted = list(dict.fromkeys([*rate, "area_name", "indicator", "r12", "population", column]))
    # only the columns London's rate reads (taking every column of a large table costs most)
    london = table.loc[table["area_code"].isin(codes).to_numpy(), [c for c in wanted if c in table]]
    london = london.sort_values([*rate, "area_name"])
    mine = np.flatnonzero((table["area_code"] == area_code).to_numpy())
    own = table["indicator"].iloc[mine].astype(object).to_numpy()
    theirs = london["indicator"].astype(object).to_numpy()
    missing = london[column].isna().to_numpy() if column in london else np.ones(len(london), bool)
    r12 = london["r12"].astype(float).to_numpy()
    residents = london["population"].astype(float).to_numpy()
    figures = []
    for indicator in indicators:
        at = np.flatnonzero(theirs == indicator)
        whole = len(at) >= LONDON_BOROUGH_COUNT and not missing[at].any()
        overall = float(r12[at].sum() / residents[at].sum() * per) if whole else None
        found = np.flatnonzero(own == indicator)
        row = table.iloc[mine[found[0]]].to_dict() if len(found) else {}
        if row and month is not None:
            row = {**row, "month": month}
        figures.append((indicator, row, overall))
    return figures


# --- serious youth violence ----------------------------------------------------------------


def syv_series(victims: pd.DataFrame, area_code: str) -> pd.Series:
    """One area's monthly victims from the council template (indexed by month)."""
    mine = victims[victims["area_code"] == area_code]
    return pd.Series(
        mine["victims"].astype(float).to_numpy(), index=pd.DatetimeIndex(mine["month"].to_numpy())
    )


def published_as_at(summary: pd.DataFrame, month: Month) -> dict:
    """The latest published summary row for a window ending by ``month`` (else the latest
    loaded)."""
    ordered = summary.sort_values("window_end", kind="stable")
    shown = ordered[ordered["window_end"] <= month]
    return (shown if len(shown) else ordered).iloc[-1].to_dict()


def published_record(row: dict) -> dict:
    """A published SYV summary row in the shape of an indicator table row."""
    return {
        "month": row["window_end"],
        "r12": row["victims"],
        "rate_per_10000": row["rate_per_10000"],
        "london_rank": row["london_rank"],
    }


def syv_counts(syv: pd.DataFrame) -> pd.DataFrame:
    """The template's victims (area_code, month, victims) as monthly counts of one indicator,
    for ``indicators.indicator_table`` (windowed like crime, rates per 10,000)."""
    return pd.DataFrame(
        {
            "area_code": syv["area_code"],
            "indicator": SYV,
            "month": pd.to_datetime(syv["month"]),
            "count": syv["victims"].astype("int64"),
        }
    )


def syv_london_table(
    monthly: pd.DataFrame, populations: pd.DataFrame, end_month: Month
) -> pd.DataFrame:
    """Per borough: R12 victims, population year used, rate per 10,000 and London rank.

    ``monthly``: area_code, month, victims (London boroughs only); ``populations``: area_code,
    year, population. The London average (``attrs['london_average_rate']``) is London's total
    victims per 10,000 London residents, None unless all 32 boroughs have a rate.
    """
    rows = []
    for code, group in monthly.groupby("area_code"):
        counts = pd.Series(group["victims"].to_numpy(), index=pd.to_datetime(group["month"]))
        pops = populations[populations["area_code"] == code].set_index("year")["population"]
        year, population = population_for_window(pops, end_month)
        victims = rolling_12_months(counts, end_month)
        rows.append(
            {
                "area_code": code,
                "victims": victims,
                "population_year": year,
                "population": population,
                "rate_per_10000": rate_per(victims, population, 10_000),
            }
        )
    table = pd.DataFrame(
        rows, columns=["area_code", "victims", "population_year", "population", "rate_per_10000"]
    )
    table["victims"] = table["victims"].astype("Int64")
    table["london_rank"] = london_rank(table["rate_per_10000"].astype(float))
    complete = table["rate_per_10000"].notna().sum() >= LONDON_BOROUGH_COUNT
    table.attrs["london_average_rate"] = (
        rate_per(table["victims"].sum(), table["population"].sum(), 10_000) if complete else None
    )
    return table
