"""Wards (/wards): the home borough's wards on a map and in a sortable table, coloured by the
chosen measure; a ward (on the map or in the table) opens its page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from core import reference
from core.months import as_month_or_none
from dashboard import cache
from dashboard.charts.base import empty_figure
from dashboard.charts.wards_map import colour_range, wards_map_figure
from dashboard.prose.crime import wards_map_caption, wards_sentence
from dashboard.prose.words import source_text
from dashboard.text import fmt_number
from dashboard.ui import prefill
from dashboard.ui.addresses import SLUGS
from dashboard.ui.blocks import (
    chart_block,
    html_slot,
    register_chart_table,
    register_html_slot,
    register_navigation,
)
from dashboard.ui.notices import empty_state
from dashboard.ui.tables import table_html
from dashboard.ui.wards import ATTRIBUTION_OS, WARD_MEASURES, colour_key, ward_table_html
from domain.crime import is_small
from domain.periods import chosen_month

dash.register_page(
    __name__, path="/wards", name="Wards", order=2, title="Wards", nav_match=["/wards", "/ward/"]
)

SOURCE = "MPS ward level crime on May-2022 wards (London Datastore)"
OUTPUTS = [
    ("wards-summary", "children"),
    ("wards-map-graph", "figure"),
    ("wards-map-caption", "children"),
    ("wards-map-table-html", "data"),
    ("wards-map-key", "children"),
    ("wards-table-html", "data"),
    ("wards-map-codes", "data"),
    ("wards-source", "children"),
]
register_chart_table("wards-map")
register_html_slot("wards-table")
register_navigation("wards-goto")
FOLLOW = prefill.register_period_follower("wards")
FIRST_CRIME, FIRST_MEASURE = "mopac7-total", "r12"  # what the page opens on (pickers and drawing)


def has_ward_rates(borough_code: str) -> bool:
    """True when populations are loaded for the borough's wards (rates can be shown)."""
    areas, pops = cache.reference()
    wards = areas[(areas["parent_code"] == borough_code) & (areas["area_type"] == "ward")]
    return bool(len(wards)) and pops["area_code"].isin(wards["code"]).any()


def controls(has_rates: bool) -> dbc.Row:
    measures = [
        {"label": label, "value": key, "disabled": key == "rate" and not has_rates}
        for key, (label, _, _) in WARD_MEASURES.items()
    ]
    if not has_rates:
        measures[1]["label"] += " (needs ward populations)"
    crimes = [{"label": n, "value": s} for s, n in SLUGS.items()]
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.Label("Crime type", htmlFor="wards-crime"),
                    dbc.Select(id="wards-crime", options=crimes, value=FIRST_CRIME),
                ],
                md=6,
            ),
            dbc.Col(
                [
                    html.Label("Colour the map by", htmlFor="wards-measure"),
                    dbc.Select(id="wards-measure", options=measures, value=FIRST_MEASURE),
                ],
                md=6,
            ),
        ],
        className="mb-2",
    )


def layout(period: str | None = None, **_query) -> html.Div:
    """Map and table drawn for ``?period=`` (the latest month without one)."""
    home = cache.home_area()
    if home is None:
        return html.Div([html.H1("Wards"), empty_state("MPS ward crime figures")])
    map_column = [
        chart_block("wards-map", "Map", height=460, key=True),
        html.P(ATTRIBUTION_OS, className="small text-body-secondary"),
    ]
    table_column = [
        html.H2("All wards", className="h5 mt-3"),
        html.P(
            "Select a ward for its trends. Select a column heading to sort.", className="small mb-1"
        ),
        html_slot("wards-table", "table-responsive ward-table"),
    ]
    tree = html.Div(
        [
            prefill.period_store(
                "wards", chosen_month(as_month_or_none(period), cache.period_months())
            ),
            dcc.Store(id="wards-goto"),
            dcc.Store(id="wards-map-codes"),
            html.H1(f"Wards in {home['name']}", className="h2"),
            controls(has_ward_rates(home["code"])),
            html.Div(id="wards-summary", className="lead mb-2"),
            dbc.Row([dbc.Col(map_column, lg=6), dbc.Col(table_column, lg=6)]),
            html.P(id="wards-source", className="text-body-secondary small mt-3"),
        ]
    )
    return prefill.prefill(tree, OUTPUTS, update(period, FIRST_CRIME, FIRST_MEASURE))


