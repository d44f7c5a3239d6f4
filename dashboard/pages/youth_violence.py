"""Youth violence and knife crime (/youth-violence): serious youth violence victims (council
template, or MOPAC's published summary) and knife crime with injury victims aged 1 to 24, not
domestic abuse (MPS Monthly Crime Dashboard), per 10,000 residents against London."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from core.values import is_missing
from dashboard import cache
from dashboard.charts.base import empty_figure
from dashboard.charts.crime import rank_figure, ranked_bar_figure, trend_figure
from dashboard.charts.priorities import rate_windows_figure
from dashboard.prose.crime import rank_caption
from dashboard.prose.priorities import knife_sentence, syv_published_sentence, syv_sentence
from dashboard.prose.words import rate_per_10000_words, significance_text, source_text
from dashboard.text import fmt_int, fmt_number, fmt_pct, month_label
from dashboard.ui.blocks import chart_block, chart_outputs, register_chart_table, two_columns
from dashboard.ui.notices import priority_empty_state
from dashboard.ui.tables import table_children, table_html
from domain.crime import trend_frame
from domain.london import london_rate, london_rows
from domain.periods import dataset_month

dash.register_page(
    __name__,
    path="/youth-violence",
    name="Youth violence",
    order=10,
    title="Youth violence and knife crime",
)

SYV = "Serious youth violence"
KNIFE = "Knife Injury Victims (non DA 1-24)"
FIGURE_ROWS = [  # (indicator, what the row is called, its noun)
    (SYV, "Serious youth violence: victims aged 1 to 19", "victims"),
    (KNIFE, "Knife crime with injury: victims aged 1 to 24, not domestic abuse", "victims"),
    ("Knife Crime with Injury", "Knife crime with injury: offences", "offences"),
    ("Knife Crime", "Knife crime: offences", "offences"),
]
CHARTS = ["syv-trend", "syv-london", "syv-knife-trend", "syv-knife-london", "syv-knife-rank"]
SOURCE = (
    "MPS Monthly Crime Dashboard (knife crime); serious youth violence from the council "
    "template (MOPAC's dashboard figures); ONS mid-year population estimates"
)
SYV_WHAT = "serious youth violence figures (the council template serious-youth-violence.xlsx)"
SYV_WHERE = (
    "Fill in data/templates/serious-youth-violence.xlsx from MOPAC's dashboard: monthly "
    "victims for all 32 boroughs, or only the published summary."
)
KNIFE_WHAT = "the MPS Monthly Crime Dashboard data (knife crime)"
KNIFE_WHERE = (
    "Download it from the London Datastore (MPS Monthly Crime Dashboard Data); the "
    "first run loads the copy in data/seed."
)
for _chart in CHARTS:
    register_chart_table(_chart)


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
            html.H2("Serious youth violence (victims aged 1 to 19)", className="h4 mt-3"),
            html.Div(id="syv-notice"),
            two_columns(
                chart_block("syv-trend", "Month by month", level=3),
                chart_block("syv-london", "London boroughs compared", 540, level=3),
            ),
            html.H2(
                "Knife crime with injury (victims aged 1 to 24, not domestic abuse)",
                className="h4 mt-3",
            ),
            html.Div(id="syv-knife-notice"),
            two_columns(
                chart_block("syv-knife-trend", "Month by month", level=3),
                chart_block("syv-knife-london", "London boroughs compared", 540, level=3),
            ),
            chart_block("syv-knife-rank", "London rank over time", 300, level=3),
            html.P(id="syv-source", className="text-body-secondary small mt-3"),
        ]
    )


def _record(table: pd.DataFrame, code: str, indicator: str, month=None) -> dict:
    """The area's row (its month as a Month when ``month`` is given), or {}."""
    if table.empty:
        return {}
    rows = table[(table["area_code"] == code) & (table["indicator"] == indicator)]
    if not len(rows):
        return {}
    return {**rows.iloc[0].to_dict(), **({"month": month} if month is not None else {})}


def trend_parts(counts: pd.Series, month, noun: str, base: str):
    frame = trend_frame(counts)
    figure = trend_figure(frame, month, noun=noun)
    shown = frame.iloc[::-1]
    table = pd.DataFrame(
        {
            "Month": [f"{m:%B %Y}" for m in shown["month"]],
            f"{noun.capitalize()} in the month": [fmt_number(v) for v in shown["count"]],
            "12 months to the month (R12)": [fmt_number(v) for v in shown["r12"]],
        }
    )
    r12 = frame.loc[frame["month"] == month, "r12"]
    total = "not available" if r12.empty or pd.isna(r12.iloc[0]) else f"{r12.iloc[0]:,.0f}"
    caption = (
        f"Monthly {noun} (bars) and the rolling 12-month total as a monthly average "
        f"(line): {total} in the 12 months to {month_label(month)}."
    )
    return figure, caption, table_html(table, f"{base}-table")


