"""Anti-social behaviour (/asb): police-recorded ASB in the home borough from data.police.uk
(incidents reported to the police), month by month with its rolling 12 months, R12 against P12
with significance, the rate per 1,000 residents and the London rank, and the wards on a map and
in a table; any other police.uk crime type as a choice. The council's own ASB cases (partnership
indicators) are a different count and sit in their own place below, labelled by source.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from core import config
from core.months import as_month_or_none
from core.reference import POLICE_UK_ASB, borough_code
from dashboard import cache
from dashboard import police_figures as figures
from dashboard.auth import exempt, guard
from dashboard.charts.crime import trend_figure
from dashboard.charts.wards_map import ranked_wards_figure, wards_map_figure
from dashboard.pages import priority_block
from dashboard.prose import police as words
from dashboard.prose.crime import ranked_wards_caption, wards_map_caption
from dashboard.prose.words import none_loaded, period_words, source_text
from dashboard.text import fmt_int
from dashboard.ui import blocks, downloads
from dashboard.ui.notices import can_load, priority_empty_state
from dashboard.ui.police import type_picker, ward_table
from dashboard.ui.trends import trend_table
from dashboard.ui.wards import ATTRIBUTION_OS, map_frame, map_key, map_table
from dashboard.ward_figures import label_places
from domain.indicators import record
from domain.periods import chosen_month

dash.register_page(
    __name__, path="/asb", name="Anti-social behaviour", order=3, title="Anti-social behaviour"
)

CHARTS = ["asb-trend", "asb-wards"]
SOURCE = (
    "data.police.uk street-level crime and anti-social behaviour (Open Government Licence v3.0), "
    "placed in wards by the ONS LSOA (2021) to ward best-fit lookup; Office for National "
    "Statistics (ONS) mid-year population estimates"
)
blocks.register_chart_tables(CHARTS)


def layout(**_query) -> html.Div:
    title = html.H1(f"Anti-social behaviour in {config.home_borough()}")
    picker = type_picker(exempt.hidden("indicator"), POLICE_UK_ASB)
    return html.Div(
        [
            blocks.heading_with_picker(title, "Police.uk type", picker),
            html.P(words.LABEL, className="small text-body-secondary"),
            html.Div(id="asb-summary", className="lead mb-2"),
            blocks.chart_block("asb-trend", "Month by month", 340),
            blocks.two_columns(
                blocks.chart_block("asb-wards", "Wards", 460, key=True),
                html.Section(
                    [
                        html.H2("All wards", className="h5 mt-3"),
                        blocks.html_slot("asb-ward-table", "table-responsive ward-table"),
                    ]
                ),
            ),
            html.P(id="asb-attribution", className="small text-body-secondary"),
            # The council's own ASB cases (partnership indicators, issue 19 item 4) go here,
            # labelled by their source: the lead wires them in.
            html.Div(priority_block.sections("asb"), id="asb-partnership"),
            *downloads.source_line("asb-source", "asb"),
        ]
    )


blocks.register_html_slot("asb-ward-table")


def home() -> dict:
    name = config.home_borough()
    return {"code": borough_code(name), "name": name}


def empty(borough: dict, loader: bool, withheld: bool = False) -> tuple:
    """What the page says with nothing loaded for the home borough (and which months are), or
    with its figures exempt for the reader (``withheld``: not shown to them, never 'not loaded')."""
    what, where = words.LOAD_HELP
    loaded = words.loaded_words(figures.files(), borough["name"]) if loader else ""
    where = f"{loaded} {where}".strip()
    notice = priority_empty_state(what, where, can_load=loader, withheld=withheld)
    blank = blocks.blank_charts(none_loaded("police.uk figures", withheld), len(CHARTS))
    return (notice, *blank, None, "", "", "")


def trend_parts(kind: str, borough: dict, month) -> list:
    frame = figures.trend(borough["code"], kind)
    return [
        trend_figure(frame, month, noun=words.short_noun(kind)),
        words.trend_caption(kind, borough["name"], month, frame),
        trend_table(frame, "asb-trend-table", words.noun(kind).capitalize()),
    ]


def ward_parts(kind: str, borough: dict, month, table: pd.DataFrame) -> list:
    """Map (or ranked bars without ward outlines), its words, its table and key; the table."""
    rows = table[(table["parent_code"] == borough["code"]) & (table["indicator"] == kind)]
    if rows.empty:
        return [*blocks.blank_charts("No ward figures"), None, "", ""]
    label = f"{words.noun(kind).capitalize()} in the 12 months"
    frame = map_frame(rows.sort_values("area_name"), "r12")
    frame["text"] = [
        f"{n}: {fmt_int(v)}" for n, v in zip(frame["name"], frame["value"], strict=False)
    ]
    outlines = cache.ward_boundaries(borough["code"])
    shown = frame[frame["code"].isin(set(outlines["code"]))]
    every_ward = ward_table(rows, "asb-ward-table-all")
    if shown.empty:  # no ward outlines loaded: the wards ranked as bars
        caption = ranked_wards_caption(borough["name"], month, label, frame, False)
        figure = ranked_wards_figure(frame, label, False)
        return [figure, caption, map_table(frame, label), None, every_ward, ""]
    return [
        wards_map_figure(outlines, shown, label, False, label_places(borough["code"], shown)),
        wards_map_caption(borough["name"], month, label, frame, False),
        map_table(frame, label),
        map_key(shown, label, False),
        every_ward,
        ATTRIBUTION_OS,
    ]


@callback(
    Output("asb-summary", "children"),
    *blocks.chart_outputs(CHARTS),
    Output("asb-wards-key", "children"),
    Output("asb-ward-table-html", "data"),
    Output("asb-attribution", "children"),
    Output("asb-source", "children"),
    Input("period-select", "value"),
    Input("asb-type-select", "value"),
)
def update(period: str | None, kind: str | None):
    """The sentence, the trend, the ward map and table, and the source line."""
    borough, loader = home(), can_load(guard.current_user())
    kind = kind or POLICE_UK_ASB
    months = figures.covered_months(borough["code"]) if not figures.hidden() else []
    if not months or kind in exempt.hidden("indicator"):
        return empty(borough, loader, figures.hidden() or kind in exempt.hidden("indicator"))
    wanted = as_month_or_none(period)
    month = chosen_month(wanted, months)
    table = figures.table(month)
    found = record(table, borough["code"], kind)
    sentence = words.summary(kind, borough["name"], month, found, figures.boroughs_covered(month))
    note = period_words("Police.uk figures", months, wanted, month)
    return (
        f"{note} {sentence}".strip(),
        *trend_parts(kind, borough, month),
        *ward_parts(kind, borough, month, table),
        source_text(month, SOURCE),
    )
