"""Phrases every page's sentences are made of: a change in words (against the previous 12 months
or 2011/12, with its significance), RAG, ranks, rates and where the figures come from.

A ``record`` is one row of ``domain.indicators.indicator_table`` as a dict.
"""

from __future__ import annotations

from core.values import is_missing
from dashboard.text import (
    MINUS,
    abs_count_text,
    abs_percent_text,
    fmt_number,
    fmt_pct,
    fmt_plain,
    month_label,
)
from domain.crime import Number, is_significant, is_small, percent_change, whole

ACRONYMS = {  # spelled out once on each page that uses them, where first used
    "IOM": "Integrated Offender Management",
    "MOPAC": "Mayor's Office for Policing and Crime",
    "MPS": "Metropolitan Police Service",
    "ONS": "Office for National Statistics",
    "WRAP": "Workshop to Raise Awareness of Prevent",
}
RAG_WORDS = {
    "Green": "Green: at or better than the target",
    "Amber": "Amber: better than 2011/12 but not yet at the target",
    "Red": "Red: at or worse than 2011/12",
}
NOT_COMPARABLE = "not comparable (MPS recording change)"  # DOMAIN.md: never "significant"
NOT_COMPARABLE_CELL = "not comparable: MPS recording change"  # inside a cell's parentheses
BREAK_WORDS = (
    "the MPS changed its crime recording system at the end of February 2024, so figures before "
    "and after are not like-for-like"
)


def direction_of_travel(
    current: Number | None, previous: Number | None, p_value: float | None = None
) -> str:
    """R12 vs P12 in words with an arrow ('▼ down 6%, not statistically significant')."""
    pct = percent_change(current, previous)
    if pct is None:
        return "not available"
    if current == previous:
        return "no change"
    arrow, word = ("▲", "up") if current > previous else ("▼", "down")
    text = f"{arrow} {word} {abs_percent_text(pct)}%"
    significant = is_significant(p_value)
    if significant is None:
        return text
    return f"{text}, {'' if significant else 'not '}statistically significant"


def change_in_words(
    current: Number | None,
    reference: Number | None,
    noun: str = "crimes",
    since: str = "2011/12",
) -> str:
    """Change as a count and a signed percentage ('865 fewer crimes than 2011/12, −18.2%')."""
    if is_missing(current) or is_missing(reference):
        return "not available"
    difference = current - reference
    if difference == 0:
        return f"same as {since}"
    more_or_fewer = "more" if difference > 0 else "fewer"
    text = f"{abs_count_text(difference)} {more_or_fewer} {noun} than {since}"
    pct = percent_change(current, reference)
    if pct is None:  # reference 0: a count but no percentage
        return text
    return f"{text}, {'+' if difference > 0 else MINUS}{abs_percent_text(pct)}%"


def baseline_words(record: dict) -> str:
    """'865 fewer crimes than 2011/12, −18.2%' (or 'no 2011/12 baseline loaded')."""
    if is_missing(record.get("baseline")):
        return "no 2011/12 baseline loaded"
    if is_missing(record.get("r12")):
        return "not available"
    return change_in_words(whole(record["r12"]), whole(record["baseline"]))


