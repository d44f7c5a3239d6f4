"""``python -m etl status``'s rows for the council templates (serious youth violence, IOM, proven
reoffending, Prevent WRAP training, Hate Crime Reporting Centres, partnership indicators): one
row per dataset loaded, named as the upload log names it, with its first and last period as its
template writes them (a month or an as-at date; an IOM quarter, a MoJ cohort, a partnership
period as labelled) and how many periods it holds. The crime datasets, populations, ward
outlines and police.uk come from ``core.queries.dataset_status``, which adds the last load."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine

from core import queries
from domain.priorities import cohort_end


def _dates(*columns: tuple[Callable[[Engine], pd.DataFrame], str]):
    """Periods that are dates (months, as-at dates), from one or more tables: (first, last, n)."""

    def periods(engine: Engine):
        found = pd.concat(
            [pd.to_datetime(read(engine)[column]) for read, column in columns], ignore_index=True
        ).dropna()
        if found.empty:
            return None
        return found.min().date(), found.max().date(), found.nunique()

    return periods


def _labelled(read: Callable[[Engine], pd.DataFrame], label: str, start: Callable, end=None):
    """Periods written as labels (quarters, cohorts, partnership periods): the first starts
    earliest, the last ends latest (of two ending together, the one starting later: a quarter
    before its financial year); ``start``/``end`` give each row's dates (a label naming none is
    not ordered): (first, last, n)."""

    def periods(engine: Engine):
        rows = read(engine)
        if rows.empty:
            return None
        dated = rows.assign(_start=start(rows), _end=(end or start)(rows))
        dated = dated.dropna(subset=["_start", "_end"])
        if dated.empty:
            return rows[label].iloc[0], rows[label].iloc[-1], rows[label].nunique()
        first = dated.sort_values(["_start", "_end"], kind="stable")[label].iloc[0]
        last = dated.sort_values(["_end", "_start"], kind="stable")[label].iloc[-1]
        return first, last, rows[label].nunique()

    return periods


def _column(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda rows: pd.to_datetime(rows[name])


def _cohort_ends(rows: pd.DataFrame) -> pd.Series:
    return pd.Series([cohort_end(c) for c in rows["cohort"]], index=rows.index, dtype=object)


TEMPLATES: dict[str, Callable] = {
    "serious_youth_violence": _dates(
        (queries.syv_monthly, "month"), (queries.syv_summary, "window_end")
    ),
    "iom": _labelled(queries.iom_quarters, "quarter", _column("quarter_start")),
    "proven_reoffending": _labelled(queries.reoffending_rates, "cohort", _cohort_ends),
    "wrap_training": _dates((queries.wrap_training, "as_at"), (queries.wrap_audiences, "as_at")),
    "hate_reporting_centres": _dates((queries.hate_reporting_centres, "month")),
    "partnership_indicators": _labelled(
        queries.partnership_values, "period", _column("period_start"), _column("period_end")
    ),
}


def template_rows(engine: Engine) -> list[dict]:
    """One status row per council template dataset with rows: dataset, first_month and
    latest_month (its first and last period), months (how many periods)."""
    rows = []
    for dataset, periods in TEMPLATES.items():
        found = periods(engine)
        if found is not None:
            first, last, count = found
            rows.append(
                {"dataset": dataset, "first_month": first, "latest_month": last, "months": count}
            )
    return rows
