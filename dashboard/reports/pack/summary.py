"""Page one: the Board's summary at a glance. One table of every indicator the pack reports (its
period, 12-month figure, change on the previous 12 months, target, RAG, London and group rank),
the changes that matter by a stated rule, and the RAG count sentence.

The table is a list of row producers, one per section key (``PRODUCERS``): a section whose
headline rows are indicator records needs no producer of its own (``record_rows``), so a new
indicator in a section's headline is a new row here; a section with other figures (Prevent
coverage, proven reoffending) has a producer reading what the section kept in ``figures``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core.values import is_missing
from dashboard.prose.words import NOT_COMPARABLE_CELL, arrow, previous_year_words, target_words
from dashboard.reports.pack import partners
from dashboard.reports.pack.content import Section
from dashboard.reports.pack.headline import RAG_MARKS, rag_text
from dashboard.text import fmt_int, fmt_share
from domain.crime import is_small

COLUMNS = [
    "Indicator",
    "Period",
    "12-month figure",
    "Change on previous 12 months",
    "Target",
    "RAG",
    "London rank",
    "Group rank",
]
CHANGES_RULE = (
    "Changes listed: the statistically significant changes on the previous 12 months (p < 0.05, "
    "at least 10 in each 12 months), largest first, at most five; then, to make at least three, "
    "the Red indicators. A hate crime comparison across the MPS recording change (February "
    "2024) is not comparable and never listed."
)
REFERENCE = {"baseline": "2011/12", "previous": "the previous 12 months"}


@dataclass
class Row:
    indicator: str
    period: str
    figure: str
    change: str
    target: str
    rag: str
    london: str = "\u2014"
    group: str = "\u2014"
    record: dict = field(default_factory=dict)  # the indicator record (for the changes)
    comparable: bool = True  # False across the hate crime recording change
    judged: str | None = None  # Green, Amber or Red when judged against a target
    section: str = ""  # the pack section it comes from
    reference: str = ""  # what the RAG is measured against, for the count sentence

    def cells(self) -> list[str]:
        return [
            self.indicator,
            self.period,
            self.figure,
            self.change,
            self.target,
            self.rag,
            self.london,
            self.group,
        ]


def change_text(record: dict, comparable: bool = True) -> str:
    """'▲ up 1.8% (not significant)': an arrow as well as the words; 'not comparable: MPS
    recording change' across the hate crime recording change, never 'significant'."""
    words = previous_year_words(record, say_previous=False)
    if words.startswith("no comparison"):
        return "not available"
    change, _, judged = words.partition(", ")
    if not comparable:
        judged = NOT_COMPARABLE_CELL
    judged = judged.replace("statistically ", "")
    return f"{arrow(record)} {change}{f' ({judged})' if judged else ''}".strip()


def short_target(record: dict) -> str:
    """'20% below 2011/12 (3,891)' or 'no target'."""
    return target_words(record).removeprefix("target: ")


def rank_cell(rank, size) -> str:
    if is_missing(rank) or is_missing(size):
        return "\u2014"
    return f"{int(rank)} of {int(size)}"


def record_row(label: str, record: dict, section: Section, comparable: bool = True) -> Row:
    month = record.get("month") or section.month  # the crime table keeps it as '2025-02'
    period = f"12 months to {pd.Timestamp(month):%b %Y}" if month is not None else "\u2014"
    kind = record.get("target_kind")
    rag = record.get("rag")
    return Row(
        indicator=label,
        period=period,
        figure=fmt_int(record.get("r12")),
        change=change_text(record, comparable),
        target=short_target(record),
        rag=rag_text(record),
        london=rank_cell(record.get("london_rank"), 32),
        group=rank_cell(record.get("group_rank"), record.get("group_size")),
        record=record,
        comparable=comparable,
        judged=None if is_missing(rag) or is_small(record) else str(rag),
        reference=REFERENCE.get(kind, "the previous 12 months") if kind else "",
    )


def record_rows(section: Section) -> list[Row]:
    """A row per headline record of the section."""
    return [record_row(label, record, section) for label, record in section.headline]


def hate_rows(section: Section) -> list[Row]:
    """Hate crime: the MPS total only (the strands are in the section), flagged as not
    comparable when its windows straddle the recording change."""
    comparable = not section.across_break
    return [record_row(lb, r, section, comparable) for lb, r in section.headline[:1]]