@callback(
    Output("wards-goto", "data"),
    Input("wards-map-graph", "clickData"),
    State("wards-map-codes", "data"),
    prevent_initial_call=True,
)
def open_ward(click: dict | None, codes: list[str] | None):
    """A click on a ward of the map opens the ward's page."""
    points = (click or {}).get("points") or []
    number = points[0].get("curveNumber") if points else None
    if number is None or not codes or number >= len(codes):
        return no_update
    return f"/ward/{codes[number]}"


def map_key(shown: pd.DataFrame, label: str, diverging: bool) -> html.Div:
    """The colour key for the wards drawn (``shown``: map_frame rows with a boundary)."""
    judged = shown["judged"].astype(bool)
    low, high = colour_range(shown.loc[judged, "value"], diverging)
    return colour_key(label, low, high, diverging, hatched=not judged.all())


def map_frame(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """code, name, value, judged, text for the map: change and rate measures hatch small counts."""
    label, column, _ = WARD_MEASURES[measure]
    records = table.to_dict("records")
    values = pd.to_numeric(table[column].astype("Float64"), errors="coerce").astype(float)
    small = [is_small(r) for r in records]
    judged = [
        pd.notna(v) and (measure == "r12" or not s) for v, s in zip(values, small, strict=True)
    ]
    digits = 0 if measure == "r12" else 1
    text = [
        f"{r['area_name']}: {fmt_number(v, digits)} ({label.lower()})"
        + (" — too small to judge" if s else "")
        for r, v, s in zip(records, values, small, strict=True)
    ]
    return pd.DataFrame(
        {
            "code": table["area_code"].to_numpy(),
            "name": table["area_name"].to_numpy(),
            "value": values.to_numpy(),
            "judged": judged,
            "text": text,
        }
    )


def _empty() -> tuple:
    return (
        empty_state("MPS ward crime figures (the ward level CSV)"),
        empty_figure("No ward figures loaded"),
        "",
        "",
        None,
        "",
        [],
        "",
    )


@callback(
    *[Output(component, prop) for component, prop in OUTPUTS],
    prefill.PICKED,
    Input("wards-crime", "value"),
    Input("wards-measure", "value"),
    FOLLOW,
    prevent_initial_call=True,
)
def update(period, slug, measure, _follow=None):
    """Sentence, map (figure, words, table), the sortable ward table and the source line."""
    home = cache.home_area()
    month = chosen_month(as_month_or_none(period), cache.period_months())
    if home is None or month is None:
        return _empty()
    table = cache.ward_table(home["code"], month)
    if table.empty:
        return _empty()
    indicator = SLUGS.get(slug or "", reference.MOPAC7_TOTAL)
    measure = measure if measure in WARD_MEASURES else "r12"
    label, _, diverging = WARD_MEASURES[measure]
    rows = table[table["indicator"] == indicator].sort_values("area_name")
    frame = map_frame(rows, measure)
    features = cache.ward_boundaries(frame["code"])
    shown = frame[frame["code"].isin({f["properties"]["WD22CD"] for f in features})]
    map_table = pd.DataFrame(
        {"Ward": frame["name"], label: [t.split(": ", 1)[1] for t in frame["text"]]}
    )
    note = "Ward totals do not add up exactly to the borough's: a few crimes cannot be placed."
    key = map_key(shown, label, diverging) if len(shown) else None
    return (
        wards_sentence(home["name"], indicator, month, rows),
        wards_map_figure(features, shown, label, diverging),
        wards_map_caption(home["name"], month, label, frame, diverging)
        if features
        else f"No ward boundaries for {home['name']} in data/boundaries: the table lists every ward.",
        table_html(map_table, "wards-map-table"),
        key,
        ward_table_html(rows, has_ward_rates(home["code"]), measure),
        list(shown["code"]),
        source_text(cache.latest_month("ward_crime"), SOURCE, note),
    )
