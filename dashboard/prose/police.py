"""The sentences of the police.uk figures: police-recorded anti-social behaviour (incidents
reported to the police, not the council's ASB cases) and the other street-level crime types."""

from __future__ import annotations

import pandas as pd

from core.months import Month
from core.reference import LONDON_BOROUGH_COUNT, POLICE_UK_ASB
from core.values import is_missing
from dashboard.prose.crime import ordinal
from dashboard.prose.words import change_words
from dashboard.text import fmt_int, fmt_number, month_label

LABEL = (
    "Police-recorded anti-social behaviour: incidents reported to the police, as published on "
    "data.police.uk. The council's own ASB cases are a different count, kept by the council "
    "and shown as partnership figures."
)
LOAD_HELP = (
    "the data.police.uk street-level files for the borough's force (the Metropolitan Police "
    "Service) and the ONS LSOA lookups that place their rows",
    "Download them from data.police.uk (Downloads: custom download, the force, the months, "
    "'Include crime data'): a zip with a folder per month, which loads as it is. The LSOA "
    "lookups for London are loaded on the first run.",
)


def noun(kind: str) -> str:
    """'anti-social behaviour incidents', 'burglary crimes', 'public order offences'."""
    if kind == POLICE_UK_ASB:
        return "anti-social behaviour incidents"
    if kind.endswith(" crime"):
        return f"{kind.lower()}s"
    return kind.lower() if kind.endswith("offences") else f"{kind.lower()} crimes"


def short_noun(kind: str) -> str:
    """What one of them is called: 'incidents' (ASB) or 'crimes'."""
    return "incidents" if kind == POLICE_UK_ASB else "crimes"


def rank_text(record: dict, boroughs: int) -> str:
    """'London rank: 5th lowest rate of 32 boroughs', else why not, in words."""
    rank = record.get("london_rank")
    if record.get("area_type") != "borough":
        return "London rank: none (only the 32 London boroughs are ranked)"
    if is_missing(rank) and boroughs >= LONDON_BOROUGH_COUNT:
        return "London rank: not available — a borough's population is not loaded"
    if is_missing(rank):
        return (
            "London rank: not available — police.uk figures are loaded for "
            f"{boroughs} of {LONDON_BOROUGH_COUNT} boroughs"
        )
    return f"London rank: {ordinal(int(rank))} lowest rate of {LONDON_BOROUGH_COUNT} boroughs"


def rate_text(record: dict) -> str:
    rate = record.get("rate_per_1000")
    if is_missing(rate):
        return "no rate per 1,000 residents (a population or a month is missing)"
    year = record.get("population_year")
    return f"{fmt_number(rate, 2)} per 1,000 residents (mid-{int(year)} population)"


def summary(kind: str, borough: str, month: Month, record: dict, boroughs: int) -> str:
    """The page's sentence: R12, change on P12 with significance, rate, London rank."""
    words = noun(kind)
    if is_missing(record.get("r12")):
        return (
            f"The 12 months to {month_label(month)} are not all loaded for {borough}, so there is "
            f"no 12-month total of {words} yet; each month loaded is in the chart."
        )
    return (
        f"In the 12 months to {month_label(month)}, {fmt_int(record['r12'])} {words} were "
        f"reported to the police in {borough}: {change_words(record, short_noun(kind))}. "
        f"That is {rate_text(record)}. {rank_text(record, boroughs)}."
    )


def trend_caption(kind: str, borough: str, month: Month, frame: pd.DataFrame) -> str:
    shown = frame.dropna(subset=["count"])
    if shown.empty:
        return f"No monthly figures of {noun(kind)} loaded for {borough}."
    last = shown.iloc[-1]
    return (
        f"{noun(kind).capitalize()} in {borough} each month, {month_label(shown['month'].min())} "
        f"to {month_label(last['month'])} (bars), with the rolling 12 months as a monthly "
        f"average (line). {month_label(last['month'])}: {fmt_int(last['count'])}."
    )


def loaded_words(files: pd.DataFrame, borough: str) -> str:
    """What is loaded, for the empty state: each force's months, or nothing at all."""
    if files.empty:
        return "No police.uk files are loaded yet."
    parts = []
    for force, group in files.groupby(files["force_name"].fillna(files["force"])):
        months = group["month"]
        parts.append(
            f"{force}: {len(group)} month{'s' if len(group) != 1 else ''}, "
            f"{month_label(months.min())} to {month_label(months.max())}"
        )
    return (
        f"Loaded police.uk files — {'; '.join(parts)}. None of them covers {borough} "
        "(its force's files are needed)."
    )
