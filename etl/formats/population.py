"""Population estimates: the ONS mid-year workbook (long), ONS ward estimates, our template."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import reference
from etl.errors import WARNING, ProblemList, problem
from etl.read import Extract, Sheet, sheet_from_grid
from etl.wards import WardReference, check_ward_rows

WARD_SHEET = re.compile(r"^mid-(\d{4}) ward (\d{4})$", re.IGNORECASE)
TEMPLATE_COLUMNS = ["area_code", "area_name", "year", "population"]


@dataclass(frozen=True)
class PopulationLayout:
    name: str
    label: str


ONS_LONG = PopulationLayout(
    "ons-mid-year-long",
    "ONS mid-year estimates, long format (ladcode, laname, Category, Year, Sum)",
)
ONS_WARD = PopulationLayout(
    "ons-ward-estimates",
    "ONS ward population estimates (sheets 'Mid-YYYY Ward YYYY': LAD Code, LAD Name, "
    "Ward Code, Ward Name, Total, ...)",
)
TEMPLATE = PopulationLayout(
    "population-template", "Population template (area_code, area_name, year, population)"
)
LAYOUTS = [ONS_LONG, ONS_WARD, TEMPLATE]


def _keys(columns) -> dict[str, str]:
    return {str(c).strip().lower(): c for c in columns}


def _find(by_key: dict[str, str], pattern: str) -> str | None:
    regex = re.compile(pattern)
    return next((col for key, col in by_key.items() if regex.fullmatch(key)), None)


def detect(extract: Extract) -> tuple[PopulationLayout, list[Sheet]] | None:
    """Which population layout the file is in, with the sheets to read; None if not one."""
    if extract.kind == "xlsx":
        ward_sheets = [n for n in extract.grids if WARD_SHEET.match(n.strip())]
        if ward_sheets:
            return ONS_WARD, [_ward_sheet(n, extract.grids[n]) for n in ward_sheets]
        sheets = [sheet_from_grid(n, g, 0) for n, g in extract.grids.items() if len(g)]
    else:
        sheets = extract.sheets
    for sheet in sheets:
        by_key = _keys(sheet.frame.columns)
        if _find(by_key, r"ladcode\d*") and {"category", "year", "sum"} <= set(by_key):
            return ONS_LONG, [sheet]
        if {"area_code", "year", "population"} <= set(by_key):
            return TEMPLATE, [sheet]
    return None


def _ward_sheet(name: str, grid: pd.DataFrame) -> Sheet:
    # ONS puts title rows above the header: find the row that names the ward code column
    for i in range(min(15, len(grid))):
        cells = [str(v).lower() for v in grid.iloc[i].tolist()]
        if any(re.fullmatch(r"ward \d{4} code", c) for c in cells):
            return sheet_from_grid(name, grid, i)
    return sheet_from_grid(name, grid, 3)


def _whole(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    numeric = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    ok = ~np.isnan(numeric) & (np.nan_to_num(numeric) % 1 == 0)
    return np.nan_to_num(numeric).astype(np.int64), ok


def _rows(sheet: Sheet, codes, names, years, pops, parents, problems: ProblemList) -> pd.DataFrame:
    year_values, year_ok = _whole(years)
    year_ok &= (year_values >= 1990) & (year_values <= 2100)
    pop_values, pop_ok = _whole(pops)
    pop_ok &= pop_values > 0
    for i in np.nonzero(~year_ok)[0]:
        problems.add(
            problem(
                "bad-year",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column="year",
                value=years.iloc[i],
            )
        )
    for i in np.nonzero(~pop_ok)[0]:
        problems.add(
            problem(
                "bad-population",
                sheet=sheet.name,
                row=int(sheet.rows[i]),
                column="population",
                value=pops.iloc[i],
            )
        )
    codes = codes.astype("string").str.strip().fillna("")
    area_type = np.where(codes.str.match(reference.WARD_CODE.pattern), "ward", "borough")
    return pd.DataFrame(
        {
            "area_code": codes.to_numpy(dtype=object),
            "area_name": names.astype("string").str.strip().to_numpy(dtype=object),
            "area_type": area_type,
            "parent_code": parents,
            "year": year_values,
            "population": pop_values,
            "sheet": sheet.name,
            "row": sheet.rows,
        }
    )


def _keep_london(frame: pd.DataFrame, sheet: Sheet, problems: ProblemList) -> pd.DataFrame:
    london = frame["area_code"].isin(reference.LONDON_AUTHORITIES) | (
        (frame["area_type"] == "ward") & frame["parent_code"].isin(reference.LONDON_AUTHORITIES)
    )
    skipped = int((~london).sum())
    if skipped:
        first = int(frame.loc[~london, "row"].iloc[0])
        problems.add(
            problem(
                "unknown-area",
                sheet=sheet.name,
                row=first,
                column="area code",
                value=f"{frame.loc[~london, 'area_code'].iloc[0]} and "
                f"{skipped - 1} more outside London, skipped",
                severity=WARNING,
            )
        )
    return frame[london]


def _check_wards(frame: pd.DataFrame, wards: WardReference, problems, sheet: Sheet, column: str):
    """The ward rows' codes against the ward reference (their borough: the LAD code, if any)."""
    rows = frame[frame["area_type"] == "ward"]
    borough = rows["parent_code"].astype(object).where(rows["parent_code"].notna(), None)
    check_ward_rows(
        pd.DataFrame(
            {
                "code": rows["area_code"],
                "borough": borough,
                "label": borough.map(reference.LONDON_AUTHORITIES),
                "row": rows["row"],
            }
        ),
        wards,
        problems,
        sheet.name,
        column,
    )


