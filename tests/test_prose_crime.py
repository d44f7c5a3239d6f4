"""The crime pages' sentences (dashboard.prose.crime and .words): known figures, known words."""

from __future__ import annotations

import pandas as pd
import pytest

from core.months import as_month
from dashboard.prose import crime as crime_prose
from dashboard.prose import words as prose_words

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
    assert prose_words.previous_year_words(record) == words


def test_previous_year_words_without_the_heading_words():
    assert (
        prose_words.previous_year_words(_record(), False) == "down 12.5%, statistically significant"
    )


def test_baseline_words():
    assert prose_words.baseline_words(_record()) == "360 fewer crimes than 2011/12, −30%"
    assert prose_words.baseline_words(_record(baseline=None)) == "no 2011/12 baseline loaded"
    assert prose_words.baseline_words(_record(r12=pd.NA)) == "not available"


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
        (pd.NA, 4, "rank not available (figures for all 32 London boroughs are needed)"),
    ],
)
def test_rank_words(rank, before, words):
    assert prose_words.rank_words(rank, before) == words


def test_rag_words_small_counts_are_not_judged():
    assert prose_words.rag_words(_record(rag="Red", r12=4, p12=3)) == (
        "too small to judge against the target"
    )
    assert prose_words.rag_words(_record(rag="Red")) == "Red: at or worse than 2011/12"


def test_overview_sentence_counts_rag_of_judged_types_only():
    types = [_record(rag="Green"), _record(rag="Amber"), _record(rag="Red", r12=5, p12=3)]
    total = _record(r12=1638, p12=1728, baseline=2304, p_value=0.12)
    assert crime_prose.overview_sentence("Barnet", as_month("2025-02"), total, types) == (
        "In the 12 months to February 2025 Barnet had 1,638 neighbourhood (MOPAC7) crimes: "
        "666 fewer crimes than 2011/12, −28.9%, and down 5.2% on the previous 12 months, "
        "not statistically significant; of the 3 crime types, 1 Green, 1 Amber and 0 Red "
        "against the target of 20% below 2011/12."
    )
    assert "not available" in crime_prose.overview_sentence(
        "Barnet", as_month("2025-02"), _record(r12=None), []
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
    assert crime_prose.target_position(r12, baseline, target) == words


def test_rank_caption_best_and_worst():
    history = pd.DataFrame({"month": MONTHS[:14], "london_rank": [20, 18, 25] + [19] * 10 + [17]})
    assert crime_prose.rank_caption("Barnet", history, as_month("2011-02")) == (
        "Barnet's London rank month by month: rank 17 of 32 London boroughs (1 = lowest rate), "
        "1 place better than a year earlier (18); its best was 17 (12 months to February 2011) "
        "and its worst 25 (March 2010)."
    )


def test_london_caption():
    caption = crime_prose.london_caption(
        "Burglary", "Barnet", as_month("2025-02"), _record(), 10.24
    )
    assert caption == (
        "The 32 London boroughs' burglary crimes per 1,000 residents in the 12 months to "
        "February 2025, lowest first: Barnet's is 8.4 (mid-2024 population), rank 13 of 32 "
        "London boroughs (1 = lowest rate); London's rate is 10.2."
    )
