"""The MPS Monthly Crime Dashboard's areas: which borough, ward or other area each row is for, and
what to do when the publisher gives the same figure on more than one row.

Three kinds of row:

- **borough rows** (`Area Type` Borough, a London borough's code or name);
- **ward rows** (a Safer Neighbourhood Team, or a GSS ward code): the ward, its borough taken
  from the team's name (`Barnet Barnet Vale` is in Barnet);
- **rows kept apart**: everything the publisher could not place in a borough or ward, such as
  the rows under `Other / NK` (`N/K (Legacy Only)`, `Aviation Security (SO18) (Legacy Only)`,
  `Non MET police force`, often with a blank `Area code` and sometimes a blank `Area name`).
  Each is an area of its own name (a blank name is "Unknown"), under its code or, without one,
  `MPS-<NAME>`; such areas are loaded and shown but never ranked.

Repeats (one area, month, offence and measure on several rows) are read by what they mean:

- kept-apart rows: the publisher lists crimes it could not place under one label, several rows
  per label when they came from several places (legacy units, other forces). Each row counts
  different crimes, so the rows are **added together** into the label's figure, and one warning
  per label gives its number of rows and repeats.
- a ward code under two teams (`Heathrow Villages` under `Hillingdon Heathrow Villages` and
  `Aviation Security`): each team counts the crimes in its part of the one ward, so the counts
  are added together, with a warning naming the teams. The same goes for one ward code under
  two spellings of its name in one team (`Edgware` and `Edgware (SX)`).
- anything else (the same borough or ward, team, name, month, offence and measure twice) is a
  genuine repeat: an error, since adding or choosing would both guess.

Every row stays traceable: a figure made of several rows keeps its first row as its source and
the others in ``extra_rows``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import reference
from etl.errors import WARNING, ProblemList, problem
from etl.read import Sheet

KEY = ["area_code", "measure", "month", "group_key", "subgroup_key"]
UNKNOWN = "Unknown"


def _blank_to_na(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _lookup(values: pd.Series, function) -> pd.Series:
    """``function`` of each distinct value (files repeat a few names thousands of times)."""
    found = {v: function(v) for v in values.dropna().unique()}
    return values.map(found)


def _borough_of_team(text: str) -> str | None:
    """'Barnet Barnet Vale' -> Barnet's code: a team's name starts with its borough's name."""
    key = reference.name_key(text)
    for code, name in reference.LONDON_AUTHORITIES.items():
        if key.startswith(reference.name_key(name)):
            return code
    return None


def _london_borough(name: str) -> str | None:
    code = reference.borough_code(name)
    return code if code and reference.is_london_borough(code) else None


