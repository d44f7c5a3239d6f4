"""Overview: a card per MOPAC7 type and the total for the chosen 12 months.

Each card answers "are we getting better, compared with what, and is it real?": the R12, the
change against 2011/12 (and the RAG against the 20% target), the change against the previous
12 months with its significance, and the London rank with its movement over the year.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, callback, html

from core import reference
from core.months import as_month, as_month_or_none
from dashboard import cache
from dashboard.prose.crime import overview_sentence
from dashboard.prose.words import source_text
from dashboard.ui import prefill, static_html
from dashboard.ui.addresses import indicator_order
from dashboard.ui.blocks import html_slot, register_html_slot
from dashboard.ui.cards import indicator_card
from dashboard.ui.notices import empty_state, provenance_link
from domain.periods import chosen_month

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    order=0,
    title="Overview: neighbourhood crime",
    nav_match=["/"],
)

SOURCE = "MPS borough level crime (London Datastore); ONS mid-year population estimates"
OUTPUTS = [
    ("overview-summary", "children"),
    ("overview-cards-html", "data"),
    ("overview-source", "children"),
]
FOLLOW = prefill.register_period_follower("overview")
register_html_slot("overview-cards")  # the cards arrive as HTML: see static_html


def layout(period: str | None = None, **_query) -> html.Div:
    """The page drawn for ``?period=`` (the latest month without one)."""
    tree = html.Div(
        [
            prefill.period_store(
                "overview", chosen_month(as_month_or_none(period), cache.period_months())
            ),
            html.H1(f"{cache.home_name()}: neighbourhood crime (MOPAC7)", className="h2"),
            html.Div(id="overview-summary", className="lead mb-3"),
            html_slot("overview-cards"),
            html.P(id="overview-source", className="text-body-secondary small mt-3"),
            provenance_link(
                "borough_crime",
                _home_code(),
                cache.latest_month("borough_crime", _home_code()),
                "these figures",
            ),
        ]
    )
    return prefill.prefill(tree, OUTPUTS, update(period))


def _home_code() -> str | None:
    home = cache.home_area()
    return home["code"] if home else None


def rank_a_year_earlier(history: pd.DataFrame, area_code: str, month) -> dict[str, object]:
    """{indicator: London rank for the 12 months to ``month`` minus a year} for one area."""
    earlier = as_month(month) - pd.DateOffset(months=12)
    rows = history[(history["area_code"] == area_code) & (history["month"] == earlier)]
    return dict(zip(rows["indicator"], rows["london_rank"], strict=True))


def home_records(table: pd.DataFrame, area_code: str) -> list[dict]:
    """The home borough's rows of the indicator table, the seven types then the total."""
    rows = table[table["area_code"] == area_code]
    return rows.sort_values("indicator", key=indicator_order).to_dict("records")


def cards(records: list[dict], month, before: dict) -> dbc.Row:
    columns = [
        dbc.Col(
            indicator_card(r["indicator"], r, month, before.get(r["indicator"])),
            xs=12,
            md=6,
            xl=3,
            className="mb-3",
        )
        for r in records
    ]
    return dbc.Row(columns)


@callback(*[Output(c, p) for c, p in OUTPUTS], prefill.PICKED, FOLLOW, prevent_initial_call=True)
def update(period: str | None, _follow=None):
    """Summary sentence, the cards (as HTML) and source line for the chosen period."""
    summary, row, source = content(period)
    return summary, static_html.render(row), source


def content(period: str | None):
    """Summary sentence, the cards (a dbc.Row, or None) and the source line."""
    home = cache.home_area()
    month = chosen_month(as_month_or_none(period), cache.period_months())
    if home is None or month is None:
        empty = empty_state("MPS borough crime figures (the borough level CSV)")
        return empty, None, ""
    table = cache.borough_table(month)
    records = home_records(table, home["code"]) if not table.empty else []
    if not records:
        empty = empty_state(f"MPS borough crime figures that include {home['name']}")
        return empty, None, ""
    total = next(r for r in records if r["indicator"] == reference.MOPAC7_TOTAL)
    types = [r for r in records if r["indicator"] != reference.MOPAC7_TOTAL]
    before = rank_a_year_earlier(cache.rank_history(), home["code"], month)
    sentence = overview_sentence(home["name"], month, total, types)
    source = source_text(
        cache.latest_month("borough_crime"),
        SOURCE,
        "London ranks: 1 = lowest rate per 1,000 residents of the 32 boroughs.",
    )
    return sentence, cards([total, *types], month, before), source
