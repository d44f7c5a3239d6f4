"""The ONS LSOA lookups that place police.uk rows: LSOA (2021) -> ward -> local authority best
fit (``LSOA21CD``, ``WDyyCD``/``WDyyNM`` and ``LADyyCD``/``LADyyNM`` of any year), and LSOA 2011
-> LSOA 2021 best fit (``LSOA11CD``, ``LSOA21CD``). Found by their headers (a UTF-8 BOM is read
away); every code checked as a GSS code of its kind, each LSOA given once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.errors import ProblemList, problem
from etl.read import Extract, Sheet

WARDS = "ons-lsoa21-ward-lad"
CHANGES = "ons-lsoa11-lsoa21"
WARDS_LABEL = (
    "ONS LSOA (2021) to ward to local authority best-fit lookup (LSOA21CD, WDyyCD, LADyyCD)"
)
CHANGES_LABEL = "ONS LSOA 2011 to LSOA 2021 best-fit lookup (LSOA11CD, LSOA21CD)"
DATASETS = {WARDS: "lsoa_lookup", CHANGES: "lsoa_2011_lookup"}
LABELS = {WARDS: WARDS_LABEL, CHANGES: CHANGES_LABEL}
# GSS codes: LSOAs E01/W01, wards E05/W05, local authorities E06-E09/W06
CODE = {
    "lsoa": r"[EW]01\d{6}",
    "ward": r"[EW]05\d{6}",
    "lad": r"[EW]0[6-9]\d{6}",
}


@dataclass
class LookupFile:
    """A checked lookup: ``frame`` has lsoa_code ... (wards) or lsoa11_code, lsoa21_code."""

    layout: str
    frame: pd.DataFrame
    ward_year: int | None = None

    @property
    def label(self) -> str:
        return LABELS[self.layout]

    @property
    def dataset(self) -> str:
        return DATASETS[self.layout]


def _column(columns: list[str], pattern: str) -> str | None:
    return next((c for c in columns if re.fullmatch(pattern, c, re.IGNORECASE)), None)


def _ward_columns(columns: list[str]) -> dict[str, str] | None:
    """The ward lookup's columns by role (None: not this layout)."""
    found = {
        "lsoa_code": _column(columns, "LSOA21CD"),
        "ward_code": _column(columns, r"WD\d\dCD"),
        "lad_code": _column(columns, r"LAD\d\dCD"),
    }
    if not all(found.values()):
        return None
    year = found["ward_code"][2:4]
    found["ward_name"] = _column(columns, f"WD{year}NM")
    found["lad_name"] = _column(columns, f"LAD{found['lad_code'][3:5]}NM")
    found["lsoa_name"] = _column(columns, "LSOA21NM")
    return found


def detect(extract: Extract) -> LookupFile | None:
    """The lookup a CSV is (by its header), not yet checked; None: neither lookup."""
    if extract.kind != "csv" or not extract.sheets:
        return None
    columns = list(extract.sheets[0].frame.columns)
    if _ward_columns(columns):
        return LookupFile(WARDS, pd.DataFrame())
    if _column(columns, "LSOA11CD") and _column(columns, "LSOA21CD"):
        return LookupFile(CHANGES, pd.DataFrame())
    return None


def _text(sheet: Sheet, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series([None] * len(sheet.frame), dtype=object)
    return sheet.frame[column].astype("string").str.strip().astype(object)


def _check_codes(
    sheet: Sheet, frame: pd.DataFrame, roles: dict[str, tuple[str, str]], problems: ProblemList
) -> np.ndarray:
    """Rows whose codes are GSS codes of their kind (each bad cell a problem)."""
    good = np.ones(len(frame), dtype=bool)
    for role, (column, kind) in roles.items():
        values = frame[role]
        blank = values.isna().to_numpy()
        bad = ~blank & ~values.fillna("").str.fullmatch(CODE[kind]).to_numpy()
        for i in np.flatnonzero(blank)[: problems.limit]:
            problems.add(problem("blank-value", row=int(sheet.rows[i]), column=column))
        for i in np.flatnonzero(bad)[: problems.limit]:
            problems.add(
                problem("bad-gss-code", row=int(sheet.rows[i]), column=column, value=values.iloc[i])
            )
        good &= ~blank & ~bad
    return good


def _check_unique(sheet: Sheet, frame: pd.DataFrame, key: str, column: str, problems) -> None:
    repeated = frame[key].duplicated(keep=False) & frame[key].notna()
    first = {}
    for i in np.flatnonzero(repeated.to_numpy()):
        code = frame[key].iloc[i]
        if code in first:
            problems.add(
                problem(
                    "duplicate-row",
                    row=int(sheet.rows[i]),
                    column=column,
                    value=code,
                    what=f"the LSOA {code}",
                    first_row=first[code],
                )
            )
        else:
            first[code] = int(sheet.rows[i])


def parse(found: LookupFile, extract: Extract, problems: ProblemList) -> LookupFile:
    """The lookup's rows, checked (problems go in ``problems``)."""
    sheet = extract.sheets[0]
    columns = list(sheet.frame.columns)
    if found.layout == WARDS:
        names = _ward_columns(columns)
        frame = pd.DataFrame({role: _text(sheet, column) for role, column in names.items()})
        kinds = {"lsoa_code": "lsoa", "ward_code": "ward", "lad_code": "lad"}
        roles = {role: (names[role], kind) for role, kind in kinds.items()}
        frame["ward_name"] = frame["ward_name"].fillna(frame["ward_code"])
        frame["lad_name"] = frame["lad_name"].fillna(frame["lad_code"])
        year = 2000 + int(names["ward_code"][2:4])
        key, key_column = "lsoa_code", names["lsoa_code"]
    else:
        names = {"lsoa11_code": _column(columns, "LSOA11CD")}
        names["lsoa21_code"] = _column(columns, "LSOA21CD")
        frame = pd.DataFrame({role: _text(sheet, column) for role, column in names.items()})
        roles = {role: (column, "lsoa") for role, column in names.items()}
        year, key, key_column = None, "lsoa11_code", names["lsoa11_code"]
    frame["source_row"] = sheet.rows
    _check_codes(sheet, frame, roles, problems)
    _check_unique(sheet, frame, key, key_column, problems)
    return LookupFile(found.layout, frame, year)
