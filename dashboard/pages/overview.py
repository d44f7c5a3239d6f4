"""Overview: a card per MOPAC7 type, the total and overall crime for the chosen 12 months.

Each card answers "are we getting better, compared with what, and is it real?": the R12, the
change against 2011/12 (and the RAG against the target in force, 20% below 2011/12 unless the
manager set another), the change against the previous
12 months with its significance, and the London rank with its movement over the year.
"""

from __future__ import annotations

import dash
from dash import Output, callback, html

from core import reference
from core.months import as_month_or_none
from dashboard import cache
from dashboard.auth import exempt, guard
from dashboard.prose.crime import overall_sentence, overview_sentence
from dashboard.prose.words import period_words, source_text, with_note
from dashboard.ui import downloads, prefill, static_html
from dashboard.ui.addresses import indicator_order
from dashboard.ui.blocks import html_slot, register_html_slot
from dashboard.ui.cards import indicator_cards
from dashboard.ui.notices import can_load, empty_state, provenance_link
from domain.london import rank_a_year_earlier
from domain.periods import chosen_month

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    order=0,
    title="Overview: neighbourhood crime",
    nav_match=["/"],
)

SOURCE = (  # each acronym spelled out where a reader first meets it
    "Metropolitan Police Service (MPS) borough level crime (London Datastore); Office for "
    "National Statistics (ONS) mid-year population estimates"
)
RANK_NOTE = "London ranks: 1 = lowest rate per 1,000 residents of the 32 boroughs."
OUTPUTS = [
    ("overview-summary", "children"),
    ("overview-cards-html", "data"),
    ("overview-source", "children"),
]
FOLLOW = prefill.register_period_follower("overview")
register_html_slot("overview-cards")  # the cards arrive as HTML: see static_html


def layout(period: str | None = None, **_query) -> html.Div:
    """The page drawn for ``?period=`` (the latest month without one)."""
    home = cache.home_area()
    code = home["code"] if home else None
    tree = html.Div(
        [
            prefill.period_store("overview", _month(period)),
            html.H1(f"{cache.home_name()}: neighbourhood crime (MOPAC7)", className="h2"),
            html.Div(id="overview-summary", className="lead mb-3"),
            html_slot("overview-cards"),
            *downloads.source_line("overview-source", "crime"),
            provenance_link(
                "borough_crime", code, cache.latest_month("borough_crime", code), "these figures"
            ),
        ]
    )
    return prefill.prefill(tree, OUTPUTS, update(period))


def _month(period: str | None):
    return chosen_month(as_month_or_none(period), cache.period_months())


@callback(*[Output(c, p) for c, p in OUTPUTS], prefill.PICKED, FOLLOW, prevent_initial_call=True)
def update(period: str | None, _follow=None):
    """Summary sentence, the cards (as HTML) and source line for the chosen period."""
    summary, row, source = content(period)
    return summary, static_html.render(row), source


def home_records(table, area_code: str) -> list[dict]:
    """The home borough's rows of the indicator table, the seven types then the total."""
    if table.empty:
        return []
    rows = table[table["area_code"] == area_code]
    return rows.sort_values("indicator", key=indicator_order).to_dict("records")


def content(period: str | None):
    """Summary sentence, the cards (a dbc.Row, or None) and the source line."""
    home = cache.home_area()
    month = _month(period)
    withheld = exempt.none_shown("borough_crime")  # exempt for the reader: not "not loaded"
    if home is None or month is None:
        return (
            empty_state(
                "MPS borough crime figures (the borough level CSV)",
                can_load(guard.current_user()),
                withheld,
            ),
            None,
            "",
        )
    records = home_records(cache.borough_figures(month), home["code"])
    if not records:
        return (
            empty_state(
                f"MPS borough crime figures that include {home['name']}",
                can_load(guard.current_user()),
                withheld,
            ),
            None,
            "",
        )
    by_name = {r["indicator"]: r for r in records}
    total = by_name.get(reference.MOPAC7_TOTAL)  # None: exempt
    overall = by_name.get(reference.OVERALL_CRIME)  # every offence: no target unless one is set
    types = [r for r in records if r["indicator"] in reference.MOPAC7_TYPES]
    before = rank_a_year_earlier(cache.rank_history(), home["code"], month)
    note = period_words("Borough crime", cache.period_months(), as_month_or_none(period), month)
    return (
        with_note(
            note,
            " ".join(
                w
                for w in (
                    overview_sentence(home["name"], month, total, types),
                    overall_sentence(overall),
                )
                if w
            ),
        ),
        indicator_cards([r for r in [total, overall, *types] if r is not None], month, before),
        source_text(month, SOURCE, RANK_NOTE),
    )
