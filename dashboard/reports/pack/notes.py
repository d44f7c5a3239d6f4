"""The officer's words in the pack: each section's commentary for the quarter (after its headline
table) and its action plan (a table in the Board's delivery plan shape, overdue actions marked),
read with ``dashboard.partnership`` as the priority pages read them; and the Amber or Red rows of
page one whose section has no commentary yet."""

from __future__ import annotations

from html import escape

import pandas as pd

from core.months import Month
from dashboard.partnership import actions_for, commentary_for
from dashboard.reports.pack.quarter import quarter_label

BOARD_SECTIONS = {  # the pack's section -> the board section commentary is written for
    "crime": "crime",
    "asb": "asb",
    "da": "domestic-abuse",
    "syv": "youth-violence",
    "reoffending": "reoffending",
    "prevent": "prevent",
    "hate": "hate-crime",
}
ACTION_COLUMNS = {
    "strand": "Strand",
    "number": "No.",
    "action": "Action",
    "lead": "Accountable lead",
    "due": "Date of delivery",
    "outcome": "Desired outcome",
    "status": "Status",
    "latest": "Latest update",
}


def add_notes(sections: list, end: Month) -> None:
    """Each section's commentary for the quarter and its action plan, where it has them."""
    for section in sections:
        slug = BOARD_SECTIONS.get(section.key)
        if slug is None:
            continue
        found = commentary_for(quarter_label(end), slug)
        section.figures["commentary"] = None if found is None else found
        plan = actions_for(slug)
        if not plan.empty:
            section.figures["actions"] = action_table(plan)


def action_table(plan: pd.DataFrame) -> pd.DataFrame:
    table = plan.reindex(columns=list(ACTION_COLUMNS)).rename(columns=ACTION_COLUMNS)
    table["Date of delivery"] = [
        "" if pd.isna(d) else f"{pd.Timestamp(d):%d %B %Y}" for d in plan["due"]
    ]
    table["Status"] = [
        f"{s} (overdue)" if o else str(s)
        for s, o in zip(plan["status"], plan["overdue"], strict=True)
    ]
    return table.fillna("")


def commentary_lines(found: dict | None) -> list[str]:
    """The commentary's paragraphs and bullets as plain lines (the workbook's)."""
    return [] if not found else [line for line in str(found["text"]).splitlines() if line.strip()]


def commentary_html(found: dict | None) -> str:
    """Paragraphs and bullet lists ('- ' or '* ') as HTML, with who wrote it and when."""
    if not found:
        return ""
    parts, bullets = [], []
    for block in str(found["text"]).split("\n\n"):
        for line in block.splitlines():
            text = line.strip()
            if text[:2] in ("- ", "* "):
                bullets.append(f"<li>{escape(text[2:])}</li>")
                continue
            if bullets:
                parts.append(f"<ul>{''.join(bullets)}</ul>")
                bullets = []
            if text:
                parts.append(f"<p>{escape(text)}</p>")
    if bullets:
        parts.append(f"<ul>{''.join(bullets)}</ul>")
    when = f"{pd.Timestamp(found['written_at']):%d %B %Y}"
    byline = f'<p class="note small">Written by {escape(str(found["written_by"]))}, {when}.</p>'
    return "<h2>The lead officer's commentary</h2>" + "".join(parts) + byline


def without_commentary(sections: list, rows: list) -> list[str]:
    """The Amber and Red indicators of page one whose section has no commentary yet."""
    missing = {
        s.key for s in sections if s.key in BOARD_SECTIONS and not s.figures.get("commentary")
    }
    return [r.indicator for r in rows if r.judged in ("Amber", "Red") and r.section in missing]
