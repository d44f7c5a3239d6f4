"""The pack as one HTML document for weasyprint: cover, contents, executive summary, a section
per priority, the ward table and the appendix, with the print stylesheet (A4, page numbers, the
exempt marking on every page, table headers repeated across pages, RAG in marks and patterns)."""

from __future__ import annotations

import base64
from html import escape

import pandas as pd

from dashboard.reports.pack import headline, notes, render
from dashboard.reports.pack.audience import EXEMPT_MARK
from dashboard.reports.pack.content import Chart, Section
from dashboard.reports.pack.periods import ILLUSTRATIVE_NOTE

CSS = """
@page { size: A4; margin: 20mm 14mm 18mm 14mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; }
  @bottom-left { content: "%(footer)s"; font: 8pt sans-serif; }
  %(exempt)s }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #000; }
h1 { font-size: 17pt; margin: 0 0 6pt; bookmark-level: 1; break-before: page; }
h1.cover-title { font-size: 24pt; break-before: auto; margin-top: 25mm; }
table.periods { font-size: 9.5pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; bookmark-level: 2; break-after: avoid; }
p { margin: 0 0 5pt; line-height: 1.35; }
.cover p { font-size: 13pt; }
.note, .missing { font-style: italic; }
p.illustrative { font-weight: bold; border: 1.5pt dashed #555; padding: 3pt 5pt; }
p.period { font-size: 9pt; border-left: 2pt solid #555; padding-left: 4pt; }
table { border-collapse: collapse; width: 100%%; margin: 4pt 0 8pt; font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #555; padding: 2pt 3pt; text-align: left; vertical-align: top; }
th[scope=col] { background: #e6e6e6; }
td.num { text-align: right; }
caption { text-align: left; font-weight: bold; padding-bottom: 2pt; }
img.chart { width: 100%%; margin: 2pt 0; }
figure { margin: 0; break-inside: avoid; }
.rag-green { background: #d3ecd9; }
.rag-amber { background: #ffe7a6; outline: 1.2pt dashed #000; outline-offset: -2pt; }
.rag-red { background: #f3b9b9; font-weight: bold; }
ol.contents a { color: #000; text-decoration: none; }
@page wide { size: A4 landscape; margin: 12mm 12mm 14mm 12mm; }
section.page-one { page: wide; }
section.page-one h1 { break-before: page; margin-bottom: 2pt; font-size: 15pt; }
section.page-one h2 { margin: 4pt 0 2pt; font-size: 11pt; }
section.page-one ul { margin: 1pt 0; font-size: 8.5pt; }
table.page-one { font-size: 7.5pt; margin: 2pt 0 3pt; }
table.page-one td { white-space: nowrap; }
table.page-one td, table.page-one th { padding: 1.5pt 3pt; }
p.rag-count { font-size: 9pt; margin-bottom: 2pt; }
.small { font-size: 8pt; }
ol.contents a::after { content: leader(".") target-counter(attr(href), page); }
"""
APPENDIX = "Appendix: sources, vintages and caveats"
EXEMPT_BOX = '@top-center { content: "%s"; font: bold 10pt sans-serif; }'
RAG_CLASSES = {"\u2713 Green": "rag-green", "\u25b2 Amber": "rag-amber", "\u2716 Red": "rag-red"}


