"""Reoffending (/reoffending): the Integrated Offender Management (IOM) cohort quarter by
quarter, and the Ministry of Justice proven reoffending rates (adult and juvenile) for the home
borough against London and England and Wales."""

from __future__ import annotations

import re

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from dashboard import cache
from dashboard.charts.base import empty_figure
from dashboard.charts.priorities import bar_series_figure, comparison_lines_figure
from dashboard.prose.priorities import iom_sentence, reoffending_sentence, small_share_words
from dashboard.text import fmt_int, fmt_number, month_label
from dashboard.ui.blocks import chart_block, chart_outputs, register_chart_table, two_columns
from dashboard.ui.notices import priority_empty_state
from dashboard.ui.tables import table_html
from domain.priorities import iom_table, reoffending_table

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
IOM_WHAT = "IOM cohort figures (the council template iom-cohort.xlsx)"
IOM_WHERE = (
    "Fill in data/templates/iom-cohort.xlsx each quarter with the cohort size, the "
    "reoffenders and the offences in the 12 months before and after entering IOM."
)
MOJ_WHAT = "Ministry of Justice proven reoffending rates (the template moj-proven-reoffending.xlsx)"
MOJ_WHERE = (
    "Copy the borough's, London's and England and Wales's rows from the MoJ proven "
    "reoffending geographical data tool into data/templates/moj-proven-reoffending.xlsx."
)
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
for _chart in CHARTS:
    register_chart_table(_chart)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(f"Reoffending in {config.home_borough()}"),
            html.Div(id="reoffending-summary", className="lead mb-2"),
            html.H2("Integrated Offender Management (IOM)", className="h4 mt-3"),
            html.Div(id="reoffending-iom-notice"),
            two_columns(
                chart_block("reoffending-iom-cohort", "Cohort size each quarter", level=3),
                chart_block(
                    "reoffending-iom-rates",
                    "Cohort reoffending and reduction in offending",
                    level=3,
                ),
            ),
            html.H2("Proven reoffending (Ministry of Justice)", className="h4 mt-3"),
            html.Div(id="reoffending-moj-notice"),
            two_columns(
                chart_block("reoffending-adult", "Adults", level=3),
                chart_block("reoffending-juvenile", "Juveniles", level=3),
            ),
            html.P(id="reoffending-source", className="text-body-secondary small mt-3"),
        ]
    )


def cohort_end(text: str) -> pd.Timestamp | None:
    """The last month of a MoJ cohort label: 'Jan 2022 to Mar 2022' -> March 2022,
    '2021/22' -> March 2022, '2021' -> December 2021; None when it names no period."""
    words = re.findall(r"([A-Za-z]{3,9})\.?\s+(\d{4})", str(text))
    months = [(int(y), MONTHS[m[:3].lower()]) for m, y in words if m[:3].lower() in MONTHS]
    if months:
        return pd.Timestamp(*months[-1], 1)
    financial = re.search(r"(\d{4})\s*/\s*(\d{2,4})", str(text))
    if financial:
        return pd.Timestamp(int(financial.group(1)) + 1, 3, 1)
    year = re.search(r"\b(\d{4})\b", str(text))
    return pd.Timestamp(int(year.group(1)), 12, 1) if year else None


def iom_parts(month) -> tuple:
    """(sentence, notice, the two IOM charts' outputs) for quarters starting by ``month``."""
    quarters = cache.council_table("iom_quarters")
    if quarters.empty:
        blank = [empty_figure("No IOM figures loaded"), "No IOM figures loaded.", ""] * 2
        return "", priority_empty_state(IOM_WHAT, IOM_WHERE), blank
    if month is not None:
        quarters = quarters[quarters["quarter_start"] <= month]
    if quarters.empty:
        message = f"No IOM quarter starts by {month_label(month)}."
        return message, None, [empty_figure(message), message, ""] * 2
    table = iom_table(quarters)
    sizes = pd.DataFrame({"x": table["quarter"], "value": table["cohort_size"].astype("Float64")})
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "x": table["quarter"],
                    "series": "Cohort proven reoffending rate",
                    "value": table["reoffending_rate"].astype(float),
                }
            ),
            pd.DataFrame(
                {
                    "x": table["quarter"],
                    "series": "Reduction in offending after IOM",
                    "value": table["reduction_percent"].astype(float),
                }
            ),
        ],
        ignore_index=True,
    )
    shown = pd.DataFrame(
        {
            "Quarter": table["quarter"],
            "Cohort size": [fmt_int(v) for v in table["cohort_size"]],
            "Reoffenders": [fmt_int(v) for v in table["reoffenders"]],
            "Reoffending rate": [
                small_share_words(r, c)
                for r, c in zip(table["reoffenders"], table["cohort_size"], strict=True)
            ],
            "Offences before": [fmt_int(v) for v in table["offences_before"]],
            "Offences after": [fmt_int(v) for v in table["offences_after"]],
            "Reduction in offending": [
                fmt_number(v, 1) + ("%" if pd.notna(v) else "") for v in table["reduction_percent"]
            ],
        }
    )
    html_table = table_html(shown, "reoffending-iom-cohort-table")
    rates_given = long["value"].notna().any()
    rates_caption = (
        "The cohort's proven reoffending rate and the reduction in its offending after entering "
        "IOM, quarter by quarter."
        if rates_given
        else "Cohort reoffending and the reduction in offending were not given for these quarters."
    )
    last = table.iloc[-1]
    charts = [
        bar_series_figure(sizes, "People in the IOM cohort"),
        f"IOM cohort size each quarter: {fmt_int(last['cohort_size'])} in "
        f"{last['quarter']}, the latest quarter loaded.",
        html_table,
        comparison_lines_figure(long, "Per cent", empty="Not given"),
        rates_caption,
        table_html(shown, "reoffending-iom-rates-table"),
    ]
    return iom_sentence(table), None, charts


