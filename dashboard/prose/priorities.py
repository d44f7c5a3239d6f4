"""The other priorities' sentences: serious youth violence and knife crime, IOM and proven
reoffending, Prevent WRAP training (pure functions: figures in, plain English out)."""

from __future__ import annotations

import pandas as pd

from core.months import Month
from core.values import is_missing
from dashboard.prose.words import change_words, rank_words, rate_per_10000_words
from dashboard.text import day_label, fmt_int, fmt_number, fmt_plain, fmt_share, month_label
from domain.crime import SMALL_COUNT, whole
from domain.priorities import proven_reoffending_rate


def syv_sentence(borough: str, month: Month, record: dict, london_rate=None) -> str:
    """Serious youth violence victims in the 12 months, rate, rank and change."""
    if is_missing(record.get("r12")):
        return (
            f"Serious youth violence in {borough}: the 12 months to {month_label(month)} "
            "are not available (a month in the window has not been loaded)."
        )
    return (
        f"In the 12 months to {month_label(month)} {borough} had {fmt_int(record['r12'])} "
        f"victims of serious youth violence: {rate_per_10000_words(record, london_rate)}; "
        f"{change_words(record, 'victims')}."
    )


def syv_published_sentence(borough: str, row: dict) -> str:
    """The published SYV summary (rate, rank, London average) when no monthly counts are loaded."""
    victims = "" if is_missing(row.get("victims")) else f" ({fmt_int(row['victims'])} victims)"
    london = row.get("london_average_rate")
    london_text = (
        "" if is_missing(london) else f", against a London average of {fmt_number(london, 1)}"
    )
    rank = row.get("london_rank")
    rank_text = "no London rank published" if is_missing(rank) else rank_words(rank)
    return (
        f"The latest published serious youth violence figures, for the 12 months to "
        f"{month_label(row['window_end'])}, give {borough} {fmt_number(row['rate_per_10000'], 1)} "
        f"victims per 10,000 residents{victims}, {rank_text}{london_text}."
    )


def knife_sentence(borough: str, month: Month, record: dict, london_rate=None) -> str:
    """Knife crime with injury: victims aged 1 to 24, not domestic abuse (the MPS subgroup)."""
    if is_missing(record.get("r12")):
        return (
            f"Knife crime with injury in {borough}: the 12 months to {month_label(month)} "
            "are not available (a month in the window has not been loaded)."
        )
    return (
        f"Knife crime with injury: {fmt_int(record['r12'])} victims aged 1 to 24 (not "
        f"domestic abuse) in {borough} in the 12 months to {month_label(month)}, "
        f"{rate_per_10000_words(record, london_rate)}; {change_words(record, 'victims')}."
    )


def small_share_words(part, whole_count, noun: str = "people") -> str:
    """'28.6% (30 of 105)', or 'too few to judge' when the whole is under 10."""
    if is_missing(part) or is_missing(whole_count) or not whole_count:
        return "not given"
    share = fmt_share(proven_reoffending_rate(part, whole_count))  # halves up, as the board pack
    if int(whole_count) < SMALL_COUNT:
        return f"{int(part)} of {int(whole_count)} {noun}: too few to judge"
    return f"{share} ({fmt_int(part)} of {fmt_int(whole_count)})"


def iom_sentence(quarters: pd.DataFrame) -> str:
    """The latest IOM quarter: cohort size (and the one before), reoffending, reduction.

    ``quarters`` is priorities.iom_table's frame, oldest first.
    """
    last = quarters.iloc[-1]
    before = ""
    if len(quarters) > 1:
        prev = quarters.iloc[-2]
        before = f" ({fmt_int(prev['cohort_size'])} in {prev['quarter']})"
    text = f"In {last['quarter']} the IOM cohort was {fmt_int(last['cohort_size'])} people{before}"
    parts = []
    if not is_missing(last.get("reoffenders")):
        parts.append(
            "cohort reoffending " + small_share_words(last["reoffenders"], last["cohort_size"])
        )
    if not is_missing(last.get("reduction_percent")):
        change = float(last["reduction_percent"])
        words = f"fell {fmt_share(change)}" if change >= 0 else f"rose {fmt_share(abs(change))}"
        small = whole(last.get("offences_before")) or 0
        judge = ", too few offences to judge" if small < SMALL_COUNT else ""
        parts.append(f"their offending {words} after entering IOM{judge}")
    if not parts:
        return text + "; cohort reoffending and the reduction in offending were not given."
    return f"{text}; {' and '.join(parts)}."


def reoffending_sentence(borough: str, latest: pd.DataFrame) -> str:
    """MoJ proven reoffending rates for the home borough against London and England and Wales.

    ``latest``: one row per adult_juvenile x geography for the latest cohort, with
    reoffending_rate, offenders and cohort.
    """
    parts = []
    for group, rows in latest.groupby("adult_juvenile", sort=True):
        by_place = {
            str(g).lower(): r
            for g, r in zip(rows["geography"], rows.to_dict("records"), strict=True)
        }
        home = by_place.get(borough.lower())
        if home is None:
            continue
        rate = home["reoffending_rate"]
        text = f"{str(group).lower()}s in {borough} {fmt_share(rate)}"
        if (whole(home.get("offenders")) or 0) < SMALL_COUNT:
            text += " (too few offenders to judge)"
        others = [
            f"{name} {fmt_share(by_place[name.lower()]['reoffending_rate'])}"
            for name in ("London", "England and Wales")
            if name.lower() in by_place
        ]
        if others:
            text += " against " + " and ".join(others)
        parts.append(f"{text} (cohort {home['cohort']})")
    if not parts:
        return f"No Ministry of Justice proven reoffending rates for {borough} are loaded."
    return "Proven reoffending (Ministry of Justice): " + "; ".join(parts) + "."


def prevent_sentence(as_at, table: pd.DataFrame, target: float, earlier: dict | None = None):
    """WRAP coverage as at a date against the target. ``table`` is wrap_coverage_table's frame
    (its last row 'All with a target'); ``earlier`` that total row at the previous date."""
    departments = table[table["department"] != "All with a target"]
    total = table[table["department"] == "All with a target"]
    no_target = len(departments) - int((departments["staff_requiring"].fillna(0) > 0).sum())
    sessions = int(pd.to_numeric(departments["sessions"], errors="coerce").fillna(0).sum())
    if total.empty:
        return (
            f"As at {day_label(as_at)} no department has a number of staff requiring WRAP "
            f"training, so coverage cannot be measured; {fmt_int(sessions)} sessions delivered."
        )
    row = total.iloc[0]
    text = (
        f"As at {day_label(as_at)}, {fmt_int(row['staff_trained'])} of the "
        f"{fmt_int(row['staff_requiring'])} staff requiring Prevent (WRAP) training had been "
        f"trained ({fmt_share(row['coverage'])}): {row['rag'] or 'no RAG'} against the target of "
        f"{fmt_plain(target)}%; {fmt_int(sessions)} sessions delivered"
    )
    if earlier and not is_missing(earlier.get("coverage")):
        way = "up" if row["coverage"] >= earlier["coverage"] else "down"
        text += f", {way} from {fmt_share(earlier['coverage'])} at {day_label(earlier['as_at'])}"
    if no_target:
        who = "department or partner has" if no_target == 1 else "departments or partners have"
        text += f"; {no_target} {who} no target yet"
    return text + "."
