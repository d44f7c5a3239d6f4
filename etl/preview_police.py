"""What loading an ONS LSOA lookup or police.uk street-level files would change (the upload
page's preview), worked out as ``etl.load_police`` would load them, writing nothing.

Street files: one row per force, its months new and replaced (with the old and new totals of
the rows placed). Lookups: one row per local authority, its LSOAs new and replaced (how many
would move to another ward).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from core.queries import police_uk as held
from etl.errors import ProblemList, problem
from etl.formats.lsoa_lookups import WARDS, LookupFile
from etl.formats.police_uk import DATASET, StreetFile
from etl.load_police import lookups, placed_counts


def street_changes(engine: Engine, parsed: StreetFile, problems: ProblemList) -> pd.DataFrame:
    """Per force: months added and replaced, old and new totals (CHANGE_COLUMNS)."""
    wards, changes = lookups(engine)
    if wards.empty:
        problems.add(problem("no-lookup"))
        return pd.DataFrame()
    files, counts = placed_counts(parsed, wards, changes, problems)
    pairs = list(zip(files["force"], files["month"], strict=True))
    before = held.held_totals(engine, pairs)
    files["month"] = pd.to_datetime(files["month"])
    totals = (
        counts.assign(month=pd.to_datetime(counts["month"]))
        .groupby(["force", "month"], as_index=False)["count"]
        .sum()
        .rename(columns={"count": "new"})
    )
    held_months = held.held_files(engine, pairs)[["force", "month"]]
    files = files.merge(totals, on=["force", "month"], how="left").fillna({"new": 0})
    files = files.merge(before.rename(columns={"total": "old"}), on=["force", "month"], how="left")
    files["state"] = np.where(
        pd.MultiIndex.from_frame(files[["force", "month"]]).isin(
            pd.MultiIndex.from_frame(held_months)
        ),
        "replaced",
        "added",
    )
    rows = []
    for force, group in files.groupby("force"):
        added = group[group["state"] == "added"]["month"]
        rep = group[group["state"] == "replaced"]
        rows.append(
            {
                "dataset": DATASET,
                "area_code": force,
                "area_name": str(group["force_name"].dropna().iloc[0])
                if group["force_name"].notna().any()
                else force,
                "added": len(added),
                "added_from": added.min() if len(added) else None,
                "added_to": added.max() if len(added) else None,
                "replaced": len(rep),
                "replaced_from": rep["month"].min() if len(rep) else None,
                "replaced_to": rep["month"].max() if len(rep) else None,
                "changed": int((rep["old"].fillna(0) != rep["new"]).sum()),
                "old_total": int(rep["old"].fillna(0).sum()) if len(rep) else None,
                "new_total": int(rep["new"].sum()) if len(rep) else None,
                "kept": 0,
            }
        )
    return pd.DataFrame(rows)


def lookup_changes(engine: Engine, parsed: LookupFile) -> pd.DataFrame:
    """Per local authority (lookups of 2011 codes: one row): LSOAs added and replaced, and
    how many of those replaced would map elsewhere (CHANGE_COLUMNS)."""
    frame = parsed.frame
    if parsed.layout == WARDS:
        old = held.ward_lookup(engine).set_index("lsoa_code")["ward_code"]
        key, value, group_by = "lsoa_code", "ward_code", "lad_code"
    else:
        old = held.lsoa_changes(engine).set_index("lsoa11_code")["lsoa21_code"]
        key, value, group_by = "lsoa11_code", "lsoa21_code", None
    frame = frame.assign(old=frame[key].map(old))
    rows = []
    groups = frame.groupby(group_by) if group_by else [("", frame)]
    for code, part in groups:
        rep = part[part["old"].notna()]
        rows.append(
            {
                "dataset": parsed.dataset,
                "area_code": code,
                "area_name": part["lad_name"].iloc[0] if group_by else "LSOA 2011 to 2021",
                "added": len(part) - len(rep),
                "replaced": len(rep),
                "changed": int((rep["old"] != rep[value]).sum()),
                "kept": 0,
            }
        )
    return pd.DataFrame(rows)
