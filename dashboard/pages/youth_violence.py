"""Youth violence and knife crime (/youth-violence): serious youth violence victims (council
template or MOPAC's summary) and knife injury victims 1-24, not DA (MPS), per 10,000 vs London."""

from __future__ import annotations

from functools import partial

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from dashboard import cache, council_figures, illustrative, over_time
from dashboard.auth import exempt, guard
from dashboard.charts.crime import rank_figure, ranked_bar_figure, trend_figure
from dashboard.charts.priorities import published_rates_figure
from dashboard.pages import priority_block
from dashboard.prose import priorities as words
from dashboard.prose.crime import rank_caption
from dashboard.prose.words import none_loaded, period_words, source_text, with_note
from dashboard.ui import blocks, downloads
from dashboard.ui.notices import can_load, priority_empty_state
from dashboard.ui.priorities import headline_table, published_syv_table
from dashboard.ui.trends import london_table, rank_table, trend_table
from domain import priorities
from domain.crime import r12_at, trend_frame
from domain.indicators import record
from domain.london import london_rate, london_rows
from domain.periods import chosen_month, dataset_month

dash.register_page(
    __name__,
    path="/youth-violence",
    name="Youth violence",
    order=10,
    title="Youth violence and knife crime",
)

CHARTS = ["syv-trend", "syv-london", "syv-knife-trend", "syv-knife-london", "syv-knife-rank"]
blocks.register_chart_tables(CHARTS)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(f"Youth violence and knife crime in {config.home_borough()}"),
            html.Div(id="syv-summary", className="lead mb-2"),
            html.H2("The figures for 12 months", className="h5"),
            html.Div(
                html.Table(id="syv-figures-table", className="table table-sm align-middle"),
                className="table-responsive",
            ),
            *blocks.chart_section(
                "Serious youth violence (victims aged 1 to 19)",
                "syv-notice",
                blocks.chart_block("syv-trend", "Month by month", level=3),
                blocks.chart_block("syv-london", "London boroughs compared", 540, level=3),
            ),
            *blocks.chart_section(
                "Knife crime with injury (victims aged 1 to 24, not domestic abuse)",
                "syv-knife-notice",
                blocks.chart_block("syv-knife-trend", "Month by month", level=3),
                blocks.chart_block("syv-knife-london", "London boroughs compared", 540, level=3),
                blocks.chart_block("syv-knife-rank", "London rank over time", 300, level=3),
            ),
            *downloads.source_line("syv-source", "youth-violence"),
            *priority_block.sections("youth-violence"),
        ]
    )


def trend_parts(frame: pd.DataFrame, month, base: str, home: dict, dataset: str):
    draw = partial(trend_table, frame, f"{base}-table", "Victims in the month")
    table = over_time.drawn(dataset, (base, home["code"]), draw)  # the same every period
    return (
        trend_figure(frame, month, noun="victims"),
        words.count_trend_caption("victims", month, r12_at(frame, month)),
        table,
    )


def london_parts(table: pd.DataFrame, indicator: str, home: dict, base: str):
    rows = london_rows(table, cache.reference()[0], indicator)
    overall = london_rate(rows, 10_000)
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_10000"].astype(float)})
    label = "Victims per 10,000 (12 months)"
    mine = record(table, home["code"], indicator)
    return (
        ranked_bar_figure(frame, home["name"], label, overall, "London", ",.2f"),
        words.london_rate_caption("victims", home["name"], mine, overall),
        london_table(rows, f"{base}-table", 10_000, "victims", overall),
    )


def syv_parts(wanted, home: dict, loader: bool = True):
    """(sentence, headline row, notice, the two SYV charts' outputs) for the period."""
    counts = council_figures.council_table("syv_monthly")
    if not counts.empty and home["code"] in set(counts["area_code"]):
        months = pd.to_datetime(counts["month"]).unique()
        month = chosen_month(wanted, months)
        table = council_figures.syv_table(month)
        row = record(table, home["code"], priorities.SYV, month)
        overall = london_rate(london_rows(table, cache.reference()[0], priorities.SYV), 10_000)
        series = trend_frame(priorities.syv_series(counts, home["code"]))
        charts = [
            *trend_parts(series, month, "syv-trend", home, "serious_youth_violence"),
            *london_parts(table, priorities.SYV, home, "syv-london"),
        ]
        note = period_words("Serious youth violence", months, wanted, month)
        sentence = with_note(note, words.syv_sentence(home["name"], month, row, overall))
        return sentence, (row, overall), None, charts
    summary = council_figures.council_table("syv_summary")
    summary = summary[summary["area_code"] == home["code"]] if not summary.empty else summary
    if summary.empty:
        withheld = "serious_youth_violence" in exempt.hidden("dataset")
        notice = priority_empty_state(*words.LOAD_HELP["syv"], can_load=loader, withheld=withheld)
        sentence = none_loaded("serious youth violence figures", withheld)
        return sentence, ({}, None), notice, blocks.blank_charts(sentence, 2)
    row = priorities.published_as_at(summary, dataset_month(wanted, summary["window_end"]))
    sentence = words.syv_published_sentence(home["name"], row)
    charts = [
        published_rates_figure(summary, home["name"]),
        sentence,
        published_syv_table(summary),
        *blocks.blank_charts(words.PUBLISHED_ONLY),
    ]
    return sentence, (priorities.published_record(row), row["london_average_rate"]), None, charts


