"""Every number, percentage, month and date as the dashboard writes it, in one place.

A missing figure (``core.values.is_missing``) is written "not available" wherever a figure is
expected. Months arrive typed (``core.months.Month``): nothing here parses text.
"""

from __future__ import annotations

import pandas as pd

from core.values import is_missing

NOT_AVAILABLE = "not available"
MINUS = "\u2212"  # the real minus sign, as printed in the board pack


def fmt_int(value) -> str:
    """A count with thousands separators ('1,638')."""
    return NOT_AVAILABLE if is_missing(value) else f"{int(value):,}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors', '1,204 rows'."""
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"


def fmt_number(value, digits: int = 0) -> str:
    """A figure with thousands separators and ``digits`` decimals ('10.2', '1,200')."""
    return NOT_AVAILABLE if is_missing(value) else f"{float(value):,.{digits}f}"


def fmt_percent(value, digits: int = 1, grouped: bool = True) -> str:
    """A share or rate as a percentage ('28.6%'); ``grouped``: with thousands separators."""
    if is_missing(value):
        return NOT_AVAILABLE
    return f"{float(value):{',' if grouped else ''}.{digits}f}%"


def fmt_share(value) -> str:
    """A share or rate as the board pack prints it, one decimal place ('28.6%', '100.0%')."""
    return fmt_percent(value, 1, grouped=False)


def fmt_plain(value: float) -> str:
    """A setting's number as written, without needless decimals ('100', '62.5')."""
    return f"{value:g}"


def fmt_pct(value, grouped: bool = False) -> str:
    """A change with its sign, one decimal place ('+50.0%', '−12.5%', '0.0%')."""
    if is_missing(value):
        return NOT_AVAILABLE
    sign = "+" if value > 0 else (MINUS if value < 0 else "")
    return f"{sign}{abs(value):{',' if grouped else ''}.1f}%"


def abs_percent_text(pct: float) -> str:
    """Absolute percentage without a trailing '.0' (6.0 -> '6', 12.5 -> '12.5')."""
    return f"{abs(pct):,.1f}".removesuffix(".0")


def abs_count_text(value: float) -> str:
    """A count's size with thousands separators, whole numbers without decimals."""
    value = abs(value)
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def month_label(month) -> str:
    """'February 2025'."""
    return f"{month:%B %Y}"


def short_month_label(month) -> str:
    """'Feb 2025'."""
    return f"{month:%b %Y}"


def quarter_months_label(start) -> str:
    """The three months of a quarter that starts in ``start``: 'January to March 2023',
    'November 2022 to January 2023' (a quarter is three months, whichever month it starts)."""
    first = pd.Timestamp(start)
    last = first + pd.DateOffset(months=2)
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def month_value(month) -> str:
    """'2025-02': a month as the period picker and the addresses carry it."""
    return f"{month:%Y-%m}"


def day_label(value) -> str:
    """'30 April 2018'."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def date_label(value) -> str:
    """'30 Apr 2018'."""
    return f"{pd.Timestamp(value):%d %b %Y}"


def time_label(value) -> str:
    """'30 Apr 2018 14:05': when something was done."""
    return f"{pd.Timestamp(value):%d %b %Y %H:%M}"


def size_text(size: int | None) -> str:
    """A file's size: '12.5 KB', '3.4 MB'."""
    if size is None:
        return "size unknown"
    if size < 1024 * 1024:
        return f"{max(size / 1024, 0.1):,.1f} KB"
    return f"{size / 2**20:,.1f} MB"
