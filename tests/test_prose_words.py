"""dashboard.prose.words: the change of a figure in words (direction of travel, against 2011/12)."""

from __future__ import annotations

import pandas as pd
import pytest

from core.months import as_month
from dashboard.prose.words import change_in_words, direction_of_travel, significance_text
from domain.crime import indicator_summary
from test_domain_crime import _thirteen_years, monthly

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("current", "previous", "p_value", "expected"),
    [
        (94, 100, 0.6, "▼ down 6%, not statistically significant"),  # -6 / 100
        (45, 40, 0.01, "▲ up 12.5%, statistically significant"),  # 5 / 40
        (94, 100, None, "▼ down 6%"),
        (3900, 3600, 0.0005, "▲ up 8.3%, statistically significant"),  # 300 / 3600 = 8.33
        (1, 8, 0.04, "▼ down 87.5%, statistically significant"),
        (2500, 100, 0.0, "▲ up 2,400%, statistically significant"),  # 2400 / 100
        (100, 100, 1.0, "no change"),
        (None, 100, None, "not available"),
        (100, None, None, "not available"),
        (5, 0, 0.0625, "not available"),  # no percentage of nothing
    ],
)
def test_direction_of_travel(current, previous, p_value, expected):
    assert direction_of_travel(current, previous, p_value) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((3900, 4765), f"865 fewer crimes than 2011/12, {MINUS}18.2%"),  # 865/4765 = 18.15%
        ((937, 925), "12 more crimes than 2011/12, +1.3%"),  # 12/925 = 1.297%
        ((4765, 4765), "same as 2011/12"),
        ((90, 100, "victims", "2023/24"), f"10 fewer victims than 2023/24, {MINUS}10%"),
        ((1000, 2500), f"1,500 fewer crimes than 2011/12, {MINUS}60%"),  # 1500/2500
        ((5, 0), "5 more crimes than 2011/12"),  # no percentage of nothing
        ((None, 4765), "not available"),
        ((3900, None), "not available"),
    ],
)
def test_change_in_words(args, expected):
    assert change_in_words(*args) == expected


def test_the_direction_of_travel_of_an_indicator_summary():
    """domain.crime.indicator_summary gives the numbers; the words come from them here."""
    summary = indicator_summary(_thirteen_years(), as_month("2024-03"), pd.Series({2023: 390_000}))
    assert direction_of_travel(summary["r12"], summary["p12"], summary["p_value"]) == (
        "▲ up 8.3%, statistically significant"
    )
    missing = indicator_summary(monthly("2023-04-01", [325] * 12), as_month("2024-03"))
    assert direction_of_travel(missing["r12"], missing["p12"], missing["p_value"]) == (
        "not available"
    )


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"r12": 40, "p12": 20, "significant": True}, "statistically significant"),
        ({"r12": 40, "p12": 35, "significant": False}, "not significant"),
        ({"r12": 4, "p12": 20, "significant": True}, "too small to judge"),
        ({"r12": 40, "p12": None, "significant": None}, "not available"),
    ],
)
def test_significance_text(record, words):
    assert significance_text(record) == words
