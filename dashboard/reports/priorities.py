"""Indicator rows for the other priorities (SYV, IOM, proven reoffending, WRAP coverage).

SYV is windowed like crime (R12, P12, rate per 10,000, London rank); the others are figures as
at a quarter, cohort or date, so they fill ``value`` and ``period`` and leave the window
columns empty.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import config, queries
from core.values import is_missing
from dashboard import illustrative
from dashboard.auth import exempt
from domain.indicators import indicator_table
from domain.priorities import iom_table, reoffending_table, syv_counts, wrap_coverage_table

SYV = "serious_youth_violence"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


GEOGRAPHY_CODES = {"london": "E12000007", "england and wales": "K04000001"}


def syv_rows(engine: Engine, month, areas: pd.DataFrame, pops: pd.DataFrame) -> pd.DataFrame:
    """Serious youth violence victims per borough, windowed like the crime indicators."""
    syv = queries.syv_monthly(engine)
    if syv.empty:
        return pd.DataFrame()
    return indicator_table(syv_counts(syv), areas, pops, month, per=10_000)


def home_of(areas: pd.DataFrame) -> tuple[str, str]:
    """The home borough's (code, name) among ``areas`` (its name twice when not loaded)."""
    name = config.home_borough()
    match = areas[areas["name"].str.lower() == name.lower()]
    return (match["code"].iloc[0], name) if len(match) else (name, name)


def _row(code, name, area_type, indicator, month, value, period, rag=None) -> dict:
    return {
        "area_code": code,
        "area_name": name,
        "area_type": area_type,
        "indicator": indicator,
        "month": month.strftime("%Y-%m"),
        "value": value,
        "period": period,
        "rag": rag,
    }


def iom_rows(engine: Engine, month, home: tuple[str, str]) -> list[dict]:
    """The latest IOM quarter starting on or before the month."""
    quarters = queries.iom_quarters(engine)
    quarters = quarters[pd.to_datetime(quarters["quarter_start"]) <= month]
    if quarters.empty:
        return []
    q = iom_table(quarters).iloc[-1]
    return [
        _row(*home, "borough", label, month, q[column], q["quarter"])
        for label, column in (
            ("IOM cohort size", "cohort_size"),
            ("IOM cohort proven reoffending rate %", "reoffending_rate"),
            ("IOM reduction in offending %", "reduction_percent"),
        )
    ]


def reoffending_rows(engine: Engine, month, areas: pd.DataFrame) -> list[dict]:
    """MoJ proven reoffending rate per geography and adult/juvenile, latest cohort loaded."""
    rates = queries.reoffending_rates(engine)
    if rates.empty:
        return []
    table = reoffending_table(rates)
    by_name = {n.lower(): c for n, c in zip(areas["name"], areas["code"], strict=True)}
    rows = []
    for (geography, group), part in table.groupby(["geography", "adult_juvenile"]):
        latest = part.iloc[-1]
        code = by_name.get(geography.lower()) or GEOGRAPHY_CODES.get(geography.lower(), geography)
        rows.append(
            _row(
                code,
                geography,
                "geography",
                f"Proven reoffending rate % ({group})",
                month,
                latest["reoffending_rate"],
                latest["cohort"],
            )
        )
    return rows


def wrap_rows(engine: Engine, month, home: tuple[str, str]) -> list[dict]:
    """WRAP coverage per department (and in total) as at the latest date up to the month."""
    training = queries.wrap_training(engine)
    training = training[pd.to_datetime(training["as_at"]) <= month + pd.offsets.MonthEnd(0)]
    if training.empty:
        return []
    as_at = training["as_at"].max()
    table = wrap_coverage_table(training[training["as_at"] == as_at])
    period = pd.Timestamp(as_at).strftime("%Y-%m-%d")
    return [
        _row(
            *home,
            "borough",
            f"WRAP coverage %: {r['department']}",
            month,
            r["coverage"],
            period,
            r["rag"],
        )
        for r in table.to_dict("records")
    ]


def _plain(value):
    if is_missing(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def priority_rows(engine: Engine, month, areas: pd.DataFrame, pops: pd.DataFrame, syv_month=None):
    """All the other priorities' rows for the indicators export (``syv_month``: serious youth
    violence's own month, when it reports earlier, as in the board pack)."""
    month = pd.Timestamp(month)
    home = home_of(areas)
    hidden = exempt.hidden("dataset")  # a dataset exempt for this user adds no rows
    syv_at = month if syv_month is None else pd.Timestamp(syv_month)
    made_up = illustrative.tables(engine)  # tables holding figures a file says are made up
    frames = []
    if SYV not in hidden:
        syv = syv_rows(engine, syv_at, areas, pops)
        frames.append(syv.assign(illustrative=_yes("syv_counts" in made_up)))
    plain = []
    for dataset, table, rows in (
        ("iom", "iom_quarters", lambda: iom_rows(engine, month, home)),
        ("proven_reoffending", "reoffending_rates", lambda: reoffending_rows(engine, month, areas)),
        ("wrap_training", "wrap_training", lambda: wrap_rows(engine, month, home)),
    ):
        found = [] if dataset in hidden else rows()
        plain += [{**row, "illustrative": _yes(table in made_up)} for row in found]
    if plain:
        frame = pd.DataFrame(plain)
        # keep counts whole (105, not 105.0) beside percentages
        frame["value"] = pd.Series([_plain(r["value"]) for r in plain], dtype=object)
        frames.append(frame)
    return (
        pd.concat([f for f in frames if not f.empty], ignore_index=True)
        if any(not f.empty for f in frames)
        else pd.DataFrame()
    )
