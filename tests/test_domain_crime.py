"""Known answers for domain.crime, each worked out by hand in the comment beside it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.months import as_month
from domain.crime import (
    baseline,
    financial_year_total,
    indicator_summary,
    is_significant,
    london_rank,
    percent_change,
    poisson_p_value,
    previous_12_months,
    rag,
    rate_per,
    rolling_12_months,
    target_for,
    too_small_to_judge,
    trend_frame,
    ward_rank,
)


def monthly(start: str, values: list) -> pd.Series:
    """Monthly counts from `start`, indexed by month start as the queries layer returns them."""
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


def london(rates: list) -> pd.Series:
    """Rates indexed by borough code E09000002.. (E09000001, the City, is never in MPS data)."""
    return pd.Series(rates, index=[f"E09{n:06d}" for n in range(2, 2 + len(rates))])


# --- rolling windows -----------------------------------------------------------------------

# Apr 2022 .. Mar 2024 holding 1, 2, ..., 24.
TWO_YEARS = monthly("2022-04-01", list(range(1, 25)))


def test_r12_and_p12_on_a_small_series():
    # R12 to Mar 2024 = 13 + ... + 24 = (13 + 24) * 12 / 2 = 222
    # P12 = 1 + ... + 12 = 78
    r12 = rolling_12_months(TWO_YEARS, as_month("2024-03"))
    assert r12 == 222 and type(r12) is int
    assert previous_12_months(TWO_YEARS, as_month("2024-03")) == 78
    # R12 to Feb 2024 = 12 + ... + 23 = (12 + 23) * 12 / 2 = 210
    assert rolling_12_months(TWO_YEARS, as_month("202402")) == 210


def test_p12_needs_months_before_the_data():
    # P12 to Feb 2024 = Mar 2022 .. Feb 2023, and Mar 2022 is not in the data
    assert previous_12_months(TWO_YEARS, as_month("2024-02")) is None


def test_window_with_one_month_absent_has_no_value():
    gappy = TWO_YEARS.drop(pd.Timestamp("2023-09-01"))
    assert rolling_12_months(gappy, as_month("2024-03")) is None
    assert previous_12_months(gappy, as_month("2024-03")) == 78  # the gap is not in P12's window


def test_window_with_a_nan_month_has_no_value():
    with_nan = TWO_YEARS.astype(float)
    with_nan[pd.Timestamp("2024-03-01")] = float("nan")
    assert rolling_12_months(with_nan, as_month("2024-03")) is None
    # Feb 2024 window = 12 + ... + 23 = 210, the NaN is outside it
    assert rolling_12_months(with_nan, as_month("2024-02")) == 210


def test_window_with_a_none_month_in_nullable_ints_has_no_value():
    nullable = TWO_YEARS.astype("Int64")
    nullable[pd.Timestamp("2023-04-01")] = pd.NA
    assert rolling_12_months(nullable, as_month("2024-03")) is None


def test_window_ending_after_the_data_has_no_value():
    assert rolling_12_months(TWO_YEARS, as_month("2024-04")) is None


def test_dates_within_the_month_count_for_their_month():
    month_ends = pd.Series(TWO_YEARS.to_numpy(), index=TWO_YEARS.index + pd.offsets.MonthEnd(0))
    assert rolling_12_months(month_ends, as_month("2024-03")) == 222
    labelled = pd.Series(TWO_YEARS.to_numpy(), index=TWO_YEARS.index.strftime("%Y%m"))
    assert rolling_12_months(labelled, as_month("2024-03")) == 222


def test_two_values_for_one_month_is_an_error():
    doubled = pd.concat([TWO_YEARS, TWO_YEARS.iloc[:1]])
    with pytest.raises(ValueError, match="more than one value"):
        rolling_12_months(doubled, as_month("2024-03"))


# FY2011/12: 400 a month, March 2012 365 -> 11 * 400 + 365 = 4765.
# Mar 2011 and Apr 2012 (1000 each) sit just outside and must not be counted.
BASELINE_YEAR = monthly("2011-03-01", [1000] + [400] * 11 + [365] + [1000])


def test_fy2011_12_baseline():
    assert baseline(BASELINE_YEAR) == 4765
    assert financial_year_total(BASELINE_YEAR, 2011) == 4765
    assert type(baseline(BASELINE_YEAR)) is int


def test_financial_year_with_missing_months_has_no_total():
    # FY2012/13 needs Apr 2012 .. Mar 2013; only Apr 2012 is present
    assert financial_year_total(BASELINE_YEAR, 2012) is None
    assert baseline(BASELINE_YEAR.drop(pd.Timestamp("2011-07-01"))) is None


# --- comparisons ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "reference", "expected"),
    [
        (94, 100, -6.0),  # -6 / 100
        (3900, 4765, -18.2),  # -865 / 4765 = -0.18153 -> -18.2
        (937, 925, 1.3),  # 12 / 925 = 0.012973 -> 1.3
        (1, 8, -87.5),  # -7 / 8 exactly
        (81, 80, 1.3),  # 1 / 80 = 1.25 exactly: half rounds up (Excel), not to even (1.2)
        (79, 80, -1.3),  # -1.25: half rounds away from zero
        (100, 100, 0.0),
        (0, 5, -100.0),
        (5, 0, None),  # no percentage of nothing
        (0, 0, None),
        (None, 5, None),
        (5, None, None),
        (float("nan"), 5, None),
    ],
)
def test_percent_change(current, reference, expected):
    assert percent_change(current, reference) == expected


def test_percent_change_never_returns_negative_zero():
    # -1 / 100000 * 100 = -0.001 -> rounds to 0.0, printed "0" not "-0"
    assert math.copysign(1, percent_change(99999, 100000)) == 1.0


@pytest.mark.parametrize(
    ("count", "population", "per", "expected"),
    [
        (3900, 390_000, 1000, 10.0),  # 3900 / 390000 * 1000
        (3, 30_000, 10_000, 1.0),  # 3 / 30000 * 10000
        (0, 1000, 1000, 0.0),
        (None, 1000, 1000, None),
        (5, None, 1000, None),
        (5, 0, 1000, None),
    ],
)
def test_rate_per(count, population, per, expected):
    assert rate_per(count, population, per) == expected


# --- ranks ---------------------------------------------------------------------------------


def test_london_rank_ties_share_the_better_rank():
    # rates 1, 2, 2, 3, then 10 .. 37: ranks 1, 2, 2, 4, then 5 .. 32
    rates = london([1.0, 2.0, 2.0, 3.0] + [float(r) for r in range(10, 38)])
    ranks = london_rank(rates)
    assert str(ranks.dtype) == "Int64"
    assert ranks.index.equals(rates.index)
    assert ranks.tolist() == [1, 2, 2, 4] + list(range(5, 33))


def test_london_rank_order_follows_rate_not_position():
    rates = london([float(r) for r in range(32, 0, -1)])  # highest first
    assert london_rank(rates).tolist() == list(range(32, 0, -1))


@pytest.mark.parametrize(
    "rates",
    [
        [float(r) for r in range(1, 32)],  # 31 boroughs
        [float(r) for r in range(1, 32)] + [float("nan")],  # 32 rows, one without a rate
        [],
    ],
    ids=["31-boroughs", "one-nan", "none"],
)
def test_london_rank_needs_all_32(rates):
    ranks = london_rank(london(rates))
    assert str(ranks.dtype) == "Int64"
    assert len(ranks) == len(rates)
    assert ranks.isna().all()


def test_ward_rank_ties_and_missing():
    # sorted 3, 3, 5, 9 -> 3:1, 3:1, 5:3, 9:4; the ward without a value has no rank
    values = pd.Series([5.0, 3.0, 3.0, 9.0, None], index=list("abcde"))
    ranks = ward_rank(values)
    assert str(ranks.dtype) == "Int64"
    assert ranks.iloc[:4].tolist() == [3, 1, 1, 4]
    assert ranks.isna().tolist() == [False, False, False, False, True]


# --- significance --------------------------------------------------------------------------


def _two_sided_binomial_half(k: int, n: int) -> float:
    """2 * P(X >= k) for X ~ Bin(n, 0.5), k >= n/2: the distribution is symmetric."""
    return 2 * sum(math.comb(n, j) for j in range(k, n + 1)) / 2**n


def test_poisson_p_value_30_vs_10_matches_the_binomial_tail():
    # 2 * P(X >= 30 | Bin(40, .5)) = 2 * sum_{k=0}^{10} C(40, k) / 2^40
    # C(40, 0..10) = 1, 40, 780, 9880, 91390, 658008, 3838380, 18643560, 76904685,
    #                273438880, 847660528; sum = 1221246132
    # 2 * 1221246132 / 1099511627776 = 0.0022214337732...
    p = poisson_p_value(30, 10)
    assert p == pytest.approx(_two_sided_binomial_half(30, 40), rel=1e-12)
    assert p == pytest.approx(2 * 1_221_246_132 / 2**40, rel=1e-12)
    assert p == pytest.approx(0.0022214337732, rel=1e-10)
    assert poisson_p_value(10, 30) == pytest.approx(p, rel=1e-12)  # symmetric


@pytest.mark.parametrize(
    ("current", "reference", "expected"),
    [
        (10, 10, 1.0),  # equal counts: no evidence of change
        (0, 0, 1.0),  # nothing either year
        (5, 0, 0.0625),  # 2 * 0.5^5 = 2/32
        (0, 5, 0.0625),
        (6, 0, 0.03125),  # 2 * 0.5^6 = 2/64
        (3, 1, 0.625),  # 2 * (C(4,3) + C(4,4)) / 16 = 2 * 5/16
        (1, 0, 1.0),  # 2 * 0.5 = 1
        (None, 5, None),
        (5, None, None),
    ],
)
def test_poisson_p_value_known_values(current, reference, expected):
    p = poisson_p_value(current, reference)
    if expected is None:
        assert p is None
    else:
        assert p == pytest.approx(expected, rel=1e-12)
        assert type(p) is float


def test_poisson_p_value_rejects_fractional_counts():
    with pytest.raises(ValueError):
        poisson_p_value(2.5, 3)


@pytest.mark.parametrize(
    ("p_value", "alpha", "expected"),
    [
        (0.05, 0.05, False),  # p must be below alpha, not equal
        (0.0499999, 0.05, True),
        (0.0500001, 0.05, False),
        (0.009, 0.01, True),
        (0.01, 0.01, False),
        (None, 0.05, None),
    ],
)
def test_is_significant_boundary(p_value, alpha, expected):
    assert is_significant(p_value, alpha) is expected


def test_six_vs_none_is_significant_five_vs_none_is_not():
    # 6 vs 0: p = 1/32 < 0.05; 5 vs 0: p = 1/16 >= 0.05
    assert is_significant(poisson_p_value(6, 0)) is True
    assert is_significant(poisson_p_value(5, 0)) is False


# --- targets and RAG -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline_value", "reduction", "lower_is_better", "expected"),
    [
        (4765, 0.20, True, 3812.0),  # 4765 * 0.8
        (100, 0.20, True, 80.0),
        (3, 0.20, True, 2.4),  # exactly 2.4, not 2.4000000000000004
        (50, 0.20, False, 60.0),  # higher is better: 50 * 1.2
        (None, 0.20, True, None),
    ],
)
def test_target_for(baseline_value, reduction, lower_is_better, expected):
    assert target_for(baseline_value, reduction, lower_is_better) == expected


@pytest.mark.parametrize(
    ("current", "baseline_value", "target", "expected"),
    [
        # baseline 100, default target 100 * 0.8 = 80
        (79, 100, None, "Green"),
        (80, 100, None, "Green"),  # exactly at target
        (81, 100, None, "Amber"),
        (99, 100, None, "Amber"),
        (100, 100, None, "Red"),  # exactly at baseline
        (120, 100, None, "Red"),
        (3812, 4765, None, "Green"),  # 4765 * 0.8 = 3812 exactly
        (3813, 4765, None, "Amber"),
        (2.4, 3, None, "Green"),  # 3 * 0.8 = 2.4 exactly
        # an explicit target of 90 against baseline 100
        (90, 100, 90, "Green"),
        (91, 100, 90, "Amber"),
        (100, 100, 90, "Red"),
        (None, 100, None, None),
        (90, None, None, None),
    ],
)
def test_rag_lower_is_better(current, baseline_value, target, expected):
    assert rag(current, baseline_value, target) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (95, "Green"),  # training coverage: baseline 50%, target 60%
        (60, "Green"),  # exactly at target
        (59, "Amber"),
        (51, "Amber"),
        (50, "Red"),  # exactly at baseline
        (40, "Red"),
    ],
)
def test_rag_higher_is_better(current, expected):
    assert rag(current, 50, 60, lower_is_better=False) == expected


def test_rag_higher_is_better_default_target_is_above_baseline():
    # 50 * 1.2 = 60
    assert rag(60, 50, lower_is_better=False) == "Green"
    assert rag(59, 50, lower_is_better=False) == "Amber"


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (9, None, True),
        (10, None, False),  # threshold itself is big enough
        (12, 9, True),
        (9, 12, True),
        (12, 10, False),
        (None, None, False),  # nothing given, nothing too small
        (None, 3, True),
    ],
)
def test_too_small_to_judge(current, previous, expected):
    assert too_small_to_judge(current, previous) is expected


def test_too_small_to_judge_custom_threshold():
    assert too_small_to_judge(20, 30, threshold=25) is True
    assert too_small_to_judge(25, 30, threshold=25) is False


# --- one indicator -------------------------------------------------------------------------


def _thirteen_years() -> pd.Series:
    """Apr 2011 .. Mar 2024: baseline 4765, filler 350, P12 300 a month, R12 325 a month."""
    fy2011 = [400] * 11 + [365]  # 11 * 400 + 365 = 4765
    filler = [350] * 12 * 10  # Apr 2012 .. Mar 2022
    return monthly("2011-04-01", fy2011 + filler + [300] * 12 + [325] * 12)


def test_indicator_summary_known_answers():
    summary = indicator_summary(_thirteen_years(), as_month("2024-03"), pd.Series({2023: 390_000}))
    p_value = summary.pop("p_value")
    # z = (3900 - 3750) / sqrt(7500 / 4) = 3.46, so p is about 0.0005
    assert p_value == poisson_p_value(3900, 3600) and 0.0001 < p_value < 0.001
    assert summary == {
        "r12": 3900,  # 12 * 325
        "p12": 3600,  # 12 * 300
        "baseline": 4765,
        "change_vs_baseline_pct": -18.2,  # -865 / 4765 = -18.15%
        "change_vs_previous_pct": 8.3,  # 300 / 3600 = 8.33%
        "population": 390_000,
        "population_year": 2023,  # window Apr 2023 .. Mar 2024, 7th month Oct 2023
        "rate_per_1000": 10.0,  # 3900 / 390000 * 1000
        "significant": True,
        "rag": "Amber",  # target 4765 * 0.8 = 3812 < 3900 < 4765
    }


def test_indicator_summary_per_10000():
    summary = indicator_summary(
        _thirteen_years(), as_month("2024-03"), pd.Series({2023: 390_000}), 10_000
    )
    assert summary["rate_per_1000"] == 100.0  # 3900 / 390000 * 10000


def test_indicator_summary_with_missing_data():
    # only Apr 2023 .. Mar 2024: no P12, no baseline, no population
    summary = indicator_summary(monthly("2023-04-01", [325] * 12), as_month("2024-03"))
    assert summary == {
        "r12": 3900,
        "p12": None,
        "baseline": None,
        "change_vs_baseline_pct": None,
        "change_vs_previous_pct": None,
        "population": None,
        "population_year": None,
        "rate_per_1000": None,
        "p_value": None,
        "significant": None,
        "rag": None,
    }


# --- the trend: R12 to each month ------------------------------------------------------------

MONTHS = pd.date_range("2010-01-01", "2012-12-01", freq="MS")


def _counts(values, months=MONTHS) -> pd.Series:
    return pd.Series(values, index=months[: len(values)])


def test_trend_frame_r12_and_missing_months():
    counts = _counts(list(range(1, 25)))  # Jan 2010 .. Dec 2011
    frame = trend_frame(counts.drop(pd.Timestamp("2011-03-01")))
    r12 = frame.set_index("month")["r12"]
    assert math.isnan(r12[pd.Timestamp("2010-11-01")])  # only 11 months yet
    assert r12[pd.Timestamp("2010-12-01")] == sum(range(1, 13))
    assert r12[pd.Timestamp("2011-02-01")] == sum(range(3, 15))
    for month in ["2011-03-01", "2011-09-01", "2012-02-01"]:  # any window over March 2011
        assert math.isnan(r12.get(pd.Timestamp(month), float("nan")))
    assert math.isnan(frame.set_index("month")["count"][pd.Timestamp("2011-03-01")])


def test_trend_frame_empty():
    assert trend_frame(pd.Series(dtype=float)).empty
