"""DOMAIN.md's periods: windows of months, financial years and quarters, the population year of a
window, and which loaded month a page shows. Months come in as ``core.months.Month``."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from core.months import Month, months_before
from core.values import is_missing


def window_months(end_month: Month, length: int = 12) -> pd.DatetimeIndex:
    """The `length` month starts ending at end_month inclusive, for windows like R12."""
    return pd.date_range(end=end_month, periods=length, freq="MS")


def financial_year(month: Month) -> str:
    """April-to-March year label ('2011/12'), the period the board reports against."""
    first = month.year if month.month >= 4 else month.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def financial_quarter(month: Month) -> str:
    """Quarter of the financial year ('2024/25 Q3' = Oct-Dec 2024), the board's cycle."""
    quarter = (month.month - 4) % 12 // 3 + 1
    return f"{financial_year(month)} Q{quarter}"


def month_end(month: Month) -> pd.Timestamp:
    """The last day of the month: figures 'as at' a date count for the month it falls in."""
    return month + pd.offsets.MonthEnd(0)


def population_year_for_window(end_month: Month) -> int:
    """Calendar year of the window's 7th month: the mid-year estimate nearest its middle."""
    return months_before(end_month, 5).year


def population_for_window(
    populations: pd.Series | None, end_month: Month
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


def first_full_window(months: Iterable[Month], length: int = 12) -> Month | None:
    """The first loaded month that ends ``length`` loaded months in a row: the earliest month
    whose R12 is available (None when no run is that long)."""
    run, previous = 0, None
    for month in sorted(months):
        run = run + 1 if previous is not None and month == previous + pd.DateOffset(months=1) else 1
        if run >= length:
            return month
        previous = month
    return None


def chosen_month(wanted: Month | None, months: Iterable[Month]) -> Month | None:
    """The month a page shows: the wanted month if loaded, else the loaded month nearest it (the
    earlier on a tie), so a dataset that ends earlier than the month chosen shows its last; one
    that starts later shows its first month with 12 months' figures (an earlier one's windows
    would all be "not available"); the latest loaded when none is wanted (None when nothing is)."""
    months = sorted(months)
    if not months:
        return None
    if wanted is None:
        return months[-1]
    first_full = first_full_window(months)
    if first_full is not None and wanted < first_full:
        return first_full
    return min(months, key=lambda m: (abs((m - wanted).days), m))


def dataset_month(wanted: Month | None, months: Iterable[Month]) -> Month | None:
    """The month a dataset's figures are shown for: the wanted month, or the dataset's latest
    when the wanted one is later or not given (None when nothing is loaded). A month before the
    dataset's first stays: its windows are then "not available"."""
    months = list(months)
    if not months:
        return None
    latest = max(months)
    return latest if wanted is None else min(wanted, latest)


def reporting_month(quarter_end: Month, months: Iterable[Month]) -> Month | None:
    """DOMAIN.md "The board pack's periods": the month a dataset reports at for a quarter ending
    with ``quarter_end``: that month when it is loaded, else the dataset's latest month before
    it, else None (the dataset is left out of the pack)."""
    earlier = [m for m in months if m <= quarter_end]
    return max(earlier) if earlier else None


def months_not_loaded(quarter_end: Month, month: Month | None) -> tuple[Month, Month] | None:
    """(first, last) of the months from after a dataset's reporting ``month`` to the quarter's
    last: what the pack says was not loaded (None when it reports at the quarter's end)."""
    if month is None or month >= quarter_end:
        return None
    return months_before(month, -1), quarter_end
