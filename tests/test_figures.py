"""Charts, sentences and widgets as pure functions: known inputs, known outputs (no database)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import components, summaries

MONTHS = pd.date_range("2010-01-01", "2012-12-01", freq="MS")

# --- sentences ------------------------------------------------------------------------------------


def _record(**values) -> dict:
    base = {
        "r12": 840,
        "p12": 960,
        "baseline": 1200,
        "p_value": 0.004,
        "rag": "Green",
        "london_rank": 13,
        "rate_per_1000": 8.4,
        "population_year": 2024,
        "month": "2025-02",
    }
    return {**base, **values}


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (_record(), "down 12.5% on the previous 12 months, statistically significant"),
        (
            _record(r12=900, p12=960, p_value=0.16),
            "down 6.3% on the previous 12 months, not statistically significant",
        ),
        (_record(r12=960), "no change on the previous 12 months"),
        (_record(p12=None), "no comparison with the previous 12 months (a month is missing)"),
        (_record(r12=6, p12=12), "down 50% on the previous 12 months, too few crimes to judge"),
    ],
)
def test_previous_year_words(record, words):
    assert summaries.previous_year_words(record) == words


def test_previous_year_words_without_the_heading_words():
    assert (
        summaries.previous_year_words(_record(), False) == "down 12.5%, statistically significant"
    )


def test_baseline_words():
    assert summaries.baseline_words(_record()) == "360 fewer crimes than 2011/12, −30%"
    assert summaries.baseline_words(_record(baseline=None)) == "no 2011/12 baseline loaded"
    assert summaries.baseline_words(_record(r12=pd.NA)) == "not available"


@pytest.mark.parametrize(
    ("rank", "before", "words"),
    [
        (
            13,
            15,
            "rank 13 of 32 London boroughs (1 = lowest rate), 2 places better than a year "
            "earlier (15)",
        ),
        (
            13,
            12,
            "rank 13 of 32 London boroughs (1 = lowest rate), 1 place worse than a year "
            "earlier (12)",
        ),
        (13, 13, "rank 13 of 32 London boroughs (1 = lowest rate), the same as a year earlier"),
        (13, None, "rank 13 of 32 London boroughs (1 = lowest rate)"),
        (pd.NA, 4, "no rank among the London boroughs (not all 32 have figures)"),
    ],
)
def test_rank_words(rank, before, words):
    assert summaries.rank_words(rank, before) == words


def test_rag_words_small_counts_are_not_judged():
    assert summaries.rag_words(_record(rag="Red", r12=4, p12=3)) == (
        "too small to judge against the target"
    )
    assert summaries.rag_words(_record(rag="Red")) == "Red: at or worse than 2011/12"


def test_overview_sentence_counts_rag_of_judged_types_only():
    types = [_record(rag="Green"), _record(rag="Amber"), _record(rag="Red", r12=5, p12=3)]
    total = _record(r12=1638, p12=1728, baseline=2304, p_value=0.12)
    assert summaries.overview_sentence("Barnet", "2025-02", total, types) == (
        "In the 12 months to February 2025 Barnet had 1,638 neighbourhood (MOPAC7) crimes: "
        "666 fewer crimes than 2011/12, −28.9%, and down 5.2% on the previous 12 months, "
        "not statistically significant; of the 3 crime types, 1 Green, 1 Amber and 0 Red "
        "against the target of 20% below 2011/12."
    )
    assert "not available" in summaries.overview_sentence(
        "Barnet", "2025-02", _record(r12=None), []
    )


@pytest.mark.parametrize(
    ("r12", "baseline", "target", "words"),
    [
        (900, 1200, 960.0, "at or below the target"),
        (1000, 1200, 960.0, "below the 2011/12 baseline but above the target"),
        (1200, 1200, 960.0, "at or above the 2011/12 baseline"),
        (1200, None, None, "no 2011/12 baseline to compare with"),
    ],
)
def test_target_position(r12, baseline, target, words):
    assert summaries.target_position(r12, baseline, target) == words


def test_rank_caption_best_and_worst():
    history = pd.DataFrame({"month": MONTHS[:14], "london_rank": [20, 18, 25] + [19] * 10 + [17]})
    assert summaries.rank_caption("Barnet", history, "2011-02") == (
        "Barnet's London rank month by month: rank 17 of 32 London boroughs (1 = lowest rate), "
        "1 place better than a year earlier (18); its best was 17 (12 months to February 2011) "
        "and its worst 25 (March 2010)."
    )


def test_london_caption():
    caption = summaries.london_caption("Burglary", "Barnet", _record(), 10.24)
    assert caption == (
        "The 32 London boroughs' burglary crimes per 1,000 residents in the 12 months to "
        "February 2025, lowest first: Barnet's is 8.4 (mid-2024 population), rank 13 of 32 "
        "London boroughs (1 = lowest rate); London's rate is 10.2."
    )


# --- widgets --------------------------------------------------------------------------------------


def test_slugs_are_the_contract_addresses():
    assert list(components.SLUGS) == [
        "burglary",
        "criminal-damage",
        "robbery",
        "theft-from-motor-vehicle",
        "theft-from-the-person",
        "theft-of-motor-vehicle",
        "violence-with-injury",
        "mopac7-total",
    ]


def test_period_options_and_chosen_month():
    months = list(pd.date_range("2024-12-01", "2025-02-01", freq="MS"))
    assert components.period_options(months) == [
        {"label": "February 2025", "value": "2025-02"},
        {"label": "January 2025", "value": "2025-01"},
        {"label": "December 2024", "value": "2024-12"},
    ]
    assert components.chosen_month("2025-01", months) == pd.Timestamp("2025-01-01")
    assert components.chosen_month("2020-01", months) == pd.Timestamp("2025-02-01")
    assert components.chosen_month(None, months) == pd.Timestamp("2025-02-01")
    assert components.chosen_month("rubbish", months) == pd.Timestamp("2025-02-01")
    assert components.chosen_month("2025-01", []) is None


def test_table_html_escapes_and_marks_row_headers():
    frame = pd.DataFrame({"Ward": ["Totteridge & Woodside"], "Crimes": ["<5"]})
    assert components.table_html(frame, "t-table", "Note") == (
        '<table id="t-table" class="table table-sm table-striped"><caption>Note</caption>'
        '<thead><tr><th scope="col">Ward</th><th scope="col">Crimes</th></tr></thead>'
        '<tbody><tr><th scope="row">Totteridge &amp; Woodside</th><td>&lt;5</td></tr></tbody>'
        "</table>"
    )


def test_sort_wards_missing_values_last():
    table = pd.DataFrame(
        {"area_name": ["B", "A", "C"], "change_vs_previous_pct": [5.0, None, -3.0]}
    )
    assert list(components.sort_wards(table, "change_p12", True)["area_name"]) == ["B", "C", "A"]
    assert list(components.sort_wards(table, "change_p12", False)["area_name"]) == ["C", "B", "A"]
    assert list(components.sort_wards(table, "name", False)["area_name"]) == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"r12": 40, "p12": 20, "significant": True}, "statistically significant"),
        ({"r12": 40, "p12": 35, "significant": False}, "not significant"),
        ({"r12": 4, "p12": 20, "significant": True}, "too small to judge"),
        ({"r12": 40, "p12": None, "significant": None}, "not available"),
    ],
)
def test_significance_text(record, words):
    assert components.significance_text(record) == words


def test_rag_label_never_colours_small_counts():
    small = components.rag_label({"r12": 3, "p12": 8, "rag": "Red"})
    assert small.children == "Too small to judge" and "secondary" in small.className
    red = components.rag_label({"r12": 300, "p12": 200, "rag": "Red"})
    assert red.children[0].children == "✕ Red"
    assert red.children[1].children == " at or worse than 2011/12"