def knife_parts(wanted, home: dict, loader: bool = True):
    """(sentence, headline rows, notice, the three knife charts' outputs) for the period."""
    month = chosen_month(wanted, months := cache.dashboard_months())
    table = cache.dashboard_table(month) if month is not None else pd.DataFrame()
    if table.empty or home["code"] not in set(table["area_code"]):
        withheld = exempt.none_shown(cache.DASHBOARD_OFFENCES, priorities.KNIFE_INDICATORS)
        notice = priority_empty_state(*words.LOAD_HELP["knife"], can_load=loader, withheld=withheld)
        sentence = none_loaded("knife crime figures", withheld)  # exempt: never "not loaded"
        return sentence, [], notice, blocks.blank_charts(sentence, 3)
    areas, indicators = cache.reference()[0], priorities.KNIFE_INDICATORS
    figures = priorities.london_figures(table, areas, home["code"], indicators, month)
    rows = [(words.HEADLINE_LABELS[i], mine, london) for i, mine, london in figures]
    ranks = cache.dashboard_rank_history(priorities.KNIFE_VICTIMS)
    ranks = ranks[ranks["area_code"] == home["code"]]
    series = over_time.dashboard_trend(priorities.KNIFE_VICTIMS, [home["code"]])
    rank = partial(rank_table, ranks, "syv-knife-rank-table", 10_000)  # the same every period
    charts = [
        *trend_parts(series, month, "syv-knife-trend", home, cache.DASHBOARD_OFFENCES),
        *london_parts(table, priorities.KNIFE_VICTIMS, home, "syv-knife-london"),
        rank_figure(ranks, month, home["name"]),
        rank_caption(home["name"], ranks, month),
        over_time.drawn(cache.DASHBOARD_OFFENCES, ("syv-knife-rank", home["code"]), rank),
    ]
    _, knife, overall = rows[0]
    note = period_words("Knife crime", months, wanted, month)
    sentence = with_note(note, words.knife_sentence(home["name"], month, knife, overall))
    return sentence, rows, None, charts


@callback(
    Output("syv-summary", "children"),
    Output("syv-figures-table", "children"),
    Output("syv-notice", "children"),
    Output("syv-knife-notice", "children"),
    *blocks.chart_outputs(CHARTS),
    Output("syv-source", "children"),
    Output("syv-charts", "hidden"),
    Output("syv-knife-charts", "hidden"),
    Input("period-select", "value"),
)
def update(period: str | None):
    """Summary, headline table, notices, five charts, source, sections hidden (none loaded)."""
    home, loader = cache.home_area(), can_load(guard.current_user())
    month = as_month_or_none(period)
    help_ = [priority_empty_state(*words.LOAD_HELP[w], can_load=loader) for w in ("syv", "knife")]
    if home is None:
        blank = blocks.blank_charts("No figures loaded", len(CHARTS))
        return (html.Div(help_), [], None, None, *blank, "", True, True)
    syv_words, (syv_row, syv_london), syv_notice, syv_charts = syv_parts(month, home, loader)
    knife_words, knife_rows, knife_notice, knife_charts = knife_parts(month, home, loader)
    if syv_notice is not None and knife_notice is not None:  # each says why (none, or exempt)
        shown = (html.Div([syv_notice, knife_notice]), [], None, None, *syv_charts, *knife_charts)
        return (*shown, "", True, True)
    label = illustrative.mark(words.HEADLINE_LABELS[priorities.SYV], *illustrative.SYV)
    syv = [(label, syv_row, syv_london)] if syv_row else []
    latest = knife_rows[0][1].get("month") if knife_rows else None
    note = words.syv_window_note(syv_row.get("month") if syv_row else None)
    return (
        f"{illustrative.sentence(syv_words, *illustrative.SYV)} {knife_words}",
        headline_table(syv + knife_rows),
        syv_notice,
        knife_notice,
        *syv_charts,
        *knife_charts,
        source_text(latest, words.SYV_SOURCE, note),
        syv_notice is not None,
        knife_notice is not None,
    )
