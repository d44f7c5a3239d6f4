"""Prevent training (/prevent): WRAP training coverage (staff trained / staff requiring it) by
department or partner as at each date against the target, progress over time, sessions
delivered and the people trained by audience."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from dashboard import council_figures, illustrative
from dashboard.auth import exempt, guard
from dashboard.charts.priorities import bars_figure, coverage_lines_figure
from dashboard.pages import priority_block
from dashboard.prose import priorities as words
from dashboard.prose.words import none_loaded, with_note
from dashboard.text import day_label, fmt_number
from dashboard.ui import blocks
from dashboard.ui.notices import can_load, priority_empty_state
from dashboard.ui.priorities import count_table, wrap_progress_table, wrap_table
from domain.priorities import (
    WRAP_TARGET_PERCENT,
    WRAP_TOTAL,
    latest_return,
    wrap_coverage_table,
    wrap_end,
    wrap_progress,
    wrap_too_small,
    wrap_total_before,
)

dash.register_page(
    __name__, path="/prevent", name="Prevent", order=12, title="Prevent: WRAP training"
)

CHARTS = ["prevent-coverage", "prevent-progress", "prevent-sessions", "prevent-audiences"]
SOURCE = "Prevent WRAP training returns from departments and partners (council template)"
WRAP_WORDS = (  # the acronym spelled out once on the page
    "The Workshop to Raise Awareness of Prevent (WRAP) is the Home Office's Prevent awareness "
    "training."
)
blocks.register_chart_tables(CHARTS)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(f"Prevent: WRAP training in {config.home_borough()}"),
            html.P(WRAP_WORDS, className="text-body-secondary"),
            html.Div(id="prevent-summary", className="lead mb-2"),
            html.Div(
                [
                    html.Div(id="prevent-training-illustrative"),
                    html.Div(id="prevent-audiences-illustrative"),
                    blocks.two_columns(
                        blocks.chart_block("prevent-coverage", "Coverage by department"),
                        blocks.chart_block("prevent-progress", "Coverage over time"),
                    ),
                    blocks.two_columns(
                        blocks.chart_block("prevent-sessions", "Sessions delivered"),
                        blocks.chart_block("prevent-audiences", "People trained by audience"),
                    ),
                ],
                id="prevent-charts",
            ),
            html.P(id="prevent-source", className="text-body-secondary small mt-3"),
            *priority_block.sections("prevent"),
        ]
    )


def coverage_parts(table: pd.DataFrame, as_at, target: float) -> list:
    rows = table[table["coverage"].notna()]
    rows = pd.concat(
        [rows[rows["department"] == WRAP_TOTAL], rows[rows["department"] != WRAP_TOTAL]]
    )
    records = rows.to_dict("records")
    frame = pd.DataFrame(
        {
            "name": rows["department"],
            "value": rows["coverage"].astype(float),
            "judged": [not wrap_too_small(r) for r in records],
            "text": [words.wrap_bar_text(r) for r in records],
        }
    )
    top = max([target, *frame["value"].tolist()]) * 1.25
    label = "Staff trained, % of those requiring it"
    no_target = int(table["coverage"].isna().sum())
    return [
        bars_figure(frame, label, ",.1f", target, "Target", x_max=top),
        words.wrap_coverage_caption(as_at, target, no_target),
        wrap_table(table, target),
    ]


def progress_parts(training: pd.DataFrame, target: float) -> list:
    progress = wrap_progress(training, target)
    long = progress.assign(x=[day_label(d) for d in progress["as_at"]])[["x", "series", "value"]]
    dates = list(long["x"].unique())
    return [
        coverage_lines_figure(long, WRAP_TOTAL, target),
        words.wrap_progress_caption(dates),
        wrap_progress_table(long, dates),
    ]


def bar_parts(frame: pd.DataFrame, label: str, caption: str, base: str, heading: str) -> list:
    figure = bars_figure(frame.assign(text=[fmt_number(v) for v in frame["value"]]), label)
    return [figure, caption, count_table(frame, heading, label, f"{base}-table")]


def as_at_month(period: str | None, as_at):
    """The month chosen, when the return shown is from an earlier month (else None)."""
    month = as_month_or_none(period)
    return (
        month
        if month is not None and month > pd.Timestamp(as_at).to_period("M").start_time
        else None
    )


@callback(
    Output("prevent-summary", "children"),
    *blocks.chart_outputs(CHARTS),
    Output("prevent-source", "children"),
    Output("prevent-charts", "hidden"),
    Input("period-select", "value"),
)
def update(period: str | None, target: float = WRAP_TARGET_PERCENT):
    """Summary sentence, the four charts, the source line and whether the charts are hidden
    (nothing loaded: no empty frames), as at the latest date loaded on or before the end of the
    chosen month."""
    training = council_figures.council_table("wrap_training")
    if training.empty:
        loader, withheld = can_load(guard.current_user()), exempt.none_shown("wrap_training")
        empty = priority_empty_state(*words.LOAD_HELP["wrap"], can_load=loader, withheld=withheld)
        blank = blocks.blank_charts(none_loaded("WRAP figures", withheld), len(CHARTS))
        return (empty, *blank, "", True)
    end = wrap_end(training, as_month_or_none(period))
    training = training[training["as_at"] <= end]
    if training.empty:
        message = words.no_return_words(end)
        return (message, *blocks.blank_charts(message, len(CHARTS)), "", False)
    as_at = training["as_at"].max()
    table = wrap_coverage_table(training[training["as_at"] == as_at], target)
    departments = table[table["department"] != WRAP_TOTAL]
    sessions = pd.DataFrame(
        {"name": departments["department"], "value": departments["sessions"].astype(float)}
    )
    audiences = latest_return(council_figures.council_table("wrap_audiences"), end)
    people = pd.DataFrame(
        {
            "name": audiences.get("audience", []),
            "value": pd.Series(audiences.get("count", []), dtype=float),
        }
    )
    sessions_words = words.wrap_sessions_caption(as_at, int(sessions["value"].sum()))
    people_words = words.wrap_audiences_caption(int(people["value"].sum()) if len(people) else None)
    charts = [
        *coverage_parts(table, as_at, target),
        *progress_parts(training, target),
        *bar_parts(
            sessions,
            "Sessions delivered",
            sessions_words,
            "prevent-sessions",
            "Department or partner",
        ),
        *bar_parts(people, "People trained", people_words, "prevent-audiences", "Audience"),
    ]
    before = wrap_total_before(training, as_at, target)
    return (
        with_note(
            words.as_at_words(as_at_month(period, as_at)),
            illustrative.sentence(
                words.prevent_sentence(as_at, table, target, before), "wrap_training"
            ),
        ),
        *charts,
        words.wrap_source(as_at, SOURCE),
        False,
    )
