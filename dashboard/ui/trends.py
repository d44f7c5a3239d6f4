"""The "Show as table" of the charts over time and against London: month by month, the boroughs
ranked by rate, and a borough's London rank month by month."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from core.months import Month
from dashboard.text import fmt_int, fmt_number, month_label
from dashboard.ui.tables import table_html


def _since(frame: pd.DataFrame, start: Month | None) -> pd.DataFrame:
    """Newest first, from ``start`` on (all of it without one)."""
    shown = frame if start is None else frame[frame["month"] >= start]
    return shown.iloc[::-1]


def trend_table(
    frame: pd.DataFrame,
    table_id: str,
    count_header: str = "Crimes in the month",
    start: Month | None = None,
    extra: dict[str, Callable[[Month], str]] | None = None,
) -> str:
    """A ``domain.crime.trend_frame`` newest first: each month's count and the R12 to it, and
    ``extra`` columns (month -> text) after them."""
    shown = _since(frame, start)
    table = pd.DataFrame(
        {
            "Month": [month_label(m) for m in shown["month"]],
            count_header: [fmt_number(v) for v in shown["count"]],
            "12 months to the month (R12)": [fmt_number(v) for v in shown["r12"]],
            **{header: [cell(m) for m in shown["month"]] for header, cell in (extra or {}).items()},
        }
    )
    return table_html(table, table_id)


def london_table(
    rows: pd.DataFrame,
    table_id: str,
    per: int,
    noun: str,
    london: float | None,
    group: str | None = None,
) -> str:
    """The London boroughs' rows of an indicator table (``domain.london.london_rows``): rank,
    count and rate, with London's rate under it (``group``: only that comparator group's
    boroughs are in ``rows``, ranked within it, and ``london`` is the group's rate)."""
    digits = 1 if per == 1000 else 2
    per_text = fmt_int(per)
    rank = "group_rank" if group else "london_rank"
    shown = pd.DataFrame(
        {
            "Borough": rows["area_name"],
            f"{'Rank in ' + group if group else 'London rank'}": [fmt_int(v) for v in rows[rank]],
            f"{noun.capitalize()} (12 months)": [fmt_int(v) for v in rows["r12"]],
            f"Rate per {per_text}": [fmt_number(v, digits) for v in rows[f"rate_per_{per}"]],
        }
    )
    note = (
        None
        if london is None
        else f"{group or 'London'}: {fmt_number(london, digits)} per {per_text} residents."
    )
    return table_html(shown, table_id, note)


def rank_table(rows: pd.DataFrame, table_id: str, per: int, start: Month | None = None) -> str:
    """One area's London rank history (``domain.london.london_rank_history`` rows), newest
    first, months without a rank left out."""
    shown = _since(rows.dropna(subset=["london_rank"]), start)
    table = pd.DataFrame(
        {
            "12 months to": [month_label(m) for m in shown["month"]],
            "London rank (1 = lowest rate)": [int(v) for v in shown["london_rank"]],
            f"Rate per {fmt_int(per)}": [
                fmt_number(v, 1 if per == 1000 else 2) for v in shown["rate"]
            ],
        }
    )
    return table_html(table, table_id)