def previous_year_words(record: dict, say_previous: bool = True) -> str:
    """'down 6% on the previous 12 months, not statistically significant', in words only
    (without 'on the previous 12 months' where a heading already says it)."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None:
        return "no comparison with the previous 12 months (a month is missing)"
    if is_small(record):
        text = direction_of_travel(r12, p12).lstrip("▲▼ ")
        return f"{_on_previous(text, say_previous)}, too few crimes to judge"
    p_value = None if is_missing(record.get("p_value")) else float(record["p_value"])
    text = direction_of_travel(r12, p12, p_value).lstrip("▲▼ ")
    if text in ("no change", "not available"):
        return f"{text} on the previous 12 months" if say_previous else text
    change, _, significance = text.partition(", ")
    change = _on_previous(change, say_previous)
    return f"{change}, {significance}" if significance else change


def _on_previous(change: str, say_previous: bool = True) -> str:
    if not say_previous or change.startswith("no change"):
        return change
    return f"{change} on the previous 12 months"


def change_words(record: dict, noun: str = "offences", across_break: bool = False) -> str:
    """R12 against P12 for any count ('down 6% on the previous 12 months, not statistically
    significant'; 'too few victims to judge'), flagged when the two windows straddle the MPS
    recording-system break."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None:
        return "no comparison with the previous 12 months (a month is missing)"
    p_value = None if is_small(record) or is_missing(record.get("p_value")) else record["p_value"]
    text = direction_of_travel(r12, p12, None if across_break else p_value).lstrip("▲▼ ")
    change, _, significance = text.partition(", ")
    text = _on_previous(change) + (f", {significance}" if significance else "")
    if is_small(record):
        text += f", too few {noun} to judge"
    if across_break:  # DOMAIN.md: a comparison across the break is never called significant
        text += f", {NOT_COMPARABLE}"
    return text


def change_cell(record: dict, across_break: bool = False) -> str:
    """A table cell: '−6.0% (not significant)', '+50.0% (not comparable: MPS recording
    change)' across the hate crime recording change, or 'not available'."""
    change = record.get("change_vs_previous_pct")
    if is_missing(change):
        return "not available"
    if not across_break:
        return f"{fmt_pct(change)} ({significance_text(record)})"
    small = "too small to judge; " if is_small(record) else ""
    return f"{fmt_pct(change)} ({small}{NOT_COMPARABLE_CELL})"


def arrow(record: dict) -> str:
    """▲, ▼ or an empty string for R12 against P12."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None or r12 == p12:
        return ""
    return "▲" if r12 > p12 else "▼"


def significance_text(record: dict) -> str:
    """'statistically significant' / 'not significant' / 'too small to judge'."""
    if is_small(record):
        return "too small to judge"
    significant = record.get("significant")
    if is_missing(significant):
        return "not available"
    return "statistically significant" if bool(significant) else "not significant"


def rag_meaning(rag: str | None, kind: str | None = None) -> str:
    """'Amber: better than 2011/12 but not yet at the target', or against the previous 12
    months for a target set on them or as a number (``domain.targets``)."""
    text = RAG_WORDS.get(rag or "", "no target")
    return (
        text.replace("2011/12", "the previous 12 months") if kind != "baseline" and kind else text
    )


def rag_words(record: dict) -> str:
    if is_small(record):
        return "too small to judge against the target"
    return rag_meaning(record.get("rag"), record.get("target_kind"))


def target_words(record: dict, figure: bool = True) -> str:
    """The target in force in words: 'target: 20% below 2011/12 (3,210)', 'target: 5% below
    the previous 12 months', 'target: 3,000 or fewer in 12 months' ('no target' without one)."""
    kind = record.get("target_kind")
    if is_missing(kind) or not kind:
        return "no target"
    lower = record.get("target_direction") != "higher"
    value = float(record["target_value"])
    if kind == "absolute":
        return f"target: {fmt_number(value)} or {'fewer' if lower else 'more'} in 12 months"
    side = "below" if lower else "above"
    since = "2011/12" if kind == "baseline" else "the previous 12 months"
    goal = record.get("target")
    shown = f" ({fmt_number(goal)})" if figure and not is_missing(goal) else ""
    return f"target: {fmt_plain(value)}% {side} {since}{shown}"


def rank_words(
    rank, before=None, of: int = 32, what: str = "London boroughs", explain: bool = True
) -> str:
    """'rank 21 of 32 London boroughs (1 = lowest rate), 2 places worse than a year earlier'."""
    if is_missing(rank):  # ``what`` is empty where a label already says "London rank"
        needed = f"figures for all {of} {what or 'boroughs'} are needed"
        return f"rank not available ({needed})" if what else f"not available ({needed})"
    text = f"rank {int(rank)} of {of}" + (f" {what}" if what else "")
    text += " (1 = lowest rate)" if explain else ""
    if is_missing(before):
        return text
    moved = int(rank) - int(before)
    if moved == 0:
        return f"{text}, the same as a year earlier"
    places = "place" if abs(moved) == 1 else "places"
    better = "worse" if moved > 0 else "better"
    return f"{text}, {abs(moved)} {places} {better} than a year earlier ({int(before)})"


def rate_per_10000_words(record: dict, london_rate=None, per: int = 10_000) -> str:
    """'11.1 per 10,000 residents (mid-2023 population), rank 29 of 32 London boroughs
    (1 = lowest rate), against London's 8.2' (``per``: 1,000 reads the record's rate per 1,000)."""
    rate = record.get(f"rate_per_{per}")
    if is_missing(rate):
        return f"no rate per {per:,} residents (a population or a month is missing)"
    year = record.get("population_year")
    year_text = "" if is_missing(year) else f" (mid-{int(year)} population)"
    london = "" if is_missing(london_rate) else f", against London's {fmt_number(london_rate, 1)}"
    return (
        f"{fmt_number(rate, 1)} per {per:,} residents{year_text}, "
        f"{rank_words(record.get('london_rank'))}{london}"
    )


def source_text(month, source: str, note: str = "") -> str:
    """'Figures shown: the 12 months to February 2025. Source: ...' (``month``: the month the
    page shows) as the pages show it."""
    shown = f"the 12 months to {month_label(month)}" if month is not None else "none"
    return f"Figures shown: {shown}. Source: {source}.{(' ' + note) if note else ''}"


def with_note(note: str, sentence: str) -> str:
    """A page's sentence after its period note (``period_words``), if any."""
    return f"{note} {sentence}" if note else sentence


def period_words(what: str, months, wanted, shown) -> str:
    """'Hate crime figures run from August 2021 to July 2025; showing July 2025.' when the month
    shown (``domain.periods.chosen_month``) is not the one chosen (``wanted``); '' otherwise."""
    if wanted is None or shown is None or wanted == shown or not len(months):
        return ""
    first, last = month_label(min(months)), month_label(max(months))
    if wanted < shown and shown != min(months):
        showing = f"the first 12 months they cover in full, to {month_label(shown)}"
    else:
        showing = month_label(shown)
    return f"{what} figures run from {first} to {last}; showing {showing}."


def none_loaded(what: str, withheld: bool = False, reader: str = "your role") -> str:
    """'No serious youth violence figures are loaded.'; when they are exempt for the reader
    (``withheld``), that they are not shown to ``reader``, never that none are loaded."""
    if withheld:
        return f"{what[:1].upper()}{what[1:]} are not shown to {reader}."
    return f"No {what} are loaded."
