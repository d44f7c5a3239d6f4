"""One ward (/ward/<GSS code>): its MOPAC7 figures against 2011/12 and the previous 12 months,
its rank among the borough's wards, its trend, and where it sits against the other wards."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from core import reference
from core.months import as_month_or_none
from dashboard import cache, over_time
from dashboard.auth import exempt, guard, inputs
from dashboard.charts.base import TREND_START
from dashboard.charts.crime import ranked_bar_figure, trend_figure
from dashboard.prose.crime import (
    trend_caption,
    ward_compare_caption,
    ward_rank_basis,
    ward_sentence,
)
from dashboard.prose.words import period_words, source_text, with_note
from dashboard.ui import blocks, downloads, prefill
from dashboard.ui.addresses import FIRST_SLUG, chosen_slug, indicator_order, visible_slugs
from dashboard.ui.notices import can_load, missing, not_found, provenance_link
from dashboard.ui.trends import trend_table
from dashboard.ui.wards import ward_compare_table, ward_figures_table
from dashboard.ward_figures import ward_figures
from domain.crime import whole
from domain.indicators import record as record_of
from domain.periods import chosen_month, dataset_month
from domain.targets import target_of

dash.register_page(
    __name__, path_template="/ward/<ward_code>", name="Ward", title="Ward", nav=False
)
inputs.expect("ward-code", "data", inputs.TEXT)

SOURCE = (
    "Metropolitan Police Service (MPS) ward level crime on May-2022 wards; MPS borough level "
    "crime (London Datastore)"
)
CHARTS = ["ward-trend", "ward-compare"]
OUTPUTS = [
    ("ward-summary", "children"),
    ("ward-figures-table-html", "data"),
    *blocks.chart_ids(CHARTS),
    ("ward-source", "children"),
]
FOLLOW = prefill.register_period_follower("ward")
blocks.register_chart_tables(CHARTS)
blocks.register_html_slot("ward-figures-table")


def ward_area(code: str | None) -> dict | None:
    """The ward's area row (with its borough's name), or None for an unknown code."""
    areas, _ = cache.reference()
    rows = areas[(areas["code"] == code) & (areas["area_type"] == "ward")]
    if rows.empty:
        return None
    ward = rows.iloc[0].to_dict()
    parent = areas.loc[areas["code"] == ward["parent_code"], "name"]
    ward["borough_name"] = parent.iloc[0] if len(parent) else "its borough"
    return ward


def exists(ward_code: str | None = None, **_query) -> bool:
    """Whether /ward/<code> names a ward (app.py answers 404 when not)."""
    return ward_area(ward_code) is not None


def layout(ward_code: str | None = None, period: str | None = None, **_query) -> html.Div:
    """The ward's page drawn for ``?period=`` (the latest month without one)."""
    ward = ward_area(ward_code)
    if ward is None:
        return not_found(f"There is no ward with the code “{ward_code}”.")
    borough = ward["borough_name"]
    slugs = visible_slugs(exempt.hidden("indicator"))  # the picker offers only these
    crime = chosen_slug(FIRST_SLUG, slugs)
    picker = dbc.Select(id="ward-crime-select", value=crime, options=blocks.picker_options(slugs))
    label = html.Label("Crime type for the charts", htmlFor="ward-crime-select")
    trend = blocks.chart_block("ward-trend", "Month by month since 2010", height=340)
    compare = blocks.chart_block("ward-compare", f"Against {borough}'s other wards", height=480)
    latest = cache.latest_month("ward_crime", ward["code"])
    tree = html.Div(
        [
            prefill.period_store(
                "ward", chosen_month(as_month_or_none(period), cache.dashboard_months("ward_crime"))
            ),
            dcc.Store(id="ward-code", data=ward["code"]),
            html.P(dcc.Link(f"← All wards in {borough}", href="/wards"), className="mb-1 small"),
            html.H1(f"{ward['name']} ward, {borough}", className="h2"),
            html.Div(id="ward-summary", className="lead mb-2"),
            html.H2("Each crime type, 12 months", className="h5"),
            blocks.html_slot("ward-figures-table", "table-responsive"),
            dbc.Row([dbc.Col([label, picker], md=6, lg=4)], className="mt-2"),
            dbc.Row([dbc.Col(trend, lg=7), dbc.Col(compare, lg=5)]),
            *downloads.source_line("ward-source", "wards"),
            provenance_link("ward_crime", ward["code"], latest, "this ward's figures"),
        ]
    )
    return prefill.prefill(tree, OUTPUTS, update(period, ward["code"], crime))


