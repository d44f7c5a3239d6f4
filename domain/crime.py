"""DOMAIN.md's crime figures as pure functions over pandas objects: R12, P12, the 2011/12
baseline, changes, rates, ranks, significance, targets and RAG.

No I/O and no words here: pages fetch DataFrames through the cache and pass them in, so every
number on a page and in the board pack comes from one definition that tests can pin down.
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import binomtest

from core.months import Month, months_before, months_of
from core.reference import LONDON_BOROUGH_COUNT
from core.values import is_missing
from domain.periods import population_for_window, window_months
from domain.rounding import as_decimal, round_1dp

DEFAULT_TARGET_REDUCTION = 0.20
SMALL_COUNT = 10  # fewer than this in a 12-month window: too small to judge
BASELINE_END = Month(pd.Timestamp(2012, 3, 1))  # FY2011/12, the MOPAC baseline year

Number = int | float


def _as_count(value: Number) -> int:
    """A Python int from an int-like count; a fractional count is a caller's mistake."""
    if float(value) != int(value) or value < 0:
        raise ValueError(f"not a count: {value!r}")
    return int(value)


def whole(value) -> int | None:
    """A count from a table cell (Int64, float or None) as an int, or None."""
    return None if is_missing(value) else int(value)


def _by_month(counts: pd.Series) -> pd.Series:
    """Counts re-indexed by month start, so any date within a month finds its month."""
    index = months_of(counts.index)
    if index.has_duplicates:
        raise ValueError("counts has more than one value for a month")
    return pd.Series(counts.to_numpy(), index=index)


def _window_total(counts: pd.Series, end_month: Month, length: int = 12) -> int | None:
    """Sum of a window, or None when a month is absent: never a smaller total."""
    values = _by_month(counts).reindex(window_months(end_month, length))
    if values.isna().any():
        return None
    return int(values.sum())


# --- totals and comparisons ----------------------------------------------------------------


def rolling_12_months(counts: pd.Series, end_month: Month) -> int | None:
    """R12: the 12 months ending end_month, None if any month is missing or NaN."""
    return _window_total(counts, end_month)


def previous_12_months(counts: pd.Series, end_month: Month) -> int | None:
    """P12: the 12 months before R12's window, for the change vs previous year."""
    return _window_total(counts, months_before(end_month, 12))


def financial_year_total(counts: pd.Series, start_year: int = 2011) -> int | None:
    """Total for April start_year to March start_year+1, None if any month is missing."""
    return _window_total(counts, Month(pd.Timestamp(year=start_year + 1, month=3, day=1)))


def baseline(counts: pd.Series) -> int | None:
    """The FY2011/12 total that MOPAC's reduction targets are set against."""
    return financial_year_total(counts, 2011)


def percent_change(current: Number | None, reference: Number | None) -> float | None:
    """(current - reference) / reference x 100 to 1 dp; None when it cannot be computed."""
    if is_missing(current) or is_missing(reference) or reference == 0:
        return None
    ref = as_decimal(reference)
    return round_1dp((as_decimal(current) - ref) / ref * 100)


