"""Known answers for domain.periods: windows, financial years and quarters, the population year."""

from __future__ import annotations

import pandas as pd
import pytest

from core.months import as_month, as_month_or_none
from domain.periods import (
    chosen_month,
    dataset_month,
    financial_quarter,
    financial_year,
    first_full_window,
    months_not_loaded,
    population_for_window,
    population_year_for_window,
    reporting_month,
    window_months,
)


def test_window_months_ends_at_end_month_inclusive():
    assert list(window_months(as_month("2024-03"), 3)) == list(
        pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"])
    )
    twelve = window_months(as_month("202403"))
    assert (twelve[0], twelve[-1], len(twelve)) == (
        pd.Timestamp("2023-04-01"),
        pd.Timestamp("2024-03-01"),
        12,
    )


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2011-04", "2011/12"),  # April opens the year
        ("2012-03", "2011/12"),  # March closes it
        ("2012-04", "2012/13"),
        ("2000-01", "1999/00"),  # two-digit end year keeps its leading zero
        ("2009-12", "2009/10"),
    ],
)
def test_financial_year(month, expected):
    assert financial_year(as_month(month)) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2024-04", "2024/25 Q1"),
        ("2024-06", "2024/25 Q1"),
        ("2024-07", "2024/25 Q2"),
        ("2024-09", "2024/25 Q2"),
        ("2024-10", "2024/25 Q3"),
        ("2024-12", "2024/25 Q3"),
        ("2025-01", "2024/25 Q4"),
        ("2025-03", "2024/25 Q4"),
        ("2025-04", "2025/26 Q1"),
    ],
)
def test_financial_quarter(month, expected):
    assert financial_quarter(as_month(month)) == expected


@pytest.mark.parametrize(
    ("end_month", "year"),
    [
        ("2012-03", 2011),  # 7th month of Apr 2011 .. Mar 2012 is Oct 2011
        ("2025-02", 2024),  # Mar 2024 .. Feb 2025 -> Sep 2024
        ("2024-12", 2024),  # Jan .. Dec 2024 -> Jul 2024
        ("2024-06", 2024),  # Jul 2023 .. Jun 2024 -> Jan 2024
        ("2024-05", 2023),  # Jun 2023 .. May 2024 -> Dec 2023
    ],
)
def test_population_year_for_window(end_month, year):
    assert population_year_for_window(as_month(end_month)) == year


POPULATIONS = pd.Series({2011: 356_386, 2021: 389_344, 2024: 398_000})


@pytest.mark.parametrize(
    ("end_month", "expected"),
    [
        ("2012-03", (2011, 356_386)),  # wants 2011, loaded
        ("2025-02", (2024, 398_000)),  # wants 2024, loaded
        ("2025-06", (2024, 398_000)),  # wants 2025 (Jan 2025), latest earlier is 2024
        ("2023-03", (2021, 389_344)),  # wants 2022, latest earlier is 2021 (not later 2024)
        ("2011-03", (None, None)),  # wants 2010, nothing that early
    ],
)
def test_population_for_window(end_month, expected):
    assert population_for_window(POPULATIONS, as_month(end_month)) == expected


def test_population_for_window_skips_missing_years_and_no_data():
    with_gap = pd.Series({2011: 356_386.0, 2012: float("nan")})
    assert population_for_window(with_gap, as_month("2013-03")) == (2011, 356_386)
    assert population_for_window(pd.Series(dtype=float), as_month("2013-03")) == (None, None)
    assert population_for_window(None, as_month("2013-03")) == (None, None)


def test_chosen_month():
    """The picked month if loaded, else the nearest loaded (the picker's value parsed at the
    page): a month before the data's first shows its first, after its last its last."""
    months = list(pd.date_range("2024-12-01", "2025-02-01", freq="MS"))
    assert chosen_month(as_month_or_none("2025-01"), months) == pd.Timestamp("2025-01-01")
    assert chosen_month(as_month_or_none("2020-01"), months) == pd.Timestamp("2024-12-01")
    assert chosen_month(as_month_or_none("2025-07"), months) == pd.Timestamp("2025-02-01")
    assert chosen_month(as_month_or_none(None), months) == pd.Timestamp("2025-02-01")
    assert chosen_month(as_month_or_none("rubbish"), months) == pd.Timestamp("2025-02-01")
    assert chosen_month(as_month_or_none("2025-01"), []) is None


def test_a_month_before_the_data_shows_its_first_full_12_months():
    """Hate crime figures start in August 2021: asking for March 2019 shows the 12 months to
    July 2022, the first with every month loaded, not August 2021 with nothing to show."""
    months = list(pd.date_range("2021-08-01", "2025-07-01", freq="MS"))
    assert first_full_window(months) == as_month("2022-07")
    assert chosen_month(as_month("2019-03"), months) == as_month("2022-07")
    assert chosen_month(as_month("2022-01"), months) == as_month("2022-07")
    assert chosen_month(as_month("2022-08"), months) == as_month("2022-08")
    with_gap = [m for m in months if m != as_month("2022-01")]
    assert first_full_window(with_gap) == as_month("2023-01")  # Feb 2022 to Jan 2023
    assert first_full_window(months[:11]) is None


def test_chosen_month_in_a_gap_is_the_nearest_loaded_month():
    months = [as_month("2024-01"), as_month("2024-02"), as_month("2024-06")]
    assert chosen_month(as_month("2024-03"), months) == as_month("2024-02")
    assert chosen_month(as_month("2024-05"), months) == as_month("2024-06")
    assert chosen_month(as_month("2024-04"), reversed(months)) == as_month("2024-02")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2024-05", "2024-05-01"),
        ("2031-01", "2025-07-01"),
        (None, "2025-07-01"),
        ("not a month", "2025-07-01"),
        ("2019-01", "2019-01-01"),
    ],
)
def test_dataset_month(period, expected):
    months = pd.date_range("2021-08-01", "2025-07-01", freq="MS")
    assert dataset_month(as_month_or_none(period), months) == pd.Timestamp(expected)
    assert dataset_month(as_month_or_none(period), []) is None


@pytest.mark.parametrize(
    ("quarter_end", "loaded", "expected"),
    [
        ("2025-03", ["2024-12", "2025-01", "2025-02", "2025-03"], "2025-03"),  # at the end
        ("2025-03", ["2024-12", "2025-01", "2025-02"], "2025-02"),  # March not loaded
        ("2025-03", ["2024-01", "2025-02", "2025-06"], "2025-02"),  # a later month is not used
        ("2025-03", ["2024-01", "2024-03", "2025-06"], "2024-03"),  # a gap: the latest before
        ("2025-03", ["2025-04", "2025-05"], None),  # nothing in or before: left out
        ("2025-03", [], None),
    ],
)
def test_reporting_month(quarter_end, loaded, expected):
    """DOMAIN.md "The board pack's periods": the quarter's last month, else the dataset's
    latest month before it, else none (left out); dataset_month would give 2025-03 for a gap."""
    months = [as_month(m) for m in loaded]
    found = reporting_month(as_month(quarter_end), months)
    assert found == (None if expected is None else as_month(expected))


def test_months_not_loaded():
    assert months_not_loaded(as_month("2025-03"), as_month("2025-03")) is None
    assert months_not_loaded(as_month("2025-03"), None) is None
    assert months_not_loaded(as_month("2025-06"), as_month("2025-02")) == (
        as_month("2025-03"),
        as_month("2025-06"),
    )