def table_html(frame: pd.DataFrame, caption: str = "", css_class: str = "") -> str:
    """A table of display strings; the first column heads its row, headers repeat on each page."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    body = []
    for values in frame.itertuples(index=False):
        cells = [f'<th scope="row">{escape(str(values[0]))}</th>']
        for value in values[1:]:
            rag = RAG_CLASSES.get(str(value))
            cells.append(f'<td class="{rag}">' if rag else "<td>")
            cells[-1] += f"{escape(str(value))}</td>"
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="{css_class}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def headline_html(section: Section) -> str:
    across, records = section.across_break, [record for _, record in section.headline]
    if section.rate_digits is None:
        rows = [headline.cells(label, record, across) for label, record in section.headline]
        frame = pd.DataFrame(rows, columns=headline.COLUMNS)
    else:
        columns = headline.rate_columns(records)
        outcomes = headline.OUTCOME_COLUMN in columns
        rows = [
            headline.rate_cells(label, record, section.rate_digits, outcomes)
            for label, record in section.headline
        ]
        frame = pd.DataFrame(rows, columns=columns)
    note = headline.rank_note(records)
    return (
        table_html(frame, "Headline figures", "headline")
        + f'<p class="note small">{escape(note)}</p>'
    )


def chart_html(chart: Chart) -> str:
    drawn = chart.svg
    if drawn is None:
        body = f'<p class="note">{escape(render.NO_CHARTS_NOTE)}</p>' + table_html(chart.data)
    else:
        data = base64.b64encode(drawn.encode("utf-8")).decode("ascii")
        body = (
            f'<img class="chart" alt="{escape(chart.caption)}" '
            f'src="data:image/svg+xml;base64,{data}">'
        )
    return (
        f"<figure><h2>{escape(chart.title)}</h2>{body}"
        f"<figcaption><p>{escape(chart.caption)}</p></figcaption></figure>"
    )


def periods_html(section: Section) -> str:
    lines = "<br>".join(escape(p.line) for p in section.periods)
    return f'<p class="period">{lines}</p>' if lines else ""


def section_html(section: Section) -> str:
    parts = [f'<h1 id="{section.key}">{escape(section.title)}</h1>', periods_html(section)]
    if section.illustrative:  # a board member is told before any figure
        parts.append(f'<p class="illustrative">{escape(ILLUSTRATIVE_NOTE)}.</p>')
    if section.missing:  # the officer's words are printed all the same
        parts.append(f'<p class="missing">{escape(section.missing)}</p>')
        parts.append(notes.commentary_html(section.figures.get("commentary")))
        return "".join(parts) + actions_html(section)
    if section.headline:
        parts.append(headline_html(section))
    parts.append(notes.commentary_html(section.figures.get("commentary")))
    parts += [f"<p>{escape(s)}</p>" for s in section.sentences]
    parts += [f'<p class="note">{escape(n)}</p>' for n in section.notes]
    parts += [chart_html(chart) for chart in section.charts]
    for title, frame in section.tables:
        css = "wards" if section.key == "wards" else ""
        parts.append(f"<h2>{escape(title)}</h2>" + table_html(frame, "", css))
    parts.append(actions_html(section))
    return "".join(parts)


def actions_html(section: Section) -> str:
    """The section's action plan as a table ('' when it has none)."""
    if "actions" not in section.figures:
        return ""
    return "<h2>Action plan</h2>" + table_html(section.figures["actions"], "", "actions")


def contents_html(titles: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{key}">{escape(title)}</a></li>' for key, title in titles)
    return f'<h1 id="contents">Contents</h1><ol class="contents">{items}</ol>'


def page_one_html(
    rag_sentence: str, rows: pd.DataFrame, changes: list[str], rule: str, missing=()
) -> str:
    """The summary at a glance: the RAG count, every indicator's row, the changes that matter
    (and, while any is missing, the Amber and Red indicators with no commentary yet)."""
    listed = "".join(f"<li>{escape(c)}</li>" for c in changes)
    if missing:
        rule += f" No commentary yet: {', '.join(missing)}."
    changes_html = f"<ul>{listed}</ul>" if changes else "<p>No change to report.</p>"
    return (
        '<section class="page-one">'
        f'<h1 id="summary">Summary at a glance</h1><p class="rag-count">{escape(rag_sentence)}</p>'
        f"{table_html(rows, '', 'page-one')}"
        f"<h2>Changes that matter</h2>{changes_html}"
        f'<p class="note small">{escape(rule)}</p></section>'
    )


def document(
    title: str,
    cover: list[str],
    page_one: str,
    sections: list[Section],
    appendix: list[tuple[str, str]],
    exempt: bool,
    periods: pd.DataFrame | None = None,
) -> str:
    """The whole pack as HTML (``appendix``: (heading, HTML body) pairs)."""
    css = CSS % {
        "footer": escape(title).replace('"', "'"),
        "exempt": EXEMPT_BOX % EXEMPT_MARK if exempt else "",
    }
    keys = [("summary", "Summary at a glance"), *[(s.key, s.title) for s in sections]]
    keys.append(("appendix", APPENDIX))
    cover_html = "".join(f"<p>{escape(line)}</p>" for line in cover)
    if periods is not None and len(periods):
        cover_html += table_html(periods, "The periods the figures cover", "periods")
    appendix_html = "".join(f"<h2>{escape(h)}</h2>{body}" for h, body in appendix)
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body>"
        f'<section class="cover"><h1 class="cover-title">{escape(title)}</h1>{cover_html}</section>'
        f"{contents_html(keys)}"
        f"{page_one}"
        f"{''.join(section_html(s) for s in sections)}"
        f'<h1 id="appendix">{APPENDIX}</h1>{appendix_html}'
        "</body></html>"
    )