def area_columns(frame: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    """Per row: area_code, area_name, area_type, parent_code, team and apart (kept apart)."""
    names = _blank_to_na(frame[cols["area_name"]])
    team = _blank_to_na(frame[cols["borough_snt"]]) if "borough_snt" in cols else names
    codes = _blank_to_na(frame[cols["area_code"]])
    kind = frame[cols["area_type"]].astype("string").str.strip().str.lower().fillna("")
    has_ward_code = codes.str.match(r"^[EW]05").fillna(False).astype(bool)
    is_ward = codes.notna() & (kind.str.startswith("safer neighbourhood") | has_ward_code)
    team_is_borough = _lookup(team, _london_borough).notna()
    names = names.fillna(team.where(is_ward | team_is_borough)).fillna(UNKNOWN)
    by_name = _lookup(names, reference.borough_code)
    is_borough = ~is_ward & codes.fillna(by_name).isin(reference.LONDON_BOROUGH_CODES)
    apart = ~is_ward & ~is_borough
    # a kept-apart area is its name: the code any of its rows gives (the publisher gives SO18 on
    # some 'Aviation Security (SO18) (Legacy Only)' rows and none on others), else one made up
    named_code = codes[apart].groupby(names[apart]).first()
    codes = codes.fillna(names.map(named_code).astype("string").where(apart))
    slug = "MPS-" + names.str.upper().str.replace(r"[^A-Z0-9]+", "-", regex=True).str.strip("-")
    codes = codes.fillna(by_name).fillna(slug)
    not_active = names.str.contains("NOT ACTIVE", case=False, regex=False)
    area_type = np.where(
        is_ward, np.where(not_active, "other", "ward"), np.where(is_borough, "borough", "other")
    )
    parent = _lookup(team, _borough_of_team).where(is_ward)
    return pd.DataFrame(
        {
            "area_code": codes.to_numpy(dtype=object),
            "area_name": names.to_numpy(dtype=object),
            "area_type": area_type.astype(object),
            "parent_code": parent.astype(object).where(parent.notna(), None).to_numpy(),
            "team": team.fillna("").to_numpy(dtype=object),
            "apart": apart.to_numpy(dtype=bool),
        }
    )


def ward_rows(long: pd.DataFrame) -> pd.DataFrame:
    """The rows of active wards, as ``wards.check_ward_rows`` takes them."""
    wards = long[long["area_type"].to_numpy() == "ward"]
    borough = wards["parent_code"]
    return pd.DataFrame(
        {
            "code": wards["area_code"],
            "borough": borough,
            "label": borough.map(reference.LONDON_AUTHORITIES).fillna(wards["team"]),
            "row": wards["row"],
        }
    )


def merge_repeats(
    long: pd.DataFrame, sheet: Sheet, problems: ProblemList, cols: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per area, measure, month and offence (see the module docstring), and the rows
    added into a figure after its first (KEY columns and row)."""
    long = long.assign(
        group_key=long["group"].str.upper(), subgroup_key=long["subgroup"].str.upper()
    )
    repeat = long.duplicated(KEY, keep="first").to_numpy()
    _warn_apart(long, repeat, sheet, problems, cols["area_name"])
    _warn_two_teams(long, sheet, problems, cols.get("borough_snt", cols["area_name"]))
    if not repeat.any():
        return long, long.iloc[:0][[*KEY, "row"]]
    _report_genuine_repeats(long, sheet, problems)
    _warn_merged_names(long, sheet, problems, cols["area_name"])
    merged = long.groupby(KEY, as_index=False, sort=False).agg(
        area_name=("area_name", "first"),
        area_type=("area_type", "first"),
        parent_code=("parent_code", "first"),
        group=("group", "first"),
        subgroup=("subgroup", "first"),
        count=("count", "sum"),
        row=("row", "min"),
    )
    return merged, long.loc[repeat, [*KEY, "row"]]


def _warn_apart(
    long: pd.DataFrame, repeat: np.ndarray, sheet: Sheet, problems: ProblemList, column: str
) -> None:
    """One warning per kept-apart area: how many rows, and how many were added to another."""
    apart = long["apart"].to_numpy()
    if not apart.any():
        return
    rows = long[apart].assign(repeat=repeat[apart])
    summary = rows.groupby("area_code", sort=False).agg(
        name=("area_name", "first"),
        first=("row", "min"),
        count=("row", "size"),
        added=("repeat", "sum"),
    )
    for _code, kind in summary.sort_values("first").iterrows():
        added = int(kind["added"])
        repeats = (
            f"; {added:,} of them repeat the area, month, offence and measure of an earlier "
            "row and were added to it"
            if added
            else ""
        )
        problems.add(
            problem(
                "non-borough-rows",
                sheet=sheet.name,
                row=int(kind["first"]),
                column=column,
                value=kind["name"],
                count=f"{int(kind['count']):,}",
                repeats=repeats,
                severity=WARNING,
            )
        )


def _warn_two_teams(
    long: pd.DataFrame, sheet: Sheet, problems: ProblemList, team_column: str
) -> None:
    """A ward code under more than one team: one warning per ward, naming the teams."""
    wards = long[long["area_type"].isin(["ward", "other"]) & ~long["apart"]]
    teams = wards.groupby("area_code", sort=False)["team"].unique()
    for code, names in teams[teams.map(len) > 1].items():
        first = wards[wards["area_code"] == code].iloc[0]
        problems.add(
            problem(
                "ward-in-two-teams",
                sheet=sheet.name,
                row=int(first["row"]),
                column=team_column,
                value=first["area_name"],
                code_value=code,
                teams=" and ".join(f"'{t}'" for t in names),
                severity=WARNING,
            )
        )


def _report_genuine_repeats(long: pd.DataFrame, sheet: Sheet, problems: ProblemList) -> None:
    """The same borough or ward, team, name, month, offence and measure twice: an error."""
    same = [*KEY, "area_name", "subgroup", "team"]
    exact = long.duplicated(same, keep="first").to_numpy() & ~long["apart"].to_numpy()
    if not exact.any():
        return
    first_row = long.groupby(same, sort=False)["row"].transform("min").to_numpy()
    for i in np.nonzero(exact)[0][:50]:
        r = long.iloc[i]
        problems.add(
            problem(
                "duplicate-row",
                sheet=sheet.name,
                row=int(r["row"]),
                what=f"{r['area_name']} / {r['subgroup']} / {r['measure']} / {r['month']:%b %Y}",
                first_row=int(first_row[i]),
            )
        )


def _warn_merged_names(
    long: pd.DataFrame, sheet: Sheet, problems: ProblemList, column: str
) -> None:
    """One ward code under two spellings ('Edgware', 'Edgware (SX)'): added, with a warning."""
    placed = long[long.duplicated(KEY, keep=False) & ~long["apart"]]
    names = placed.groupby("area_code", sort=False)["area_name"].unique()
    for code, spellings in names[names.map(len) > 1].items():
        problems.add(
            problem(
                "merged-rows",
                sheet=sheet.name,
                column=column,
                value=" + ".join(map(str, spellings)),
                code_value=code,
                severity=WARNING,
            )
        )
