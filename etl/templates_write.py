"""The council templates as .xlsx workbooks, written from their one definition (openpyxl).

Each workbook has an Instructions sheet (purpose, each column's meaning, an example row, how to
upload), its data sheets (header on row 1, frozen, sized, with Excel data validation: drop-down
lists for fixed values, whole numbers for counts, dates for months) and a hidden 'Lists' sheet
holding the drop-down values. Output is byte-for-byte repeatable, so regenerating the files in
data/templates changes nothing unless a definition changed.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from etl.formats.templates import TEMPLATES
from etl.formats.templates.spec import (
    BOROUGH,
    CHOICE,
    COUNT,
    DATE,
    LISTS,
    MONTH,
    NUMBER,
    QUARTER,
    RANK,
    REPORTING_CENTRES_ILLUSTRATIVE,
    Field,
    SheetSpec,
    TemplateSpec,
)
from etl.templates_samples import SAMPLES

MAX_ROWS = 5000  # rows of each data sheet that carry the validation
LISTS_SHEET = "Lists"
FIXED_TIME = datetime(2025, 1, 1)
FIRST_DATE, LAST_DATE = "36526", "73415"  # Excel serials of 2000-01-01 and 2100-12-31
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
BOLD = Font(bold=True)
NUMBER_FORMATS = {MONTH: "mmm yyyy", DATE: "d mmm yyyy", NUMBER: "0.0"}
KIND_WORDS = {
    COUNT: "A whole number, 0 or more.",
    NUMBER: "A number, 0 or more.",
    RANK: "A whole number from 1 to 32.",
    MONTH: "A date; it is read as its month (2024-03-01 and 2024-03-15 are both March 2024).",
    DATE: "A date.",
    QUARTER: "YYYY/YY Qn, for example 2022/23 Q3 (drop-down list).",
}
UPLOAD_STEPS = (
    "Save the workbook as .xlsx (keep the sheet names and column headings as they are: the "
    "dashboard finds the figures by them) and upload it on the dashboard's Upload page, or run: "
    "python -m etl load <file>.",
    "The whole file is checked first. If anything is wrong nothing is loaded, and every problem "
    "is listed at once with its sheet, Excel row, column and value, so you can fix them all.",
    "Uploading again with the same keys (see 'one row per' above each sheet's columns) replaces "
    "those figures; the old figures are kept in the history with the upload that replaced them. "
    "Loading the same file twice changes nothing.",
)


def _list_column(name: str, lists: list[str]) -> str:
    return get_column_letter(lists.index(name) + 1)


def _list_range(name: str, lists: list[str]) -> str:
    col = _list_column(name, lists)
    return f"{LISTS_SHEET}!${col}$2:${col}${len(LISTS[name]) + 1}"


def _validation(fld: Field, lists: list[str]) -> DataValidation:
    """The Excel data validation for a field (an input message at least)."""
    if fld.kind in (CHOICE, BOROUGH, QUARTER):
        dv = DataValidation(
            type="list",
            formula1=_list_range(fld.choices, lists),
            errorStyle="stop" if fld.strict else "warning",
        )
    elif fld.kind == COUNT:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    elif fld.kind == RANK:
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="32")
    elif fld.kind == NUMBER:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    elif fld.kind in (MONTH, DATE):
        dv = DataValidation(
            type="date", operator="between", formula1=FIRST_DATE, formula2=LAST_DATE
        )
    else:
        dv = DataValidation()
    dv.allow_blank = not fld.required
    dv.showInputMessage = True
    dv.promptTitle = fld.heading[:32]
    dv.prompt = fld.help[:255]
    if dv.type:
        dv.showErrorMessage = True
        dv.errorTitle = fld.heading[:32]
        dv.error = (KIND_WORDS.get(fld.kind) or "Choose a value from the drop-down list.")[:255]
    return dv


def _data_sheet(ws: Worksheet, spec: SheetSpec, lists: list[str], rows: list[dict]) -> None:
    for col, fld in enumerate(spec.fields, start=1):
        cell = ws.cell(1, col, fld.heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = fld.width
        if fld.as_text:
            ws.column_dimensions[letter].number_format = "@"
        dv = _validation(fld, lists)
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)
        for r, row in enumerate(rows, start=2):
            value = row.get(fld.name)
            target = ws.cell(r, col, value)
            if fld.kind in NUMBER_FORMATS and value is not None:
                target.number_format = NUMBER_FORMATS[fld.kind]
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32


def _lists_sheet(ws: Worksheet, lists: list[str]) -> None:
    for col, name in enumerate(lists, start=1):
        heading = name
        if name == "Hate Crime Reporting Centres" and REPORTING_CENTRES_ILLUSTRATIVE:
            heading += " (ILLUSTRATIVE names: replace with the centres in the annual report)"
        ws.cell(1, col, heading).font = BOLD
        for row, value in enumerate(LISTS[name], start=2):
            ws.cell(row, col, value)
        ws.column_dimensions[get_column_letter(col)].width = max(len(v) for v in LISTS[name]) + 4
    ws.sheet_state = "hidden"


class _Writer:
    """Lines of the Instructions sheet, top to bottom."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws, self.row = ws, 1
        for letter, width in zip("ABCDEFG", (30, 16, 70, 44, 18, 18, 18), strict=True):
            ws.column_dimensions[letter].width = width

    def paragraph(self, text: str, font: Font | None = None, gap: int = 0) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=4)
        cell = self.ws.cell(self.row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            cell.font = font
        self.ws.row_dimensions[self.row].height = 15 * (len(text) // 150 + 1)
        self.row += 1 + gap

    def cells(self, values: list[object], font: Font | None = None) -> None:
        height = 1
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if font:
                cell.font = font
            width = self.ws.column_dimensions[get_column_letter(min(col, 4))].width
            height = max(height, len(str(value or "")) // int(width) + 1)
        self.ws.row_dimensions[self.row].height = 15 * height
        self.row += 1


def _allowed(fld: Field, lists: list[str]) -> str:
    if fld.kind in (CHOICE, BOROUGH):
        values = LISTS[fld.choices]
        where = f"sheet '{LISTS_SHEET}', column {_list_column(fld.choices, lists)}"
        shown = ", ".join(values) if len(values) <= 8 else ", ".join(values[:3]) + ", ..."
        rule = "" if fld.strict else " Other names are accepted with a warning."
        return f"One of the drop-down list ({where}): {shown}.{rule}"
    return KIND_WORDS.get(fld.kind, "Text.")


def _example(spec: SheetSpec) -> list[object]:
    values = []
    for fld in spec.fields:
        value = spec.example.get(fld.name)
        values.append(value.strftime("%Y-%m-%d") if isinstance(value, date) else value)
    return values


def _instructions(
    ws: Worksheet, template: TemplateSpec, lists: list[str], about: tuple[str, ...]
) -> None:
    w = _Writer(ws)
    w.paragraph(template.title, Font(bold=True, size=14), gap=1)
    if about:
        w.paragraph("About the figures in this example", Font(bold=True, color="C00000"))
        for line in about:
            w.paragraph(line, Font(color="C00000"))
        w.row += 1
    w.paragraph("What this template is for", BOLD)
    for line in template.purpose:
        w.paragraph(line)
    w.row += 1
    for spec in template.sheets:
        w.paragraph(f"Sheet '{spec.name}': {spec.description}", BOLD)
        w.cells(["Column", "Must be filled in?", "What to write", "Allowed values"], BOLD)
        for fld in spec.fields:
            w.cells(
                [
                    fld.heading,
                    "Yes" if fld.required else "No (may be blank)",
                    fld.help,
                    _allowed(fld, lists),
                ]
            )
        w.paragraph("Example row (invented figures, to show the format only):")
        w.cells([f.heading for f in spec.fields], BOLD)
        w.cells(_example(spec))
        w.row += 1
    w.paragraph("How to fill it in and upload it", BOLD)
    for line in (*template.notes, *UPLOAD_STEPS):
        w.paragraph(line)


def _lists_used(template: TemplateSpec) -> list[str]:
    names = {f.choices for s in template.sheets for f in s.fields if f.choices}
    return [name for name in LISTS if name in names]


def workbook(
    template: TemplateSpec, rows: dict[str, list[dict]] | None = None, about: tuple[str, ...] = ()
) -> Workbook:
    """The template as a Workbook; ``rows`` fill its data sheets (a filled example)."""
    wb = Workbook()
    lists = _lists_used(template)
    _instructions(wb.active, template, lists, about)
    wb.active.title = "Instructions"
    for spec in template.sheets:
        _data_sheet(wb.create_sheet(spec.name), spec, lists, (rows or {}).get(spec.name, []))
    if lists:
        _lists_sheet(wb.create_sheet(LISTS_SHEET), lists)
    wb.active = 0
    return wb


def _repeatable(data: bytes) -> bytes:
    """The same workbook with fixed zip timestamps, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def workbook_bytes(wb: Workbook) -> bytes:
    """An openpyxl workbook as .xlsx bytes, repeatable (fixed document and zip times)."""
    wb.properties.creator = "Community safety dashboard"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # not wb.save(): that stamps the current time
    return _repeatable(buffer.getvalue())


def template_bytes(template: TemplateSpec) -> bytes:
    """The blank template as .xlsx bytes (for the app's download link)."""
    return workbook_bytes(workbook(template))


def write_templates(out_dir: str | Path) -> list[Path]:
    """Write every blank template into ``out_dir``; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for template in TEMPLATES:
        path = out / template.filename
        path.write_bytes(template_bytes(template))
        paths.append(path)
    return paths


def write_samples(out_dir: str | Path) -> list[Path]:
    """Write a filled example of every template into ``out_dir``; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for template in TEMPLATES:
        rows, about = SAMPLES[template.name]()
        path = out / template.filename.replace(".xlsx", "-sample.xlsx")
        path.write_bytes(workbook_bytes(workbook(template, rows, about)))
        paths.append(path)
    return paths