def london_parts(table: pd.DataFrame, indicator: str, home: dict, noun: str, base: str):
    rows = london_rows(table, cache.reference()[0], indicator)
    overall = london_rate(rows, 10_000)
    frame = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_10000"].astype(float)})
    figure = ranked_bar_figure(
        frame,
        home["name"],
        f"{noun.capitalize()} per 10,000 residents (12 months)",
        overall,
        "London",
        ",.2f",
    )
    record = _record(table, home["code"], indicator)
    caption = (
        f"The 32 London boroughs' {noun} per 10,000 residents in the 12 months, lowest "
        f"first: {home['name']}'s is "
        f"{rate_per_10000_words(record, overall)}."
    )
    shown = pd.DataFrame(
        {
            "Borough": rows["area_name"],
            "London rank": [fmt_int(v) for v in rows["london_rank"]],
            f"{noun.capitalize()} (12 months)": [fmt_int(v) for v in rows["r12"]],
            "Rate per 10,000": [fmt_number(v, 2) for v in rows["rate_per_10000"]],
        }
    )
    note = None if overall is None else f"London: {overall:.2f} per 10,000 residents."
    return figure, caption, table_html(shown, f"{base}-table", note)


def rank_parts(home: dict, month):
    history = cache.dashboard_rank_history(KNIFE)
    rows = history[history["area_code"] == home["code"]]
    figure = rank_figure(rows, month, home["name"])
    shown = rows.dropna(subset=["london_rank"]).iloc[::-1]
    table = pd.DataFrame(
        {
            "12 months to": [f"{m:%B %Y}" for m in shown["month"]],
            "London rank (1 = lowest rate)": [int(v) for v in shown["london_rank"]],
            "Rate per 10,000": [fmt_number(v, 2) for v in shown["rate"]],
        }
    )
    caption = rank_caption(home["name"], rows, month)
    return figure, caption, table_html(table, "syv-knife-rank-table")


def change_cell(record: dict) -> str:
    """'−6.0% (not significant)', '+50.0% (too small to judge)' or 'not available'."""
    change = record.get("change_vs_previous_pct")
    if is_missing(change):
        return "not available"
    return f"{fmt_pct(change)} ({significance_text(record)})"


def figures_rows(records: list[tuple[str, str, dict, float | None]]) -> list:
    """The headline table: one row per measure with its window, change and London position."""
    shown = pd.DataFrame(
        {
            "Measure": [label for label, _, _, _ in records],
            "12 months to": [
                month_label(r["month"]) if r.get("month") else "" for _, _, r, _ in records
            ],
            "Count": [fmt_int(r.get("r12")) for _, _, r, _ in records],
            "Previous 12 months": [fmt_int(r.get("p12")) for _, _, r, _ in records],
            "Change on previous 12 months": [change_cell(r) for _, _, r, _ in records],
            "Rate per 10,000": [fmt_number(r.get("rate_per_10000"), 2) for _, _, r, _ in records],
            "London rank (1 = lowest rate)": [
                fmt_int(r.get("london_rank")) for _, _, r, _ in records
            ],
            "London rate": [fmt_number(london, 2) for _, _, _, london in records],
        }
    )
    return table_children(shown)


def _blank(message: str, count: int) -> list:
    return [empty_figure(message), message, ""] * count


