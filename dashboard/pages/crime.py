"""Borough trends for one MOPAC7 type or overall crime (/crime/<slug>): the monthly trend against
the baseline and target, the 32 boroughs' rates, and the home borough's London rank over time."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, Patch, State, callback, dcc, html, no_update

from core import reference
from core.months import as_month_or_none
from dashboard import cache, over_time
from dashboard.auth import exempt, guard, inputs
from dashboard.prose.crime import crime_sentence
from dashboard.prose.words import period_words, source_text, with_note
from dashboard.ui import blocks, downloads, prefill
from dashboard.ui import crime as parts
from dashboard.ui.addresses import SLUGS, visible_slugs
from dashboard.ui.notices import can_load, missing, not_found
from domain.indicators import record as record_of
from domain.london import london_rows, rank_a_year_earlier
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
inputs.expect("crime-slug", "data", inputs.TEXT)

SOURCE = (  # each acronym spelled out where a reader first meets it
    "Metropolitan Police Service (MPS) borough level crime (London Datastore); Office for "
    "National Statistics (ONS) mid-year population estimates"
)
CHARTS = ["crime-trend", "crime-london", "crime-rank"]
OUTPUTS = [("crime-summary", "children"), *blocks.chart_ids(CHARTS), ("crime-source", "children")]
FOLLOW = prefill.register_period_follower("crime")
blocks.register_navigation("crime-goto")
blocks.register_chart_tables(CHARTS)


def exists(slug: str | None = None, **_query) -> bool:
    """Whether /crime/<slug> names a crime type (app.py answers 404 when not)."""
    return slug in SLUGS


def layout(slug: str | None = None, period: str | None = None, **_query) -> html.Div:
    """The page for one crime type, drawn for ``?period=`` (the latest month without one)."""
    if slug not in SLUGS:
        return not_found(f"There is no crime type called “{slug}”.")
    slugs = visible_slugs(exempt.hidden("indicator"))  # the picker offers only these
    picker = dbc.Select(id="crime-type-select", value=slug, options=blocks.picker_options(slugs))
    title = html.H1(f"{SLUGS[slug]} in {cache.home_name()}", className="h2")
    month = chosen_month(as_month_or_none(period), cache.period_months())
    tree = html.Div(
        [
            prefill.period_store("crime", month),
            dcc.Store(id="crime-drawn"),
            dcc.Store(id="crime-goto"),
            dcc.Store(id="crime-slug", data=slug),
            blocks.heading_with_picker(title, "Crime type", picker),
            html.Div(id="crime-summary", className="lead mb-2"),
            blocks.chart_block("crime-trend", "Month by month since 2010", height=340),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            parts.scope_picker(home_group()),
                            blocks.chart_block("crime-london", "London boroughs compared", 540),
                        ],
                        lg=7,
                    ),
                    dbc.Col(blocks.chart_block("crime-rank", "London rank over time", 340), lg=5),
                ]
            ),
            *downloads.source_line("crime-source", "crime"),
        ]
    )
    values = update(period, slug)
    outputs = [*OUTPUTS, ("crime-drawn", "data")]
    return prefill.prefill(tree, outputs, [*values, drawn_key(slug, values)])


def home_group() -> str | None:
    """The most similar group's name when the home borough is one of its members."""
    name, members = cache.comparator_group()
    home = cache.home_area()
    return name if home and home["code"] in members else None


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


TREND = OUTPUTS.index(("crime-trend-graph", "figure"))
UNCHANGED_BY_PERIOD = [
    OUTPUTS.index((f"{c}-table-html", "data")) for c in ("crime-trend", "crime-rank")
]


def drawn_key(slug: str | None, values) -> str | None:
    """What the trend's bars, legend (the baseline and the target in force, which a period can
    change) and month-by-month tables were drawn from; None when the trend chart is empty."""
    if not values[TREND].data:
        return None
    names = "|".join(str(trace.name) for trace in values[TREND].data)
    return f"{cache.figures_version('borough_crime', cache.engine())}|{slug}|{names}"


@callback(
    *[Output(c, p) for c, p in OUTPUTS],
    Output("crime-drawn", "data"),
    prefill.PICKED,
    State("crime-slug", "data"),
    State("crime-drawn", "data"),
    FOLLOW,
    Input("crime-london-scope", "value"),
    prevent_initial_call=True,
)
def change_period(period, slug: str | None, drawn: str | None, _follow=None, scope=None):
    """A new period moves the trend's shaded windows but not its 180 monthly bars, nor the
    month-by-month tables: when those were drawn from the same data, send only the windows,
    so the browser redraws a fraction of the chart."""
    values = list(update(period, slug, scope))
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


TABLES = {"trend": parts.trend_month_by_month, "rank": parts.rank_month_by_month}


def month_by_month(table: str, frame: pd.DataFrame, home: dict, indicator: str) -> str:
    """The trend's or the London rank's table (``table``: of ``frame``, the home borough's for
    ``indicator``), the same for every period: drawn once per version of the figures."""
    return over_time.drawn(
        "borough_crime", (f"crime-{table}", home["code"], indicator), lambda: TABLES[table](frame)
    )


def _empty(message: str, summary) -> tuple:
    return (summary, *blocks.blank_charts(message, len(CHARTS)), "")


def update(period: str | None, slug: str | None, scope: str | None = None):
    """Summary sentence, the three charts (figure, sentence, table) and the source line
    (``scope`` GROUP: the boroughs compared are the most similar group's only)."""
    indicator = SLUGS.get(slug or "", reference.MOPAC7_TOTAL)
    home, months, wanted = cache.home_area(), cache.period_months(), as_month_or_none(period)
    month = chosen_month(wanted, months)
    table = cache.borough_figures(month) if month is not None else pd.DataFrame()
    if home is None or table.empty or home["code"] not in set(table["area_code"]):
        withheld = exempt.none_shown("borough_crime")  # exempt for the reader: not "not loaded"
        return _empty(
            *missing("MPS borough crime figures", can_load(guard.current_user()), withheld)
        )
    record = record_of(table, home["code"], indicator)
    if not record:  # an indicator exempt from this user's view (dashboard/exempt.py)
        message = f"No {indicator.lower()} figures to show for {home['name']}"
        return _empty(message, html.P(f"{message}.", className="lead"))
    ranks = cache.rank_series(home["code"], indicator)
    before = rank_a_year_earlier(ranks, home["code"], month).get(indicator)
    trend = cache.trend("borough_crime", home["code"], indicator)
    rows = london_rows(table, cache.reference()[0], indicator)
    members = cache.comparator_group()[1] if scope == parts.GROUP else None
    return (
        with_note(
            period_words("Borough crime", months, wanted, month),
            crime_sentence(indicator, home["name"], month, record, before),
        ),
        *parts.trend_block(
            trend, indicator, month, record, month_by_month("trend", trend, home, indicator)
        ),
        *parts.london_block(rows, indicator, home["name"], month, record, members),
        *parts.rank_block(
            ranks, home["name"], month, month_by_month("rank", ranks, home, indicator)
        ),
        source_text(month, SOURCE),
    )