def prevent_rows(section: Section) -> list[Row]:
    total = section.figures.get("wrap_total")
    if not total:
        return []
    rag = total.get("rag")
    return [
        Row(
            indicator=section.mark("prevent", "Prevent training (WRAP) coverage"),
            period=section.figures["wrap_period"],
            figure=fmt_share(total.get("coverage")),
            change="\u2014",
            target=f"{fmt_share(section.figures['wrap_target'])} of staff trained",
            rag=RAG_MARKS.get(rag, "no target"),
            judged=rag,
            reference="none trained",
        )
    ]


def reoffending_rows(section: Section) -> list[Row]:
    rows = []
    for cohort in section.figures.get("cohorts", []):
        rows.append(
            Row(
                indicator=section.mark(
                    "reoffending", f"Proven reoffending rate ({cohort['adult_juvenile'].lower()})"
                ),
                period=f"cohort {cohort['cohort']}",  # MoJ's label, e.g. 'Jan 2022 to Mar 2022'
                figure=fmt_share(cohort["reoffending_rate"]),
                change="\u2014",
                target="no target",
                rag="no target",
            )
        )
    return rows


def partnership_rows(section: Section) -> list[Row]:
    """A row per partnership indicator with a target (its own period); those without one are in
    their section (page one stays one page)."""
    rows = []
    for record in section.figures.get("partnership", []):
        rag = None if is_missing(record.get("rag")) else str(record["rag"])
        if is_missing(record.get("target")):
            continue
        rows.append(
            Row(
                indicator=record["indicator"],
                period=str(record["period"]),
                figure=partners.shown_value(record),
                change=partners.change_text(record),
                target=partners.target_text(record),
                rag=RAG_MARKS.get(rag, "no target"),
                judged=rag,
                reference="the same period a year before",
            )
        )
    return rows


def partnership_note(sections: list[Section]) -> str:
    """' 17 partnership indicators without a target are in their section.' ('' when none)."""
    held = [r for s in sections for r in s.figures.get("partnership", [])]
    without = sum(1 for r in held if is_missing(r.get("target")))
    if not without:
        return ""
    return f" {without} partnership indicators without a target are in their own section."


def asb_rows(section: Section) -> list[Row]:
    """Police-recorded ASB: its London rank 'not available' in words unless every London
    borough is loaded (a rank among fewer would mislead)."""
    rows = record_rows(section)
    for row in rows:
        if row.london == "\u2014":
            row.london = "not available"
    return rows


PRODUCERS: dict[str, Callable[[Section], list[Row]]] = {
    "partnership": partnership_rows,
    "hate": hate_rows,
    "asb": asb_rows,
    "prevent": prevent_rows,
    "reoffending": reoffending_rows,
    "wards": lambda _section: [],  # the borough's figures are in the crime rows
}


def table_rows(sections: list[Section]) -> list[Row]:
    """Every indicator the pack reports, section by section."""
    rows = []
    for section in sections:
        for row in PRODUCERS.get(section.key, record_rows)(section):
            row.section = section.key
            rows.append(row)
    return rows


def rag_sentence(rows: list[Row]) -> str:
    """How many are Green, Amber and Red, Red and Amber measured against what each target is
    measured against (DOMAIN.md: 2011/12 or the previous 12 months)."""
    counted = [r for r in rows if r.judged in ("Green", "Amber", "Red")]
    by = {rag: [r for r in counted if r.judged == rag] for rag in ("Green", "Amber", "Red")}
    if not counted:
        return "No indicator has a target to be judged against."
    parts = [f"{len(by['Green'])} Green (at or better than the target)"]
    for rag, words in (
        ("Amber", "better than what the target is measured against, short of the target"),
        ("Red", "at or worse than what the target is measured against"),
    ):
        references = {}
        for row in by[rag]:
            references.setdefault(row.reference, []).append(row.indicator)
        listed = "; ".join(f"{and_list(names)} against {ref}" for ref, names in references.items())
        parts.append(f"{len(by[rag])} {rag} ({words}{': ' + listed if listed else ''})")
    return f"Of the {len(counted)} indicators with a target, " + ", ".join(parts) + "."


def and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def changes(rows: list[Row], limit: int = 5, least: int = 3) -> list[str]:
    """The changes that matter, by ``CHANGES_RULE``."""
    significant = []
    for row in rows:
        record = row.record
        change = record.get("change_vs_previous_pct")
        if not row.comparable or is_missing(change) or is_small(record):
            continue
        if record.get("significant") is True:
            significant.append((abs(float(change)), row))
    chosen = [row for _, row in sorted(significant, key=lambda f: -f[0])[:limit]]
    text = [f"{r.indicator}: {previous_year_words(r.record)}." for r in chosen]
    for row in rows:
        if len(text) >= least:
            break
        if row not in chosen and row.judged == "Red":
            text.append(f"{row.indicator}: Red (target: {row.target}).")
    return text