def trend_frame(counts: pd.Series) -> pd.DataFrame:
    """Monthly counts on a full month index (missing months NaN) with the R12 to each month.

    R12 has no value where any of its 12 months is missing, as DOMAIN.md requires.
    """
    columns = ["month", "count", "r12"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    series = pd.Series(counts.to_numpy(dtype=float), index=pd.DatetimeIndex(counts.index))
    series = series.groupby(level=0).sum()
    months = pd.date_range(series.index.min(), series.index.max(), freq="MS")
    series = series.reindex(months)
    r12 = series.rolling(12, min_periods=12).sum()
    return pd.DataFrame({"month": months, "count": series.to_numpy(), "r12": r12.to_numpy()})


def r12_at(frame: pd.DataFrame, month: Month) -> float | None:
    """The R12 of a ``trend_frame`` to ``month`` (None where it has none)."""
    r12 = frame.loc[frame["month"] == month, "r12"]
    return None if r12.empty or is_missing(r12.iloc[0]) else float(r12.iloc[0])


# --- rates and ranks -----------------------------------------------------------------------


def rate_per(count: Number | None, population: Number | None, per: int = 1000) -> float | None:
    """Count per `per` residents, so areas of different size compare fairly."""
    if is_missing(count) or is_missing(population) or not population:
        return None
    return float(count) / float(population) * per


def _rank_lowest_first(values: pd.Series) -> pd.Series:
    """1 = lowest value; ties share the better rank (1, 2, 2, 4); missing values get <NA>."""
    return pd.to_numeric(values).rank(method="min").astype("Int64")


def london_rank(rates: pd.Series) -> pd.Series:
    """Rank among the 32 boroughs, 1 = best; all <NA> unless all 32 have a rate."""
    if pd.to_numeric(rates).notna().sum() < LONDON_BOROUGH_COUNT:
        return pd.Series(pd.NA, index=rates.index, dtype="Int64")
    return _rank_lowest_first(rates)


def ward_rank(values: pd.Series) -> pd.Series:
    """Rank among a borough's wards, 1 = lowest; a ward without a value gets <NA>."""
    return _rank_lowest_first(values)


# --- significance and targets --------------------------------------------------------------


def poisson_p_value(current: Number | None, reference: Number | None) -> float | None:
    """Two-sided exact test that two counts over equal periods share one Poisson rate."""
    if is_missing(current) or is_missing(reference):
        return None
    k, n = _as_count(current), _as_count(current) + _as_count(reference)
    if n == 0:
        return 1.0
    return float(min(1.0, binomtest(k, n, 0.5, alternative="two-sided").pvalue))


def is_significant(p_value: float | None, alpha: float = 0.05) -> bool | None:
    """Whether a change is more than chance (p < alpha); None when there is no test."""
    if is_missing(p_value):
        return None
    return bool(p_value < alpha)


def target_for(
    baseline_value: Number | None,
    reduction: float = DEFAULT_TARGET_REDUCTION,
    lower_is_better: bool = True,
) -> float | None:
    """Target a set share better than baseline (MOPAC's challenge: 20% below)."""
    if is_missing(baseline_value):
        return None
    factor = 1 - as_decimal(reduction) if lower_is_better else 1 + as_decimal(reduction)
    # Decimal gives the figure a person computes (3 x 0.8 = 2.4, not 2.4000000000000004).
    return float(as_decimal(baseline_value) * factor)


def rag(
    current: Number | None,
    baseline_value: Number | None,
    target: Number | None = None,
    lower_is_better: bool = True,
) -> str | None:
    """Green at or better than target, Amber better than baseline, else Red."""
    if is_missing(current) or is_missing(baseline_value):
        return None
    if is_missing(target):
        target = target_for(baseline_value, lower_is_better=lower_is_better)
    sign = 1 if lower_is_better else -1  # flip so that smaller is always better below
    if sign * current <= sign * target:  # target met wins, even for a target above baseline
        return "Green"
    if sign * current < sign * baseline_value:
        return "Amber"
    return "Red"


def too_small_to_judge(
    current: Number | None, previous: Number | None = None, threshold: int = SMALL_COUNT
) -> bool:
    """True when any given count is below threshold: small counts move a lot by chance."""
    given = [value for value in (current, previous) if not is_missing(value)]
    return any(value < threshold for value in given)


def is_small(record: dict) -> bool:
    """True when an indicator row's R12 or P12 is below 10: such counts move a lot by chance."""
    return too_small_to_judge(whole(record.get("r12")), whole(record.get("p12")))


# --- one indicator -------------------------------------------------------------------------


def indicator_summary(
    counts: pd.Series,
    end_month: Month,
    populations: pd.Series | None = None,
    per: int = 1000,
) -> dict:
    """Every headline figure for one indicator and area, as one page or board-pack row."""
    r12 = rolling_12_months(counts, end_month)
    p12 = previous_12_months(counts, end_month)
    base = baseline(counts)
    population_year, population = population_for_window(populations, end_month)
    p_value = poisson_p_value(r12, p12)
    return {
        "r12": r12,
        "p12": p12,
        "baseline": base,
        "change_vs_baseline_pct": percent_change(r12, base),
        "change_vs_previous_pct": percent_change(r12, p12),
        "population": population,
        "population_year": population_year,
        "rate_per_1000": rate_per(r12, population, per),
        "p_value": p_value,
        "significant": is_significant(p_value),
        "rag": rag(r12, base),
    }
