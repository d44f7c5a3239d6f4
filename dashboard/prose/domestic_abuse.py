"""The domestic abuse page's sentences (pure functions: figures in, plain English out)."""

from __future__ import annotations

from core.months import Month
from core.values import is_missing
from dashboard.prose.words import change_words, rate_per_10000_words
from dashboard.text import fmt_int, fmt_percent, month_label
from domain.crime import SMALL_COUNT
from domain.domestic_abuse import DA, DA_VWI

LABELS = {  # what each indicator is called on the page
    DA: "Domestic abuse offences",
    DA_VWI: "Domestic abuse violence with injury",
}
SOURCE = (
    "Metropolitan Police Service (MPS) Monthly Crime Dashboard (domestic abuse offences and "
    "positive outcomes); Office for National Statistics (ONS) mid-year population estimates"
)
LOAD_HELP = (
    "the MPS Monthly Crime Dashboard data (domestic abuse)",
    "Download it from the London Datastore (MPS Monthly Crime Dashboard Data); the "
    "first run loads the copy in data/seed.",
)


def rate_words(record: dict, london_rate=None) -> str:
    """'8.5 per 1,000 residents (mid-2024 population), rank 7 of 32 London boroughs (1 = lowest
    rate), against London's 9.9'."""
    return rate_per_10000_words(record, london_rate, per=1_000)


def outcome_rate_text(record: dict) -> str:
    """'12.3% (45 of 366 offences)', or why there is no rate."""
    rate, outcomes = record.get("positive_outcome_rate_pct"), record.get("positive_outcomes_r12")
    offences = record.get("r12")
    if is_missing(outcomes) or is_missing(offences):
        return "not available"
    if is_missing(rate) and int(offences) < SMALL_COUNT:
        return f"not available (fewer than {SMALL_COUNT} offences)"
    return f"{fmt_percent(rate)} ({fmt_int(outcomes)} of {fmt_int(offences)} offences)"


def da_sentence(indicator: str, borough: str, month: Month, record: dict, london_rate) -> str:
    """The page's headline: offences, rate and rank, change, positive outcome rate."""
    what = LABELS.get(indicator, indicator).lower()
    what = what if what.endswith("offences") else f"{what} offences"
    if is_missing(record.get("r12")):
        return (
            f"{LABELS.get(indicator, indicator)} in {borough}: the 12 months to "
            f"{month_label(month)} are not available (a month in the window has not been loaded)."
        )
    return (
        f"In the 12 months to {month_label(month)} {borough} had {fmt_int(record['r12'])} "
        f"{what}: {rate_words(record, london_rate)}; {change_words(record)}. Positive outcome "
        f"rate: {outcome_rate_text(record)}."
    )


def london_caption(borough: str, record: dict, london_rate) -> str:
    """What the chart of the 32 boroughs' rates per 1,000 shows, and where the borough is."""
    return (
        "The 32 London boroughs' offences per 1,000 residents in the 12 months, lowest "
        f"first: {borough}'s is {rate_words(record, london_rate)}."
    )
