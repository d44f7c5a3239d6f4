"""One ward (/ward/<GSS code>): its MOPAC7 figures against 2011/12 and the previous 12 months,
its rank among the borough's wards, its trend, and where it sits against the other wards."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from core import reference
from core.months import as_month_or_none
from dashboard import cache
from dashboard.charts.base import TREND_START, empty_figure
from dashboard.charts.crime import ranked_bar_figure, trend_figure
from dashboard.prose.crime import (
    trend_caption,
    ward_compare_caption,
    ward_rank_basis,
    ward_sentence,
)
from dashboard.prose.words import significance_text, source_text
from dashboard.text import fmt_int, fmt_number, fmt_pct
from dashboard.ui import prefill
from dashboard.ui.addresses import SLUGS, indicator_order
from dashboard.ui.blocks import chart_block, html_slot, register_chart_table, register_html_slot
from dashboard.ui.notices import empty_state, not_found, provenance_link
from dashboard.ui.tables import table_html
from domain import crime as figures_of
from domain.crime import whole
from domain.periods import chosen_month

dash.register_page(
    __name__, path_template="/ward/<ward_code>", name="Ward", title="Ward", nav=False
)

SOURCE = "MPS ward level crime on May-2022 wards; MPS borough level crime (London Datastore)"
CHARTS = ["ward-trend", "ward-compare"]
OUTPUTS = [
    ("ward-summary", "children"),
    ("ward-figures-table-html", "data"),
    *[
        (f"{c}-{p}", prop)
        for c in CHARTS
        for p, prop in [("graph", "figure"), ("caption", "children"), ("table-html", "data")]
    ],
    ("ward-source", "children"),
]
FOLLOW = prefill.register_period_follower("ward")
FIRST_CRIME = "mopac7-total"  # what the charts open on (picker and drawing)
for _chart in CHARTS:
    register_chart_table(_chart)
register_html_slot("ward-figures-table")


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


def layout(ward_code: str | None = None, period: str | None = None, **_query) -> html.Div:
    """The ward's page drawn for ``?period=`` (the latest month without one)."""
    ward = ward_area(ward_code)
    if ward is None:
        return not_found(f"There is no ward with the code “{ward_code}”.")
    picker = dbc.Select(
        id="ward-crime-select",
        value=FIRST_CRIME,
        options=[{"label": n, "value": s} for s, n in SLUGS.items()],
    )
    tree = html.Div(
        [
            prefill.period_store(
                "ward", chosen_month(as_month_or_none(period), cache.period_months())
            ),
            dcc.Store(id="ward-code", data=ward["code"]),
            html.P(
                dcc.Link(f"← All wards in {ward['borough_name']}", href="/wards"),
                className="mb-1 small",
            ),
            html.H1(f"{ward['name']} ward, {ward['borough_name']}", className="h2"),
            html.Div(id="ward-summary", className="lead mb-2"),
            html.H2("Each crime type, 12 months", className="h5"),
            html_slot("ward-figures-table", "table-responsive"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Label("Crime type for the charts", htmlFor="ward-crime-select"),
                            picker,
                        ],
                        md=6,
                        lg=4,
                    )
                ],
                className="mt-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        chart_block("ward-trend", "Month by month since 2010", height=340),
                        lg=7,
                    ),
                    dbc.Col(
                        chart_block(
                            "ward-compare",
                            f"Against {ward['borough_name']}'s other wards",
                            height=480,
                        ),
                        lg=5,
                    ),
                ]
            ),
            html.P(id="ward-source", className="text-body-secondary small mt-3"),
            provenance_link(
                "ward_crime",
                ward["code"],
                cache.latest_month("ward_crime", ward["code"]),
                "this ward's figures",
            ),
        ]
    )
    return prefill.prefill(tree, OUTPUTS, update(period, ward["code"], FIRST_CRIME))


