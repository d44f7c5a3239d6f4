"""Partnership indicators' figures (domain/partnership.py) worked by hand, one indicator of each
frequency and additivity: the latest period, the previous one and the same period a year before
with their changes, the financial year to date for additive counts, RAG against a target, and
the direction of travel in words only."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.reporting_periods import as_period
from domain.partnership import Indicator, figures, overdue
from domain.targets import Target


def held(*pairs) -> pd.DataFrame:
    """Values as the database holds them, from (period as written, value)."""
    rows = []
    for text, figure in pairs:
        p = as_period(text)
        rows.append(
            {
                "period": p.label,
                "period_kind": p.kind,
                "period_start": p.start,
                "period_end": p.end,
                "value": figure,
                "note": None,
            }
        )
    return pd.DataFrame(rows)


def test_monthly_additive_count():
    # April 2023 - February 2024 and April 2024 - February 2025, 10 a month then 12 a month
    # except February 2025 = 9 and January 2025 = 15.
    before = [(f"{2023 + (m < 4)}-{m:02d}", 10) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2)]
    now = [(f"{2024 + (m < 4)}-{m:02d}", 12) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12)]
    values = held(*before, *now, ("2025-01", 15), ("2025-02", 9))
    asb = Indicator(
        "ASB cases opened", "Anti-social behaviour", frequency="month", direction="lower"
    )
    found = figures(asb, values)
    assert (found["period"], found["value"]) == ("2025-02", 9)
    # previous month January 2025: 15 -> 9 = -6, -40%
    assert (found["previous_period"], found["previous_change"]) == ("2025-01", -6)
    assert found["previous_change_pct"] == pytest.approx(-40.0)
    # February 2024: 10 -> 9 = -1, -10%: lower is better, so better
    assert (found["year_before_period"], found["year_change"]) == ("2024-02", -1)
    assert found["year_change_pct"] == pytest.approx(-10.0)
    assert found["travel"] == "better"
    # year to date: 9 x 12 + 15 + 9 = 132 against 11 x 10 = 110
    assert (found["fytd"], found["fytd_before"], found["fytd_periods"]) == (132, 110, 11)


def test_a_missing_month_leaves_the_year_to_date_out():
    values = held(("2024-04", 3), ("2024-06", 4), ("2023-04", 1), ("2023-05", 1), ("2023-06", 1))
    found = figures(Indicator("x", "Prevent", frequency="month"), values)
    assert found["fytd"] is None  # May 2024 not given: no year to date, never a short one
    assert found["previous_value"] is None  # May 2024 again
    assert found["year_before_value"] == 1


def test_quarterly_caseload_is_not_added_up():
    values = held(("2021/22 Q4", 90), ("2022/23 Q3", 101), ("2022/23 Q4", 105))
    iom = Indicator("IOM adult cohort", "Reducing offending", frequency="quarter", additive=False)
    found = figures(iom, values)
    assert (found["period"], found["previous_value"], found["year_before_value"]) == (
        "2022/23 Q4",
        101,
        90,
    )
    assert found["year_change"] == 15  # 105 - 90
    assert found["year_change_pct"] == pytest.approx(15 / 90 * 100)
    assert found["travel"] == "up"  # neither way is better: up or down only
    assert found["fytd"] is None


def test_quarterly_additive_count_year_to_date():
    values = held(("2023/24 Q1", 20), ("2023/24 Q2", 30), ("2024/25 Q1", 25), ("2024/25 Q2", 40))
    found = figures(Indicator("referrals", "Prevent", frequency="quarter"), values)
    assert (found["fytd"], found["fytd_before"], found["fytd_periods"]) == (65, 50, 2)


def test_financial_year_count():
    values = held(("2021/22", 2495), ("2022/23", 3602))
    ecins = Indicator("ECINS cases", "Anti-social behaviour", frequency="financial year")
    found = figures(ecins, values)
    # the year before is the previous period: 3602 - 2495 = 1107, 44.4%
    assert found["year_before_value"] == found["previous_value"] == 2495
    assert found["year_change"] == 1107
    assert round(found["year_change_pct"], 1) == 44.4
    assert found["fytd"] is None  # a yearly figure has no year to date


def test_occasions_by_meeting():
    # CS MARAC new cases 2022/23 (annual report Table 1), meetings by month
    marac = [("2022-04", 7), ("2022-06", 5), ("2022-07", 3), ("2022-09", 2), ("2022-10", 2)]
    marac += [("2022-11", 6), ("2023-01", 3), ("2023-02", 1)]
    values = held(*marac, ("2023-04-12", 4), ("2023-06-14", 2))
    new_cases = Indicator("New cases on CS MARAC", "Anti-social behaviour", frequency="occasion")
    found = figures(new_cases, values)
    # latest meeting 14 June 2023: 2; the meeting before (12 April 2023) had 4
    assert (found["period"], found["previous_period"], found["previous_value"]) == (
        "2023-06-14",
        "2023-04-12",
        4,
    )
    # a year before: the meeting in June 2022 (5)
    assert (found["year_before_period"], found["year_change"]) == ("2022-06", -3)
    # year to date: 4 + 2 = 6 against April - 14 June 2022: 7 + 5 = 12
    assert (found["fytd"], found["fytd_before"], found["fytd_periods"]) == (6, 12, 2)
    # as at the end of February 2023, the last meeting was February's
    assert figures(new_cases, values, until=date(2023, 2, 28))["value"] == 1


def test_rag_against_a_number_and_against_the_year_before():
    values = held(("2023/24", 200), ("2024/25", 170))
    trained = Indicator(
        "Practitioners trained", "Domestic abuse and VAWG", "count", "financial year", "higher"
    )
    number = Target("Practitioners trained", kind="absolute", value=180, direction="higher")
    found = figures(trained, values, target=number)
    # 170 is short of 180 and below last year's 200: Red
    assert (found["target"], found["rag"]) == (180, "Red")
    fewer = Target("Practitioners trained", kind="previous", value=10, direction="lower")
    # 10% below 200 = 180; 170 is at or better than that: Green
    assert figures(trained, values, target=fewer)["rag"] == "Green"
    assert figures(trained, values)["rag"] is None  # no target: no RAG


def test_nothing_held_gives_no_figures():
    empty = held()
    assert figures(Indicator("x", "Prevent"), empty)["period"] is None


@pytest.mark.parametrize(
    ("due", "status", "is_overdue"),
    [
        (date(2025, 3, 31), "On track", True),
        (date(2025, 3, 31), "Complete", False),
        (date(2025, 4, 1), "At risk", False),  # due today: not yet overdue
        (None, "Not started", False),
    ],
)
def test_an_action_is_overdue_past_its_date_unless_complete(due, status, is_overdue):
    assert overdue(due, status, date(2025, 4, 1)) is is_overdue
