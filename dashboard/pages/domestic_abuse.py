"""Domestic abuse (/domestic-abuse): the MPS Monthly Crime Dashboard's domestic abuse offences and
DA violence with injury (one indicator however the file spells it), against the previous 12
months and London (rates per 1,000), their positive outcome rate, and the home borough's wards.
The VAWG partnership indicators, commentary and action plan are in ``da-partnership``.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from dashboard import cache, over_time
from dashboard import domestic_abuse_figures as figures
from dashboard.auth import exempt, guard
from dashboard.charts.crime import rank_figure, ranked_bar_figure, trend_figure
from dashboard.charts.hate_crime import outcome_lines_figure, ward_bars_figure
from dashboard.pages import priority_block
from dashboard.prose import domestic_abuse as words
from dashboard.prose.crime import rank_caption
from dashboard.prose.hate_crime import outcomes_caption, wards_caption
from dashboard.prose.priorities import count_trend_caption
from dashboard.prose.words import none_loaded, period_words, source_text, with_note
from dashboard.text import fmt_int
from dashboard.ui import blocks, downloads
from dashboard.ui import domestic_abuse as ui
from dashboard.ui.hate_crime import outcomes_table
from dashboard.ui.notices import can_load, priority_empty_state
from dashboard.ui.trends import london_table, rank_table, trend_table
from domain import domestic_abuse as da
from domain.crime import r12_at
from domain.london import london_codes, london_rows
from domain.periods import chosen_month

dash.register_page(
    __name__, path="/domestic-abuse", name="Domestic abuse", order=8, title="Domestic abuse"
)

CHARTS = ["da-trend", "da-outcomes", "da-london", "da-rank", "da-wards"]
blocks.register_chart_tables(CHARTS)


def layout(**_query) -> html.Div:
    block = blocks.chart_block
    title = html.H1(f"Domestic abuse in {config.home_borough()}")
    return html.Div(
        [
            blocks.heading_with_picker(
                title, "Measure", ui.indicator_picker(exempt.hidden("indicator"))
            ),
            html.Div(id="da-summary", className="lead mb-2"),
            html.H2("The figures for 12 months", className="h5"),
            html.Div(
                html.Table(id="da-figures-table", className="table table-sm align-middle"),
                className="table-responsive",
            ),
            block("da-trend", "Month by month", 340),
            blocks.two_columns(
                block("da-outcomes", "Positive outcome rate", 420),
                block("da-rank", "London rank over time", 420),
            ),
            blocks.two_columns(
                block("da-london", "London boroughs compared", 540),
                block("da-wards", "Wards", 620),
            ),
            html.Div(priority_block.sections("domestic-abuse"), id="da-partnership"),
            *downloads.source_line("da-source", "domestic-abuse"),
        ]
    )


def trend_parts(indicator: str, home: dict, month):
    frame = over_time.dashboard_trend(indicator, [home["code"]])
    key = ("da-trend-table", indicator, home["code"])
    return (
        trend_figure(frame, month, noun="offences"),
        count_trend_caption("offences", month, r12_at(frame, month)),
        over_time.drawn(None, key, lambda: month_by_month(frame, indicator, home)),
    )


def month_by_month(frame: pd.DataFrame, indicator: str, home: dict) -> str:
    outcomes = over_time.dashboard_series(indicator, [home["code"]], cache.DASHBOARD_OUTCOMES)
    extra = {"Positive outcomes": lambda m: fmt_int(outcomes.get(m))}
    return trend_table(frame, "da-trend-table", "Offences", extra=extra)


def outcomes_parts(indicator: str, home: dict, month):
    # the positive outcome rate month by month: hate crime's function, for any MPS indicator
    home_rates = over_time.hate_outcome_rates(indicator, [home["code"]])
    row = home_rates[home_rates["month"] == month]
    counts = row[["outcomes", "r12"]].iloc[0] if len(row) else (None, None)

    def draw():
        london = over_time.hate_outcome_rates(indicator, london_codes(cache.reference()[0]))
        return (
            outcome_lines_figure(home_rates, london, home["name"], mark_break=False),
            outcomes_table(home_rates, london, home["name"], "da-outcomes-table"),
        )

    figure, table = over_time.drawn(None, ("da-outcomes", indicator, home["code"]), draw)
    label = words.LABELS[indicator].replace(" offences", "")
    return figure, outcomes_caption(label, home["name"], month, *counts), table


def london_parts(table: pd.DataFrame, indicator: str, home: dict, record: dict, overall):
    rows = london_rows(table, cache.reference()[0], indicator)
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_1000"].astype(float)})
    label = "Offences per 1,000 residents (12 months)"
    return (
        ranked_bar_figure(frame, home["name"], label, overall, "London", ",.1f"),
        words.london_caption(home["name"], record, overall),
        london_table(rows, "da-london-table", da.PER, "offences", overall),
    )


def rank_parts(indicator: str, home: dict, month):
    ranks = figures.rank_history(indicator)
    ranks = ranks[ranks["area_code"] == home["code"]]
    key = ("da-rank", indicator, home["code"])
    return (
        rank_figure(ranks, month, home["name"]),
        rank_caption(home["name"], ranks, month),
        over_time.drawn(None, key, lambda: rank_table(ranks, "da-rank-table", da.PER)),
    )


def ward_parts(table: pd.DataFrame, indicator: str, home: dict, month):
    rows = da.ward_rows(table, indicator, home["code"])
    label = words.LABELS[indicator].replace(" offences", "")
    return (
        ward_bars_figure(rows, False),
        wards_caption(label, home["name"], month, rows),
        ui.wards_table(rows),
    )


@callback(
    Output("da-summary", "children"),
    Output("da-figures-table", "children"),
    *blocks.chart_outputs(CHARTS),
    Output("da-source", "children"),
    Input("period-select", "value"),
    Input("da-indicator-select", "value"),
)
def update(period: str | None, indicator: str | None):
    """Summary sentence, headline table, the five charts and the source line."""
    shown = ui.shown_indicators(exempt.hidden("indicator"))  # the picker offers only these
    indicator = indicator if indicator in shown else (shown[0] if shown else da.DA)
    home = cache.home_area()
    picked, months = as_month_or_none(period), cache.dashboard_months()
    month = chosen_month(picked, months)
    table = figures.table(month) if month is not None else pd.DataFrame()
    if not shown or home is None or table.empty or home["code"] not in set(table["area_code"]):
        withheld = exempt.none_shown(cache.DASHBOARD_OFFENCES, da.INDICATORS)  # not "not loaded"
        loader = can_load(guard.current_user())
        notice = priority_empty_state(*words.LOAD_HELP, can_load=loader, withheld=withheld)
        what = none_loaded("MPS domestic abuse figures", withheld)
        blank = blocks.blank_charts(what, len(CHARTS))
        return (notice, [], *blank, "")
    areas, _ = cache.reference()
    rows = da.headline(table, areas, home["code"], month, shown)
    _, record, overall = next(r for r in rows if r[0] == indicator)
    note = period_words("Domestic abuse", months, picked, month)
    sentence = words.da_sentence(indicator, home["name"], month, record, overall)
    return (
        with_note(note, sentence),
        ui.headline_table(rows),
        *trend_parts(indicator, home, month),
        *outcomes_parts(indicator, home, month),
        *london_parts(table, indicator, home, record, overall),
        *rank_parts(indicator, home, month),
        *ward_parts(table, indicator, home, month),
        source_text(month, words.SOURCE),
    )
