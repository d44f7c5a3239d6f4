"""The priority pages' "illustrative" marks: a notice at the top of each section whose figures
came from a file that says they are made up (the shipped samples), and "(illustrative)" after
its headings. Which tables are flagged is ``dashboard.illustrative``'s answer, the same the
exports and the board pack read.

Each page of ``PAGES`` gets its callback here, at import: ``priority_block`` (which every priority
page includes) imports this module for its partnership slot (Dash Pages itself imports only the
modules that register a page);
its sections' slots are the "-illustrative" Divs and "-section-mark" / "-mark" Spans of
``blocks.chart_section`` and ``blocks.chart_block`` (or the page's own).
The callback is not one of the page's kept answers (``dashboard.answers`` keeps the page
module's own): it asks afresh, once per data version.
"""

from __future__ import annotations

from dataclasses import dataclass

from dash import Input, Output, callback

from core import config
from dashboard import illustrative
from dashboard.auth import guard
from dashboard.ui.notices import ILLUSTRATIVE_MARK, can_load, illustrative_notice


@dataclass(frozen=True)
class Marked:
    """A section of a page: its notice's Div, the tables its figures come from, what they are
    in words, and the "-mark" Spans of its headings."""

    slot: str
    tables: tuple[str, ...]
    what: str
    marks: tuple[str, ...]


PARTNERSHIP_SLOT = "partnership-illustrative"
PAGES: dict[str, list[Marked]] = {
    "youth-violence": [
        Marked(
            "syv-illustrative",
            illustrative.SYV,
            "the serious youth violence figures",
            ("syv-section-mark", "syv-trend-mark", "syv-london-mark"),
        ),
    ],
    "reoffending": [
        Marked(
            "reoffending-iom-illustrative",
            ("iom_quarters",),
            "the Integrated Offender Management (IOM) figures",
            ("reoffending-iom-mark", "reoffending-iom-cohort-mark", "reoffending-iom-rates-mark"),
        ),
        Marked(
            "reoffending-moj-illustrative",
            ("reoffending_rates",),
            "the proven reoffending figures",
            ("reoffending-moj-mark", "reoffending-adult-mark", "reoffending-juvenile-mark"),
        ),
    ],
    "prevent": [
        Marked(
            "prevent-training-illustrative",
            ("wrap_training",),
            "the WRAP training coverage and sessions figures",
            ("prevent-coverage-mark", "prevent-progress-mark", "prevent-sessions-mark"),
        ),
        Marked(
            "prevent-audiences-illustrative",
            ("wrap_audiences",),
            "the figures of people trained by audience",
            ("prevent-audiences-mark",),
        ),
    ],
    "hate-crime": [
        Marked(
            "hate-centres-illustrative",
            ("hate_reporting_centres",),
            "the Hate Crime Reporting Centre figures",
            ("hate-centres-section-mark", "hate-centres-mark", "hate-centre-strands-mark"),
        ),
    ],
    "partnership": [  # ``priority_block``: every priority page's partnership indicators
        Marked(
            PARTNERSHIP_SLOT,
            ("partnership_values",),
            "the partnership indicators' figures",
            (),
        ),
    ],
}


def marks(page: str) -> list:
    """The notices, then the heading marks, of ``page``'s sections ('' where its figures are
    real)."""
    flagged = illustrative.tables()
    user = guard.current_user()
    borough = config.home_borough()
    shown = [bool(flagged & set(part.tables)) for part in PAGES[page]]
    notices = [
        illustrative_notice(part.what, borough, can_load(user)) if made_up else None
        for part, made_up in zip(PAGES[page], shown, strict=True)
    ]
    spans = [
        ILLUSTRATIVE_MARK if made_up else ""
        for part, made_up in zip(PAGES[page], shown, strict=True)
        for _ in part.marks
    ]
    return [*notices, *spans]


def register(page: str) -> None:
    """The callback that fills ``page``'s marks whenever its period is chosen."""
    parts = PAGES[page]
    outputs = [Output(p.slot, "children") for p in parts]
    outputs += [Output(mark, "children") for p in parts for mark in p.marks]

    @callback(*outputs, Input("period-select", "value"))
    def show_marks(_period: str | None) -> list:
        return marks(page)


for _page in PAGES:
    register(_page)
