"""Reading a filled-in council template: find its data sheets, check every cell, collect problems.

Sheets are found by name (as the template names them), else by their header; headings match
without regard to case or punctuation. Checks run per column over the whole sheet, then the
rules across columns, then duplicate keys; every problem is reported at once, in row order.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from core import reference
from etl.errors import WARNING, Problem, ProblemList, problem
from etl.formats.mps_dashboard import parse_month
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
    Field,
    SheetSpec,
    TemplateSpec,
    normalise_heading,
)
from etl.read import Extract, Sheet, sheet_from_grid

QUARTER_LABEL = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2})\s*Q([1-4])$", re.IGNORECASE)
_BOROUGHS = {
    reference.name_key(name): code
    for code, name in reference.LONDON_AUTHORITIES.items()
    if reference.is_london_borough(code)
}


def _sheet_for(spec: SheetSpec, extract: Extract) -> Sheet | None:
    """The workbook sheet named as ``spec`` (any case), or a CSV whose header is the sheet's."""
    if extract.kind == "xlsx":
        for name, grid in extract.grids.items():
            if name.strip().lower() == spec.name.lower():
                return sheet_from_grid(name, grid, 0) if len(grid) else None
        return None
    sheet = extract.sheets[0] if extract.sheets else None
    return sheet if sheet is not None and _header_matches(spec, sheet) else None


def _header_matches(spec: SheetSpec, sheet: Sheet) -> bool:
    return all(any(f.accepts(h) for h in sheet.frame.columns) for f in spec.fields if f.required)


def detect(
    extract: Extract, templates: tuple[TemplateSpec, ...]
) -> tuple[TemplateSpec, dict[str, Sheet]] | None:
    """The template a file is, with its data sheets by name; None when it is not a template."""
    for template in templates:
        found = {s.name: _sheet_for(s, extract) for s in template.sheets}
        if any(sheet is not None for sheet in found.values()):
            return template, {k: v for k, v in found.items() if v is not None}
    if extract.kind != "xlsx":
        return None
    # a data sheet renamed: recognise it by its header
    for template in templates:
        for spec in template.sheets:
            for name, grid in extract.grids.items():
                if len(grid) and _header_matches(spec, sheet := sheet_from_grid(name, grid, 0)):
                    return template, {spec.name: sheet}
    return None


# ---------------------------------------------------------------- cells


def _blank(raw: pd.Series) -> np.ndarray:
    text = raw.astype("string").str.strip()
    return (raw.isna() | (text == "")).fillna(True).to_numpy(dtype=bool)


def _numbers(raw: pd.Series) -> np.ndarray:
    # '1,234' typed as text still reads as a number; everything else unreadable becomes NaN
    cleaned = raw.map(lambda v: v.replace(",", "").strip() if isinstance(v, str) else v)
    as_number = pd.to_numeric(cleaned.where(~cleaned.map(_is_date_like)), errors="coerce")
    return as_number.to_numpy(dtype=float)


def _is_date_like(value: object) -> bool:
    return isinstance(value, date | datetime | pd.Timestamp)


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime | pd.Timestamp):
        return date(value.year, value.month, value.day)
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial
        return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(value))).date()
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _month(value: object) -> date | None:
    """A month as the MPS loader reads it, or as people write one: 'Mar 2024', '2024-03'."""
    found = parse_month(value)
    if found is not None or not isinstance(value, str):
        return found
    for fmt in ("%b %Y", "%B %Y", "%Y-%m", "%m/%Y"):
        try:
            parsed = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return date(parsed.year, parsed.month, 1)
    return None


def _quarter(value: object) -> str | None:
    match = QUARTER_LABEL.match(str(value).strip())
    if not match:
        return None
    first, second, quarter = int(match.group(1)), int(match.group(2)), match.group(3)
    if (first + 1) % 100 != second:
        return None
    return f"{first}/{second:02d} Q{quarter}"


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year typed in Excel arrives as 2021.0
    return re.sub(r"\s+", " ", str(value)).strip()


def _borough_hint(value: str) -> str:
    names = reference.borough_names()
    close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _read_field(fld: Field, column: str, raw: pd.Series, sheet: Sheet, out: list[Problem]):
    """Values of one column in their stored form (None where blank or wrong), problems added."""
    blank = _blank(raw)
    values = np.full(len(raw), None, dtype=object)

    def bad(i: int, code: str, severity: str = "error", **details) -> None:
        out.append(
            problem(
                code,
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column=column,
                value=None if blank[i] else _text(raw.iloc[i]),
                severity=severity,
                **details,
            )
        )

    for i in np.nonzero(blank)[0]:
        if fld.required:
            bad(int(i), "blank-value")
    filled = np.nonzero(~blank)[0]
    if fld.kind in (COUNT, NUMBER, RANK):
        numbers = _numbers(raw)
        for i in filled:
            number = numbers[i]
            whole = not np.isnan(number) and float(number).is_integer()
            if np.isnan(number):  # text such as "n/a": not a number at all
                bad(i, "not-a-number")
            elif fld.kind != NUMBER and not whole:
                bad(i, "not-whole-number")
            elif fld.kind == COUNT and number < 0:
                bad(i, "negative-count")
            elif fld.kind == NUMBER and number < 0:
                bad(i, "out-of-range", allowed="0 or more")
            elif fld.kind == RANK and not 1 <= number <= 32:
                bad(i, "out-of-range", allowed="a whole number from 1 to 32")
            else:
                values[i] = float(number) if fld.kind == NUMBER else int(number)
        return values
    readers = {
        MONTH: (_month, "bad-month-value"),
        DATE: (_parse_date, "bad-date"),
        QUARTER: (_quarter, "bad-quarter"),
    }
    if fld.kind in readers:
        reader, code = readers[fld.kind]
        for i in filled:
            values[i] = reader(raw.iloc[i])
            if values[i] is None:
                bad(i, code)
        return values
    if fld.kind == BOROUGH:
        for i in filled:
            text = _text(raw.iloc[i])
            code = text.upper() if text.upper() in _BOROUGHS.values() else None
            values[i] = code or _BOROUGHS.get(reference.name_key(text))
            if values[i] is None:
                bad(i, "unknown-borough", hint=_borough_hint(text))
        return values
    if fld.kind == CHOICE:
        allowed = LISTS[fld.choices]
        lookup = {normalise_heading(v): v for v in allowed}
        for i in filled:
            text = _text(raw.iloc[i])
            values[i] = lookup.get(normalise_heading(text))
            if values[i] is None and fld.strict:
                bad(i, "unexpected-value", allowed=", ".join(allowed))
            elif values[i] is None:
                values[i] = text
                bad(i, "not-on-list", severity=WARNING, list_name=fld.choices)
        return values
    for i in filled:
        values[i] = _text(raw.iloc[i])
    return values


