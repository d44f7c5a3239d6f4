"""The periods a partner reports a figure for, parsed once where they come in (a template cell,
the analyst's form, a command line) into a ``Period`` and passed down as it is.

A period is written one of four ways (DOMAIN.md "Partnership indicators"):

- a month ``2025-03``;
- a financial-year quarter ``2024/25 Q4`` (Q1 = April to June ... Q4 = January to March);
- a financial year ``2024/25`` (April 2024 to March 2025);
- a date ``2025-03-14`` (an occasion such as a meeting).

An indicator's frequency says which of them its periods take: ``month``, ``quarter``,
``financial year``, or ``occasion`` (a date; or a month, when the occasion's exact day is not
published, as in the annual report's MARAC table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

MONTH, QUARTER, YEAR, DAY = "month", "quarter", "financial year", "date"
FREQUENCIES = ("month", "quarter", "financial year", "occasion")
# The period kinds each frequency takes.
KINDS_OF = {
    "month": (MONTH,),
    "quarter": (QUARTER,),
    "financial year": (YEAR,),
    "occasion": (DAY, MONTH),
}
EXAMPLES = {"month": "2025-03", "quarter": "2024/25 Q4", "financial year": "2024/25"}
EXAMPLES["occasion"] = "2025-03-14"

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*/\s*(\d{2})\s*[- ]?\s*Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})\s*/\s*(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its first and last day, its kind and its label as written."""

    start: date
    end: date
    kind: str = field(compare=False)
    label: str = field(compare=False)

    def __str__(self) -> str:
        return self.label


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_period(year: int, month: int) -> Period:
    """The calendar month."""
    start = date(year, month, 1)
    return Period(start, _add_months(start, 1) - timedelta(days=1), MONTH, f"{start:%Y-%m}")


def quarter_period(first_year: int, quarter: int) -> Period:
    """Quarter ``quarter`` of the financial year starting in April ``first_year``."""
    start = _add_months(date(first_year, 4, 1), 3 * (quarter - 1))
    end = _add_months(start, 3) - timedelta(days=1)
    return Period(start, end, QUARTER, f"{first_year}/{(first_year + 1) % 100:02d} Q{quarter}")


def year_period(first_year: int) -> Period:
    """The financial year starting in April ``first_year``."""
    label = f"{first_year}/{(first_year + 1) % 100:02d}"
    return Period(date(first_year, 4, 1), date(first_year + 1, 3, 31), YEAR, label)


def day_period(day: date) -> Period:
    """One day: an occasion."""
    return Period(day, day, DAY, day.isoformat())


def _first_year(first: str, second: str) -> int | None:
    year = int(first)
    return year if (year + 1) % 100 == int(second) else None


def as_period(value: object) -> Period | None:
    """The Period a cell or argument gives (None: not a period we can read)."""
    if isinstance(value, datetime):
        return day_period(value.date())
    if isinstance(value, date):
        return day_period(value)
    text = str(value or "").strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        return month_period(year, month) if 1 <= month <= 12 else None
    if match := _QUARTER.match(text):
        year = _first_year(match[1], match[2])
        return None if year is None else quarter_period(year, int(match[3]))
    if match := _YEAR.match(text):
        year = _first_year(match[1], match[2])
        return None if year is None else year_period(year)
    if match := _DAY.match(text):
        try:
            return day_period(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return None
    return None


def for_frequency(period: Period, frequency: str) -> Period | None:
    """The period as an indicator of ``frequency`` takes it; None when it does not fit.

    A date on the 1st of a month is read as that month for a monthly indicator: Excel turns a
    typed ``2025-03`` into 1 March 2025."""
    if period.kind in KINDS_OF.get(frequency, ()):
        return period
    if frequency == "month" and period.kind == DAY and period.start.day == 1:
        return month_period(period.start.year, period.start.month)
    return None


def stored_period(label: str, kind: str, start: date, end: date) -> Period:
    """A Period as the database holds it (label, kind, first and last day)."""
    return Period(start, end, kind, label)