def trend_parts(indicator: str, ward: dict, month, record: dict):
    frame = cache.trend("ward_crime", ward["code"], indicator)
    base = whole(record.get("baseline"))
    target = target_of(record)  # the target in force (the table is cache.judged)
    return (
        trend_figure(frame, month, base, target),
        trend_caption(indicator, month, record, target),
        over_time.drawn(  # the same for every period: drawn once per version of the figures
            "ward_crime",
            ("ward-trend-table", ward["code"], indicator),
            lambda: trend_table(frame, "ward-trend-table", start=TREND_START),
        ),
    )


def compare_parts(indicator: str, ward: dict, table: pd.DataFrame):
    rows = table[table["indicator"] == indicator]
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["r12"].astype(float)})
    median = frame["value"].median()
    return (
        ranked_bar_figure(
            frame, ward["name"], "Crimes in the 12 months", median, "Middle ward", ",.0f"
        ),
        ward_compare_caption(ward["name"], ward["borough_name"], indicator, rows),
        ward_compare_table(rows),
    )


@callback(
    *[Output(c, p) for c, p in OUTPUTS],
    prefill.PICKED,
    State("ward-code", "data"),
    Input("ward-crime-select", "value"),
    FOLLOW,
    prevent_initial_call=True,
)
def update(period, code, slug, _follow=None):
    """Sentence, figures table, trend and comparison charts for the ward and period."""
    ward = ward_area(code)
    months, wanted = cache.dashboard_months("ward_crime"), as_month_or_none(period)
    month = chosen_month(wanted, months)
    table = (
        ward_figures(ward["parent_code"], month)  # cache.judged(cache.ward_table(...)), kept
        if ward and month is not None
        else None
    )
    mine = table[table["area_code"] == ward["code"]] if table is not None and len(table) else None
    slugs = visible_slugs(exempt.hidden("indicator"))
    slug = chosen_slug(slug, slugs)
    if mine is None or slug is None or slugs[slug] not in set(mine["indicator"]):
        withheld = exempt.none_shown("ward_crime")  # exempt for the reader: not "not loaded"
        line, notice = missing("MPS ward crime figures", can_load(guard.current_user()), withheld)
        charts = blocks.blank_charts(line if withheld else f"{line} for this ward", len(CHARTS))
        return (notice, "", *charts, "")
    indicator = slugs[slug]
    mine = mine.sort_values("indicator", key=indicator_order)
    # the borough's change at the latest month both files have (they may end apart)
    borough_month = dataset_month(month, cache.dashboard_months("borough_crime"))
    borough = cache.borough_table(borough_month) if borough_month is not None else pd.DataFrame()
    borough = borough[borough["area_code"] == ward["parent_code"]] if not borough.empty else borough
    wards = table["area_code"].nunique()
    total = record_of(mine, ward["code"], reference.MOPAC7_TOTAL) or None  # None: exempt
    record = record_of(mine, ward["code"], indicator)
    basis = ward_rank_basis(table["rate_per_1000"].notna().any())
    return (
        with_note(
            period_words("Ward crime", months, wanted, month),
            ward_sentence(ward["name"], ward["borough_name"], month, total, wards, basis),
        ),
        ward_figures_table(mine, borough, wards, borough_month),
        *trend_parts(indicator, ward, month, record),
        *compare_parts(indicator, ward, table),
        source_text(month, SOURCE, "Ward rank: " + basis + "."),
    )
