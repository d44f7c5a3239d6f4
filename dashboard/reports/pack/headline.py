"""A section's headline table: one row per indicator with R12, P12, the change on the previous
12 months and its significance, the 2011/12 baseline, the target, RAG, the London rank and the
most-similar-group rank, each from the indicator record the pages show (never recomputed)."""

from __future__ import annotations

from core.values import is_missing
from dashboard.prose.domestic_abuse import outcome_rate_text
from dashboard.prose.words import NOT_COMPARABLE, change_cell, significance_text
from dashboard.text import fmt_int, fmt_number, fmt_pct
from domain.crime import is_small, whole
from domain.targets import target_of

COLUMNS = [
    "Indicator",
    "12 months (R12)",
    "Previous 12 months (P12)",
    "Change on P12",
    "2011/12 baseline",
    "Change on baseline",
    "Target",
    "RAG",
    "London rank",
    "Most similar group rank",
]
RAG_MARKS = {"Green": "\u2713 Green", "Amber": "\u25b2 Amber", "Red": "\u2716 Red"}


def rag_text(record: dict) -> str:
    """'✓ Green', '▲ Amber', '✖ Red' (a mark as well as a word: printed in grey, colour alone
    would be lost), 'too small to judge' or 'no target'."""
    if is_missing(record.get("rag")):
        return "no target"
    if is_small(record):
        return "too small to judge"
    return RAG_MARKS.get(record["rag"], str(record["rag"]))


def values(label: str, record: dict, across_break: bool = False) -> dict:
    """One headline row as figures (for the workbook): counts, changes as fractions, the target
    as the PDF prints it (2,042, not 2,041.7), ranks, the RAG word and the Indicators sheet's
    name for the row."""
    target = target_of(record)
    return {
        "Indicator": label,
        "12 months (R12)": whole(record.get("r12")),
        "Previous 12 months (P12)": whole(record.get("p12")),
        "Change on P12": fraction(record.get("change_vs_previous_pct")),
        "Significance": NOT_COMPARABLE if across_break else significance_text(record),
        "2011/12 baseline": whole(record.get("baseline")),
        "Change on baseline": fraction(record.get("change_vs_baseline_pct")),
        "Target": None if target is None else shown_target(target),
        "RAG": rag_text(record),
        "London rank": whole(record.get("london_rank")),
        "Most similar group rank": whole(record.get("group_rank")),
        "Most similar group": None
        if is_missing(record.get("group_name"))
        else record["group_name"],
        "Indicators sheet name": record.get("indicator"),
    }


def shown_target(target: float) -> int:
    """The target as the PDF prints it (``fmt_number``: no decimals)."""
    return int(fmt_number(target).replace(",", ""))


def fraction(percent) -> float | None:
    """A percentage (-22.2) as the fraction a 0.0% cell holds (-0.222)."""
    return None if is_missing(percent) else float(percent) / 100


def cells(label: str, record: dict, across_break: bool = False) -> list[str]:
    """One headline row as the PDF prints it (COLUMNS); ``across_break``: the change straddles
    the hate crime recording change (not comparable, never significant)."""
    target = target_of(record)
    return [
        label,
        fmt_int(record.get("r12")),
        fmt_int(record.get("p12")),
        change_cell(record, across_break),
        fmt_int(record.get("baseline")),
        fmt_pct(record.get("change_vs_baseline_pct")),
        "no target" if target is None else fmt_number(target),
        rag_text(record),
        short_rank(record.get("london_rank"), 32),
        short_rank(record.get("group_rank"), record.get("group_size")),
    ]


def short_rank(rank, size) -> str:
    """'21 of 32' (what it ranks among is said once, in ``rank_note``)."""
    return (
        "not available" if is_missing(rank) or is_missing(size) else f"{int(rank)} of {int(size)}"
    )


def rank_note(records: list[dict]) -> str:
    """The ranks' units, said once under the table."""
    group = next((r for r in records if not is_missing(r.get("group_name"))), None)
    text = "London rank: among the 32 London boroughs"
    if group is not None:
        text += (
            f"; most similar group rank: among the {int(group['group_size'])} boroughs of "
            f"{group['group_name']}"
        )
    return text + "; 1 = the lowest rate."


RATE_COLUMNS = [
    "Indicator",
    "12 months (R12)",
    "Previous 12 months (P12)",
    "Change on P12",
    "Rate per 1,000 residents",
    "London rank",
]
OUTCOME_COLUMN = "Positive outcome rate"


def rate_columns(records: list[dict]) -> list[str]:
    """The rate table's columns (no target, baseline or group: the figures have none), with the
    positive outcome rate when the records carry one (domestic abuse)."""
    outcomes = any("positive_outcome_rate_pct" in r for r in records)
    return RATE_COLUMNS + ([OUTCOME_COLUMN] if outcomes else [])


def rate_cells(label: str, record: dict, digits: int, outcomes: bool = False) -> list[str]:
    """One row of a rate table as the PDF prints it (the rate to ``digits`` decimals, as its
    page prints it; ``outcomes``: the positive outcome rate as the domestic abuse page says it)."""
    rate = record.get("rate_per_1000")
    return [
        label,
        fmt_int(record.get("r12")),
        fmt_int(record.get("p12")),
        change_cell(record),
        "not available" if is_missing(rate) else fmt_number(rate, digits),
        short_rank(record.get("london_rank"), 32),
        *([outcome_rate_text(record)] if outcomes else []),
    ]


def rate_values(label: str, record: dict, outcomes: bool = False) -> dict:
    """One row of a rate table as figures (for the workbook)."""
    rate, share = record.get("rate_per_1000"), record.get("positive_outcome_rate_pct")
    values = {
        "Indicator": label,
        "12 months (R12)": whole(record.get("r12")),
        "Previous 12 months (P12)": whole(record.get("p12")),
        "Change on P12": fraction(record.get("change_vs_previous_pct")),
        "Significance": significance_text(record),
        "Rate per 1,000 residents": None if is_missing(rate) else float(rate),
        "London rank": whole(record.get("london_rank")),
        "Indicators sheet name": record.get("indicator"),
    }
    if outcomes:
        values[OUTCOME_COLUMN] = fraction(share)
    return values
