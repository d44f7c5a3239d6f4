"""The partnership indicators in the pack: each strategy priority's indicators as at the end of
the quarter (each its own latest period ending by then: the pack's period rule), read with
``dashboard.partnership.partnership_figures`` as the priority pages read them; a table in their
section and a page-one row each (``summary.PRODUCERS``)."""

from __future__ import annotations

import pandas as pd

from core import strategy
from core.months import Month
from core.values import is_missing
from dashboard import illustrative
from dashboard.partnership import partnership_figures
from dashboard.reports.pack.content import Section
from dashboard.text import fmt_number, fmt_pct, fmt_share

TITLE = "Partnership indicators"
TABLES = ("partnership_values",)  # the template table its figures come from
ARROWS = {"better": "\u25b2 better", "worse": "\u25bc worse", "same": "no change"}


def partnership_section(end: Month) -> Section:
    section = Section("partnership", TITLE)
    found = [partnership_figures(slug, end) for slug in strategy.STRATEGY_PRIORITIES]
    found = [f for f in found if not f.empty]
    rows = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if rows.empty or rows["period"].isna().all():
        section.missing = "No partnership indicator has a value for this quarter or before it."
        return section
    rows = rows[rows["period"].notna()]
    section.month = end
    section.figures["partnership"] = rows.to_dict("records")
    section.add(
        "Each indicator partners report, as at its latest period ending by the quarter's end; "
        "the change is on the same period a year before (or the one before, where there is none)."
    )
    title = "Partnership indicators by priority"
    if illustrative.shown(*TABLES):  # a file that says its figures are made up
        section.figures["illustrative"] = True  # the section's notice says so (document.py)
        title = illustrative.mark(title, *TABLES)
    section.tables = [(title, table(rows))]
    return section


def shown_value(record: dict) -> str:
    value, unit = record.get("value"), record.get("unit")
    if is_missing(value):
        return "not available"
    if unit == "percent":
        return fmt_share(value)
    if unit == "money":
        return f"\u00a3{fmt_number(value)}"
    return fmt_number(value, 0 if float(value).is_integer() else 1)


def change_text(record: dict) -> str:
    pct = record.get("year_change_pct")
    since = "a year before"
    if is_missing(pct):
        pct, since = record.get("previous_change_pct"), "the period before"
    if is_missing(pct):
        return "not available"
    travel = ARROWS.get(str(record.get("travel")), "")
    return f"{fmt_pct(pct)} on {since}" + (f" ({travel})" if travel else "")


def target_text(record: dict) -> str:
    if is_missing(record.get("target")):
        return "no target"
    return f"{fmt_number(record['target'], 1).removesuffix('.0')}"


def table(rows: pd.DataFrame) -> pd.DataFrame:
    records = rows.to_dict("records")
    return pd.DataFrame(
        {
            "Indicator": [r["indicator"] for r in records],
            "Priority": [r["priority"] for r in records],
            "Period": [r["period"] for r in records],
            "Figure": [shown_value(r) for r in records],
            "Change": [change_text(r) for r in records],
            "Target": [target_text(r) for r in records],
            "RAG": [r.get("rag") or "no target" for r in records],
            "Owner": [r.get("owner") or "" for r in records],
        }
    )
