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
from etl.errors import WARNING, ProblemList, problem
from etl.formats.mps_crime import CrimeLayout, CrimeTable
from etl.read import Sheet

MEASURES = {"offences": "mps_dashboard_offences", "positive outcomes": "mps_dashboard_outcomes"}
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


def _area_codes(frame: pd.DataFrame, cols: dict[str, str]) -> tuple[np.ndarray, ...]:
    """Codes, names, types and parents; rows without a code get a stable MPS-… code."""
    names = frame[cols["area_name"]].astype("string").str.strip()
    snt = (
        frame[cols["borough_snt"]].astype("string").str.strip() if "borough_snt" in cols else names
    )
    names = names.fillna(snt).fillna("Unknown")
    codes = frame[cols["area_code"]].astype("string").str.strip()
    kind = frame[cols["area_type"]].astype("string").str.strip().str.lower().fillna("")
    is_ward = kind.str.startswith("safer neighbourhood") | codes.str.match(r"^[EW]05").fillna(False)
    slug = "MPS-" + names.str.upper().str.replace(r"[^A-Z0-9]+", "-", regex=True).str.strip("-")
    by_name = names.map(lambda n: reference.borough_code(n) if n else None)
    codes = codes.fillna(by_name).fillna(slug)
    borough_of_ward = snt.map(_borough_of_snt)
    area_type = np.where(
        is_ward,
        np.where(names.str.contains("NOT ACTIVE", case=False), "other", "ward"),
        np.where(codes.map(reference.is_london_borough), "borough", "other"),
    ).astype(object)
    parent = np.where(is_ward, borough_of_ward, None).astype(object)
    return (codes.to_numpy(dtype=object), names.to_numpy(dtype=object), area_type, parent)


def _borough_of_snt(text) -> str | None:
    """'Barnet Barnet Vale' -> Barnet's code: the SNT name starts with its borough's name."""
    if text is None or text is pd.NA:
        return None
    key = reference.name_key(text)
    for code, name in reference.LONDON_AUTHORITIES.items():
        if key.startswith(reference.name_key(name)):
            return code
    return None


def parse_sheet(sheet: Sheet, problems: ProblemList, today: date) -> list[CrimeTable]:
    """Validate a dashboard sheet; one CrimeTable per measure (empty list on errors)."""
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
    code, name, area_type, parent = _area_codes(frame, cols)
    long = pd.DataFrame(
        {
            "area_code": code,
            "area_name": name,
            "area_type": area_type,
            "parent_code": parent,
            "group": group.to_numpy(dtype=object),
            "subgroup": subgroup.to_numpy(dtype=object),
            "measure": measure.str.lower().to_numpy(dtype=object),
            "month": months,
            "count": counts,
            "row": rows,
        }
    )
    long = _merge_duplicates(long, sheet, problems)
    if problems.has_errors:
        return []
    all_months = pd.date_range(min(months), max(months), freq="MS").date.tolist()
    return [
        _wide(part, measure_key, all_months, sheet)
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


def _merge_duplicates(long: pd.DataFrame, sheet, problems: ProblemList) -> pd.DataFrame:
    """Same area, subgroup, measure and month twice: an error when the rows are identical in
    name, otherwise (the publisher's 'Edgware' and 'Edgware (SX)' share a ward code; label case
    changes between years) the counts are added and a warning says so."""
    key = ["area_code", "measure", "month"]
    long["group_key"] = long["group"].str.upper()
    long["subgroup_key"] = long["subgroup"].str.upper()
    key += ["group_key", "subgroup_key"]
    dup = long.duplicated(key, keep=False)
    if not dup.any():
        return long
    exact = long.duplicated([*key, "area_name", "subgroup"], keep="first")
    first_row = long[dup].groupby(key)["row"].transform("min")
    for i in np.nonzero(exact.to_numpy())[0][:50]:
        r = long.iloc[i]
        problems.add(
            problem(
                "duplicate-row",
                sheet=sheet.name,
                row=int(r["row"]),
                what=f"{r['area_name']} / {r['subgroup']} / {r['measure']} / {r['month']:%b %Y}",
                first_row=int(first_row.loc[long.index[i]]),
            )
        )
    merged_names = long[dup & ~exact].groupby("area_code")["area_name"].unique()
    for code, names in merged_names.items():
        if len(names) > 1:
            problems.add(
                problem(
                    "merged-rows",
                    sheet=sheet.name,
                    column="Area name",
                    value=" + ".join(map(str, names)),
                    code_value=code,
                    severity=WARNING,
                )
            )
    agg = long.groupby(key, as_index=False, sort=False).agg(
        area_name=("area_name", "first"),
        area_type=("area_type", "first"),
        parent_code=("parent_code", "first"),
        group=("group", "first"),
        subgroup=("subgroup", "first"),
        count=("count", "sum"),
        row=("row", "min"),
    )
    return agg


def _wide(long: pd.DataFrame, measure_key: str, months: list[date], sheet: Sheet) -> CrimeTable:
    series_key = ["area_code", "group_key", "subgroup_key"]
    if "group_key" not in long:
        long = long.assign(
            group_key=long["group"].str.upper(), subgroup_key=long["subgroup"].str.upper()
        )
    series = long.drop_duplicates(series_key).reset_index(drop=True)
    series_index = pd.MultiIndex.from_frame(series[series_key])
    r = series_index.get_indexer(pd.MultiIndex.from_frame(long[series_key]))
    month_pos = {m: i for i, m in enumerate(months)}
    c = long["month"].map(month_pos).to_numpy(dtype=np.int64)
    counts = np.zeros((len(series), len(months)), dtype=np.int64)
    cell_rows = np.zeros_like(counts)
    counts[r, c] = long["count"].to_numpy(dtype=np.int64)
    cell_rows[r, c] = long["row"].to_numpy(dtype=np.int64)
    dataset = MEASURES[measure_key]
    layout = CrimeLayout(
        "mps-monthly-dashboard",
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
    )


def _parent_name(code) -> str | None:
    return reference.LONDON_AUTHORITIES.get(code) if isinstance(code, str) else None
