"""police.uk street-level figures (DOMAIN "Anti-social behaviour and police.uk street-level
crime"): monthly counts by local authority and ward, with the months each area is covered.

An area's month is covered when the file of the force that polices it is loaded for that month
(the Metropolitan Police Service for the 32 boroughs, the City of London Police for the City;
elsewhere, any file with rows there): a covered month with no row is a real zero, a month not
covered is missing (no R12 over it). Rows a force files in a neighbour's area (the City of
London Police's in Camden) count where they fall, but do not make that area covered. The
figures themselves (R12, P12, change, significance, rate, ranks) are ``domain.indicators``'.
"""

from __future__ import annotations

import pandas as pd

from core.reference import POLICE_UK_TYPES, is_london_borough

CITY_OF_LONDON = "E09000001"
FORCE_OF_LONDON = {CITY_OF_LONDON: "city-of-london"}  # every London borough: "metropolitan"
MONTHLY = ["area_code", "indicator", "month", "count"]


def home_force(lad_code: str) -> str | None:
    """The force whose files cover a London authority (None outside London)."""
    if lad_code in FORCE_OF_LONDON:
        return FORCE_OF_LONDON[lad_code]
    return "metropolitan" if is_london_borough(lad_code) else None


def covered(counts: pd.DataFrame, files: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Each authority's and ward's covered months: area_code, month.

    ``counts``: month, lad_code, ward_code, force, count; ``files``: force, month (the files in
    force); ``lookup``: ward_code, lad_code (every ward of an authority is covered with it)."""
    lads = pd.Index(pd.unique(pd.concat([lookup["lad_code"], counts["lad_code"]])))
    forces = pd.Series([home_force(code) for code in lads], index=lads)
    known = forces.dropna().rename("force").reset_index().rename(columns={"index": "lad_code"})
    london = known.merge(files[["force", "month"]].drop_duplicates(), on="force")
    elsewhere = counts[~counts["lad_code"].isin(known["lad_code"])][["lad_code", "month"]]
    lad_months = pd.concat([london[["lad_code", "month"]], elsewhere]).drop_duplicates()
    wards = lookup[["ward_code", "lad_code"]].drop_duplicates()
    ward_months = wards.merge(lad_months, on="lad_code")[["ward_code", "month"]]
    return pd.concat(
        [
            lad_months.rename(columns={"lad_code": "area_code"}),
            ward_months.rename(columns={"ward_code": "area_code"}),
        ],
        ignore_index=True,
    )


def area_monthly(counts: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """Monthly counts per area (authority and ward) and crime type (``indicator``), zero in
    every covered month without a row (``months``: area_code, month from ``covered``); rows
    outside any covered month are kept (a neighbour's rows in a month its force is missing)."""
    lads = counts.groupby(["lad_code", "crime_type", "month"], as_index=False)["count"].sum()
    wards = counts.groupby(["ward_code", "crime_type", "month"], as_index=False)["count"].sum()
    found = pd.concat(
        [
            lads.rename(columns={"lad_code": "area_code"}),
            wards.rename(columns={"ward_code": "area_code"}),
        ],
        ignore_index=True,
    ).rename(columns={"crime_type": "indicator"})
    types = pd.DataFrame({"indicator": POLICE_UK_TYPES})
    grid = months.merge(types, how="cross")
    full = grid.merge(found, on=["area_code", "indicator", "month"], how="outer")
    full["count"] = full["count"].fillna(0).astype("int64")
    return full[MONTHLY].sort_values(MONTHLY[:3], ignore_index=True)


def areas_frame(lookup: pd.DataFrame) -> pd.DataFrame:
    """The authorities and wards of the lookup as ``domain.indicators`` takes them: code, name,
    area_type (borough for the 32 London boroughs, else other; ward), parent_code,
    is_london_borough."""
    lads = lookup[["lad_code", "lad_name"]].drop_duplicates("lad_code")
    wards = lookup[["ward_code", "ward_name", "lad_code"]].drop_duplicates("ward_code")
    london = lads["lad_code"].map(is_london_borough).astype(bool)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "code": lads["lad_code"],
                    "name": lads["lad_name"],
                    "area_type": london.map({True: "borough", False: "other"}),
                    "parent_code": None,
                    "is_london_borough": london,
                }
            ),
            pd.DataFrame(
                {
                    "code": wards["ward_code"],
                    "name": wards["ward_name"],
                    "area_type": "ward",
                    "parent_code": wards["lad_code"],
                    "is_london_borough": False,
                }
            ),
        ],
        ignore_index=True,
    )


def boroughs_covered(months: pd.DataFrame, london: set[str], end_month) -> int:
    """How many of the London boroughs ``london`` are covered in every month of the 12 to
    ``end_month`` (all 32 are needed for a London rank)."""
    window = pd.date_range(end=pd.Timestamp(end_month), periods=12, freq="MS")
    inside = months[months["area_code"].isin(london) & months["month"].isin(window)]
    per_borough = inside.groupby("area_code")["month"].nunique()
    return int((per_borough == 12).sum())
