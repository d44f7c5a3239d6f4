"""MPS recorded-crime files (borough and ward, every vintage) -> a validated wide table.

The MPS publishes one row per area and crime category with a column per month (``YYYYMM``).
Layouts differ between vintages only in their identifying columns, so each layout is a list of
those columns; the month columns are checked and converted in one vectorised pass.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from core import reference
from core.reference import mopac7_type
from etl.errors import WARNING, ProblemList, problem
from etl.read import Extract, Sheet, sheet_from_grid


@dataclass(frozen=True)
class CrimeLayout:
    name: str
    label: str
    dataset: str  # borough_crime | ward_crime
    area: str  # column holding the borough name
    major: str
    minor: str
    first: str  # the first column, which tells apart layouts with the same columns
    ward_name: str | None = None
    ward_code: str | None = None
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        cols = [self.major, self.minor, self.area]
        if self.ward_code:
            cols = [self.ward_name, self.ward_code, *cols]
        return cols


LAYOUTS = [
    CrimeLayout(
        "mps-ward-historical",
        "MPS ward level crime, Historical (WardName, WardCode, MajorText, MinorText, "
        "LookUp_BoroughName, YYYYMM...)",
        "ward_crime",
        "LookUp_BoroughName",
        "MajorText",
        "MinorText",
        "WardName",
        "WardName",
        "WardCode",
        ("Refreshed Date",),
    ),
    CrimeLayout(
        "mps-ward-recent",
        "MPS ward level crime, most recent 24 months (MajorText, MinorText, WardName, WardCode, "
        "LookUp_BoroughName, YYYYMM...)",
        "ward_crime",
        "LookUp_BoroughName",
        "MajorText",
        "MinorText",
        "MajorText",
        "WardName",
        "WardCode",
        ("Refreshed Date",),
    ),
    CrimeLayout(
        "mps-borough-current",
        "MPS borough level crime (MajorText, MinorText, BoroughName, YYYYMM...)",
        "borough_crime",
        "BoroughName",
        "MajorText",
        "MinorText",
        "MajorText",
        optional=("Refreshed Date",),
    ),
    CrimeLayout(
        "mps-borough-2019",
        "MPS borough level crime, 2019-2022 (MajorText, MinorText, LookUp_BoroughName, YYYYMM...)",
        "borough_crime",
        "LookUp_BoroughName",
        "MajorText",
        "MinorText",
        "MajorText",
        optional=("Refreshed Date",),
    ),
    CrimeLayout(
        "mps-borough-pre2019",
        "MPS borough level crime, before 2019 (Borough, Major Category, Minor Category, YYYYMM...)",
        "borough_crime",
        "Borough",
        "Major Category",
        "Minor Category",
        "Borough",
    ),
]

MONTH_HEADER = re.compile(r"^\d{6}$")


@dataclass
class CrimeTable:
    """A validated crime file: identifying columns per row and a rows x months count matrix."""

    layout: CrimeLayout
    sheet_name: str | None
    rows: np.ndarray
    area_code: np.ndarray
    area_name: np.ndarray
    area_type: np.ndarray
    parent_code: np.ndarray
    parent_name: np.ndarray
    major: np.ndarray
    minor: np.ndarray
    months: list[date]
    counts: np.ndarray  # int64, shape (rows, months)
    # long formats: the Excel row of each (row, month) cell, 0 where the file had no row
    cell_rows: np.ndarray | None = None
    # long formats: (row, month index, Excel row) of each further file row whose count was added
    # into a cell (the publisher's repeats, see formats.dashboard_areas); shape (n, 3)
    merged_rows: np.ndarray | None = None

    @property
    def sheet_rows(self) -> np.ndarray:
        """The file rows this table was read from."""
        if self.cell_rows is None:
            return self.rows
        first = self.cell_rows[self.cell_rows > 0]
        if self.merged_rows is None:
            return first
        return np.concatenate([first, self.merged_rows[:, 2]])


def _key(text: str) -> str:
    return str(text).strip().lower()


def detect_layout(header: list[str]) -> tuple[CrimeLayout | None, int]:
    """The layout whose identifying columns best match ``header`` and how many are missing."""
    present = {_key(h) for h in header}
    first = _key(header[0]) if header else ""
    best, best_missing, best_score = None, 99, 0
    for layout in LAYOUTS:
        wanted = {_key(c) for c in layout.columns}
        score = len(wanted & present) + (first == _key(layout.first)) * 0.5
        missing = len(wanted - present)
        # on a tie the layout with nothing missing wins (a 2019 borough file also matches 3 of
        # the ward layout's 5 columns)
        if (score, -missing) > (best_score, -best_missing):
            best, best_score, best_missing = layout, score, missing
    if best_score < 2:
        return None, 0
    return best, best_missing


def _month_columns(sheet: Sheet, layout: CrimeLayout, problems: ProblemList, today: date):
    ids = {_key(c) for c in layout.columns} | {_key(c) for c in layout.optional}
    months: list[tuple[str, date]] = []
    this_month = date(today.year, today.month, 1)
    for column in sheet.frame.columns:
        if _key(column) in ids:
            continue
        row = sheet.header_row
        if re.fullmatch(r"\d{6}\.\d+", column):  # pandas renames a repeated heading 202401.1
            original = column.split(".")[0]
            problems.add(
                problem(
                    "duplicate-column", sheet=sheet.name, row=row, column=original, value=original
                )
            )
            continue
        if not MONTH_HEADER.match(column):
            problems.add(problem("unexpected-column", sheet=sheet.name, row=row, column=column))
            continue
        year, month = int(column[:4]), int(column[4:])
        if not (1 <= month <= 12 and 1990 <= year <= 2100):
            detail = f"month {month:02d} does not exist" if not 1 <= month <= 12 else "bad year"
            problems.add(
                problem("bad-month", sheet=sheet.name, row=row, column=column, detail=detail)
            )
            continue
        first_day = date(year, month, 1)
        if first_day > this_month:
            problems.add(problem("future-month", sheet=sheet.name, row=row, column=column))
            continue
        months.append((column, first_day))
    if not months and not problems.has_errors:
        problems.add(problem("no-months", sheet=sheet.name, row=sheet.header_row))
    return months


def _count_matrix(sheet: Sheet, columns: list[str], problems: ProblemList) -> np.ndarray:
    """Counts as int64; blank, non-whole and negative cells become problems (vectorised)."""
    frame = sheet.frame[columns]
    if all(pd.api.types.is_integer_dtype(t) for t in frame.dtypes):
        values = frame.to_numpy(dtype=np.int64)
        bad_negative = values < 0
        bad_blank = bad_text = bad_fraction = np.zeros_like(bad_negative)
    else:
        raw = frame.to_numpy(dtype=object)
        numeric = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        bad_blank = frame.isna().to_numpy()
        bad_text = np.isnan(numeric) & ~bad_blank
        finite = np.where(np.isnan(numeric), 0.0, numeric)
        bad_fraction = (finite % 1 != 0) & ~bad_text
        bad_negative = (finite < 0) & ~bad_fraction
        values = finite.astype(np.int64)
        for mask, code in ((bad_text, "not-whole-number"), (bad_fraction, "not-whole-number")):
            for r, c in zip(*np.nonzero(mask), strict=True):
                problems.add(
                    problem(
                        code,
                        sheet=sheet.name,
                        row=int(sheet.rows[r]),
                        column=columns[c],
                        value=raw[r, c],
                    )
                )
                if problems.truncated:
                    break
    for r, c in zip(*np.nonzero(bad_blank), strict=True):
        problems.add(
            problem(
                "blank-count", sheet=sheet.name, row=int(sheet.rows[r]), column=columns[c], value=""
            )
        )
        if problems.truncated:
            break
    for r, c in zip(*np.nonzero(bad_negative), strict=True):
        problems.add(
            problem(
                "negative-count",
                sheet=sheet.name,
                row=int(sheet.rows[r]),
                column=columns[c],
                value=int(values[r, c]),
            )
        )
        if problems.truncated:
            break
    return values


def _each_distinct(values: pd.Series, function, missing: object = None) -> np.ndarray:
    """``function`` of each value, worked out once per distinct value (a file repeats a few
    hundred labels thousands of times); ``missing`` for empty cells."""
    codes, distinct = pd.factorize(values)
    done = np.array([*(function(v) for v in distinct), missing], dtype=object)
    return done[codes]


def _text_column(sheet: Sheet, column: str, problems: ProblemList) -> np.ndarray:
    text = _each_distinct(sheet.frame[column], lambda v: str(v).strip(), "")
    for i in np.nonzero(text == "")[0]:
        problems.add(
            problem(
                "blank-value",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column=column,
                value="",
                severity="error",
            )
        )
    return text


def _borough_codes(sheet: Sheet, column: str, names: np.ndarray, problems: ProblemList):
    codes = np.empty(len(names), dtype=object)
    known = reference.borough_names() + ["Unknown", "London Heathrow and London City Airports"]
    for name in pd.unique(names):
        code = reference.borough_code(name) if name else None
        where = names == name
        codes[where] = code
        if code is None and name:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            for i in np.nonzero(where)[0]:
                problems.add(
                    problem(
                        "unknown-borough",
                        sheet=sheet.name,
                        row=int(sheet.rows[i]),
                        column=column,
                        value=name,
                        hint=hint,
                    )
                )
    return codes


def _duplicates(sheet: Sheet, keys: pd.DataFrame, problems: ProblemList) -> None:
    upper = pd.DataFrame({c: _each_distinct(keys[c], lambda v: str(v).upper()) for c in keys})
    dup = upper.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    first_rows: dict[tuple, int] = {}
    for i in np.nonzero(dup)[0]:
        key = tuple(upper.iloc[i])
        if key not in first_rows:
            first_rows[key] = int(sheet.rows[i])
            continue
        what = " / ".join(str(v) for v in keys.iloc[i])
        problems.add(
            problem(
                "duplicate-row",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                what=what,
                first_row=first_rows[key],
            )
        )


def _category_warnings(
    sheet: Sheet, layout: CrimeLayout, major: np.ndarray, minor: np.ndarray, problems
) -> None:
    upper = pd.Series(_each_distinct(pd.Series(minor), str.upper, ""))
    unknown = ~upper.isin(reference.KNOWN_MINOR_CATEGORIES) & (upper != "")
    for label in pd.unique(minor[unknown.to_numpy()]):
        first = int(sheet.rows[np.nonzero(minor == label)[0][0]])
        kind = mopac7_type(str(major[np.nonzero(minor == label)[0][0]]), label)
        counted = f"counts towards {kind}" if kind else "does not count towards any MOPAC7 type"
        problems.add(
            problem(
                "unknown-category",
                sheet=sheet.name,
                row=first,
                counted=counted,
                column=layout.minor,
                value=label,
                severity=WARNING,
            )
        )


def _columns_by_key(sheet: Sheet) -> dict[str, str]:
    return {_key(c): c for c in sheet.frame.columns}


def parse_sheet(sheet: Sheet, problems: ProblemList, today: date) -> CrimeTable | None:
    """Validate one sheet against the crime layouts; None (with problems) if unusable."""
    header = list(sheet.frame.columns)
    layout, missing = detect_layout(header)
    if layout is None:
        return None
    by_key = _columns_by_key(sheet)
    if missing:
        for column in layout.columns:
            if _key(column) not in by_key:
                problems.add(
                    problem(
                        "missing-column",
                        sheet=sheet.name,
                        row=sheet.header_row,
                        column=column,
                        layout=layout.label,
                    )
                )
        return None
    col = {c: by_key[_key(c)] for c in layout.columns}
    months = _month_columns(sheet, layout, problems, today)
    major = _text_column(sheet, col[layout.major], problems)
    minor = _text_column(sheet, col[layout.minor], problems)
    borough_name = _text_column(sheet, col[layout.area], problems)
    borough = _borough_codes(sheet, col[layout.area], borough_name, problems)
    counts = _count_matrix(sheet, [m[0] for m in months], problems)
    if layout.ward_code:
        ward_code = _text_column(sheet, col[layout.ward_code], problems)
        ward_name = _text_column(sheet, col[layout.ward_name], problems)
        bad = ~pd.Series(ward_code).str.match(reference.WARD_CODE.pattern).to_numpy()
        for i in np.nonzero(bad & (ward_code != ""))[0]:
            problems.add(
                problem(
                    "bad-ward-code",
                    sheet=sheet.name,
                    row=int(sheet.rows[i]),
                    column=col[layout.ward_code],
                    value=ward_code[i],
                )
            )
        # A ward policed by a non-borough unit (Heathrow Villages under Aviation Security) is
        # listed twice; the non-borough copy is kept apart as its own unranked area.
        in_borough = np.array([reference.is_london_borough(c) for c in borough], dtype=bool)
        area_code = np.where(in_borough, ward_code, borough.astype(str) + ":" + ward_code)
        area_name = np.where(in_borough, ward_name, ward_name + " (" + borough_name + ")")
        area_type = np.where(in_borough, "ward", "other").astype(object)
        parent_code, parent_name = borough, borough_name
        key_cols = [col[layout.ward_code], col[layout.area], col[layout.major], col[layout.minor]]
    else:
        area_code, area_name = borough, borough_name
        area_type = np.array(
            ["borough" if reference.is_london_borough(c) else "other" for c in borough],
            dtype=object,
        )
        parent_code = np.full(len(borough), None, dtype=object)
        parent_name = parent_code
        key_cols = [col[layout.area], col[layout.major], col[layout.minor]]
    _duplicates(sheet, sheet.frame[key_cols], problems)
    _category_warnings(sheet, layout, major, minor, problems)
    return CrimeTable(
        layout,
        sheet.name,
        sheet.rows,
        area_code,
        area_name,
        area_type,
        parent_code,
        parent_name,
        major,
        minor,
        [m[1] for m in months],
        counts,
    )


def candidate_sheets(extract: Extract) -> list[Sheet]:
    """The sheets (a CSV's one table, or each .xlsx sheet) whose header is a crime layout."""
    return [s for s in header_sheets(extract) if detect_layout(list(s.frame.columns))[0]]


def header_sheets(extract: Extract) -> list[Sheet]:
    """Every table with its header on the first row: a CSV's one table or each .xlsx sheet."""
    if extract.kind == "csv":
        return extract.sheets
    return [sheet_from_grid(name, grid, 0) for name, grid in extract.grids.items() if len(grid)]