def syv_parts(period, home: dict):
    """(sentence, headline record, notice, the two SYV charts' outputs) for the period."""
    counts = cache.council_table("syv_monthly")
    if not counts.empty and home["code"] in set(counts["area_code"]):
        month = dataset_month(as_month_or_none(period), pd.to_datetime(counts["month"]).unique())
        table = cache.syv_table(month)
        record = _record(table, home["code"], SYV, month)
        overall = london_rate(london_rows(table, cache.reference()[0], SYV), 10_000)
        mine = counts[counts["area_code"] == home["code"]]
        series = pd.Series(
            mine["victims"].astype(float).to_numpy(),
            index=pd.DatetimeIndex(mine["month"].to_numpy()),
        )
        charts = [
            *trend_parts(series, month, "victims", "syv-trend"),
            *london_parts(table, SYV, home, "victims", "syv-london"),
        ]
        return (
            syv_sentence(home["name"], month, record, overall),
            (record, overall),
            None,
            charts,
        )
    summary = cache.council_table("syv_summary")
    summary = summary[summary["area_code"] == home["code"]] if not summary.empty else summary
    if summary.empty:
        notice = priority_empty_state(SYV_WHAT, SYV_WHERE)
        return (
            "No serious youth violence figures are loaded.",
            ({}, None),
            notice,
            _blank("No serious youth violence figures loaded", 2),
        )
    month = dataset_month(as_month_or_none(period), summary["window_end"])
    shown = summary[summary["window_end"] <= month].sort_values("window_end")
    row = (shown if len(shown) else summary).iloc[-1].to_dict()
    frame = pd.DataFrame(
        {
            "window_end": summary["window_end"],
            "rate": summary["rate_per_10000"],
            "london": summary["london_average_rate"],
        }
    )
    table = pd.DataFrame(
        {
            "12 months to": [f"{m:%B %Y}" for m in summary["window_end"]],
            "Rate per 10,000": [fmt_number(v, 1) for v in summary["rate_per_10000"]],
            "London rank": [fmt_int(v) for v in summary["london_rank"]],
            "London average": [fmt_number(v, 1) for v in summary["london_average_rate"]],
        }
    )
    note = "Only the published summary is loaded: load the monthly counts to compare boroughs."
    charts = [
        rate_windows_figure(frame, home["name"]),
        syv_published_sentence(home["name"], row),
        table_html(table, "syv-trend-table"),
        empty_figure(note),
        note,
        "",
    ]
    record = {
        "month": row["window_end"],
        "r12": row["victims"],
        "rate_per_10000": row["rate_per_10000"],
        "london_rank": row["london_rank"],
    }
    return (
        syv_published_sentence(home["name"], row),
        (record, row["london_average_rate"]),
        None,
        charts,
    )


def knife_parts(period, home: dict):
    """(sentence, headline rows, notice, the three knife charts' outputs) for the period."""
    month = dataset_month(as_month_or_none(period), cache.dashboard_months())
    table = cache.dashboard_table(month) if month is not None else pd.DataFrame()
    if table.empty or home["code"] not in set(table["area_code"]):
        notice = priority_empty_state(KNIFE_WHAT, KNIFE_WHERE)
        return (
            "No knife crime figures are loaded.",
            [],
            notice,
            _blank("No knife crime figures loaded", 3),
        )
    rows = []
    for indicator, label, _ in FIGURE_ROWS[1:]:
        overall = london_rate(london_rows(table, cache.reference()[0], indicator), 10_000)
        rows.append((label, indicator, _record(table, home["code"], indicator, month), overall))
    record, overall = rows[0][2], rows[0][3]
    monthly = cache.dashboard_monthly()
    mine = monthly[(monthly["area_code"] == home["code"]) & (monthly["indicator"] == KNIFE)]
    charts = [
        *trend_parts(mine.set_index("month")["count"], month, "victims", "syv-knife-trend"),
        *london_parts(table, KNIFE, home, "victims", "syv-knife-london"),
        *rank_parts(home, month),
    ]
    return knife_sentence(home["name"], month, record, overall), rows, None, charts


@callback(
    Output("syv-summary", "children"),
    Output("syv-figures-table", "children"),
    Output("syv-notice", "children"),
    Output("syv-knife-notice", "children"),
    *chart_outputs(CHARTS),
    Output("syv-source", "children"),
    Input("period-select", "value"),
)
def update(period: str | None):
    """Summary sentence, headline table, notices, the five charts and the source line."""
    home = cache.home_area()
    empty = html.Div(
        [
            priority_empty_state(SYV_WHAT, SYV_WHERE),
            priority_empty_state(KNIFE_WHAT, KNIFE_WHERE),
        ]
    )
    if home is None:
        return (empty, [], None, None, *_blank("No figures loaded", len(CHARTS)), "")
    syv_words, (syv_record, syv_london), syv_notice, syv_charts = syv_parts(period, home)
    knife_words, knife_rows, knife_notice, knife_charts = knife_parts(period, home)
    if syv_notice is not None and knife_notice is not None:
        return (empty, [], None, None, *syv_charts, *knife_charts, "")
    rows = ([(FIGURE_ROWS[0][1], SYV, syv_record, syv_london)] if syv_record else []) + knife_rows
    months = cache.dashboard_months()
    syv_month = syv_record.get("month") if syv_record else None
    note = (
        ""
        if syv_month is None
        else (f"Serious youth violence is shown for the 12 months to {month_label(syv_month)}.")
    )
    return (
        f"{syv_words} {knife_words}",
        figures_rows(rows),
        syv_notice,
        knife_notice,
        *syv_charts,
        *knife_charts,
        source_text(months[-1] if months else None, SOURCE, note),
    )
