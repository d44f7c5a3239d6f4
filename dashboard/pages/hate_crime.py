"""Hate crime (/hate-crime): MPS offences and positive outcomes by strand (borough and wards),
London rank per strand, and third-party Hate Crime Reporting Centre reports. The MPS changed its
recording at the end of February 2024: charts mark the break; comparisons across it are not
like-for-like."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from core.values import is_missing
from dashboard import cache, council_figures, over_time
from dashboard.auth import exempt, guard
from dashboard.charts import hate_crime as charts
from dashboard.charts.priorities import stacked_bars_figure
from dashboard.pages import priority_block
from dashboard.prose import hate_crime as words
from dashboard.prose.words import period_words, source_text
from dashboard.text import fmt_number
from dashboard.ui import blocks, downloads
from dashboard.ui import hate_crime as ui
from dashboard.ui.notices import can_load, priority_empty_state
from dashboard.ui.trends import trend_table
from domain import hate_crime as hate
from domain.crime import r12_at
from domain.london import london_codes
from domain.periods import chosen_month, dataset_month

dash.register_page(__name__, path="/hate-crime", name="Hate crime", order=13, title="Hate crime")

MPS = cache.DASHBOARD_OFFENCES  # what the MPS dashboard's drawings are kept by
MPS_CHARTS = ["hate-trend", "hate-strands", "hate-outcomes", "hate-wards", "hate-london"]
CHARTS = [*MPS_CHARTS, "hate-centres", "hate-centre-strands"]
SOURCE = (
    "MPS Monthly Crime Dashboard (hate crime offences and positive outcomes); Office for "
    "National Statistics (ONS) mid-year population estimates; Hate Crime Reporting Centre reports (council template)"
)
blocks.register_chart_tables(CHARTS)


def layout(**_query) -> html.Div:
    block = blocks.chart_block
    title = html.H1(f"Hate crime in {config.home_borough()}")
    return html.Div(
        [
            blocks.heading_with_picker(
                title, "Strand", ui.strand_picker(exempt.hidden("indicator"))
            ),
            ui.break_note(),
            html.Div(id="hate-summary", className="lead mb-2"),
            block("hate-trend", "Month by month", 340),
            blocks.two_columns(
                block("hate-strands", "Each strand, rolling 12 months", 420),
                block("hate-outcomes", "Positive outcome rate", 420),
            ),
            blocks.two_columns(
                block("hate-wards", "Wards", 620),
                block("hate-london", "London rank by strand", 420),
            ),
            *blocks.chart_section(
                "Hate Crime Reporting Centres",
                "hate-centres-notice",
                block("hate-centres", "Reports by centre", 420, level=3),
                block("hate-centre-strands", "Reports by strand", 420, level=3),
            ),
            *downloads.source_line("hate-source", "hate-crime"),
            *priority_block.sections("hate-crime"),
        ]
    )


def trend_parts(strand: str, home: dict, month):
    frame = over_time.dashboard_trend(strand, [home["code"]])
    key = ("hate-trend-table", strand, home["code"])
    return (
        charts.break_trend_figure(frame, month, "offences"),
        words.trend_caption(strand, home["name"], month, r12_at(frame, month)),
        over_time.drawn(MPS, key, lambda: trend_month_by_month(frame, strand, home)),
    )


def trend_month_by_month(frame: pd.DataFrame, strand: str, home: dict) -> str:
    outcomes = over_time.dashboard_series(strand, [home["code"]], cache.DASHBOARD_OUTCOMES)
    extra = {"Positive outcomes": lambda m: fmt_number(outcomes.get(m))}
    return trend_table(frame, "hate-trend-table", "Offences", extra=extra)


def strands_drawn(home: dict) -> tuple:
    """The strands' chart, R12s and table: the same for every period."""
    shown = ui.shown_strands(exempt.hidden("indicator"))
    long = hate.strand_r12({s: over_time.dashboard_trend(s, [home["code"]]) for s in shown})
    wide = hate.strand_r12_by_month(long)
    return (
        charts.month_lines_figure(long, "Offences, 12 months"),
        wide,
        ui.strands_table(wide),
    )


def strands_parts(home: dict, month):
    key = ("hate-strands", home["code"], home["name"])
    figure, wide, table = over_time.drawn(MPS, key, lambda: strands_drawn(home))
    at = wide.loc[month].to_dict() if month in wide.index else None
    return figure, words.strands_caption(home["name"], month, at), table


def outcomes_drawn(home_rates: pd.DataFrame, strand: str, home: dict) -> tuple:
    """The positive outcome rates' chart and table, borough and London: the same every period."""
    london_rates = over_time.hate_outcome_rates(strand, london_codes(cache.reference()[0]))
    return (
        charts.outcome_lines_figure(home_rates, london_rates, home["name"]),
        ui.outcomes_table(home_rates, london_rates, home["name"]),
    )


