"""Wards (/wards): the home borough's wards on a map (ranked bars where no ward boundaries are
loaded) and in a sortable table, coloured by the chosen measure; a ward (on the map or in the
table) opens its page."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from core.months import as_month_or_none
from dashboard import cache
from dashboard.auth import exempt, guard
from dashboard.charts.base import empty_figure
from dashboard.charts.wards_map import ranked_wards_figure, wards_map_figure
from dashboard.prose.crime import ranked_wards_caption, wards_map_caption, wards_sentence
from dashboard.prose.words import period_words, source_text, with_note
from dashboard.ui import blocks, downloads, prefill
from dashboard.ui.addresses import chosen_slug, visible_slugs
from dashboard.ui.notices import can_load, empty_state, missing
from dashboard.ui.wards import (
    ATTRIBUTION_OS,
    WARD_MEASURES,
    boundaries_notice,
    map_frame,
    map_key,
    map_table,
    ward_columns_layout,
    ward_controls,
    ward_table_html,
)
from dashboard.ward_figures import label_places
from domain.indicators import has_ward_populations
from domain.periods import chosen_month

dash.register_page(
    __name__, path="/wards", name="Wards", order=2, title="Wards", nav_match=["/wards", "/ward/"]
)

SOURCE = "Metropolitan Police Service (MPS) ward level crime on May-2022 wards (London Datastore)"
NOTE = "Ward totals do not add up exactly to the borough's: a few crimes cannot be placed."
OUTPUTS = [
    ("wards-summary", "children"),
    ("wards-map-graph", "figure"),
    ("wards-map-caption", "children"),
    ("wards-map-table-html", "data"),
    ("wards-map-key", "children"),
    ("wards-table-html", "data"),
    ("wards-map-codes", "data"),
    ("wards-source", "children"),
    ("wards-map-heading", "children"),
    ("wards-map-notice", "children"),
    ("wards-map-attribution", "children"),
]
blocks.register_chart_table("wards-map")
blocks.register_html_slot("wards-table")
blocks.register_navigation("wards-goto")
FOLLOW = prefill.register_period_follower("wards")
FIRST_CRIME, FIRST_MEASURE = "mopac7-total", "r12"  # what the page opens on (pickers and drawing)


def has_ward_rates(borough_code: str) -> bool:
    """True when populations are loaded for the borough's wards (rates can be shown)."""
    return has_ward_populations(*cache.reference(), borough_code)


def layout(period: str | None = None, **_query) -> html.Div:
    """Map and table drawn for ``?period=`` (the latest month without one)."""
    home = cache.home_area()
    if home is None:
        return html.Div(
            [
                html.H1("Wards"),
                empty_state("MPS ward crime figures", can_load(guard.current_user())),
            ]
        )
    month = chosen_month(as_month_or_none(period), cache.dashboard_months("ward_crime"))
    slugs = visible_slugs(exempt.hidden("indicator"))
    crime = chosen_slug(FIRST_CRIME, slugs)
    tree = html.Div(
        [
            prefill.period_store("wards", month),
            dcc.Store(id="wards-goto"),
            dcc.Store(id="wards-map-codes"),
            html.H1(f"Wards in {home['name']}", className="h2"),
            ward_controls(has_ward_rates(home["code"]), crime, FIRST_MEASURE, slugs),
            html.Div(id="wards-summary", className="lead mb-2"),
            ward_columns_layout(),
            *downloads.source_line("wards-source", "wards"),
        ]
    )
    return prefill.prefill(tree, OUTPUTS, update(period, crime, FIRST_MEASURE))


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


def _empty() -> tuple:
    what, withheld = "MPS ward crime figures (the ward level CSV)", exempt.none_shown("ward_crime")
    line, empty = missing(what, can_load(guard.current_user()), withheld)  # never "not loaded"
    return (
        empty,
        empty_figure(line),
        "",
        "",
        None,
        "",
        [],
        "",
        "Map",
        None,
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
    months, wanted = cache.dashboard_months("ward_crime"), as_month_or_none(period)
    month = chosen_month(wanted, months)
    table = cache.ward_table(home["code"], month) if home and month is not None else None
    slugs = visible_slugs(exempt.hidden("indicator"))
    slug = chosen_slug(slug, slugs)
    if table is None or table.empty or slug is None:
        return _empty()
    indicator = slugs[slug]
    measure = measure if measure in WARD_MEASURES else "r12"
    label, _, diverging = WARD_MEASURES[measure]
    rows = table[table["indicator"] == indicator].sort_values("area_name")
    frame = map_frame(rows, measure)
    outlines = cache.ward_boundaries(home["code"])
    shown = frame[frame["code"].isin(set(outlines["code"]))]
    words = with_note(
        period_words("Ward crime", months, wanted, month),
        wards_sentence(home["name"], indicator, month, rows),
    )
    table_html = ward_table_html(rows, has_ward_rates(home["code"]), measure)
    source = source_text(month, SOURCE, NOTE)
    if shown.empty:  # no ward map loaded for the borough: the wards ranked as bars
        notice = boundaries_notice(home["name"], can_load(guard.current_user()))
        return (
            words,
            ranked_wards_figure(frame, label, diverging),
            ranked_wards_caption(home["name"], month, label, frame, diverging),
            map_table(frame, label),
            None,
            table_html,
            [],
            source,
            f"Wards ranked by {label.lower()}",
            notice,
            "",
        )
    return (
        words,
        wards_map_figure(outlines, shown, label, diverging, label_places(home["code"], shown)),
        wards_map_caption(home["name"], month, label, frame, diverging),
        map_table(frame, label),
        map_key(shown, label, diverging),
        table_html,
        list(shown["code"]),
        source,
        "Map",
        None,
        ATTRIBUTION_OS,
    )
