"""Hate crime (/hate-crime): MPS offences and positive outcomes by strand (borough and wards),
London rank per strand, and third-party Hate Crime Reporting Centre reports.

The MPS changed its recording system at the end of February 2024: every chart over time marks
the break, and comparisons across it are called not like-for-like.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from core import config
from core.months import as_month_or_none
from core.values import is_missing
from dashboard import cache
from dashboard.charts.base import empty_figure
from dashboard.charts.hate_crime import (
    BREAK_LABEL,
    BREAK_NOTE,
    break_trend_figure,
    month_lines_figure,
    with_window_note,
)
from dashboard.charts.priorities import bars_figure, rank_dots_figure, stacked_bars_figure
from dashboard.prose.hate_crime import hate_sentence, outcome_words
from dashboard.prose.words import significance_text, source_text
from dashboard.text import fmt_int, fmt_number, fmt_pct, month_label
from dashboard.ui.blocks import chart_block, chart_outputs, register_chart_table, two_columns
from dashboard.ui.notices import priority_empty_state
from dashboard.ui.tables import table_html
from domain.crime import is_small, trend_frame
from domain.hate_crime import (
    STRANDS,
    TOTAL,
    area_series,
    outcome_rates,
    spans_break,
    strand_r12,
    ward_rows,
)
from domain.london import london_codes, london_rate, london_rows
from domain.periods import dataset_month

dash.register_page(__name__, path="/hate-crime", name="Hate crime", order=13, title="Hate crime")

CHARTS = [
    "hate-trend",
    "hate-strands",
    "hate-outcomes",
    "hate-wards",
    "hate-london",
    "hate-centres",
    "hate-centre-strands",
]
SOURCE = (
    "MPS Monthly Crime Dashboard (hate crime offences and positive outcomes); ONS mid-year "
    "population estimates; Hate Crime Reporting Centre reports (council template)"
)
MPS_WHAT = "the MPS Monthly Crime Dashboard data (hate crime offences and outcomes)"
MPS_WHERE = (
    "Download it from the London Datastore (MPS Monthly Crime Dashboard Data); the "
    "first run loads the copy in data/seed."
)
CENTRES_WHAT = "Hate Crime Reporting Centre reports (the council template)"
CENTRES_WHERE = (
    "Fill in data/templates/hate-crime-reporting-centres.xlsx each month: reports "
    "by centre, strand and whether a crime or an incident."
)
for _chart in CHARTS:
    register_chart_table(_chart)


def layout(**_query) -> html.Div:
    picker = dcc.Dropdown(
        id="hate-strand-dropdown",
        value=TOTAL,
        clearable=False,
        searchable=False,
        options=[{"label": "All hate crime", "value": TOTAL}]
        + [{"label": s, "value": s} for s in STRANDS],
    )

    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(html.H1(f"Hate crime in {config.home_borough()}"), lg=8),
                    dbc.Col([html.Label("Strand", htmlFor="hate-strand-dropdown"), picker], lg=4),
                ],
                className="align-items-end",
            ),
            html.P(
                [
                    "The MPS changed its crime recording system at the end of February 2024: hate "
                    "crime recorded before March 2024 and after is not like-for-like. The charts mark "
                    "the change with a dash-dotted line labelled ",
                    html.Em(BREAK_LABEL),
                    ", and comparisons across it are flagged.",
                ],
                id="hate-break-note",
                className="alert alert-secondary small py-2",
            ),
            html.Div(id="hate-summary", className="lead mb-2"),
            chart_block("hate-trend", "Month by month", 340),
            two_columns(
                chart_block("hate-strands", "Each strand, rolling 12 months", 420),
                chart_block("hate-outcomes", "Positive outcome rate", 420),
            ),
            two_columns(
                chart_block("hate-wards", "Wards", 620),
                chart_block("hate-london", "London rank by strand", 420),
            ),
            html.H2("Hate Crime Reporting Centres", className="h4 mt-3"),
            html.Div(id="hate-centres-notice"),
            two_columns(
                chart_block("hate-centres", "Reports by centre", 420, level=3),
                chart_block("hate-centre-strands", "Reports by strand", 420, level=3),
            ),
            html.P(id="hate-source", className="text-body-secondary small mt-3"),
        ]
    )


def _record(table: pd.DataFrame, code: str, indicator: str) -> dict:
    rows = table[(table["area_code"] == code) & (table["indicator"] == indicator)]
    return rows.iloc[0].to_dict() if len(rows) else {}


def change_text(record: dict, across: bool) -> str:
    change = record.get("change_vs_previous_pct")
    if is_missing(change):
        return "not available"
    flag = "; not like-for-like" if across else ""
    return f"{fmt_pct(change)} ({significance_text(record)}{flag})"


def trend_parts(offences: pd.Series, outcomes: pd.Series, strand: str, home: dict, month):
    frame = trend_frame(offences)
    figure = break_trend_figure(frame, month, "offences")
    r12 = frame.loc[frame["month"] == month, "r12"]
    total = "not available" if r12.empty or pd.isna(r12.iloc[0]) else f"{r12.iloc[0]:,.0f}"
    caption = (
        f"Monthly {strand.lower()} offences in {home['name']} (bars) and the rolling "
        f"12-month total as a monthly average (line): {total} in the 12 months to "
        f"{month_label(month)}. The dash-dotted line marks the MPS recording "
        "system change (end of February 2024)."
    )
    shown = frame.iloc[::-1]
    table = pd.DataFrame(
        {
            "Month": [f"{m:%B %Y}" for m in shown["month"]],
            "Offences": [fmt_number(v) for v in shown["count"]],
            "12 months to the month (R12)": [fmt_number(v) for v in shown["r12"]],
            "Positive outcomes": [fmt_number(outcomes.get(m)) for m in shown["month"]],
        }
    )
    return figure, caption, table_html(table, "hate-trend-table")


def strands_parts(monthly: pd.DataFrame, home: dict, month):
    long = strand_r12(monthly, home["code"])
    figure = month_lines_figure(long, "Offences in the 12 months to the month")
    wide = long.pivot_table(index="month", columns="series", values="value", sort=False)
    wide = wide.reindex(columns=STRANDS).dropna(how="all").iloc[::-1]
    at = wide.loc[month] if month in wide.index else pd.Series(dtype=float)
    values = "; ".join(f"{s} {fmt_number(at.get(s))}" for s in STRANDS) if len(at) else ""
    caption = (
        f"Rolling 12-month offences by strand in {home['name']}"
        + (f"; in the 12 months to {month_label(month)}: {values}" if values else "")
        + ". Totals for windows that include months on both sides of the dash-dotted "
        "line mix the old and new MPS recording systems."
    )
    shown = pd.DataFrame(
        {
            "12 months to": [f"{m:%B %Y}" for m in wide.index],
            **{s: [fmt_number(v) for v in wide[s]] for s in STRANDS},
        }
    )
    return figure, caption, table_html(shown, "hate-strands-table")


def outcomes_parts(home_rates: pd.DataFrame, london_rates: pd.DataFrame, strand, home, month):
    long = pd.concat(
        [
            pd.DataFrame(
                {"month": home_rates["month"], "series": home["name"], "value": home_rates["rate"]}
            ),
            pd.DataFrame(
                {"month": london_rates["month"], "series": "London", "value": london_rates["rate"]}
            ),
        ],
        ignore_index=True,
    )
    figure = month_lines_figure(long, "Positive outcomes, % of offences (12 months)", ",.1f")
    row = home_rates[home_rates["month"] == month]
    words = outcome_words(*(row[["outcomes", "r12"]].iloc[0]) if len(row) else (None, None))
    caption = (
        f"Positive outcomes (as the MPS counts them) as a share of {strand.lower()} "
        f"offences over 12 months, {home['name']} against London; to "
        f"{month_label(month)}: {words}. Windows with fewer than 10 offences are "
        "left out (too small to judge)."
    )
    merged = home_rates.merge(london_rates[["month", "rate"]], on="month", suffixes=("", "_london"))
    merged = merged.dropna(subset=["r12"]).iloc[::-1]
    shown = pd.DataFrame(
        {
            "12 months to": [f"{m:%B %Y}" for m in merged["month"]],
            "Offences": [fmt_number(v) for v in merged["r12"]],
            "Positive outcomes": [fmt_number(v) for v in merged["outcomes"]],
            f"{home['name']} rate": [
                outcome_words(o, r) for o, r in zip(merged["outcomes"], merged["r12"], strict=True)
            ],
            "London rate": [
                fmt_number(v, 1) + ("%" if pd.notna(v) else "") for v in merged["rate_london"]
            ],
        }
    )
    return figure, caption, table_html(shown, "hate-outcomes-table")


def wards_parts(table: pd.DataFrame, strand: str, home: dict, month, across: bool):
    rows = ward_rows(table, strand, home["code"])
    frame = pd.DataFrame(
        {
            "name": rows["area_name"],
            "value": rows["r12"].astype(float),
            "text": [fmt_int(v) for v in rows["r12"]],
        }
    )
    figure = bars_figure(frame, "Offences in the 12 months")
    if spans_break(month):
        figure = with_window_note(figure, BREAK_NOTE)
    records = rows.dropna(subset=["r12"]).to_dict("records")
    small = sum(1 for r in records if is_small(r))
    caption = (
        f"{strand} offences in each of {home['name']}'s {len(rows)} wards in the 12 "
        f"months to {month_label(month)}, most first"
        + (
            f": {records[0]['area_name']} had the most ({int(records[0]['r12']):,})"
            if records
            else ""
        )
        + (f"; {small} had too few offences to judge a change" if small else "")
        + "."
    )
    shown = pd.DataFrame(
        {
            "Ward": rows["area_name"],
            "Offences (12 months)": [fmt_int(v) for v in rows["r12"]],
            "Previous 12 months": [fmt_int(v) for v in rows["p12"]],
            "Change on previous 12 months": [
                change_text(r, across) for r in rows.to_dict("records")
            ],
            "Ward rank (1 = fewest)": [fmt_int(v) for v in rows["ward_rank"]],
        }
    )
    return figure, caption, table_html(shown, "hate-wards-table")


def london_parts(table: pd.DataFrame, home: dict, month, across: bool):
    rows = []
    for strand in [TOTAL, *STRANDS]:
        record = _record(table, home["code"], strand)
        overall = london_rate(london_rows(table, cache.reference()[0], strand), 10_000)
        rows.append((strand, record, overall))
    frame = pd.DataFrame(
        {
            "name": [s for s, _, _ in rows],
            "rank": [r.get("london_rank") for _, r, _ in rows],
            "judged": [not is_small(r) for _, r, _ in rows],
        }
    )
    frame["rank"] = pd.to_numeric(frame["rank"], errors="coerce")
    figure = rank_dots_figure(frame)
    ranked = frame.dropna(subset=["rank"])
    words = "; ".join(f"{n} {int(k)}" for n, k in zip(ranked["name"], ranked["rank"], strict=True))
    caption = (
        f"{home['name']}'s rank among the 32 London boroughs by offences per 10,000 "
        f"residents in the 12 months to {month_label(month)}, for each strand "
        f"(1 = lowest rate; hollow = too few offences to judge): {words or 'no ranks'}."
    )
    shown = pd.DataFrame(
        {
            "Strand": [s for s, _, _ in rows],
            "Offences (12 months)": [fmt_int(r.get("r12")) for _, r, _ in rows],
            "Rate per 10,000": [fmt_number(r.get("rate_per_10000"), 2) for _, r, _ in rows],
            "London rate": [fmt_number(o, 2) for _, _, o in rows],
            "London rank (1 = lowest rate)": [fmt_int(r.get("london_rank")) for _, r, _ in rows],
            "Change on previous 12 months": [change_text(r, across) for _, r, _ in rows],
        }
    )
    return figure, caption, table_html(shown, "hate-london-table")


def centres_parts(period: str | None, month=None):
    """(sentence, notice, the two reporting-centre charts' outputs) for the 12 months to
    ``month`` (the MPS figures' month; without them, the picked month)."""
    reports = cache.council_table("hate_reporting_centres")
    if not reports.empty and month is None:
        month = dataset_month(as_month_or_none(period), reports["month"])
    if reports.empty:
        blank = [
            empty_figure("No reporting-centre reports loaded"),
            "No reporting-centre reports loaded.",
            "",
        ] * 2
        return "", priority_empty_state(CENTRES_WHAT, CENTRES_WHERE), blank
    first = month - pd.DateOffset(months=11)
    window = reports[(reports["month"] >= first) & (reports["month"] <= month)]
    part = window["crime_or_incident"].astype(str).str.capitalize()
    parts = []
    for column, base, heading in (
        ("centre", "hate-centres", "Centre"),
        ("strand", "hate-centre-strands", "Strand"),
    ):
        frame = pd.DataFrame(
            {"name": window[column], "part": part, "value": window["reports"].astype(float)}
        )
        figure = stacked_bars_figure(frame, "Reports in the 12 months")
        wide = frame.pivot_table(
            index="name", columns="part", values="value", aggfunc="sum", fill_value=0
        )
        wide["Total"] = wide.sum(axis=1)
        wide = wide.sort_values("Total", ascending=False).reset_index()
        wide = wide.rename(columns={"name": heading})
        for c in wide.columns[1:]:
            wide[c] = [f"{int(v):,}" for v in wide[c]]
        top = f"; most: {wide.iloc[0][heading]} ({wide.iloc[0]['Total']})" if len(wide) else ""
        caption = (
            f"Reports to the Hate Crime Reporting Centres in the 12 months to "
            f"{month_label(month)} by {column}, crimes and incidents{top}."
            if len(wide)
            else f"No reporting-centre reports in the 12 months to {month_label(month)}."
        )
        parts += [figure, caption, table_html(wide, f"{base}-table")]
    crimes = int(window.loc[part == "Crime", "reports"].sum())
    total = int(window["reports"].sum())
    loaded = f"{month_label(reports['month'].min())} to {month_label(reports['month'].max())}"
    sentence = (
        f"Hate Crime Reporting Centres received {total:,} reports in the same 12 months "
        f"({crimes:,} crimes, {total - crimes:,} incidents)."
        if total
        else f"No reporting-centre reports in the same 12 months (reports are loaded for {loaded})."
    )
    return sentence, None, parts


@callback(
    Output("hate-summary", "children"),
    *chart_outputs(CHARTS),
    Output("hate-centres-notice", "children"),
    Output("hate-source", "children"),
    Input("period-select", "value"),
    Input("hate-strand-dropdown", "value"),
)
def update(period: str | None, strand: str | None):
    """Summary sentence, the seven charts, the reporting-centre notice and the source line."""
    strand = strand if strand in [TOTAL, *STRANDS] else TOTAL
    home = cache.home_area()
    months = cache.dashboard_months()
    month = dataset_month(as_month_or_none(period), months)
    table = cache.dashboard_table(month) if month is not None else pd.DataFrame()
    if home is None or table.empty or home["code"] not in set(table["area_code"]):
        message = "No MPS hate crime figures loaded"
        centres = centres_parts(period, month)
        mps = [empty_figure(message), message, ""] * 5
        return (
            priority_empty_state(MPS_WHAT, MPS_WHERE),
            *mps,
            *centres[2],
            centres[1],
            "",
        )
    monthly = cache.dashboard_monthly()
    outcomes = cache.dashboard_monthly(cache.DASHBOARD_OUTCOMES)
    areas, _ = cache.reference()
    london = london_codes(areas)
    home_offences = area_series(monthly, [home["code"]], strand)
    home_outcomes = area_series(outcomes, [home["code"]], strand)
    home_rates = outcome_rates(home_offences, home_outcomes)
    london_rates = outcome_rates(
        area_series(monthly, london, strand), area_series(outcomes, london, strand)
    )
    across = spans_break(month, 24)
    record = _record(table, home["code"], strand)
    overall = london_rate(london_rows(table, areas, strand), 10_000)
    window = home_rates[home_rates["month"] == month]
    outcome_r12 = window["outcomes"].iloc[0] if len(window) else None
    centres_words, centres_notice, centres_charts = centres_parts(period, month)
    sentence = hate_sentence(strand, home["name"], month, record, overall, outcome_r12, across)
    return (
        f"{sentence} {centres_words}".strip(),
        *trend_parts(home_offences, home_outcomes, strand, home, month),
        *strands_parts(monthly, home, month),
        *outcomes_parts(home_rates, london_rates, strand, home, month),
        *wards_parts(table, strand, home, month, across),
        *london_parts(table, home, month, across),
        *centres_charts,
        centres_notice,
        source_text(months[-1], SOURCE),
    )
