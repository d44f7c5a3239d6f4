"""MPS Monthly Crime Dashboard data (hate crime, knife crime, gun crime, domestic abuse).

Long format: one row per month, area, offence subgroup and measure. Each measure becomes its own
dataset so the crime machinery (series, coverage, revisions) serves it unchanged. Months absent
from the file are zero for every area and subgroup in it (the publisher omits zero rows).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from core import reference
from etl.errors import ProblemList, problem
from etl.formats import dashboard_areas
from etl.formats.mps_crime import CrimeLayout, CrimeTable
from etl.read import Sheet
from etl.wards import WardReference, check_ward_rows

MEASURES = {"offences": "mps_dashboard_offences", "positive outcomes": "mps_dashboard_outcomes"}
NAME = "mps-monthly-dashboard"
LABEL = (
    "MPS Monthly Crime Dashboard data (Month_Year, Area Type, Borough_SNT, Area name, Area code, "
    "Offence Group, Offence Subgroup, Measure, ..., Count)"
)
# canonical name -> accepted header spellings (after lower-casing, spaces to underscores)
COLUMNS = {
    "month": ["month_year"],
    "area_type": ["area_type"],
    "borough_snt": ["borough_snt"],
    "area_name": ["area_name"],
    "area_code": ["area_code"],
    "group": ["offence_group", "crime_type"],
    "subgroup": ["offence_subgroup", "crime_subtype"],
    "measure": ["measure"],
    "count": ["count"],
}
REQUIRED = ["month", "area_type", "area_name", "area_code", "group", "subgroup", "measure", "count"]


def _norm(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


def column_map(header: list[str]) -> dict[str, str]:
    """Our column names -> the file's headings, for the columns the header has (any spelling)."""
    by_norm = {_norm(h): h for h in header}
    found = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in by_norm:
                found[name] = by_norm[spelling]
                break
    return found


def is_dashboard(header: list[str]) -> bool:
    """Whether a header is the MPS monthly crime dashboard's (long: one row per figure)."""
    found = column_map(header)
    return {"month", "measure", "count", "subgroup"} <= set(found)


def parse_month(value: object) -> date | None:
    """Month_Year as published: 2021-08-01, 01/08/2021, 01.08.21, or an Excel date/serial."""
    if isinstance(value, datetime | pd.Timestamp):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    if isinstance(value, int | float) and not pd.isna(value) and 20000 < value < 80000:
        day = pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(value))
        return date(day.year, day.month, 1)
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y%m"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return date(parsed.year, parsed.month, 1)
    return None


def parse_sheet(
    sheet: Sheet, problems: ProblemList, today: date, wards: WardReference
) -> list[CrimeTable]:
    """Validate a dashboard sheet, its ward codes against ``wards``; one CrimeTable per measure
    (empty list on errors)."""
    frame = sheet.frame
    cols = column_map(list(frame.columns))
    missing = [c for c in REQUIRED if c not in cols]
    for name in missing:
        problems.add(
            problem(
                "missing-column",
                sheet=sheet.name,
                row=sheet.header_row,
                column=COLUMNS[name][0],
                layout=LABEL,
            )
        )
    if missing:
        return []
    rows = sheet.rows
    months = _months(frame[cols["month"]], sheet, cols["month"], problems, today)
    counts = _counts(frame[cols["count"]], sheet, cols["count"], problems)
    measure = frame[cols["measure"]].astype("string").str.strip()
    bad_measure = ~measure.str.lower().isin(MEASURES).fillna(False)
    for i in np.nonzero(bad_measure.to_numpy())[0][:50]:
        problems.add(
            problem(
                "unexpected-value",
                sheet=sheet.name,
                row=int(rows[i]),
                column=cols["measure"],
                value=measure.iloc[i],
                allowed="Offences, Positive Outcomes",
            )
        )
    group = frame[cols["group"]].astype("string").str.strip().fillna("")
    subgroup = frame[cols["subgroup"]].astype("string").str.strip().fillna("")
    for column, values in ((cols["group"], group), (cols["subgroup"], subgroup)):
        for i in np.nonzero((values == "").to_numpy())[0][:50]:
            problems.add(
                problem("blank-value", sheet=sheet.name, row=int(rows[i]), column=column, value="")
            )
    if problems.has_errors:
        return []
    long = dashboard_areas.area_columns(frame, cols).assign(
        group=group.to_numpy(dtype=object),
        subgroup=subgroup.to_numpy(dtype=object),
        measure=measure.str.lower().to_numpy(dtype=object),
        month=months,
        count=counts,
        row=rows,
    )
    ward_rows = dashboard_areas.ward_rows(long)
    check_ward_rows(ward_rows, wards, problems, sheet.name, cols["area_code"])
    long, extra_rows = dashboard_areas.merge_repeats(long, sheet, problems, cols)
    if problems.has_errors:
        return []
    all_months = pd.date_range(min(months), max(months), freq="MS").date.tolist()
    extra_by_measure = dict(tuple(extra_rows.groupby("measure")))
    return [
        _wide(part, extra_by_measure.get(measure_key), measure_key, all_months, sheet)
        for measure_key, part in long.groupby("measure", sort=True)
    ]


