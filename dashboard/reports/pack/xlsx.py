"""The pack as an Excel workbook: the ``Indicators`` sheet first (the indicators export for the
quarter's month, row for row), then one formatted sheet per section (headline figures with
number formats, its tables), then the sources and caveats. Values, not formulas; every text
cell neutralised as the exports do (``reports.exports.neutralise``)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.values import is_missing
from dashboard.reports.exports import neutralise, safe_frame
from dashboard.reports.pack import headline
from dashboard.reports.pack.audience import EXEMPT_MARK

if TYPE_CHECKING:
    from dashboard.reports.pack.build import Pack

SHEETS = {  # a sheet per section (titles: at most 31 characters, no colon)
    "crime": "Neighbourhood crime",
    "syv": "Youth violence and knife",
    "reoffending": "Reoffending and IOM",
    "prevent": "Prevent training",
    "hate": "Hate crime",
    "wards": "Wards",
}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
FORMATS = {  # number formats of the headline columns
    "12 months (R12)": "#,##0",
    "Previous 12 months (P12)": "#,##0",
    "2011/12 baseline": "#,##0",
    "Target": "#,##0.0",
    "London rank": "0",
    "Change on P12 %": '+0.0"%";-0.0"%";0.0"%"',
    "Change on baseline %": '+0.0"%";-0.0"%";0.0"%"',
}


def _cell_value(value):
    if is_missing(value):
        return None
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "item"):  # numpy and pandas scalars as plain Python numbers
        return value.item()
    return value


def _write_table(ws: Worksheet, top: int, frame: pd.DataFrame) -> int:
    """Header and rows of ``frame`` from row ``top``; returns the next free row."""
    for col, name in enumerate(frame.columns, start=1):
        cell = ws.cell(top, col, neutralise(str(name)))
        cell.font, cell.fill = BOLD, HEADER_FILL
    for r, values in enumerate(frame.itertuples(index=False), start=top + 1):
        for col, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            cell = ws.cell(r, col, _cell_value(value))
            if name in FORMATS:
                cell.number_format = FORMATS[name]
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


def indicators_sheet(wb: Workbook, pack: Pack) -> None:
    ws = wb.active
    ws.title = "Indicators"
    frame = safe_frame(pack.indicators) if not pack.indicators.empty else pd.DataFrame()
    ws.append([str(c) for c in frame.columns])  # already neutralised by safe_frame
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for values in frame.itertuples(index=False):  # append: a row at a time, the fast path
        ws.append([_cell_value(v) for v in values])
    ws.freeze_panes = "A2"
    _widths(ws, 40)
    _mark(ws, pack.exempt)


def section_sheet(wb: Workbook, section, exempt: bool) -> None:
    ws = wb.create_sheet(SHEETS.get(section.key, section.key))
    lines = [EXEMPT_MARK] if exempt else []
    lines += [section.title, *section.notes, *(section.sentences or [section.missing or ""])]
    row = 1
    for line in lines:
        ws.cell(row, 1, neutralise(line)).font = BOLD if row == 1 else Font()
        row += 1
    row += 1
    if section.headline:
        rows = [headline.values(label, record) for label, record in section.headline]
        ws.freeze_panes = f"A{row + 1}"
        row = _write_table(ws, row, pd.DataFrame(rows))
    for title, frame in section.tables:
        ws.cell(row, 1, neutralise(title)).font = BOLD
        if not section.headline and ws.freeze_panes in (None, "A1"):
            ws.freeze_panes = f"A{row + 2}"
        row = _write_table(ws, row + 1, frame)
    if "full_table" in section.figures:
        title, frame = section.figures["full_table"]
        ws.cell(row, 1, neutralise(title)).font = BOLD
        row = _write_table(ws, row + 1, frame)
    for chart in section.charts:
        ws.cell(row, 1, neutralise(chart.title)).font = BOLD
        ws.cell(row + 1, 1, neutralise(chart.caption))
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
            ws.cell(row + offset, 1, neutralise(line))
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
