"""The other priorities' figures (DOMAIN "The other priorities"), as pure functions.

WRAP training coverage and its RAG, IOM reduction in offending, proven reoffending rates and the
serious youth violence London table. No I/O: pages pass in what `queries` returned.
"""

from __future__ import annotations

import pandas as pd

from core.months import Month
from core.reference import LONDON_BOROUGH_COUNT
from core.values import is_missing
from domain.crime import london_rank, percent_change, rag, rate_per, rolling_12_months
from domain.periods import population_for_window
from domain.rounding import percent_1dp

Number = int | float
WRAP_TARGET_PERCENT = 100.0  # of the staff requiring training; the manager can change it
SYV = "Serious youth violence"  # the indicator name of the council template's victims


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
            "department": "All with a target",
            "staff_requiring": requiring,
            "staff_trained": trained,
            "sessions": int(with_target["sessions"].sum()),
            "coverage": coverage,
            "rag": wrap_rag(coverage, target),
        }
        out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    return out


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


# --- serious youth violence ----------------------------------------------------------------


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
