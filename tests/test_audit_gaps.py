"""Edge cases a planted-bug audit found untested (issue 18, item 3): each test here fails when
the boundary it names is moved by one (ffill -> bfill, <= -> <, >= -> >, iloc[-1] -> iloc[0]).
Every expected figure is worked by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from core.months import as_month
from core.reference import LONDON_AUTHORITIES, LONDON_BOROUGH_CODES
from dashboard.reports.pack.quarter import QuarterError, check_reached, quarter_end
from domain.hate_crime import outcome_rates, reports_window
from domain.london import london_rank_history, rank_a_year_earlier
from domain.priorities import cohorts_by, latest_return, published_as_at, wrap_end

BARNET = "E09000003"


def _london_areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": sorted(LONDON_BOROUGH_CODES),
            "name": [LONDON_AUTHORITIES[c] for c in sorted(LONDON_BOROUGH_CODES)],
            "area_type": "borough",
            "parent_code": None,
            "is_london_borough": True,
        }
    )


def test_a_rank_a_year_earlier_uses_the_latest_earlier_population_not_a_later_one():
    # the year-earlier window to Feb 2023 (Mar 2022 - Feb 2023) wants mid-2022 (its 7th month,
    # Sep 2022); only 2021 and 2023 are loaded, so 2021 (the latest earlier year) is used.
    # Every borough 10 a month (R12 120). 2021: Barnet 1,000, the others 2,000 -> Barnet
    # 120 per 1,000 against 60: worst, rank 32. (2023 would make Barnet 4,000: rank 1.)
    months = pd.date_range("2022-03-01", "2023-02-01", freq="MS")
    counts = pd.DataFrame(
        [(c, "Burglary", m, 10) for c in LONDON_BOROUGH_CODES for m in months],
        columns=["area_code", "indicator", "month", "count"],
    )
    pops = pd.DataFrame(
        [(c, 2021, 1000 if c == BARNET else 2000) for c in LONDON_BOROUGH_CODES]
        + [(c, 2023, 4000 if c == BARNET else 2000) for c in LONDON_BOROUGH_CODES],
        columns=["area_code", "year", "population"],
    )
    history = london_rank_history(counts, _london_areas(), pops)
    assert rank_a_year_earlier(history, BARNET, as_month("2024-02")) == {"Burglary": 32}


def test_the_published_summary_row_shown_is_the_latest_by_the_month():
    # two published windows: to March 2024 and to September 2024
    summary = pd.DataFrame(
        {
            "window_end": [pd.Timestamp("2024-09-01"), pd.Timestamp("2024-03-01")],
            "victims": [80, 70],
        }
    )
    assert published_as_at(summary, as_month("2024-06"))["victims"] == 70
    assert published_as_at(summary, as_month("2024-09"))["victims"] == 80
    assert published_as_at(summary, as_month("2023-01"))["victims"] == 80  # none by then


def test_a_reoffending_cohort_ending_in_the_chosen_month_is_included():
    rates = pd.DataFrame(
        {
            "category": "All",
            "adult_juvenile": "Adult",
            "geography": "Barnet",
            "cohort": ["Jan 2022 to Mar 2022", "Apr 2022 to Jun 2022"],
            "offenders": [100, 100],
            "reoffenders": [25, 30],
            "reoffences": [50, 60],
        }
    )
    shown = cohorts_by(rates, as_month("2022-06"))
    assert list(shown["cohort"]) == ["Jan 2022 to Mar 2022", "Apr 2022 to Jun 2022"]
    assert list(cohorts_by(rates, as_month("2022-05"))["cohort"]) == ["Jan 2022 to Mar 2022"]


@pytest.mark.parametrize(("offences", "rate"), [(10, 30.0), (9, None)])
def test_the_outcome_rate_is_given_from_exactly_ten_offences(offences, rate):
    # 12 months: the offences all in the last month, 3 positive outcomes -> 3 / 10 = 30.0%
    months = pd.date_range("2024-03-01", "2025-02-01", freq="MS")
    counts = pd.Series([0] * 11 + [offences], index=months)
    outcomes = pd.Series([0] * 11 + [3], index=months)
    last = outcome_rates(counts, outcomes).iloc[-1]
    assert (None if pd.isna(last["rate"]) else round(float(last["rate"]), 1)) == rate


def test_the_reporting_centres_window_is_twelve_months_not_thirteen():
    # to Feb 2025: Mar 2024 (12th month back, counting Feb) is in, Feb 2024 (13th) is not
    reports = pd.DataFrame(
        {
            "month": [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01")],
            "crime_or_incident": "crime",
            "reports": [5, 7],
        }
    )
    window = reports_window(reports, as_month("2025-02"))
    assert list(window["reports"]) == [7]


def test_a_quarter_the_data_covers_in_part_is_reached():
    # 2024/25 Q3 is Oct-Dec 2024: figures to November reach it; figures to September do not
    end = quarter_end("2024/25-Q3")
    check_reached(end, [as_month("2024-10"), as_month("2024-11")])
    with pytest.raises(QuarterError):
        check_reached(end, [as_month("2024-08"), as_month("2024-09")])


def test_a_wrap_return_dated_on_the_quarters_last_day_counts_for_it():
    training = pd.DataFrame(
        {
            "as_at": [pd.Timestamp("2024-09-30"), pd.Timestamp("2024-12-31")],
            "staff_trained": [10, 20],
        }
    )
    end = wrap_end(training, quarter_end("2024/25-Q3"))
    assert list(latest_return(training, end)["staff_trained"]) == [20]
