"""The meeting quarter: '2025/26-Q3' (DOMAIN.md: Q1 = Apr-Jun ... Q4 = Jan-Mar) read once, at the
edge, into the Month of the quarter's last month, the reporting month of every dataset."""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.months import Month, as_month, months_before
from domain.periods import financial_quarter

PATTERN = re.compile(r"(\d{4})/(\d{2})[- ]?Q([1-4])", re.IGNORECASE)


class QuarterError(ValueError):
    """A quarter that is not written as DOMAIN.md writes it, or that no data reaches."""


def quarter_end(text: str) -> Month:
    """'2025/26-Q3' -> December 2025 (the quarter's last month)."""
    match = PATTERN.fullmatch(text.strip())
    first = int(match.group(1)) if match else 0
    if not match or (first + 1) % 100 != int(match.group(2)):
        raise QuarterError(
            f"A quarter is written like 2025/26-Q3 (the financial year, then Q1 to Q4), "
            f"not {text!r}."
        )
    quarter = int(match.group(3))
    end_month = 3 * quarter + 3  # Q1 ends in June, Q3 in December, Q4 in March (15 -> 3)
    year = first + (end_month - 1) // 12
    return as_month(f"{year}-{(end_month - 1) % 12 + 1:02d}")


def quarter_label(end: Month) -> str:
    """December 2025 -> '2025/26-Q3', the form the command line and the page take."""
    return financial_quarter(end).replace(" ", "-")


def quarter_words(end: Month) -> str:
    """December 2025 -> '2025/26 Q3 (October to December 2025)', as the pack's cover says it."""
    start = months_before(end, 2).strftime("%B")
    return f"{financial_quarter(end)} ({start} to {end.strftime('%B %Y')})"


def complete_quarters(months: Iterable[Month]) -> list[Month]:
    """The last months of the quarters that end on or before the latest month loaded, newest
    first (the Board pack page's choices)."""
    months = list(months)
    if not months:
        return []
    latest, first = max(months), min(months)
    ends = []
    end = as_month(f"{latest.year}-{latest.month:02d}")
    while end.month % 3 != 0:  # quarters end in March, June, September and December
        end = months_before(end, 1)
    while end >= first:
        ends.append(end)
        end = months_before(end, 3)
    return ends


def check_reached(end: Month, months: Iterable[Month]) -> None:
    """Refuse a quarter that starts after every month loaded: no dataset has a figure for it."""
    months = list(months)
    start = months_before(end, 2)
    if not months or start > max(months):
        latest = max(months).strftime("%B %Y") if months else "none"
        raise QuarterError(
            f"No figures reach {quarter_label(end)}: the latest month loaded is {latest}. "
            "Choose an earlier quarter, or load newer figures first."
        )
