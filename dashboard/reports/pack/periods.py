"""Each dataset's period in the pack (DOMAIN.md "The board pack's periods"): for a quarter, the
quarter's last month, else the dataset's own latest month before it, else left out, with a line
saying which (``domain.periods.reporting_month``). The cover's period table, each section's
heading, the Indicators sheet and the Board pack page all read ``periods(end)``: one rule.

Reads only which months each dataset has (cheap), so the page can show the table before a build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from core.months import Month, as_month, months_before
from dashboard import cache, council_figures, illustrative, police_figures
from dashboard.text import month_label
from domain.periods import months_not_loaded, reporting_month
from domain.priorities import cohort_end


@dataclass(frozen=True)
class Dataset:
    key: str  # the dataset's key in the pack (borough_crime, syv, knife, ...)
    section: str  # the section that shows it
    title: str  # as the period table names it
    source: str  # the file that would bring a later month
    months: Callable[[], list[Month]]
    window: str = "12 months to {month}"  # what its figures cover at its reporting month
    monthly: bool = True  # a file a month (else quarterly returns or yearly cohorts)
    tables: tuple[str, ...] = ()  # the council tables its figures come from (illustrative flag)


@dataclass(frozen=True)
class Period:
    key: str
    section: str
    title: str
    month: Month | None
    covers: str  # '12 months to February 2025'
    gap: str  # 'the MPS file for March 2025 was not loaded' ('' when at the quarter's end)
    illustrative: bool = False  # its file says its figures are made up (the shipped samples)

    @property
    def words(self) -> str:
        """'12 months to February 2025 — the MPS file for March 2025 was not loaded'."""
        text = f"{self.covers} \u2014 {self.gap}" if self.gap else self.covers
        return f"{text} ({ILLUSTRATIVE})" if self.illustrative else text

    def mark(self, label: str) -> str:
        """A label marked '(illustrative)' when the figures are."""
        return f"{label} (illustrative)" if self.illustrative else label

    @property
    def line(self) -> str:
        """'Hate crime: 12 months to June 2025'; 'Hate crime — left out because ...'."""
        return (
            f"{self.title} \u2014 {self.words}"
            if self.month is None
            else f"{self.title}: {self.words}"
        )


def _month_list(frame: pd.DataFrame, column: str) -> list[Month]:
    if frame.empty or column not in frame:
        return []
    return sorted({as_month(pd.Timestamp(v).strftime("%Y-%m")) for v in frame[column].dropna()})


def _syv_months() -> list[Month]:
    counts, home = council_figures.council_table("syv_monthly"), cache.home_area()
    if counts.empty or home is None:
        return []
    return _month_list(counts[counts["area_code"] == home["code"]], "month")


def _iom_months() -> list[Month]:
    quarters = council_figures.council_table("iom_quarters")
    return [months_before(m, -2) for m in _month_list(quarters, "quarter_start")]


def _asb_months() -> list[Month]:
    """The months data.police.uk files cover the home borough (none when exempt), as /asb."""
    home = cache.home_area()
    if home is None or police_figures.hidden():
        return []
    return police_figures.covered_months(home["code"])


def _cohort_months() -> list[Month]:
    rates = council_figures.council_table("reoffending_rates")
    ends = {cohort_end(c) for c in rates["cohort"]} if not rates.empty else set()
    return sorted(m for m in ends if m is not None)


DATASETS = [
    Dataset(
        "borough_crime",
        "crime",
        "Neighbourhood crime",
        "the MPS borough file",
        lambda: cache.period_months(),
    ),
    Dataset(
        "asb",
        "asb",
        "Police-recorded ASB",
        "the data.police.uk file",
        _asb_months,
    ),
    Dataset(
        "domestic_abuse",
        "da",
        "Domestic abuse",
        "the MPS Monthly Crime Dashboard file",
        lambda: cache.dashboard_months(cache.DASHBOARD_OFFENCES),
    ),
    Dataset(
        "syv",
        "syv",
        "Serious youth violence",
        "the serious youth violence return",
        _syv_months,
        tables=illustrative.SYV,
    ),
    Dataset(
        "knife",
        "syv",
        "Knife crime",
        "the MPS Monthly Crime Dashboard file",
        lambda: cache.dashboard_months(cache.DASHBOARD_OFFENCES),
    ),
    Dataset(
        "iom",
        "reoffending",
        "Integrated Offender Management",
        "the IOM return",
        _iom_months,
        "the quarter to {month}",
        False,
        ("iom_quarters",),
    ),
    Dataset(
        "reoffending",
        "reoffending",
        "Proven reoffending",
        "the Ministry of Justice file",
        _cohort_months,
        "the cohort ending {month}",
        False,
        ("reoffending_rates",),
    ),
    Dataset(
        "prevent",
        "prevent",
        "Prevent training (WRAP)",
        "the WRAP training return",
        lambda: _month_list(council_figures.council_table("wrap_training"), "as_at"),
        "the return as at {month}",
        False,
        ("wrap_training",),
    ),
    Dataset(
        "hate",
        "hate",
        "Hate crime",
        "the MPS Monthly Crime Dashboard file",
        lambda: cache.dashboard_months(cache.DASHBOARD_OFFENCES),
    ),
    Dataset(
        "ward_crime",
        "wards",
        "Wards",
        "the MPS ward file",
        lambda: cache.dashboard_months("ward_crime"),
    ),
]
LEFT_OUT = "left out because no figures for this quarter or before it are loaded"
ILLUSTRATIVE = "illustrative figures: made up, not published"
ILLUSTRATIVE_NOTE = (
    "Illustrative figures: the figures marked (illustrative) in this section are made-up sample "
    "figures, not the council's real figures; do not quote them"
)


def gap_words(dataset: Dataset, end: Month, month: Month) -> str:
    """Why a dataset reports before the quarter's last month, in the file's words."""
    missing = months_not_loaded(end, month)
    if missing is None:
        return ""
    if not dataset.monthly:
        return f"{dataset.source} for a later period was not loaded"
    first, last = missing
    if first == last:
        return f"{dataset.source} for {month_label(first)} was not loaded"
    start = first.strftime("%B") if first.year == last.year else month_label(first)
    files = dataset.source + "s"  # 'the MPS borough file' -> 'the MPS borough files'
    return f"{files} for {start} to {month_label(last)} were not loaded"


def period_of(dataset: Dataset, end: Month, flagged: frozenset[str] | None = None) -> Period:
    month = reporting_month(end, dataset.months())
    if month is None:
        return Period(dataset.key, dataset.section, dataset.title, None, LEFT_OUT, "")
    covers = dataset.window.format(month=month_label(month))
    gap = gap_words(dataset, end, month)
    flagged = illustrative.tables() if flagged is None else flagged
    made_up = bool(set(dataset.tables) & flagged)
    return Period(dataset.key, dataset.section, dataset.title, month, covers, gap, made_up)


def periods(end: Month) -> dict[str, Period]:
    """Every dataset's period for the quarter ending with ``end``, keyed by dataset, in the
    pack's order (read as the current user: exempt datasets follow the pages' rule)."""
    flagged = illustrative.tables()
    return {d.key: period_of(d, end, flagged) for d in DATASETS}


def dataset(key: str) -> Dataset:
    return next(d for d in DATASETS if d.key == key)


def period_table(found: dict[str, Period]) -> pd.DataFrame:
    """The cover's table: each dataset and the period its figures cover."""
    rows = list(found.values())
    return pd.DataFrame(
        {"Figures": [p.title for p in rows], "Period they cover": [p.words for p in rows]}
    )


def first_quarter(quarters: list[Month]) -> Month | None:
    """The quarter offered first: the latest in which the main crime data (the MPS borough
    file) reaches the quarter's last month; the latest quarter when none does."""
    crime = set(cache.period_months())
    reached = [q for q in quarters if q in crime]
    return max(reached) if reached else (max(quarters) if quarters else None)