def moj_parts(month, borough: str) -> tuple:
    """(sentence, notice, the adult and juvenile charts' outputs) for cohorts ending by ``month``."""
    rates = cache.council_table("reoffending_rates")
    if rates.empty:
        blank = [
            empty_figure("No proven reoffending rates loaded"),
            "No proven reoffending rates loaded.",
            "",
        ] * 2
        return "", priority_empty_state(MOJ_WHAT, MOJ_WHERE), blank
    table = reoffending_table(rates)
    table["cohort_end"] = [cohort_end(c) for c in table["cohort"]]
    if month is not None:
        table = table[table["cohort_end"].isna() | (table["cohort_end"] <= month)]
    table = table.sort_values(["cohort_end", "cohort"], kind="stable", na_position="first")
    charts = [
        part for group in ("Adult", "Juvenile") for part in group_parts(table, group, borough)
    ]
    return reoffending_sentence(borough, latest_cohorts(table, borough)), None, charts


def latest_cohorts(table: pd.DataFrame, borough: str) -> pd.DataFrame:
    """Per adult/juvenile, every area's row for the home borough's latest cohort."""
    home = table[table["geography"].str.lower() == borough.lower()]
    latest = home.groupby("adult_juvenile")["cohort"].last()
    keys = set(latest.items())
    return table[[k in keys for k in zip(table["adult_juvenile"], table["cohort"], strict=True)]]


def group_parts(table: pd.DataFrame, group: str, borough: str) -> list:
    rows = table[table["adult_juvenile"].str.lower() == group.lower()]
    base = f"reoffending-{group.lower()}"
    order = {borough.lower(): 0, "london": 1, "england and wales": 2}
    rows = rows.sort_values(
        "geography", key=lambda g: g.str.lower().map(order).fillna(3), kind="stable"
    )
    long = pd.DataFrame(
        {
            "x": rows["cohort"],
            "series": rows["geography"],
            "value": rows["reoffending_rate"].astype(float),
        }
    )
    figure = comparison_lines_figure(long, "Proven reoffending rate", borough, x_title="Cohort")
    shown = pd.DataFrame(
        {
            "Area": rows["geography"],
            "Cohort": rows["cohort"],
            "Offenders": [fmt_int(v) for v in rows["offenders"]],
            "Reoffenders": [fmt_int(v) for v in rows["reoffenders"]],
            "Proven reoffending rate": [
                small_share_words(r, o, "offenders")
                for r, o in zip(rows["reoffenders"], rows["offenders"], strict=True)
            ],
            "Reoffences per reoffender": [
                fmt_number(v, 2) for v in rows["reoffences_per_reoffender"]
            ],
        }
    )
    noun = f"{group.lower()}s"
    caption = (
        f"Proven reoffending rate of {noun} (the share of each cohort who reoffended "
        f"within a year) in {borough}, London and England and Wales, cohort by cohort."
        if len(rows)
        else f"No proven reoffending rates for {noun} are loaded."
    )
    return [figure, caption, table_html(shown, f"{base}-table")]


@callback(
    Output("reoffending-summary", "children"),
    Output("reoffending-iom-notice", "children"),
    Output("reoffending-moj-notice", "children"),
    *chart_outputs(CHARTS),
    Output("reoffending-source", "children"),
    Input("period-select", "value"),
)
def update(period: str | None):
    """Summary sentence, notices for what is missing, the four charts and the source line."""
    borough = config.home_borough()
    try:
        month = pd.Timestamp(period + "-01") + pd.offsets.MonthEnd(0) if period else None
    except ValueError:
        month = None
    iom_words, iom_notice, iom_charts = iom_parts(month)
    moj_words, moj_notice, moj_charts = moj_parts(month, borough)
    if iom_notice is not None and moj_notice is not None:
        return (html.Div([iom_notice, moj_notice]), None, None, *iom_charts, *moj_charts, "")
    words = " ".join(w for w in (iom_words, moj_words) if w)
    return (words, iom_notice, moj_notice, *iom_charts, *moj_charts, source_line())


def source_line() -> str:
    """The latest IOM quarter and MoJ cohort loaded, and where the figures come from."""
    quarters = cache.council_table("iom_quarters")
    rates = cache.council_table("reoffending_rates")
    latest_quarter = quarters["quarter"].iloc[-1] if len(quarters) else "none"
    ends = [(cohort_end(c), c) for c in rates["cohort"]] if len(rates) else []
    ends = [e for e in ends if e[0] is not None]
    latest_cohort = max(ends)[1] if ends else "none"
    return (
        f"Latest IOM quarter loaded: {latest_quarter}; latest proven reoffending cohort: "
        f"{latest_cohort}. Source: {SOURCE}."
    )
