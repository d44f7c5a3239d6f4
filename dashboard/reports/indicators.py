"""The indicators export: every borough and home ward x indicator for one month, the table a
board report is built from (``python -m dashboard report indicators --month YYYY-MM``). Exempt
datasets and indicators (and totals including them: ``dashboard.auth.exempt``) are left out when
a web request asks for it; run on the server, it has everything. Every row carries the target in
force for the month and the RAG it gives, each borough its rank in the most similar group, and
whether its figures are illustrative (from a file that says they are made up)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from core import queries
from core.months import Month, as_month
from core.reference import POLICE_UK_ASB, POLICE_UK_DATASET
from core.strategy import STRATEGY_PRIORITIES
from dashboard import cache, illustrative, police_figures
from dashboard.auth import exempt
from dashboard.partnership import partnership_figures
from dashboard.reports.priorities import home_of, priority_rows
from domain import domestic_abuse
from domain.indicators import export_frame, indicator_table

AREA_DATASETS = [
    "borough_crime",
    "ward_crime",
]  # boroughs from borough files, wards from ward files


def crime_indicators(engine, month, at: Mapping[str, Month | None] | None = None) -> pd.DataFrame:
    """The indicator table for every borough and the home borough's wards, boroughs first (a
    ward's rank is among its borough's wards, so other boroughs' wards, loaded with the London
    ward file, change none of these figures). ``at``: a dataset's own month where it is not
    ``month`` (the board pack's reporting months: borough_crime, ward_crime,
    mps_dashboard_offences, syv, police_uk); a dataset whose month is None is left out."""
    at = dict(at or {})
    left_out = {k for k, v in at.items() if v is None}
    areas = queries.areas(engine)
    pops = queries.populations(engine)
    home_code, _ = home_of(areas)
    wards = areas.loc[areas["parent_code"] == home_code, "code"].tolist()
    frames = []
    for dataset in AREA_DATASETS:
        if dataset in left_out:
            continue
        at_month = at.get(dataset, month)
        codes = wards if dataset == "ward_crime" else None
        monthly = queries.crime_monthly(engine, dataset, codes)
        if monthly.empty:
            continue
        frame = exempt.visible(indicator_table(monthly, areas, pops, at_month), dataset)
        frames.append((frame, at_month))
    dashboard_month = at.get("mps_dashboard_offences", month)
    if "mps_dashboard_offences" not in left_out:
        offences = dashboard_indicators_table(engine, dashboard_month, areas, pops)
        frames.append((exempt.visible(offences, "mps_dashboard_offences"), dashboard_month))
    asb_month = at.get(POLICE_UK_DATASET, month)
    if asb_month is not None:
        asb = police_figures.area_rows(as_month(asb_month), POLICE_UK_ASB, home_code, engine)
        frames.append((asb, asb_month))
    syv_month = at.get("syv", month)
    rows = priority_rows(engine, month, areas, pops, syv_month)
    frames.append((exempt.visible(rows), syv_month or month))
    frames.append((partnership_rows(month, engine, home_of(areas)), month))
    frames = [cache.judged(f, m, engine) for f, m in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    out = export_frame(pd.concat(frames, ignore_index=True))
    made_up = out["illustrative"]  # crime files' rows have none: published figures
    out["illustrative"] = ["yes" if v == "yes" else "no" for v in made_up]
    return out


def dashboard_indicators_table(engine, month, areas=None, pops=None) -> pd.DataFrame:
    """MPS Monthly Crime Dashboard offences: one row per area x subgroup, rates per 10,000
    (domestic abuse per 1,000, as DOMAIN.md says), with the positive outcomes of the same 12
    months and their rate where the publisher gives outcomes."""
    monthly = queries.subgroup_monthly(engine, "mps_dashboard_offences")
    if monthly.empty:
        return pd.DataFrame()
    if areas is None:
        areas, pops = queries.areas(engine), queries.populations(engine)
    abuse = monthly["indicator"].isin(domestic_abuse.INDICATORS)
    parts = [(monthly[~abuse], 10_000), (monthly[abuse], domestic_abuse.PER)]
    offences = pd.concat(
        [indicator_table(part, areas, pops, month, per=per) for part, per in parts if len(part)],
        ignore_index=True,
    )
    outcomes = queries.subgroup_monthly(engine, "mps_dashboard_outcomes")
    if not outcomes.empty:
        outcomes = indicator_table(outcomes, areas, pops, month)
    return domestic_abuse.with_outcomes(
        offences, exempt.visible(outcomes, "mps_dashboard_outcomes")
    )


def partnership_rows(month, engine=None, home: tuple[str, str] | None = None) -> pd.DataFrame:
    """Partnership indicators as at the end of ``month``: one row each for the home borough,
    its latest value and period (``dashboard.partnership.partnership_figures``) and its RAG."""
    engine = engine or cache.engine()
    code, name = home or home_of(queries.areas(engine))
    frames = [partnership_figures(slug, month, engine) for slug in STRATEGY_PRIORITIES]
    frames = [f[f["period"].notna()] for f in frames if not f.empty]
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if found.empty:
        return found
    return pd.DataFrame(
        {
            "area_code": code,
            "area_name": name,
            "area_type": "borough",
            "indicator": found["indicator"],
            "month": pd.Timestamp(month).strftime("%Y-%m") if month is not None else None,
            "value": found["value"],
            "period": found["period"],
            "rag": found["rag"],
            "illustrative": "yes" if "partnership_values" in illustrative.tables(engine) else "no",
        }
    )
