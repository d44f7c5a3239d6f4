"""The pack as an Excel workbook: the ``Indicators`` sheet first (the indicators export, each
dataset at its reporting month, row for row), then one formatted sheet per section (headline
figures, its tables, the full ward table), then the sources and caveats. Every figure a number
with a number format, the same in the section sheets and the Indicators sheet (changes as
fractions formatted 0.0%, targets as the PDF prints them); text never a formula
(``dashboard.reports.pack.cells``)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.reports.pack import headline, notes
from dashboard.reports.pack.audience import EXEMPT_MARK
from dashboard.reports.pack.cells import CHANGE, COUNT, PERCENT, put
from dashboard.reports.pack.periods import ILLUSTRATIVE_NOTE

if TYPE_CHECKING:
    from dashboard.reports.pack.build import Pack

SHEETS = {  # a sheet per section (titles: at most 31 characters, no colon)
    "crime": "Neighbourhood crime",
    "syv": "Youth violence and knife",
    "reoffending": "Reoffending and IOM",
    "prevent": "Prevent training",
    "hate": "Hate crime",
    "partnership": "Partnership indicators",
    "wards": "Wards",
    "asb": "Anti-social behaviour",
    "da": "Domestic abuse",
}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
FORMATS = {  # number formats of the headline columns and the Indicators sheet's
    "12 months (R12)": COUNT,
    "Previous 12 months (P12)": COUNT,
    "2011/12 baseline": COUNT,
    "Target": COUNT,
    "London rank": "0",
    "Most similar group rank": "0",
    "Change on P12": CHANGE,
    "Change on baseline": CHANGE,
    "Rate per 1,000 residents": "0.00",
    headline.OUTCOME_COLUMN: PERCENT,
    "r12": COUNT,
    "p12": COUNT,
    "baseline": COUNT,
    "target": COUNT,
    "change_vs_baseline_pct": CHANGE,
    "change_vs_previous_pct": CHANGE,
    "rate_per_1000": "0.00",
    "rate_per_10000": "0.00",
    "population": COUNT,
}


def _write_table(ws: Worksheet, top: int, frame: pd.DataFrame) -> int:
    """Header and rows of ``frame`` from row ``top``; returns the next free row."""
    for col, name in enumerate(frame.columns, start=1):
        cell = put(ws.cell(top, col), str(name))
        cell.font, cell.fill = BOLD, HEADER_FILL
    for r, values in enumerate(frame.itertuples(index=False), start=top + 1):
        for col, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            put(ws.cell(r, col), value, FORMATS.get(name))
    return top + len(frame) + 2


def _widths(ws: Worksheet, limit: int = 60, rows: int = 500) -> None:
    """Each column as wide as its longest value in the first ``rows`` rows (up to ``limit``)."""
    for column in ws.iter_cols(max_row=min(ws.max_row, rows)):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(column[0].column)].width = min(longest + 2, limit)


def _mark(ws: Worksheet, exempt: bool) -> None:
    if exempt:  # printed on every page of the sheet
        ws.oddHeader.center.text = EXEMPT_MARK
        ws.evenHeader.center.text = EXEMPT_MARK


def indicators_frame(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators export as the workbook holds it: changes as fractions, targets as the
    PDF prints them (the section sheets' figures)."""
    frame = indicators.copy()
    for column in ("change_vs_baseline_pct", "change_vs_previous_pct"):
        frame[column] = [headline.fraction(v) for v in frame[column]]
    frame["target"] = [None if pd.isna(v) else headline.shown_target(v) for v in frame["target"]]
    return frame


def indicators_sheet(wb: Workbook, pack: Pack) -> None:
    ws = wb.active
    ws.title = "Indicators"
    frame = indicators_frame(pack.indicators) if not pack.indicators.empty else pd.DataFrame()
    ws.append([str(c) for c in frame.columns])
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for values in frame.itertuples(index=False):  # append: a row at a time, the fast path
        ws.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values])
    for col, name in enumerate(frame.columns, start=1):  # formats only where figures need one
        if name in FORMATS:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = FORMATS[name]
    ws.freeze_panes = "A2"
    _widths(ws, 40)
    _mark(ws, pack.exempt)


def section_sheet(wb: Workbook, section, exempt: bool) -> None:
    ws = wb.create_sheet(SHEETS.get(section.key, section.key))
    lines = [EXEMPT_MARK] if exempt else []
    lines += [section.title, *([f"{ILLUSTRATIVE_NOTE}."] if section.illustrative else [])]
    lines += [*section.notes, *(section.sentences or [section.missing or ""])]
    row = 1
    lines += [p.line for p in section.periods]
    commentary = notes.commentary_lines(section.figures.get("commentary"))
    lines += ["The lead officer's commentary:", *commentary] if commentary else []
    for line in lines:
        put(ws.cell(row, 1), line).font = BOLD if row == 1 else Font()
        row += 1
    row += 1
    if section.headline:
        across = section.across_break
        rows = [headline.values(label, record, across) for label, record in section.headline]
        if section.rate_digits is not None:
            records = [record for _, record in section.headline]
            outcomes = headline.OUTCOME_COLUMN in headline.rate_columns(records)
            rows = [headline.rate_values(lb, r, outcomes) for lb, r in section.headline]
        ws.freeze_panes = f"A{row + 1}"
        row = _write_table(ws, row, pd.DataFrame(rows))
    for title, frame in section.tables:
        put(ws.cell(row, 1), title).font = BOLD
        if not section.headline and ws.freeze_panes in (None, "A1"):
            ws.freeze_panes = f"A{row + 2}"
        row = _write_table(ws, row + 1, frame)
    if "actions" in section.figures:
        put(ws.cell(row, 1), "Action plan").font = BOLD
        row = _write_table(ws, row + 1, section.figures["actions"])
    if "full_table" in section.figures:
        title, frame = section.figures["full_table"]
        put(ws.cell(row, 1), title).font = BOLD
        row = _write_table(ws, row + 1, frame)
    for chart in section.charts:
        put(ws.cell(row, 1), chart.title).font = BOLD
        put(ws.cell(row + 1, 1), chart.caption)
        row = _write_table(ws, row + 2, chart.data)
    _widths(ws)
    _mark(ws, exempt)


def notes_sheet(wb: Workbook, pack: Pack, caveats: list[str], sources: list[str]) -> None:
    ws = wb.create_sheet("Sources and caveats")
    row = 1
    if pack.exempt:
        ws.cell(row, 1, EXEMPT_MARK).font = BOLD
        row += 1
    for heading, lines in (("Sources", sources), ("Caveats", caveats)):
        ws.cell(row, 1, heading).font = BOLD
        for offset, line in enumerate(lines, start=1):
            put(ws.cell(row + offset, 1), line)
        row += len(lines) + 2
    ws.cell(row, 1, "Vintages: the files loaded").font = BOLD
    _write_table(ws, row + 1, pack.vintages)
    _widths(ws, 100)
    _mark(ws, pack.exempt)


def workbook_bytes(pack: Pack, caveats: list[str], sources: list[str]) -> bytes:
    wb = Workbook()
    indicators_sheet(wb, pack)
    for section in pack.sections:
        section_sheet(wb, section, pack.exempt)
    notes_sheet(wb, pack, caveats, sources)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