# ---------------------------------------------------------------- sheets


def _columns(spec: SheetSpec, sheet: Sheet, label: str, out: list[Problem]) -> dict | None:
    """Field name -> the file's heading; None (with problems) when a required one is missing."""
    found: dict[str, str] = {}
    for fld in spec.fields:
        heading = next((h for h in sheet.frame.columns if fld.accepts(h)), None)
        if heading is not None:
            found[fld.name] = heading
        elif fld.required:
            out.append(
                problem(
                    "missing-column",
                    sheet=sheet.name,
                    row=sheet.header_row,
                    column=fld.heading,
                    layout=label,
                )
            )
    missing = [f for f in spec.fields if f.required and f.name not in found]
    return None if missing else found


def _display(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _duplicates(spec: SheetSpec, frame: pd.DataFrame, sheet: Sheet, out: list[Problem]) -> None:
    keyed = frame.dropna(subset=list(spec.key))
    first_rows = keyed.groupby(list(spec.key), sort=False)["source_row"].transform("min")
    headings = " and ".join(spec.field(k).heading for k in spec.key)
    for index in np.nonzero((keyed["source_row"] != first_rows).to_numpy())[0]:
        row = keyed.iloc[index]
        shown = ", ".join(_display(row[k]) for k in spec.key)
        out.append(
            problem(
                "duplicate-row",
                sheet=sheet.name,
                row=int(row["source_row"]),
                what=f"the same {headings} ({shown})",
                first_row=int(first_rows.iloc[index]),
            )
        )


def _rules(
    spec: SheetSpec, frame: pd.DataFrame, sheet: Sheet, columns: dict, out: list[Problem]
) -> None:
    for rule in spec.rules:
        if rule.small not in columns or rule.big not in columns:
            continue
        small = pd.to_numeric(frame[rule.small], errors="coerce")
        big = pd.to_numeric(frame[rule.big], errors="coerce")
        for i in np.nonzero((small > big).fillna(False).to_numpy())[0]:
            out.append(
                problem(
                    rule.code,
                    sheet=sheet.name,
                    row=int(frame["source_row"].iloc[i]),
                    column=columns[rule.small],
                    value=int(small.iloc[i]),
                    limit=int(big.iloc[i]),
                )
            )


def parse_sheet(spec: SheetSpec, sheet: Sheet, label: str, problems: ProblemList) -> pd.DataFrame:
    """Validated rows of one data sheet: its field names plus source_sheet and source_row."""
    out: list[Problem] = []
    columns = _columns(spec, sheet, label, out)
    if columns is None:
        problems.extend(out)
        return pd.DataFrame()
    data = {}
    for fld in spec.fields:
        if fld.name in columns:
            raw = sheet.frame[columns[fld.name]].reset_index(drop=True)
            data[fld.name] = _read_field(fld, columns[fld.name], raw, sheet, out)
        else:
            data[fld.name] = np.full(len(sheet.frame), None, dtype=object)
    frame = pd.DataFrame(data)
    frame["source_sheet"] = sheet.name
    frame["source_row"] = sheet.rows.astype(int)
    _rules(spec, frame, sheet, columns, out)
    _duplicates(spec, frame, sheet, out)
    order = {f.heading: i for i, f in enumerate(spec.fields)}
    out.sort(key=lambda p: (p.row or 0, order.get(p.column or "", len(order))))
    problems.extend(out)
    if spec.derive is not None and not any(p.severity == "error" for p in out):
        frame = spec.derive(frame)
    return frame


def parse(
    template: TemplateSpec, sheets: dict[str, Sheet], problems: ProblemList
) -> dict[str, pd.DataFrame]:
    """Validated rows per data sheet name (sheets with no rows are left out)."""
    frames = {}
    for spec in template.sheets:
        sheet = sheets.get(spec.name)
        if sheet is None or sheet.frame.empty:
            continue
        frame = parse_sheet(spec, sheet, template.label, problems)
        if len(frame):
            frames[spec.name] = frame
    if not frames and not problems.has_errors:
        problems.add(problem("file-empty", sheet=", ".join(s.name for s in template.sheets)))
    return frames
