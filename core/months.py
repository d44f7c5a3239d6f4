"""The one month type: parsed once where a month comes in (an address, the period picker, a
command line, a stored date) and passed down as it is.

A ``Month`` is the pandas Timestamp of the month's first day at midnight, the key every monthly
dataset is stored under, so it indexes and compares with the stored months directly.
"""

from __future__ import annotations

from datetime import date
from typing import NewType

import pandas as pd

Month = NewType("Month", pd.Timestamp)
MonthLike = str | int | date | pd.Timestamp | pd.Period


def as_month(value: MonthLike) -> Month:
    """The Month of a value: '2025-02', '202502' (the MPS files' labels), a date or a Timestamp."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return Month(pd.Timestamp(year=value.year, month=value.month, day=1))
    text = str(value).strip()
    if len(text) == 6 and text.isdigit():  # the MPS files label months YYYYMM
        return Month(pd.Timestamp(year=int(text[:4]), month=int(text[4:]), day=1))
    stamp = pd.Timestamp(text)
    return Month(pd.Timestamp(year=stamp.year, month=stamp.month, day=1))


def as_month_or_none(value: MonthLike | None) -> Month | None:
    """as_month, or None for a missing or unreadable value (an address typed by hand)."""
    if value is None or value == "":
        return None
    try:
        return as_month(value)
    except (ValueError, TypeError):
        return None


def months_before(month: Month, count: int) -> Month:
    """The month ``count`` months earlier (12: the same month a year before)."""
    return Month(month - pd.DateOffset(months=count))


def months_of(labels: pd.Index) -> pd.DatetimeIndex:
    """The Month of each label of a stored series: dates anywhere in their month, or month
    labels as the files write them ('202403', '2024-03')."""
    if isinstance(labels, pd.DatetimeIndex):
        return labels.to_period("M").to_timestamp()
    return pd.DatetimeIndex([as_month(label) for label in labels])
