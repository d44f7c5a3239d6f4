"""Partnership indicators' sentences: each indicator's latest figure against the period before
and the same period a year before, in words (no significance: the direction of travel only),
its financial year to date, its target and RAG, and who reports it."""

from __future__ import annotations

from datetime import date

from core.values import is_missing
from dashboard.text import (
    NOT_AVAILABLE,
    abs_percent_text,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_plain,
)

EXEMPT = "The partnership indicators are exempt information: only managers see them."
# A partnership indicator's target is a number for its own period, or a percent better than the
# same period a year before (domain.partnership): its words name that period, never "12 months".
EACH_PERIOD = {
    "month": "a month",
    "quarter": "a quarter",
    "financial year": "in the financial year",
    "occasion": "at each occasion",
}
YEAR_BEFORE = {
    "month": "the same month a year before",
    "quarter": "the same quarter a year before",
    "financial year": "the financial year before",
    "occasion": "the occasion a year before",
}
TRAVEL_WORDS = {"better": "better", "worse": "worse", "same": "no change", "up": "", "down": ""}


def value_text(value, unit: str) -> str:
    """A figure in its unit: '1,234', '28.5%', '4.2', '£12,500'."""
    if is_missing(value):
        return NOT_AVAILABLE
    if unit == "percent":
        return fmt_percent(value, 1)
    if unit == "money":
        return f"£{float(value):,.0f}"
    if unit == "rate":
        return fmt_number(value, 1)
    return fmt_int(value) if float(value).is_integer() else fmt_number(value, 1)


def target_words(kind: str, value, direction: str, unit: str, frequency: str) -> str:
    """A partnership indicator's target in words, by its period and unit: 'target: 3,000 or fewer
    in the financial year', 'target: 75.0% or higher a quarter', 'target: 10% above the same
    quarter a year before'."""
    lower = direction != "higher"
    if kind == "absolute":
        more = {"count": ("fewer", "more"), "money": ("less", "more")}.get(
            unit, ("lower", "higher")
        )
        period = EACH_PERIOD.get(frequency, "each period")
        return f"target: {value_text(value, unit)} or {more[0] if lower else more[1]} {period}"
    since = YEAR_BEFORE.get(frequency, "the same period a year before")
    return f"target: {fmt_plain(float(value))}% {'below' if lower else 'above'} {since}"


def period_words(label: str | None, kind: str | None = None) -> str:
    """'2025-03' -> 'March 2025'; '2025-03-14' -> '14 March 2025'; quarters and years as written."""
    if is_missing(label) or not label:  # no period yet (a month before the first value)
        return NOT_AVAILABLE
    parts = label.split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
        return date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
        return f"{day.day} {day:%B %Y}"
    return label


def change_words(diff, pct, unit: str) -> str:
    """'up 3 (13.0%)', 'down 2', 'no change'."""
    if diff is None or is_missing(diff):
        return NOT_AVAILABLE
    if diff == 0:
        return "no change"
    size = value_text(abs(diff), "count" if unit == "count" else unit)
    if unit == "percent":
        size = f"{abs(float(diff)):.1f} percentage points"
    share = "" if pct is None or is_missing(pct) else f" ({abs_percent_text(pct)}%)"
    return f"{'up' if diff > 0 else 'down'} {size}{share}"


def _against(record: dict, key: str, what: str, unit: str) -> str | None:
    before = record.get(f"{key}_value")
    if before is None or is_missing(before):
        return None
    diff = record.get("previous_change" if key == "previous" else "year_change")
    pct = record.get("previous_change_pct" if key == "previous" else "year_change_pct")
    when = period_words(record.get(f"{key}_period"))
    return f"{change_words(diff, pct, unit)} on {what} ({when}: {value_text(before, unit)})"


def indicator_sentence(record: dict) -> str:
    """The indicator's figures in one or two sentences."""
    unit = record.get("unit") or "count"
    name = record["indicator"]
    if not record.get("period"):
        return f"{name}: no figures given yet."
    head = f"{name}: {value_text(record['value'], unit)} in {period_words(record['period'])}"
    before = "the occasion before" if record.get("frequency") == "occasion" else "the period before"
    parts = []
    if record.get("year_before_period") and record.get("year_before_period") != record.get(
        "previous_period"
    ):
        parts.append(_against(record, "previous", before, unit))
        parts.append(_against(record, "year_before", "a year before", unit))
    elif record.get("year_before_period"):
        parts.append(_against(record, "year_before", "a year before", unit))
    else:
        parts.append(_against(record, "previous", before, unit))
    found = [p for p in parts if p]
    text = head + (", " + " and ".join(found) if found else " (nothing earlier to compare with)")
    travel = TRAVEL_WORDS.get(record.get("travel") or "", "")
    if travel in ("better", "worse"):
        text += f": {travel}, as {'lower' if record.get('direction') == 'lower' else 'higher'} is better"
    text += "."
    if not is_missing(record.get("fytd")) and record.get("fytd") is not None:
        text += " " + fytd_words(record)
    if record.get("rag"):
        text += f" Against its target ({value_text(record['target'], unit)}): {record['rag']}."
    return text


def fytd_words(record: dict) -> str:
    """'Financial year to date: 132 (110 in the same months a year earlier).'"""
    now = fmt_int(record["fytd"])
    before = record.get("fytd_before")
    if before is None or is_missing(before):
        return f"Financial year to date: {now}."
    return f"Financial year to date: {now} ({fmt_int(before)} in the same months a year earlier)."


def source_words(record: dict) -> str:
    """'Reported by Barnet Homes; source: ...'."""
    source = record.get("source")
    text = f"Reported by {record.get('owner') or 'a partner'}"
    return text + (f"; source: {source}." if source and not is_missing(source) else ".")


def block_caption(title: str, count: int) -> str:
    """The block's first sentence."""
    if not count:
        return (
            f"No partnership indicators are defined for {title} yet: the manager defines them "
            "on the Partnership indicators page, and analysts upload the partnership template."
        )
    return (
        f"Figures partners report for {title} ({count} indicator{'s' if count != 1 else ''}). "
        "They are counts of cases, not samples: changes are described, never tested for "
        "significance."
    )
