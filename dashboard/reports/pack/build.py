"""Build a board pack: gather every section for the quarter as the pack's reader (a viewer for
the default pack, a manager for the exempt one), then write it as a PDF or a workbook.

``build(end, "pdf" | "xlsx", with_exempt)`` -> bytes is what the command line, the Board pack
page and bench/pack.py call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape

import pandas as pd

from core import db, queries
from core.months import Month
from dashboard import cache
from dashboard.prose.words import BREAK_WORDS
from dashboard.reports.indicators import crime_indicators
from dashboard.reports.pack import (
    content,
    da_asb,
    document,
    notes,
    partners,
    pdf,
    priorities,
    render,
    summary,
    wards,
    xlsx,
)
from dashboard.reports.pack.audience import EXEMPT_MARK, reading_as, withheld_names
from dashboard.reports.pack.periods import Period, period_table, periods
from dashboard.reports.pack.quarter import check_reached, quarter_label, quarter_words
from dashboard.text import month_label

FORMATS = ("pdf", "xlsx")
SOURCES = [
    "Crime: MPS borough and ward level crime, and the MPS Monthly Crime Dashboard (domestic "
    "abuse, knife and hate crime), London Datastore, Open Government Licence v3.0.",
    "Police-recorded anti-social behaviour: data.police.uk street-level files, placed in wards "
    "by the ONS LSOA (2021) to ward best-fit lookup, Open Government Licence v3.0.",
    "Population: ONS mid-year population estimates, Open Government Licence v3.0.",
    "Serious youth violence, IOM, Prevent WRAP training and hate crime reporting centres: "
    "council returns in the dashboard's templates.",
    "Proven reoffending: Ministry of Justice proven reoffending statistics, Open Government "
    "Licence v3.0.",
    "Contains public sector information licensed under the Open Government Licence v3.0.",
]
CAVEATS = [
    f"Hate crime: {BREAK_WORDS}; comparisons across the change are flagged.",
    "Small numbers: a count under 10 in either 12-month window is not judged (no RAG, no "
    "significance): small counts move a lot by chance.",
    "Significance: a change is statistically significant when the exact test for two Poisson "
    "counts gives p < 0.05.",
    "Wards: ward totals do not add up exactly to the borough total (a few crimes cannot be "
    "placed in a ward); borough figures always come from the borough file.",
    "Published figures are revised month by month: these are the figures loaded on the date "
    "of this pack.",
]


@dataclass
class Pack:
    end: Month
    title: str
    cover: list[str]
    rows: list[summary.Row]
    sections: list[content.Section]
    vintages: pd.DataFrame
    indicators: pd.DataFrame | None
    exempt: bool
    periods: dict[str, Period] = field(default_factory=dict)


def section_list(end: Month) -> list[content.Section]:
    return [
        content.crime_section(end),
        da_asb.asb_section(end),
        da_asb.da_section(end),
        priorities.syv_section(end),
        priorities.reoffending_section(end),
        priorities.prevent_section(end),
        priorities.hate_section(end),
        partners.partnership_section(end),
        wards.ward_section(end),
    ]


def vintages(hidden_datasets: set[str]) -> pd.DataFrame:
    """The files the figures come from (the upload log), for the appendix."""
    log = queries.upload_log(db.get_engine())
    if log.empty:
        return pd.DataFrame(columns=["File", "Dataset", "Months", "Loaded"])
    log = log[(log["shown_status"] == "loaded") & ~log["dataset"].isin(hidden_datasets)]
    months = [
        f"{month_label(a)} to {month_label(b)}" if pd.notna(a) and pd.notna(b) else ""
        for a, b in zip(log["month_from"], log["month_to"], strict=True)
    ]
    return pd.DataFrame(
        {
            "File": log["filename"],
            "Dataset": log["dataset"].fillna(""),
            "Months": months,
            "Loaded": [f"{pd.Timestamp(t):%d %B %Y}" for t in log["uploaded_at"]],
        }
    )


def gather(end: Month, with_exempt: bool = False, with_indicators: bool = False) -> Pack:
    """Every section of the pack for the quarter ending with ``end``, as its reader sees it
    (``with_indicators``: the indicators export too, for the workbook's first sheet)."""
    with reading_as(with_exempt):
        check_reached(end, cache.picker_months())
        sections = section_list(end)
        notes.add_notes(sections, end)
        found = periods(end)
        hidden_datasets, _ = withheld_names()
        title = f"{content.partnership()}: performance report"
        cover = [
            f"Safer Communities Partnership Board, {quarter_words(end)}",
            f"Prepared {datetime.now():%d %B %Y}.",
        ]
        made_up = [p.title for p in found.values() if p.illustrative]
        made_up += [s.title for s in sections if s.figures.get("illustrative")]
        if made_up:
            cover.append(
                "This pack contains illustrative figures (made up to show how a council "
                f"template looks; not published figures): {', '.join(made_up)}."
            )
        if with_exempt:
            cover.insert(0, EXEMPT_MARK)
        indicators = indicators_at(end, found) if with_indicators else None
        return Pack(
            end=end,
            title=title,
            cover=cover,
            rows=summary.table_rows(sections),
            sections=sections,
            vintages=vintages(hidden_datasets),
            indicators=indicators,
            exempt=with_exempt,
            periods=found,
        )


def indicators_at(end: Month, found: dict[str, Period]) -> pd.DataFrame:
    """The indicators export with each dataset at its reporting month (as its section shows)."""
    at = {
        "borough_crime": found["borough_crime"].month,
        "ward_crime": found["ward_crime"].month,
        "mps_dashboard_offences": found["knife"].month,
        "syv": found["syv"].month,
        "police_uk": found["asb"].month,
    }
    return crime_indicators(db.get_engine(), end, at)


def appendix(pack: Pack, ward_table: bool = False) -> list[tuple[str, str]]:
    def items(lines):
        return "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>"

    full = [s.figures["full_table"] for s in pack.sections if "full_table" in s.figures]
    tables = [(title, document.table_html(frame, "", "wards")) for title, frame in full]
    return [
        *(tables if ward_table else []),
        ("Sources and attribution", items(SOURCES)),
        ("Vintages: the files loaded", document.table_html(pack.vintages, "", "vintages")),
        ("Caveats", items(CAVEATS)),
    ]


def draw_charts(pack: Pack) -> None:
    """Every chart of the pack drawn with one Chromium, closed when they are done."""
    charts = [chart for section in pack.sections for chart in section.charts]
    drawn = render.draw_all([(chart.plotly(), chart.height) for chart in charts])
    for chart, svg in zip(charts, drawn, strict=True):
        chart.svg = svg


def page_one(pack: Pack) -> str:
    """Page one's HTML: the RAG count, the table, the changes that matter and what is missing."""
    rows = pd.DataFrame([r.cells() for r in pack.rows], columns=summary.COLUMNS)
    rule = summary.CHANGES_RULE + summary.partnership_note(pack.sections)
    return document.page_one_html(
        summary.rag_sentence(pack.rows),
        rows,
        summary.changes(pack.rows),
        rule,
        notes.without_commentary(pack.sections, pack.rows),
    )


def pdf_of(pack: Pack, ward_table: bool = False) -> bytes:
    draw_charts(pack)
    html = document.document(
        pack.title,
        pack.cover,
        page_one(pack),
        pack.sections,
        appendix(pack, ward_table),
        pack.exempt,
        period_table(pack.periods),
    )
    return pdf.pdf_bytes(html)


def build(
    end: Month, fmt: str, with_exempt: bool = False, progress=None, ward_table: bool = False
) -> bytes:
    """The pack for the quarter ending with ``end`` as PDF or xlsx bytes (``progress``: called
    with a phrase as each stage starts; ``ward_table``: the full ward table as an appendix of
    the PDF, as well as in the workbook)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    progress = progress or (lambda _stage: None)
    progress("Gathering the figures")
    pack = gather(end, with_exempt, with_indicators=fmt == "xlsx")
    progress("Drawing the charts and writing the PDF" if fmt == "pdf" else "Writing the workbook")
    if fmt == "pdf":
        return pdf_of(pack, ward_table)
    return xlsx.workbook_bytes(pack, CAVEATS, SOURCES)


def file_name(end: Month, fmt: str, with_exempt: bool = False) -> str:
    label = quarter_label(end).replace("/", "-")
    return f"board-pack-{label}{'-exempt' if with_exempt else ''}.{fmt}"