def outcomes_parts(home_rates: pd.DataFrame, strand, home, month):
    row = home_rates[home_rates["month"] == month]
    counts = row[["outcomes", "r12"]].iloc[0] if len(row) else (None, None)
    key = ("hate-outcomes", strand, home["code"], home["name"])
    figure, table = over_time.drawn(MPS, key, lambda: outcomes_drawn(home_rates, strand, home))
    return figure, words.outcomes_caption(strand, home["name"], month, *counts), table


def centres_parts(picked, month, loader: bool = True) -> tuple:
    """(sentence, notice, the two reporting-centre charts' outputs) for the 12 months to
    ``month`` (the MPS figures' month; without them, the ``picked`` month); ``loader``: whether
    the reader can load figures (the notice says how, or whom to ask)."""
    reports = council_figures.council_table("hate_reporting_centres")
    if reports.empty:
        return ui.centres_blank(exempt.none_shown("hate_reporting_centres", hate.STRANDS), loader)
    month = month if month is not None else dataset_month(picked, reports["month"])
    window = hate.reports_window(reports, month)
    parts = []
    for column, base in (("centre", "hate-centres"), ("strand", "hate-centre-strands")):
        frame = hate.reports_by(window, column)
        table, top = ui.reports_table(frame, column.capitalize(), f"{base}-table")
        figure = stacked_bars_figure(frame, "Reports in the 12 months")
        parts += [figure, words.centres_caption(column, month, top), table]
    first, last = reports["month"].min(), reports["month"].max()
    return words.centres_sentence(*hate.reports_totals(window), first, last), None, parts


@callback(
    Output("hate-summary", "children"),
    *blocks.chart_outputs(CHARTS),
    Output("hate-centres-notice", "children"),
    Output("hate-source", "children"),
    Output("hate-centres-charts", "hidden"),
    Input("period-select", "value"),
    Input("hate-strand-select", "value"),
)
def update(period: str | None, strand: str | None):
    """Summary sentence, the seven charts, the reporting-centre notice and the source line."""
    shown = ui.shown_strands(exempt.hidden("indicator"))  # the picker offers only these
    strand = strand if strand in shown else (shown[0] if shown else hate.TOTAL)
    home, loader = cache.home_area(), can_load(guard.current_user())
    picked, months = as_month_or_none(period), cache.dashboard_months()
    month = chosen_month(picked, months)
    table = cache.dashboard_table(month) if month is not None and shown else pd.DataFrame()
    if home is None or table.empty or home["code"] not in set(table["area_code"]):
        _, notice, centres = centres_parts(picked, month, loader)
        blank = blocks.blank_charts("No MPS hate crime figures shown", len(MPS_CHARTS))
        withheld = exempt.none_shown(cache.DASHBOARD_OFFENCES, hate.STRANDS)  # never "not loaded"
        mps = priority_empty_state(*words.LOAD_HELP["mps"], can_load=loader, withheld=withheld)
        return (mps, *blank, *centres, notice, "", notice is not None)
    areas, _ = cache.reference()
    home_rates = over_time.hate_outcome_rates(strand, [home["code"]])
    across = hate.spans_break(month, 24)
    ranks = hate.strand_ranks(table, areas, home["code"], shown)
    _, record_, overall = next(r for r in ranks if r[0] == strand)
    window = home_rates[home_rates["month"] == month]
    outcome_r12 = window["outcomes"].iloc[0] if len(window) else None
    sentence = words.hate_sentence(
        strand, home["name"], month, record_, overall, outcome_r12, across
    )
    centres_words, centres_notice, centres_charts = centres_parts(picked, month, loader)
    wards = hate.ward_rows(table, strand, home["code"])
    ranked = [
        (s, int(r["london_rank"])) for s, r, _ in ranks if not is_missing(r.get("london_rank"))
    ]
    note = period_words("Hate crime", months, picked, month)
    return (
        " ".join(w for w in (note, sentence, centres_words) if w),
        *trend_parts(strand, home, month),
        *strands_parts(home, month),
        *outcomes_parts(home_rates, strand, home, month),
        charts.ward_bars_figure(wards, hate.spans_break(month)),
        words.wards_caption(strand, home["name"], month, wards),
        ui.wards_table(wards, across),
        charts.strand_ranks_figure(ranks),
        words.ranks_caption(home["name"], month, ranked),
        ui.ranks_table(ranks, across),
        *centres_charts,
        centres_notice,
        source_text(month, SOURCE),
        centres_notice is not None,
    )
