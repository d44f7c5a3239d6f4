"""Borough trends for one MOPAC7 type (/crime/<slug>): the monthly trend against the baseline
and target, the 32 boroughs' rates for the window, and the home borough's London rank over time.
"""

from __future__ import annotations

from functools import lru_cache

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, Patch, State, callback, dcc, html, no_update

from core import reference
from core.months import as_month_or_none
from dashboard import cache
from dashboard.charts.base import TREND_START, empty_figure
from dashboard.charts.crime import rank_figure, ranked_bar_figure, trend_figure
from dashboard.prose.crime import crime_sentence, london_caption, rank_caption, trend_caption
from dashboard.prose.words import source_text
from dashboard.text import fmt_int, fmt_number
from dashboard.ui import prefill
from dashboard.ui.addresses import SLUGS
from dashboard.ui.blocks import chart_block, register_chart_table, register_navigation
from dashboard.ui.notices import empty_state, not_found
from dashboard.ui.tables import table_html
from domain import crime as figures_of
from domain.crime import whole
from domain.london import london_rate, london_rows
from domain.periods import chosen_month

dash.register_page(
    __name__,
    path_template="/crime/<slug>",
    path="/crime/mopac7-total",
    name="Crime trends",
    order=1,
    title="Crime trends",
    nav_match=["/crime/"],
)

SOURCE = "MPS borough level crime (London Datastore); ONS mid-year population estimates"
CHARTS = ["crime-trend", "crime-london", "crime-rank"]
OUTPUTS = [
    ("crime-summary", "children"),
    *[
        (f"{c}-{p}", prop)
        for c in CHARTS
        for p, prop in [("graph", "figure"), ("caption", "children"), ("table-html", "data")]
    ],
    ("crime-source", "children"),
]
FOLLOW = prefill.register_period_follower("crime")
register_navigation("crime-goto")
for _chart in CHARTS:
    register_chart_table(_chart)


def layout(slug: str | None = None, period: str | None = None, **_query) -> html.Div:
    """The page for one crime type, drawn for ``?period=`` (the latest month without one)."""
    if slug not in SLUGS:
        return not_found(f"There is no crime type called “{slug}”.")
    indicator = SLUGS[slug]
    picker = dbc.Select(
        id="crime-type-select",
        value=slug,
        options=[{"label": name, "value": s} for s, name in SLUGS.items()],
    )
    tree = html.Div(
        [
            prefill.period_store(
                "crime", chosen_month(as_month_or_none(period), cache.period_months())
            ),
            dcc.Store(id="crime-drawn"),
            dcc.Store(id="crime-goto"),
            dcc.Store(id="crime-slug", data=slug),
            dbc.Row(
                [
                    dbc.Col(html.H1(f"{indicator} in {cache.home_name()}", className="h2"), lg=8),
                    dbc.Col([html.Label("Crime type", htmlFor="crime-type-select"), picker], lg=4),
                ],
                className="align-items-end",
            ),
            html.Div(id="crime-summary", className="lead mb-2"),
            chart_block("crime-trend", "Month by month since 2010", height=340),
            dbc.Row(
                [
                    dbc.Col(
                        chart_block("crime-london", "London boroughs compared", height=540),
                        lg=7,
                    ),
                    dbc.Col(
                        chart_block("crime-rank", "London rank over time", height=340),
                        lg=5,
                    ),
                ]
            ),
            html.P(id="crime-source", className="text-body-secondary small mt-3"),
        ]
    )
    values = update(period, slug)
    return prefill.prefill(
        tree, [*OUTPUTS, ("crime-drawn", "data")], [*values, drawn_key(slug, values)]
    )


@callback(
    Output("crime-goto", "data"),
    Input("crime-type-select", "value"),
    State("crime-slug", "data"),
    prevent_initial_call=True,
)
def choose_type(slug: str | None, current: str | None):
    """Choosing another crime type opens its address (/crime/<slug>)."""
    if slug == current or slug not in SLUGS:
        return no_update
    return f"/crime/{slug}"


@lru_cache(maxsize=32)
def _trend_history(
    data: tuple[str, int], indicator: str, area_code: str
) -> tuple[pd.DataFrame, str]:
    """The monthly frame and its table, which no period change alters (cached per database and
    data version, ``cache.data_key``: a period change reuses them)."""
    frame = figures_of.trend_frame(cache.area_series("borough_crime", area_code, indicator))
    shown = frame[frame["month"] >= TREND_START].iloc[::-1]
    table = pd.DataFrame(
        {
            "Month": [f"{m:%B %Y}" for m in shown["month"]],
            "Crimes in the month": [fmt_number(v) for v in shown["count"]],
            "12 months to the month (R12)": [fmt_number(v) for v in shown["r12"]],
        }
    )
    return frame, table_html(table, "crime-trend-table")


def trend_parts(indicator: str, home: dict, month, record: dict):
    frame, table = _trend_history(cache.data_key(), indicator, home["code"])
    base = whole(record.get("baseline"))
    target = figures_of.target_for(base)
    figure = trend_figure(frame, month, base, target)
    caption = trend_caption(indicator, month, record, target)
    return figure, caption, table


