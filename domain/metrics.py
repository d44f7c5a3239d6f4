"""The figures defined in DOMAIN.md, as pure functions over pandas objects.

No I/O here: callbacks fetch DataFrames through `queries` and pass them in, so every
number on a page and in the board pack comes from one definition that tests can pin down.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from scipy.stats import binomtest

from core.months import MonthLike, as_month
from core.reference import LONDON_BOROUGH_COUNT
from core.values import is_missing

DEFAULT_TARGET_REDUCTION = 0.20

Number = int | float

_MINUS = "\u2212"  # the real minus sign, as printed in the board pack


# --- helpers -------------------------------------------------------------------------------


def _decimal(value: Number) -> Decimal:
    """Decimal of the value as printed, so 0.15 is 0.15 and not its binary neighbour."""
    return Decimal(str(value))


def _round_1dp(value: Decimal) -> float:
    """One decimal place, halves away from zero as Excel's ROUND does in the board pack."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0  # no -0.0


def _as_count(value: Number) -> int:
    """A Python int from an int-like count; a fractional count is a caller's mistake."""
    if float(value) != int(value) or value < 0:
        raise ValueError(f"not a count: {value!r}")
    return int(value)


def _by_month(counts: pd.Series) -> pd.Series:
    """Counts re-indexed by month start, so any date within a month finds its month."""
    if isinstance(counts.index, pd.DatetimeIndex):
        index = counts.index.to_period("M").to_timestamp()
    else:
        index = pd.DatetimeIndex([as_month(label) for label in counts.index])
    if index.has_duplicates:
        raise ValueError("counts has more than one value for a month")
    return pd.Series(counts.to_numpy(), index=index)


def _window_total(counts: pd.Series, end_month: MonthLike, length: int = 12) -> int | None:
    """Sum of a window, or None when a month is absent: never a smaller total."""
    values = _by_month(counts).reindex(window_months(end_month, length))
    if values.isna().any():
        return None
    return int(values.sum())


def _percent_text(pct: float) -> str:
    """Absolute percentage without a trailing '.0' (6.0 -> '6', 12.5 -> '12.5')."""
    text = f"{abs(pct):,.1f}"
    return text.removesuffix(".0")


def _count_text(value: Number) -> str:
    """A count with thousands separators, whole numbers without decimals."""
    value = abs(value)
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


# --- periods -------------------------------------------------------------------------------


def window_months(end_month: MonthLike, length: int = 12) -> pd.DatetimeIndex:
    """The `length` month starts ending at end_month inclusive, for windows like R12."""
    return pd.date_range(end=as_month(end_month), periods=length, freq="MS")


def financial_year(month: MonthLike) -> str:
    """April-to-March year label ('2011/12'), the period the board reports against."""
    start = as_month(month)
    first = start.year if start.month >= 4 else start.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def financial_quarter(month: MonthLike) -> str:
    """Quarter of the financial year ('2024/25 Q3' = Oct-Dec 2024), the board's cycle."""
    quarter = (as_month(month).month - 4) % 12 // 3 + 1
    return f"{financial_year(month)} Q{quarter}"


# --- totals and comparisons ----------------------------------------------------------------


def rolling_12_months(counts: pd.Series, end_month: MonthLike) -> int | None:
    """R12: the 12 months ending end_month, None if any month is missing or NaN."""
    return _window_total(counts, end_month)


def previous_12_months(counts: pd.Series, end_month: MonthLike) -> int | None:
    """P12: the 12 months before R12's window, for the change vs previous year."""
    return _window_total(counts, as_month(end_month) - pd.DateOffset(months=12))


def financial_year_total(counts: pd.Series, start_year: int = 2011) -> int | None:
    """Total for April start_year to March start_year+1, None if any month is missing."""
    return _window_total(counts, pd.Timestamp(year=start_year + 1, month=3, day=1))


def baseline(counts: pd.Series) -> int | None:
    """The FY2011/12 total that MOPAC's reduction targets are set against."""
    return financial_year_total(counts, 2011)


def percent_change(current: Number | None, reference: Number | None) -> float | None:
    """(current - reference) / reference x 100 to 1 dp; None when it cannot be computed."""
    if is_missing(current) or is_missing(reference) or reference == 0:
        return None
    ref = _decimal(reference)
    return _round_1dp((_decimal(current) - ref) / ref * 100)


# --- rates and ranks -----------------------------------------------------------------------


def population_year_for_window(end_month: MonthLike) -> int:
    """Calendar year of the window's 7th month: the mid-year estimate nearest its middle."""
    return (as_month(end_month) - pd.DateOffset(months=5)).year


def population_for_window(
    populations: pd.Series | None, end_month: MonthLike
) -> tuple[int | None, int | None]:
    """(year used, population): the window's year, else the latest earlier year loaded."""
    if populations is None:
        return None, None
    wanted = population_year_for_window(end_month)
    loaded = {int(year): pop for year, pop in populations.items() if not is_missing(pop)}
    usable = [year for year in loaded if year <= wanted]
    if not usable:
        return None, None
    year = max(usable)
    return year, int(loaded[year])


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
    factor = 1 - _decimal(reduction) if lower_is_better else 1 + _decimal(reduction)
    # Decimal gives the figure a person computes (3 x 0.8 = 2.4, not 2.4000000000000004).
    return float(_decimal(baseline_value) * factor)


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


# --- words ---------------------------------------------------------------------------------


def direction_of_travel(
    current: Number | None, previous: Number | None, p_value: float | None = None
) -> str:
    """R12 vs P12 in words with an arrow ('▼ down 6%, not statistically significant')."""
    pct = percent_change(current, previous)
    if pct is None:
        return "not available"
    if current == previous:
        return "no change"
    arrow, word = ("▲", "up") if current > previous else ("▼", "down")
    text = f"{arrow} {word} {_percent_text(pct)}%"
    significant = is_significant(p_value)
    if significant is None:
        return text
    return f"{text}, {'' if significant else 'not '}statistically significant"


def change_in_words(
    current: Number | None,
    reference: Number | None,
    noun: str = "crimes",
    since: str = "2011/12",
) -> str:
    """Change as a count and a signed percentage ('865 fewer crimes than 2011/12, −18.2%')."""
    if is_missing(current) or is_missing(reference):
        return "not available"
    difference = current - reference
    if difference == 0:
        return f"same as {since}"
    more_or_fewer = "more" if difference > 0 else "fewer"
    text = f"{_count_text(difference)} {more_or_fewer} {noun} than {since}"
    pct = percent_change(current, reference)
    if pct is None:  # reference 0: a count but no percentage
        return text
    return f"{text}, {'+' if difference > 0 else _MINUS}{_percent_text(pct)}%"


def too_small_to_judge(
    current: Number | None, previous: Number | None = None, threshold: int = 10
) -> bool:
    """True when any given count is below threshold: small counts move a lot by chance."""
    given = [value for value in (current, previous) if not is_missing(value)]
    return any(value < threshold for value in given)


# --- one indicator -------------------------------------------------------------------------


def indicator_summary(
    counts: pd.Series,
    end_month: MonthLike,
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
        "direction": direction_of_travel(r12, p12, p_value),
    }
