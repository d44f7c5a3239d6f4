"""The crime page's blocks, each a chart with its sentence and its table, from figures already
fetched: the trend against the baseline and the target in force, the boroughs compared (all of
London or only the most similar group) and the London rank over time."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from core.values import is_missing
from dashboard.charts.base import TREND_START
from dashboard.charts.crime import rank_figure, ranked_bar_figure, trend_figure
from dashboard.prose.crime import group_caption, london_caption, rank_caption, trend_caption
from dashboard.ui.trends import london_table, rank_table, trend_table
from domain.crime import whole
from domain.london import london_rate
from domain.targets import target_of

LONDON, GROUP = "london", "group"
RATE_LABEL = "Crimes per 1,000 residents (12 months)"


def trend_block(frame: pd.DataFrame, indicator: str, month, record: dict, table: str) -> tuple:
    """The monthly trend with the baseline and the target in force (its 12 months' figure);
    ``table``: its ``trend_month_by_month``."""
    base, target = whole(record.get("baseline")), target_of(record)
    return (
        trend_figure(frame, month, base, target),
        trend_caption(indicator, month, record, target),
        table,
    )


def trend_month_by_month(frame: pd.DataFrame) -> str:
    """The trend's table: the same for every period."""
    return trend_table(frame, "crime-trend-table", start=TREND_START)


def london_block(rows: pd.DataFrame, indicator: str, home: str, month, record: dict, members=None):
    """The boroughs' rates, lowest first: the 32, or with ``members`` (the most similar group's
    borough codes) only those, ranked within the group, with London's or the group's rate as
    the line."""
    group = record.get("group_name") if members else None
    group = None if is_missing(group) else group  # set only when home is one of the members
    if group:
        rows = rows[rows["area_code"].isin(members)]
        overall = london_rate(rows, 1000, len(members))
        caption = group_caption(indicator, home, month, record, overall)
    else:
        overall = london_rate(rows, 1000)
        caption = london_caption(indicator, home, month, record, overall)
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_1000"].astype(float)})
    return (
        ranked_bar_figure(frame, home, RATE_LABEL, overall, group or "London"),
        caption,
        london_table(rows, "crime-london-table", 1000, "crimes", overall, group),
    )


def rank_block(ranks: pd.DataFrame, home: str, month, table: str) -> tuple:
    """The London rank over time; ``table``: its ``rank_month_by_month``."""
    return rank_figure(ranks, month, home), rank_caption(home, ranks, month), table


def rank_month_by_month(ranks: pd.DataFrame) -> str:
    """The London rank's table: the same for every period."""
    return rank_table(ranks, "crime-rank-table", 1000, start=TREND_START)


def scope_picker(group: str | None) -> html.Div:
    """Radio buttons (a fieldset, so a screen reader hears their question): all 32 London
    boroughs, or only the most similar group's (not offered without a group)."""
    options = [{"label": "All 32 London boroughs", "value": LONDON}]
    if group:
        options.append({"label": f"Only {group} (most similar group)", "value": GROUP})
    return html.Fieldset(
        [
            html.Legend("Boroughs to compare", className="small mb-0 fs-6"),
            dbc.RadioItems(id="crime-london-scope", options=options, value=LONDON, inline=True),
        ],
        className="mb-1",
    )
