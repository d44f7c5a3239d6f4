"""The indicators export: every borough and home ward x indicator for one month, the table a
board report is built from (``python -m dashboard report indicators --month YYYY-MM``). Exempt
datasets and indicators (and totals including them: ``dashboard.auth.exempt``) are left out when
a web request asks for it; run on the server, it has everything. Every row carries the target in
force for the month and the RAG it gives, and each borough its rank in the most similar group."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from core import queries
from core.months import Month
from dashboard import cache
from dashboard.auth import exempt
from dashboard.reports.priorities import home_of, priority_rows
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
    mps_dashboard_offences, syv); a dataset whose month is None is left out."""
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
        monthly = queries.mopac7_monthly(engine, dataset, codes)
        if monthly.empty:
            continue
        frame = exempt.visible(indicator_table(monthly, areas, pops, at_month), dataset)
        frames.append((frame, at_month))
    dashboard_month = at.get("mps_dashboard_offences", month)
    if "mps_dashboard_offences" not in left_out:
        offences = dashboard_indicators_table(engine, dashboard_month, areas, pops)
        frames.append((exempt.visible(offences, "mps_dashboard_offences"), dashboard_month))
    syv_month = at.get("syv", month)
    rows = priority_rows(engine, month, areas, pops, syv_month)
    frames.append((exempt.visible(rows), syv_month or month))
    frames = [cache.judged(f, m, engine) for f, m in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    return export_frame(pd.concat(frames, ignore_index=True))


def dashboard_indicators_table(engine, month, areas=None, pops=None) -> pd.DataFrame:
    """MPS Monthly Crime Dashboard offences: one row per area x subgroup, rates per 10,000."""
    monthly = queries.subgroup_monthly(engine, "mps_dashboard_offences")
    if monthly.empty:
        return pd.DataFrame()
    if areas is None:
        areas, pops = queries.areas(engine), queries.populations(engine)
    return indicator_table(monthly, areas, pops, month, per=10_000)
