"""The workbook's cells as analysts expect them: every figure a number with a number format
(counts as integers '#,##0', percentages as fractions '0.0%', decimals as printed), text as text.

The pack's tables hold the figures as the PDF prints them ('1,005', '65.5%', '4.40', '+3.1%'),
so the workbook reads each back into the number it shows (the PDF and the workbook cannot then
differ). A text that would start a formula is written as a text cell (never run, and with no
visible apostrophe): only a value beginning '=' needs it, as openpyxl would store it as a formula.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell

from core.values import is_missing
from dashboard.text import MINUS

COUNT = "#,##0"
PERCENT = "0.0%"
CHANGE = "+0.0%;-0.0%;0.0%"  # a change with its sign, as the PDF prints it
_COUNT = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)$")
_DECIMAL = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)$")
_PERCENT = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?%$")


def figure(text: str) -> tuple[object, str | None]:
    """A printed figure as (number, number format); other text as (text, None)."""
    plain = text.strip().replace(MINUS, "-")
    if match := _COUNT.match(plain):  # '1,005' grouped; '2021' (a year, a small count) plain
        return int(plain.replace(",", "")), COUNT if "," in plain else "0"
    if match := _DECIMAL.match(plain):
        return float(plain.replace(",", "")), "#,##0." + "0" * len(match.group(3))
    if match := _PERCENT.match(plain):
        digits = len(match.group(3) or "")
        pattern = "0" + ("." + "0" * digits if digits else "") + "%"
        number = float(plain[:-1].replace(",", "")) / 100
        return number, (f"+{pattern};-{pattern};{pattern}" if match.group(1) else pattern)
    return text, None


def looks_numeric(text: str) -> bool:
    """True for text a spreadsheet user would read as a number ('1,005', '65.5%', '4.40')."""
    return figure(text)[1] is not None


def put(cell: Cell, value, number_format: str | None = None) -> Cell:
    """Write ``value`` into ``cell``: numpy scalars as Python numbers, printed figures as numbers
    with their format, text as a text cell; ``number_format`` overrides the format."""
    if is_missing(value):
        cell.value = None
        return cell
    if hasattr(value, "item"):
        value = value.item()
    shown = None
    if isinstance(value, str):
        value, shown = figure(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if number_format or shown:
        cell.number_format = number_format or shown
    return cell