def figures_table(ward_rows: pd.DataFrame, borough_rows: pd.DataFrame, wards: int) -> str:
    """Per crime type: R12, baseline, both changes (with significance), ward rank and the
    borough's change on the previous 12 months for comparison."""
    borough = borough_rows.set_index("indicator")
    shown = pd.DataFrame(
        {
            "Crime type": ward_rows["indicator"],
            "Crimes (12 months)": [fmt_int(v) for v in ward_rows["r12"]],
            "2011/12": [fmt_int(v) for v in ward_rows["baseline"]],
            "Change on 2011/12": [fmt_pct(v) for v in ward_rows["change_vs_baseline_pct"]],
            "Change on previous 12 months": [
                f"{fmt_pct(r['change_vs_previous_pct'])} ({significance_text(r)})"
                for r in ward_rows.to_dict("records")
            ],
            f"Ward rank (of {wards})": [fmt_int(v) for v in ward_rows["ward_rank"]],
            "Borough: change on previous 12 months": [
                fmt_pct(borough["change_vs_previous_pct"].get(i))
                if i in borough.index
                else "not available"
                for i in ward_rows["indicator"]
            ],
        }
    )
    return table_html(shown, "ward-figures-table")


def trend_parts(indicator: str, ward: dict, month, record: dict):
    frame = figures_of.trend_frame(cache.area_series("ward_crime", ward["code"], indicator))
    base = whole(record.get("baseline"))
    target = figures_of.target_for(base)
    figure = trend_figure(frame, month, base, target)
    shown = frame[frame["month"] >= TREND_START].iloc[::-1]
    table = pd.DataFrame(
        {
            "Month": [f"{m:%B %Y}" for m in shown["month"]],
            "Crimes in the month": [fmt_number(v) for v in shown["count"]],
            "12 months to the month (R12)": [fmt_number(v) for v in shown["r12"]],
        }
    )
    return (
        figure,
        trend_caption(indicator, month, record, target),
        table_html(table, "ward-trend-table"),
    )


def compare_parts(indicator: str, ward: dict, table: pd.DataFrame):
    rows = table[table["indicator"] == indicator]
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["r12"].astype(float)})
    median = frame["value"].median()
    figure = ranked_bar_figure(
        frame, ward["name"], "Crimes in the 12 months", median, "Middle ward", ",.0f"
    )
    caption = ward_compare_caption(ward["name"], ward["borough_name"], indicator, rows)
    shown = rows.sort_values(["ward_rank", "area_name"])
    listing = pd.DataFrame(
        {
            "Ward": shown["area_name"],
            "Crimes (12 months)": [fmt_int(v) for v in shown["r12"]],
            "Ward rank": [fmt_int(v) for v in shown["ward_rank"]],
        }
    )
    return figure, caption, table_html(listing, "ward-compare-table")


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
    month = chosen_month(as_month_or_none(period), cache.period_months())
    table = (
        cache.ward_table(ward["parent_code"], month)
        if ward and month is not None
        else pd.DataFrame()
    )
    mine = table[table["area_code"] == ward["code"]] if not table.empty else table
    if mine.empty:
        message = "No ward crime figures loaded for this ward"
        charts = [empty_figure(message), message, ""] * len(CHARTS)
        return (empty_state("MPS ward crime figures"), "", *charts, "")
    indicator = SLUGS.get(slug or "", reference.MOPAC7_TOTAL)
    mine = mine.sort_values("indicator", key=indicator_order)
    borough = cache.borough_table(month)
    borough = borough[borough["area_code"] == ward["parent_code"]] if not borough.empty else borough
    wards = table["area_code"].nunique()
    total = mine[mine["indicator"] == reference.MOPAC7_TOTAL].iloc[0].to_dict()
    record = mine[mine["indicator"] == indicator].iloc[0].to_dict()
    basis = ward_rank_basis(table["rate_per_1000"].notna().any())
    sentence = ward_sentence(ward["name"], ward["borough_name"], month, total, wards, basis)
    latest = cache.latest_month("ward_crime")
    return (
        sentence,
        figures_table(mine, borough, wards),
        *trend_parts(indicator, ward, month, record),
        *compare_parts(indicator, ward, table),
        source_text(latest, SOURCE, "Ward rank: " + basis + "."),
    )
