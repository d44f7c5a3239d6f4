"""Reoffending (/reoffending): the Integrated Offender Management (IOM) cohort quarter by
quarter, and the Ministry of Justice proven reoffending rates (adult and juvenile) for the home
borough against London and England and Wales."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from dashboard import council_figures, illustrative
from dashboard.auth import exempt, guard
from dashboard.charts.priorities import cohort_lines_figure, iom_cohort_figure, iom_rates_figure
from dashboard.pages import priority_block
from dashboard.prose import priorities as words
from dashboard.prose.words import none_loaded
from dashboard.ui import blocks
from dashboard.ui.notices import can_load, priority_empty_state
from dashboard.ui.priorities import cohort_table, iom_frame
from dashboard.ui.tables import table_html
from domain.priorities import (
    cohort_group,
    cohorts_by,
    iom_quarters_by,
    iom_table,
    latest_cohort,
    latest_cohorts,
)

dash.register_page(__name__, path="/reoffending", name="Reoffending", order=11, title="Reoffending")

CHARTS = [
    "reoffending-iom-cohort",
    "reoffending-iom-rates",
    "reoffending-adult",
    "reoffending-juvenile",
]
SOURCE = (
    "IOM cohort: council template (police and probation IOM figures); proven "
    "reoffending: Ministry of Justice proven reoffending statistics (council template)"
)
blocks.register_chart_tables(CHARTS)


def layout(**_query) -> html.Div:
    iom_rates = "Cohort reoffending and reduction in offending"
    return html.Div(
        [
            html.H1(f"Reoffending in {config.home_borough()}"),
            html.Div(id="reoffending-summary", className="lead mb-2"),
            html.H2(
                ["Integrated Offender Management (IOM)", html.Span(id="reoffending-iom-mark")],
                className="h4 mt-3",
            ),
            html.Div(id="reoffending-iom-illustrative"),
            html.Div(id="reoffending-iom-notice"),
            html.Div(
                blocks.two_columns(
                    blocks.chart_block(
                        "reoffending-iom-cohort", "Cohort size each quarter", level=3
                    ),
                    blocks.chart_block("reoffending-iom-rates", iom_rates, level=3),
                ),
                id="reoffending-iom-charts",
            ),
            html.H2(
                ["Proven reoffending (Ministry of Justice)", html.Span(id="reoffending-moj-mark")],
                className="h4 mt-3",
            ),
            html.Div(id="reoffending-moj-illustrative"),
            html.Div(id="reoffending-moj-notice"),
            html.Div(
                blocks.two_columns(
                    blocks.chart_block("reoffending-adult", "Adults", level=3),
                    blocks.chart_block("reoffending-juvenile", "Juveniles", level=3),
                ),
                id="reoffending-moj-charts",
            ),
            html.P(id="reoffending-source", className="text-body-secondary small mt-3"),
            *priority_block.sections("reoffending"),
        ]
    )


def iom_parts(month, loader: bool = True) -> tuple:
    """(sentence, notice, the two IOM charts' outputs) for quarters starting by ``month``;
    ``loader``: whether the reader can load figures (the notice says how, or whom to ask)."""
    quarters = council_figures.council_table("iom_quarters")
    if quarters.empty:  # exempt for the reader: never "not loaded"
        withheld = exempt.none_shown("iom")
        blank = blocks.blank_charts(none_loaded("IOM figures", withheld), 2)
        notice = priority_empty_state(*words.LOAD_HELP["iom"], can_load=loader, withheld=withheld)
        return "", notice, blank
    quarters = iom_quarters_by(quarters, month)
    if quarters.empty:
        message = words.no_quarter_words(month)
        return message, None, blocks.blank_charts(message, 2)
    table = iom_table(quarters)
    shown = iom_frame(table)
    given = table[["reoffending_rate", "reduction_percent"]].notna().to_numpy().any()
    charts = [
        iom_cohort_figure(table),
        words.iom_cohort_caption(table.iloc[-1]),
        table_html(shown, "reoffending-iom-cohort-table"),
        iom_rates_figure(table),
        words.iom_rates_caption(given),
        table_html(shown, "reoffending-iom-rates-table"),
    ]
    return words.iom_sentence(table), None, charts


def moj_parts(month, borough: str, loader: bool = True) -> tuple:
    """(sentence, notice, the adult and juvenile charts' outputs) for cohorts ending by ``month``."""
    rates = council_figures.council_table("reoffending_rates")
    if rates.empty:  # exempt for the reader: never "not loaded"
        withheld = exempt.none_shown("proven_reoffending")
        blank = blocks.blank_charts(none_loaded("proven reoffending rates", withheld), 2)
        notice = priority_empty_state(*words.LOAD_HELP["moj"], can_load=loader, withheld=withheld)
        return "", notice, blank
    table = cohorts_by(rates, month)
    if month is not None and not _home(table, borough):
        message = words.no_cohort_words(month)
        return message, None, blocks.blank_charts(message, 2)
    charts = []
    for group in ("Adult", "Juvenile"):
        rows = cohort_group(table, group, borough)
        charts += [
            cohort_lines_figure(rows, borough),
            words.cohort_caption(group, borough, bool(len(rows))),
            cohort_table(rows, f"reoffending-{group.lower()}-table"),
        ]
    return words.reoffending_sentence(borough, latest_cohorts(table, borough)), None, charts


def _home(rows, borough: str) -> bool:
    """Whether any of ``rows`` is the home borough's."""
    return bool((rows["geography"].str.lower() == borough.lower()).any())


@callback(
    Output("reoffending-summary", "children"),
    Output("reoffending-iom-notice", "children"),
    Output("reoffending-moj-notice", "children"),
    *blocks.chart_outputs(CHARTS),
    Output("reoffending-source", "children"),
    Output("reoffending-iom-charts", "hidden"),
    Output("reoffending-moj-charts", "hidden"),
    Input("period-select", "value"),
)
def update(period: str | None):
    """Summary sentence, notices for what is missing, the four charts, the source line, and
    whether each section's charts are hidden (nothing loaded: no empty frames)."""
    borough, loader = config.home_borough(), can_load(guard.current_user())
    month = as_month_or_none(period)
    iom_words, iom_notice, iom_charts = iom_parts(month, loader)
    moj_words, moj_notice, moj_charts = moj_parts(month, borough, loader)
    hidden = (iom_notice is not None, moj_notice is not None)
    if all(hidden):
        notices = html.Div([iom_notice, moj_notice])
        return (notices, None, None, *iom_charts, *moj_charts, "", *hidden)
    iom_words = illustrative.sentence(iom_words, "iom_quarters")
    moj_words = illustrative.sentence(moj_words, "reoffending_rates")
    text = " ".join(w for w in (words.as_at_words(month), iom_words, moj_words) if w)
    quarters = council_figures.council_table("iom_quarters")
    quarter = quarters["quarter"].iloc[-1] if len(quarters) else None
    cohort = latest_cohort(council_figures.council_table("reoffending_rates"))
    source = words.reoffending_source(quarter, cohort, SOURCE)
    return (text, iom_notice, moj_notice, *iom_charts, *moj_charts, source, *hidden)