def london_parts(indicator: str, home: dict, month, record: dict, table: pd.DataFrame):
    rows = london_rows(table, cache.reference()[0], indicator)
    overall = london_rate(rows, 1000)
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_1000"].astype(float)})
    figure = ranked_bar_figure(
        frame, home["name"], "Crimes per 1,000 residents (12 months)", overall, "London"
    )
    caption = london_caption(indicator, home["name"], month, record, overall)
    shown = pd.DataFrame(
        {
            "Borough": rows["area_name"],
            "London rank": [fmt_int(v) for v in rows["london_rank"]],
            "Crimes (12 months)": [fmt_int(v) for v in rows["r12"]],
            "Rate per 1,000": [fmt_number(v, 1) for v in rows["rate_per_1000"]],
        }
    )
    note = "" if overall is None else f"London: {overall:.1f} per 1,000 residents."
    return figure, caption, table_html(shown, "crime-london-table", note or None)


@lru_cache(maxsize=32)
def _rank_table(data: tuple[str, int], indicator: str, area_code: str) -> str:
    """The month-by-month rank table, which no period change alters (cached per database and
    data version, ``cache.data_key``)."""
    rows = cache.rank_series(area_code, indicator)
    shown = rows.dropna(subset=["london_rank"])
    shown = shown[shown["month"] >= TREND_START].iloc[::-1]
    table = pd.DataFrame(
        {
            "12 months to": [f"{m:%B %Y}" for m in shown["month"]],
            "London rank (1 = lowest rate)": [int(v) for v in shown["london_rank"]],
            "Rate per 1,000": [fmt_number(v, 1) for v in shown["rate"]],
        }
    )
    return table_html(table, "crime-rank-table")


def rank_parts(indicator: str, home: dict, month):
    rows = cache.rank_series(home["code"], indicator)
    figure = rank_figure(rows, month, home["name"])
    caption = rank_caption(home["name"], rows, month)
    return figure, caption, _rank_table(cache.data_key(), indicator, home["code"])


def _empty(message: str, summary) -> tuple:
    charts = [empty_figure(message), message, ""] * len(CHARTS)
    return (summary, *charts, "")


TREND = OUTPUTS.index(("crime-trend-graph", "figure"))
UNCHANGED_BY_PERIOD = [
    OUTPUTS.index((f"{c}-table-html", "data")) for c in ("crime-trend", "crime-rank")
]


def drawn_key(slug: str | None, values) -> str | None:
    """What the trend's bars and the two tables were drawn from (data version and type);
    None when the trend chart is empty."""
    if not values[TREND].data:
        return None
    return f"{cache.data_version(cache.engine())}|{slug}"


@callback(
    *[Output(c, p) for c, p in OUTPUTS],
    Output("crime-drawn", "data"),
    prefill.PICKED,
    State("crime-slug", "data"),
    State("crime-drawn", "data"),
    FOLLOW,
    prevent_initial_call=True,
)
def change_period(period: str | None, slug: str | None, drawn: str | None, _follow=None):
    """A new period moves the trend's shaded windows but not its 180 monthly bars, nor the
    month-by-month tables: when those were drawn from the same data, send only the windows,
    so the browser redraws a fraction of the chart."""
    values = list(update(period, slug))
    key = drawn_key(slug, values)
    if key is not None and key == drawn:
        layout = values[TREND].layout
        windows = Patch()
        windows["layout"]["shapes"] = [shape.to_plotly_json() for shape in layout.shapes]
        windows["layout"]["annotations"] = [note.to_plotly_json() for note in layout.annotations]
        values[TREND] = windows
        for index in UNCHANGED_BY_PERIOD:
            values[index] = no_update
    return (*values, key)


def update(period: str | None, slug: str | None):
    """Summary sentence, the three charts (figure, sentence, table) and the source line."""
    indicator = SLUGS.get(slug or "", reference.MOPAC7_TOTAL)
    home = cache.home_area()
    month = chosen_month(as_month_or_none(period), cache.period_months())
    table = cache.borough_table(month) if month is not None else pd.DataFrame()
    if home is None or table.empty or home["code"] not in set(table["area_code"]):
        return _empty("No borough crime figures loaded", empty_state("MPS borough crime figures"))
    record = table[(table["area_code"] == home["code"]) & (table["indicator"] == indicator)]
    if record.empty:  # an indicator exempt from this user's view (dashboard/exempt.py)
        message = f"No {indicator.lower()} figures to show for {home['name']}"
        return _empty(message, html.P(f"{message}.", className="lead"))
    record = record.iloc[0].to_dict()
    ranks = cache.rank_series(home["code"], indicator)
    before = ranks.loc[ranks["month"] == month - pd.DateOffset(months=12), "london_rank"]
    rank_before = before.iloc[0] if len(before) else None
    sentence = crime_sentence(indicator, home["name"], month, record, rank_before)
    latest = cache.latest_month("borough_crime")
    return (
        sentence,
        *trend_parts(indicator, home, month, record),
        *london_parts(indicator, home, month, record, table),
        *rank_parts(indicator, home, month),
        source_text(latest, SOURCE),
    )
