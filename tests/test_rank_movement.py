"""Barnet's London rank now, a year earlier and over time, where rates tie and where the rank
12 months back differs from the rank 11 months back.

Every borough has 100,000 residents (mid-2023 and mid-2024), so a rate per 1,000 is R12 / 100.
Burglary only; March 2023 to February 2025. Each borough other than Barnet records p burglaries
a month, p its alphabetical position (Barking and Dagenham 1, Bexley 3, Brent 4, Bromley 5, ...,
Kingston upon Thames 20): rate 0.12 p. Barnet records 20 a month to February 2024, then 5:

| 12 months to  | Barnet's R12        | rate | boroughs lower        | rank (ties share the better) |
|---------------|---------------------|------|-----------------------|------------------------------|
| February 2025 | 12 x 5 = 60         | 0.60 | p = 1, 3, 4: 3        | 4, with Bromley (0.60)       |
| March 2024    | 11 x 20 + 5 = 225   | 2.25 | p = 1, 3..18: 17      | 18                           |
| February 2024 | 12 x 20 = 240       | 2.40 | p = 1, 3..19: 18      | 19, with Kingston (2.40)     |

So a year before February 2025 Barnet was 19th: 19 - 4 = 15 places better. (Giving a tie the
worse rank would say 5 and 20; looking 11 months back would say 18.)
"""

from __future__ import annotations

import pandas as pd
import pytest

import app  # noqa: F401  (registers the pages, as in production)
from core.months import as_month
from core.reference import borough_code, borough_names
from dashboard.pages import crime, overview
from domain.london import rank_a_year_earlier
from etl.load import load_bytes
from layout_tree import find as _find
from layout_tree import text as _text

MONTHS = pd.date_range("2023-03-01", "2025-02-01", freq="MS")


def _barnet(month: pd.Timestamp) -> int:
    return 20 if month <= pd.Timestamp(2024, 2, 1) else 5


def borough_csv() -> bytes:
    lines = ["MajorText,MinorText,BoroughName," + ",".join(f"{m:%Y%m}" for m in MONTHS)]
    for position, name in enumerate(borough_names(), start=1):
        counts = [_barnet(m) if name == "Barnet" else position for m in MONTHS]
        lines.append(f"BURGLARY,BURGLARY - RESIDENTIAL,{name}," + ",".join(map(str, counts)))
    return ("\n".join(lines) + "\n").encode()


def population_csv() -> bytes:
    lines = ["area_code,area_name,year,population"]
    for name in borough_names():
        lines += [f"{borough_code(name)},{name},{year},100000" for year in (2023, 2024)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def ranks_url(tmp_path_factory) -> str:
    from core import db

    url = f"sqlite:///{tmp_path_factory.mktemp('ranks')}/ranks.db"
    engine = db.get_engine(url)
    for filename, data in [("boroughs.csv", borough_csv()), ("population.csv", population_csv())]:
        result = load_bytes(filename, data, engine, user="test")
        assert result.status == "loaded", (filename, result.message)
    return url


@pytest.fixture
def ranks(ranks_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", ranks_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    return ranks_url


def _crime(period: str) -> dict:
    names = ["summary"] + [f"{c}-{p}" for c in crime.CHARTS for p in ("graph", "caption", "table")]
    return dict(zip([*names, "source"], crime.update(period, "burglary"), strict=True))


def test_crime_page_compares_the_rank_with_12_months_earlier_ties_sharing_the_better(ranks):
    out = _crime("2025-02")
    assert (  # then the most similar group's rank (tests/test_targets.py)
        "rank 4 of 32 London boroughs (1 = lowest rate), 15 places better than a year earlier (19)"
        " and " in out["summary"]
    )


def test_rank_over_time_chart_gives_tied_months_the_better_rank(ranks):
    out = _crime("2025-02")
    figure = out["crime-rank-graph"]
    ranks_drawn = dict(zip(figure.data[0].x, figure.data[0].y, strict=True))
    assert ranks_drawn[pd.Timestamp("2025-02-01")] == 4  # tied with Bromley
    assert ranks_drawn[pd.Timestamp("2024-03-01")] == 18
    assert ranks_drawn[pd.Timestamp("2024-02-01")] == 19  # tied with Kingston upon Thames
    assert figure.layout.annotations[-1].text == "4 of 32"
    assert out["crime-rank-caption"] == (
        "Barnet's London rank month by month: rank 4 of 32 London boroughs (1 = lowest rate), "
        "15 places better than a year earlier (19); its best was 4 (12 months to February 2025) "
        "and its worst 19 (February 2024)."
    )


def test_a_year_earlier_with_no_rank_then_says_nothing_of_it(ranks):
    # 12 months to February 2024: the first full window, so no rank a year before it
    assert "rank 19 of 32 London boroughs (1 = lowest rate) and " in _crime("2024-02")["summary"]


def test_overview_card_compares_the_rank_with_12_months_earlier(ranks):
    _, cards, _ = overview.content("2025-02")
    burglary = _text(_find(cards, "overview-card-burglary"))
    assert "rank 4 of 32, 15 places better than a year earlier (19)" in burglary


def test_rank_a_year_earlier_reads_the_month_12_before():
    history = pd.DataFrame(
        {
            "area_code": ["E09000003"] * 3 + ["E09000006"],
            "indicator": ["Burglary"] * 4,
            "month": pd.to_datetime(["2024-02-01", "2024-03-01", "2025-02-01", "2024-02-01"]),
            "london_rank": [19, 18, 4, 4],
        }
    )
    assert rank_a_year_earlier(history, "E09000003", as_month("2025-02")) == {"Burglary": 19}