def _months(values: pd.Series, sheet, column, problems, today) -> np.ndarray:
    parsed = {v: parse_month(v) for v in pd.unique(values.dropna())}
    out = values.map(parsed).to_numpy(dtype=object)
    this_month = date(today.year, today.month, 1)
    for i in np.nonzero(pd.isna(out))[0][:50]:
        problems.add(
            problem(
                "bad-month-value",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column=column,
                value=values.iloc[i],
            )
        )
    future = np.array([m is not None and m == m and m > this_month for m in out], dtype=bool)
    for i in np.nonzero(future)[0][:50]:
        problems.add(
            problem(
                "future-month",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column=column,
                value=values.iloc[i],
            )
        )
    return out


def _counts(values: pd.Series, sheet, column, problems) -> np.ndarray:
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    blank = values.isna().to_numpy()
    for i in np.nonzero(blank)[0][:50]:
        problems.add(
            problem(
                "blank-count", sheet=sheet.name, row=int(sheet.rows[i]), column=column, value=""
            )
        )
    bad = ~blank & (np.isnan(numeric) | (np.nan_to_num(numeric) % 1 != 0))
    for i in np.nonzero(bad)[0][:50]:
        problems.add(
            problem(
                "not-whole-number",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column=column,
                value=values.iloc[i],
            )
        )
    negative = np.nan_to_num(numeric) < 0
    for i in np.nonzero(negative)[0][:50]:
        problems.add(
            problem(
                "negative-count",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column=column,
                value=values.iloc[i],
            )
        )
    return np.nan_to_num(numeric).astype(np.int64)


def _wide(
    long: pd.DataFrame,
    extra_rows: pd.DataFrame | None,
    measure_key: str,
    months: list[date],
    sheet: Sheet,
) -> CrimeTable:
    series_key = ["area_code", "group_key", "subgroup_key"]
    series = long.drop_duplicates(series_key).reset_index(drop=True)
    series_index = pd.MultiIndex.from_frame(series[series_key])
    r = series_index.get_indexer(pd.MultiIndex.from_frame(long[series_key]))
    month_pos = {m: i for i, m in enumerate(months)}
    c = long["month"].map(month_pos).to_numpy(dtype=np.int64)
    counts = np.zeros((len(series), len(months)), dtype=np.int64)
    cell_rows = np.zeros_like(counts)
    counts[r, c] = long["count"].to_numpy(dtype=np.int64)
    cell_rows[r, c] = long["row"].to_numpy(dtype=np.int64)
    merged_rows = None
    if extra_rows is not None and len(extra_rows):
        merged_rows = np.column_stack(
            [
                series_index.get_indexer(pd.MultiIndex.from_frame(extra_rows[series_key])),
                extra_rows["month"].map(month_pos).to_numpy(dtype=np.int64),
                extra_rows["row"].to_numpy(dtype=np.int64),
            ]
        )
    dataset = MEASURES[measure_key]
    layout = CrimeLayout(
        NAME,
        LABEL,
        dataset,
        "Area name",
        "Offence Group",
        "Offence Subgroup",
        "Month_Year",
    )
    first_rows = long.groupby(series_key, sort=False)["row"].min()
    return CrimeTable(
        layout,
        sheet.name,
        first_rows.reindex(series_index).to_numpy(dtype=np.int64),
        series["area_code"].to_numpy(dtype=object),
        series["area_name"].to_numpy(dtype=object),
        series["area_type"].to_numpy(dtype=object),
        series["parent_code"].to_numpy(dtype=object),
        np.array([_parent_name(p) for p in series["parent_code"]], dtype=object),
        series["group"].to_numpy(dtype=object),
        series["subgroup"].to_numpy(dtype=object),
        months,
        counts,
        cell_rows,
        merged_rows,
    )


def _parent_name(code) -> str | None:
    return reference.LONDON_AUTHORITIES.get(code) if isinstance(code, str) else None
