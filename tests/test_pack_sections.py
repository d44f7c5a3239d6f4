"""The pack's section pages as HTML, without a database: a section left out for the quarter
still prints the officer's commentary and the action plan for its priority, and the period
lines never read 'X: left out: ...'."""

from __future__ import annotations

import pandas as pd

from core.months import as_month
from dashboard.reports.pack import document, periods
from dashboard.reports.pack.content import Section
from dashboard.reports.pack.notes import action_table

WORDS = "Reports of ASB fell after the Burnt Oak dispersal order.\n\n- Two more patrols"
PLAN = pd.DataFrame(
    [
        {
            "strand": "Enforcement",
            "number": 1,
            "action": "Dispersal order in Burnt Oak",
            "lead": "Police inspector",
            "due": "2025-03-31",
            "outcome": "Fewer reports",
            "status": "On track",
            "latest": "In force",
            "overdue": False,
        }
    ]
)


def left_out_asb() -> Section:
    empty = periods.Dataset("asb", "asb", "Police-recorded ASB", "the data.police.uk file", list)
    section = Section("asb", "Anti-social behaviour")
    section.periods.append(periods.period_of(empty, as_month("2024-12"), frozenset()))
    section.missing = "Police-recorded ASB is left out: no data.police.uk figures."
    return section


def test_a_left_out_section_prints_its_commentary_and_action_plan_after_its_line():
    section = left_out_asb()
    section.figures["commentary"] = {
        "text": WORDS,
        "written_by": "max",
        "written_at": pd.Timestamp("2025-01-10"),
    }
    section.figures["actions"] = action_table(PLAN)
    html = document.section_html(section)
    missing = html.index("Police-recorded ASB is left out")
    said = html.index("The lead officer's commentary")
    assert missing < said < html.index("Reports of ASB fell after the Burnt Oak dispersal order")
    assert "<li>Two more patrols</li>" in html and "Written by max, 10 January 2025" in html
    assert said < html.index("Action plan") < html.index("Dispersal order in Burnt Oak")


def test_a_left_out_section_without_words_prints_its_line_alone():
    html = document.section_html(left_out_asb())
    assert "commentary" not in html and "Action plan" not in html
    assert html.endswith("Police-recorded ASB is left out: no data.police.uk figures.</p>")


def test_a_left_out_period_reads_with_one_pause_not_two_colons():
    found = left_out_asb().periods[0]
    assert found.line == (
        "Police-recorded ASB \u2014 left out because no figures for this quarter or before it "
        "are loaded"
    )
    table = periods.period_table({"asb": found})  # the cover's and the Board pack page's
    assert table.iloc[0].tolist() == [
        "Police-recorded ASB",
        "left out because no figures for this quarter or before it are loaded",
    ]
    html = document.section_html(left_out_asb())
    assert "Police-recorded ASB \u2014 left out because" in html and ": left out" not in html


def test_a_section_with_illustrative_figures_says_so_before_any_figure():
    syv = periods.Dataset("syv", "syv", "Serious youth violence", "the return", list)
    real = periods.period_of(syv, as_month("2024-12"), frozenset())
    section = Section("syv", "Serious youth violence and knife crime", periods=[real])
    assert 'class="illustrative"' not in document.section_html(section)
    made_up = periods.Period(
        "syv",
        "syv",
        "Serious youth violence",
        as_month("2024-03"),
        "12 months to March 2024",
        "",
        illustrative=True,
    )
    section.periods = [made_up]
    section.missing = "No serious youth violence figures."
    html = document.section_html(section)
    notice = html.index("Illustrative figures: the figures marked (illustrative) in this section")
    assert notice < html.index("No serious youth violence figures.")
    assert "are made-up sample figures, not the council&#x27;s real figures" in html
