"""dashboard.ui: widgets as pure functions: known inputs, known outputs (no database)."""

from __future__ import annotations

import pandas as pd

from dashboard.ui import addresses, cards, prefill, tables, wards
from layout_tree import text as _text

# --- widgets --------------------------------------------------------------------------------------


def test_slugs_are_the_contract_addresses():
    assert list(addresses.SLUGS) == [
        "burglary",
        "criminal-damage",
        "robbery",
        "theft-from-motor-vehicle",
        "theft-from-the-person",
        "theft-of-motor-vehicle",
        "violence-with-injury",
        "mopac7-total",
        "overall-crime",  # every offence (DOMAIN.md "Overall crime")
    ]


def test_period_options():
    months = list(pd.date_range("2024-12-01", "2025-02-01", freq="MS"))
    assert prefill.period_options(months) == [
        {"label": "February 2025", "value": "2025-02"},
        {"label": "January 2025", "value": "2025-01"},
        {"label": "December 2024", "value": "2024-12"},
    ]


def test_table_html_escapes_and_marks_row_headers():
    frame = pd.DataFrame({"Ward": ["Totteridge & Woodside"], "Crimes": ["<5"]})
    assert tables.table_html(frame, "t-table", "Note") == (
        '<table id="t-table" class="table table-sm table-striped"><caption>Note</caption>'
        '<thead><tr><th scope="col">Ward</th><th scope="col">Crimes</th></tr></thead>'
        '<tbody><tr><th scope="row">Totteridge &amp; Woodside</th><td>&lt;5</td></tr></tbody>'
        "</table>"
    )


def test_sort_wards_missing_values_last():
    table = pd.DataFrame(
        {"area_name": ["B", "A", "C"], "change_vs_previous_pct": [5.0, None, -3.0]}
    )
    assert list(wards.sort_wards(table, "change_p12", True)["area_name"]) == ["B", "C", "A"]
    assert list(wards.sort_wards(table, "change_p12", False)["area_name"]) == ["C", "B", "A"]
    assert list(wards.sort_wards(table, "name", False)["area_name"]) == ["A", "B", "C"]


def test_rag_label_never_colours_small_counts():
    small = cards.rag_label({"r12": 3, "p12": 8, "rag": "Red"})
    assert small.children == "Too small to judge" and "secondary" in small.className
    red = cards.rag_label({"r12": 300, "p12": 200, "rag": "Red"})
    assert red.children[0].children == "✕ Red"
    assert red.children[1].children == " at or worse than 2011/12"


def test_a_card_without_a_london_rank_says_why():
    """Was "no rank among the (not all 32 have figures)" on every 2008 card."""
    record = {"indicator": "Burglary", "r12": 3000, "p12": None, "london_rank": None}
    card = _text(cards.indicator_card("Burglary", record, pd.Timestamp(2008, 12, 1)))
    assert (
        "London rank (1 = lowest rate) not available (figures for all 32 boroughs are needed)"
        in card
    )
    assert "among the (" not in card


def test_upload_card_counts_problems_in_words():
    """Was "Problems: 1 error(s), 0 warning(s)"."""
    from dashboard.ui import uploads

    problem = {"severity": "error", "code": "not-a-number", "message": "m", "row": 2}
    record = {"filename": "syv.xlsx", "state": "rejected", "problems": [problem]}
    assert "Problems: 1 error, 0 warnings" in _text(uploads.file_card(record, 0))


def test_the_role_is_named_once():
    """Was "you are signed in as viewer (viewer)"."""
    from dashboard.auth.roles import User
    from dashboard.ui import uploads

    assert "signed in as viewer." in _text(uploads.who_may("analyst", User("viewer", "viewer")))
    assert "signed in as vera (viewer)." in _text(
        uploads.who_may("analyst", User("vera", "viewer"))
    )
