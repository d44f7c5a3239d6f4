"""Files people download (CSV, XLSX): text cells made safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab or carriage return) would be read by Excel or
LibreOffice as a formula, so text taken from an uploaded file (a ward name, a problem's value)
could run one on the reader's machine. Such text cells get a leading apostrophe, as OWASP's
CSV-injection advice says; numbers stay numbers.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with ' ; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column heading) neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text, safe to open in a spreadsheet."""
    return safe_frame(frame).to_csv(index=False)


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """The frame as an .xlsx workbook, safe to open in a spreadsheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
