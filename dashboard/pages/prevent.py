"""Prevent training (/prevent): WRAP training coverage (staff trained / staff requiring it) by
department or partner as at each date against the target, progress over time, sessions
delivered and the people trained by audience."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from core.values import is_missing
from dashboard import cache
from dashboard.charts.base import GREEN, empty_figure
from dashboard.charts.priorities import bars_figure, comparison_lines_figure
from dashboard.prose.priorities import prevent_sentence
from dashboard.text import day_label, fmt_int, fmt_number, month_label
from dashboard.ui.blocks import chart_block, chart_outputs, register_chart_table, two_columns
from dashboard.ui.notices import priority_empty_state
from dashboard.ui.tables import table_html
from domain.crime import SMALL_COUNT
from domain.periods import dataset_month
from domain.priorities import WRAP_TARGET_PERCENT, wrap_coverage_table

dash.register_page(
    __name__, path="/prevent", name="Prevent", order=12, title="Prevent: WRAP training"
)

TOTAL = "All with a target"
CHARTS = ["prevent-coverage", "prevent-progress", "prevent-sessions", "prevent-audiences"]
SOURCE = "Prevent WRAP training returns from departments and partners (council template)"
WHAT = "Prevent WRAP training figures (the council template prevent-wrap-training.xlsx)"
WHERE = (
    "Fill in data/templates/prevent-wrap-training.xlsx as at a date: for each department "
    "or partner the staff requiring WRAP training, the staff trained and the sessions "
    "delivered, and the people trained by audience."
)
for _chart in CHARTS:
    register_chart_table(_chart)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(f"Prevent: WRAP training in {config.home_borough()}"),
            html.Div(id="prevent-summary", className="lead mb-2"),
            two_columns(
                chart_block("prevent-coverage", "Coverage by department"),
                chart_block("prevent-progress", "Coverage over time"),
            ),
            two_columns(
                chart_block("prevent-sessions", "Sessions delivered"),
                chart_block("prevent-audiences", "People trained by audience"),
            ),
            html.P(id="prevent-source", className="text-body-secondary small mt-3"),
        ]
    )


def is_small(row: dict) -> bool:
    """Fewer than 10 staff requiring training: coverage moves a lot with one person."""
    requiring = row.get("staff_requiring")
    return not is_missing(requiring) and 0 < int(requiring) < SMALL_COUNT


def rag_text(row: dict, target: float) -> str:
    if is_missing(row.get("coverage")):
        return "no target yet"
    if is_small(row):
        return "too small to judge"
    return f"{row['rag']} (target {target:g}%)"


def coverage_parts(table: pd.DataFrame, as_at, target: float) -> list:
    rows = table[table["coverage"].notna()]
    rows = pd.concat([rows[rows["department"] == TOTAL], rows[rows["department"] != TOTAL]])
    records = rows.to_dict("records")
    frame = pd.DataFrame(
        {
            "name": rows["department"],
            "value": rows["coverage"].astype(float),
            "judged": [not is_small(r) for r in records],
            "text": [
                f"{r['coverage']:.1f}%" + (" (too small to judge)" if is_small(r) else "")
                for r in records
            ],
        }
    )
    top = max([target, *frame["value"].tolist()]) * 1.25
    figure = bars_figure(
        frame, "Staff trained, % of those requiring it", ",.1f", target, "Target", x_max=top
    )
    shown = pd.DataFrame(
        {
            "Department or partner": table["department"],
            "Staff requiring training": [
                "no target yet" if is_missing(v) else fmt_int(v) for v in table["staff_requiring"]
            ],
            "Staff trained": [fmt_int(v) for v in table["staff_trained"]],
            "Coverage": [
                fmt_number(v, 1) + ("%" if pd.notna(v) else "") for v in table["coverage"]
            ],
            "Against the target": [rag_text(r, target) for r in table.to_dict("records")],
        }
    )
    no_target = int(table["coverage"].isna().sum())
    caption = (
        f"Staff trained as a share of the staff requiring WRAP training, by department, "
        f"as at {day_label(as_at)}; the dotted line is the {target:g}% target"
        + (
            f"; {no_target} with no target yet {'is' if no_target == 1 else 'are'} in "
            "the table only."
            if no_target
            else "."
        )
    )
    return [figure, caption, table_html(shown, "prevent-coverage-table")]


def progress_parts(training: pd.DataFrame, target: float) -> list:
    frames = []
    for as_at, rows in training.groupby("as_at", sort=True):
        table = wrap_coverage_table(rows, target)
        frames.append(
            pd.DataFrame(
                {
                    "x": day_label(as_at),
                    "series": table["department"],
                    "value": table["coverage"].astype(float),
                }
            )
        )
    long = pd.concat(frames, ignore_index=True)
    figure = comparison_lines_figure(long, "Coverage", TOTAL, x_title="As at")
    figure.add_hline(
        y=target,
        line={"color": GREEN, "dash": "dot", "width": 2},
        annotation_text=f"Target {target:g}%",
    )
    dates = long["x"].unique()
    caption = (
        f"Coverage at each of the {len(dates)} dates loaded, by department and in total."
        if len(dates) > 1
        else f"Only one date is loaded ({dates[0]}): progress over "
        "time shows once a later return is loaded."
    )
    shown = long.pivot_table(index="series", columns="x", values="value", sort=False)
    shown = (
        shown.reindex(columns=list(dates)).reset_index().rename(columns={"series": "Department"})
    )
    for column in dates:
        shown[column] = [fmt_number(v, 1) + ("%" if pd.notna(v) else "") for v in shown[column]]
    return [figure, caption, table_html(shown, "prevent-progress-table")]


def bar_parts(frame: pd.DataFrame, label: str, caption: str, base: str, heading: str) -> list:
    figure = bars_figure(frame.assign(text=[f"{v:,.0f}" for v in frame["value"]]), label)
    shown = pd.DataFrame({heading: frame["name"], label: [fmt_int(v) for v in frame["value"]]})
    return [figure, caption, table_html(shown, f"{base}-table")]


def _blank(message: str) -> list:
    return [empty_figure(message), message, ""] * len(CHARTS)


@callback(
    Output("prevent-summary", "children"),
    *chart_outputs(CHARTS),
    Output("prevent-source", "children"),
    Input("period-select", "value"),
)
def update(period: str | None, target: float = WRAP_TARGET_PERCENT):
    """Summary sentence, the four charts and the source line, as at the latest date loaded on or
    before the end of the chosen month."""
    training = cache.council_table("wrap_training")
    if training.empty:
        return (priority_empty_state(WHAT, WHERE), *_blank("No WRAP figures loaded"), "")
    end = dataset_month(as_month_or_none(period), [training["as_at"].max()]) + pd.offsets.MonthEnd(
        0
    )
    training = training[training["as_at"] <= end]
    if training.empty:
        message = f"No WRAP figures as at or before {month_label(end)}."
        return (message, *_blank(message), "")
    as_at = training["as_at"].max()
    table = wrap_coverage_table(training[training["as_at"] == as_at], target)
    earlier = training[training["as_at"] < as_at]
    before = None
    if len(earlier):
        previous = wrap_coverage_table(earlier[earlier["as_at"] == earlier["as_at"].max()], target)
        total = previous[previous["department"] == TOTAL]
        before = (
            {**total.iloc[0].to_dict(), "as_at": earlier["as_at"].max()} if len(total) else None
        )
    departments = table[table["department"] != TOTAL]
    sessions = pd.DataFrame(
        {"name": departments["department"], "value": departments["sessions"].astype(float)}
    )
    audiences = cache.council_table("wrap_audiences")
    audiences = audiences[audiences["as_at"] <= end] if len(audiences) else audiences
    audiences = (
        audiences[audiences["as_at"] == audiences["as_at"].max()] if len(audiences) else audiences
    )
    people = pd.DataFrame(
        {
            "name": audiences.get("audience", []),
            "value": pd.Series(audiences.get("count", []), dtype=float),
        }
    )
    total_people = int(people["value"].sum()) if len(people) else 0
    charts = [
        *coverage_parts(table, as_at, target),
        *progress_parts(training, target),
        *bar_parts(
            sessions,
            "Sessions delivered",
            f"WRAP sessions delivered by each department "
            f"as at {day_label(as_at)}: {int(sessions['value'].sum()):,} in all.",
            "prevent-sessions",
            "Department or partner",
        ),
        *bar_parts(
            people,
            "People trained",
            f"People trained in WRAP by audience: {total_people:,} in all."
            if len(people)
            else "No audience figures loaded.",
            "prevent-audiences",
            "Audience",
        ),
    ]
    source = f"Latest return loaded: as at {day_label(as_at)}. Source: {SOURCE}."
    return (prevent_sentence(as_at, table, target, before), *charts, source)
