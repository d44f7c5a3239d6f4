"""The hate crime page's sentences: offences, rate, rank and change (flagged across the MPS
recording-system break), positive outcomes and the reporting centres."""

from __future__ import annotations

from core.months import Month
from core.values import is_missing
from dashboard.prose.words import BREAK_WORDS, change_words, rate_per_10000_words
from dashboard.text import fmt_int, fmt_share, month_label
from domain.crime import SMALL_COUNT


def hate_sentence(
    strand: str,
    borough: str,
    month: Month,
    record: dict,
    london_rate=None,
    outcomes=None,
    across_break: bool = False,
) -> str:
    """Hate crime (or one strand) in the 12 months: offences, rate, rank, change (flagged
    across the recording-system break) and the positive outcome rate."""
    what = "hate crimes (the MPS total)" if strand == "Hate crime" else f"{strand} offences"
    if is_missing(record.get("r12")):
        return (
            f"{what.capitalize()} in {borough}: the 12 months to {month_label(month)} are "
            "not available (a month in the window has not been loaded)."
        )
    text = (
        f"In the 12 months to {month_label(month)} the MPS recorded {fmt_int(record['r12'])} "
        f"{what} in {borough}: {rate_per_10000_words(record, london_rate)}; "
        f"{change_words(record, 'offences')}"
    )
    if across_break:
        text += f". Take care: {BREAK_WORDS}, and this comparison crosses the change"
    return text + f". Positive outcomes: {outcome_words(outcomes, record.get('r12'))}."


def outcome_words(outcomes, offences) -> str:
    """'8.8% of offences (88 of 1,000)', or why there is no rate."""
    if is_missing(outcomes) or is_missing(offences):
        return "not available"
    if int(offences) < SMALL_COUNT:
        return f"{int(outcomes)} of {int(offences)} offences, too few to judge"
    share = fmt_share(int(outcomes) / int(offences) * 100)
    return f"{share} of offences ({fmt_int(outcomes)} of {fmt_int(offences)})"