def parse(
    layout: PopulationLayout, sheets: list[Sheet], problems: ProblemList, wards: WardReference
) -> pd.DataFrame:
    """Validated population rows: area_code, area_name, area_type, parent_code, year, population;
    ward codes checked against ``wards``."""
    frames = []
    for sheet in sheets:
        by_key = _keys(sheet.frame.columns)
        f = sheet.frame
        if layout is ONS_LONG:
            is_pop = f[by_key["category"]].astype("string").str.strip().str.lower() == "population"
            sub = Sheet(
                sheet.name,
                f[is_pop.fillna(False).to_numpy()],
                sheet.rows[is_pop.fillna(False).to_numpy()],
            )
            code, name = _find(by_key, r"ladcode\d*"), _find(by_key, r"laname\d*")
            g = sub.frame
            frame = _rows(
                sub,
                g[code],
                g[name] if name else g[code],
                g[by_key["year"]],
                g[by_key["sum"]],
                None,
                problems,
            )
            frame = _keep_london(frame, sub, problems)
        elif layout is ONS_WARD:
            year = int(WARD_SHEET.match(sheet.name.strip()).group(1))
            code = _find(by_key, r"ward \d{4} code")
            name = _find(by_key, r"ward \d{4} name")
            lad = _find(by_key, r"lad \d{4} code")
            total = by_key.get("total")
            missing = [
                c
                for c, v in (("Ward Code", code), ("LAD Code", lad), ("Total", total))
                if v is None
            ]
            for column in missing:
                problems.add(
                    problem(
                        "missing-column",
                        sheet=sheet.name,
                        row=sheet.header_row,
                        column=column,
                        layout=ONS_WARD.label,
                    )
                )
            if missing:
                continue
            parents = f[lad].astype("string").str.strip().to_numpy(dtype=object)
            years = pd.Series(np.full(len(f), year))
            frame = _rows(
                sheet, f[code], f[name] if name else f[code], years, f[total], parents, problems
            )
            frame = _keep_london(frame, sheet, problems)
            _check_wards(frame, wards, problems, sheet, code)
        else:
            frame = _rows(
                sheet,
                f[by_key["area_code"]],
                f[by_key["area_name"]] if "area_name" in by_key else f[by_key["area_code"]],
                f[by_key["year"]],
                f[by_key["population"]],
                None,
                problems,
            )
            bad = ~(
                frame["area_code"].isin(reference.LONDON_AUTHORITIES)
                | (frame["area_type"] == "ward")
            )
            for i in np.nonzero(bad.to_numpy())[0]:
                problems.add(
                    problem(
                        "unknown-area",
                        sheet=sheet.name,
                        row=int(frame["row"].iloc[i]),
                        column="area_code",
                        value=frame["area_code"].iloc[i],
                    )
                )
            _check_wards(frame, wards, problems, sheet, by_key["area_code"])
        frames.append(frame)
    if not frames:
        return pd.DataFrame(
            columns=[
                "area_code",
                "area_name",
                "area_type",
                "parent_code",
                "year",
                "population",
                "sheet",
                "row",
            ]
        )
    out = pd.concat(frames, ignore_index=True)
    dup = out.duplicated(["area_code", "year"], keep="first")
    for i in np.nonzero(dup.to_numpy())[0]:
        problems.add(
            problem(
                "duplicate-row",
                sheet=out["sheet"].iloc[i],
                row=int(out["row"].iloc[i]),
                what=f"{out['area_code'].iloc[i]} {out['year'].iloc[i]}",
                first_row="an earlier row",
            )
        )
    return out
