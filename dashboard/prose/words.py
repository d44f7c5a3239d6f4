"""Phrases every page's sentences are made of: a change in words, against the previous 12 months
or 2011/12, with its significance."""

from __future__ import annotations

from core.values import is_missing
from dashboard.text import MINUS, abs_count_text, abs_percent_text
from domain.crime import Number, is_significant, percent_change


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
