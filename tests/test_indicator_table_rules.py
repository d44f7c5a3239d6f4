"""``indicator_table`` and ``add_group_ranks`` on small hand-made tables: each DOMAIN.md rule the
vectorised code applies to whole columns (ties, a borough or ward without a rate, the ward
fallback to R12, a zero baseline, a missing month, halves, the population year) against figures
worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from core.months import Month
from domain.indicators import indicator_table, indicator_tables, window_inputs
from domain.london import add_group_ranks

FEB_2025 = Month(pd.Timestamp(2025, 2, 1))
BOROUGHS = [f"E090000{n:02d}" for n in range(2, 34)]  # 32 London boroughs


def _months(end: Month, count: int) -> list[pd.Timestamp]:
    return list(pd.date_range(end=end, periods=count, freq="MS"))


def _series(code: str, indicator: str, r12_months: list[int], p12_months=None, base=None):
    """Rows for Mar 2023-Feb 2025 (P12 then R12) and, when given, FY2011/12."""
    p12_months = p12_months if p12_months is not None else r12_months
    rows = [
        (code, indicator, month, count)
        for month, count in zip(_months(FEB_2025, 24), [*p12_months, *r12_months], strict=True)
    ]
    if base is not None:
        rows += [
            (code, indicator, month, count)
            for month, count in zip(_months(Month(pd.Timestamp(2012, 3, 1)), 12), base, strict=True)
        ]
    return rows


def _monthly(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_code", "indicator", "month", "count"])


def _areas(boroughs=BOROUGHS, wards=()) -> pd.DataFrame:
    rows = [(code, f"Borough {code[-2:]}", "borough", None, True) for code in boroughs]
    rows += [(code, f"Ward {code}", "ward", parent, False) for code, parent in wards]
    return pd.DataFrame(
        rows, columns=["code", "name", "area_type", "parent_code", "is_london_borough"]
    )


def _pops(codes, population=1000, year=2024) -> pd.DataFrame:
    return pd.DataFrame({"area_code": list(codes), "year": year, "population": population})


def _london(r12_by_borough: dict[str, int]) -> pd.DataFrame:
    """Every borough with R12 = 12 x its monthly count."""
    rows = []
    for code in BOROUGHS:
        rows += _series(code, "Burglary", [r12_by_borough.get(code, 10)] * 12)
    return _monthly(rows)


def _column(table, column, codes):
    rows = table.set_index("area_code").loc[codes, column]
    return [None if pd.isna(v) else v for v in rows]


def test_london_ties_share_the_better_rank():
    # monthly 1, 2, 2 (R12 12, 24, 24) and every other borough 10 (R12 120), same population:
    # ranks 1, 2, 2, then 4 for all the rest (29 boroughs tied)
    first = BOROUGHS[:3]
    table = indicator_table(
        _london(dict(zip(first, [1, 2, 2], strict=True))), _areas(), _pops(BOROUGHS), FEB_2025
    )
    assert _column(table, "london_rank", first) == [1, 2, 2]
    assert set(_column(table, "london_rank", BOROUGHS[3:])) == {4}
    assert _column(table, "rate_per_1000", first) == [12.0, 24.0, 24.0]


def test_no_london_rank_unless_every_borough_has_a_rate():
    # one borough without a population: no rate for it, so no London rank for any borough
    pops = _pops(BOROUGHS[1:])
    table = indicator_table(_london({}), _areas(), pops, FEB_2025)
    assert _column(table, "rate_per_1000", BOROUGHS[:1]) == [None]
    assert table["london_rank"].isna().all()
    assert _column(table, "r12", BOROUGHS[:2]) == [120, 120]


def test_a_missing_month_leaves_the_window_without_a_value():
    # Barnet lacks January 2025: no R12, so no change, rate, test or RAG, and no London ranks
    rows = _london({})
    rows = rows[~((rows["area_code"] == BOROUGHS[1]) & (rows["month"] == "2025-01-01"))]
    table = indicator_table(rows, _areas(), _pops(BOROUGHS), FEB_2025)
    barnet = table[table["area_code"] == BOROUGHS[1]].iloc[0]
    assert pd.isna(barnet["r12"]) and barnet["p12"] == 120
    for column in ("change_vs_previous_pct", "rate_per_1000", "p_value", "significant", "rag"):
        assert pd.isna(barnet[column]), column
    assert table["london_rank"].isna().all()


def test_ward_ranks_by_rate_when_every_ward_has_one_else_by_r12():
    wards = [("W1", "B1"), ("W2", "B1"), ("W3", "B1"), ("X1", "B2")]
    rows = _monthly(
        _series("W1", "Robbery", [3] * 12)  # R12 36
        + _series("W2", "Robbery", [2] * 12)  # R12 24
        + _series("W3", "Robbery", [2] * 12)  # R12 24
        + _series("X1", "Robbery", [9] * 12)  # another borough's ward: ranked on its own
    )
    areas = _areas(boroughs=[], wards=wards)
    # populations 3600, 1200, 4800: rates 10, 20, 5 per 1,000 -> ranks 2, 3, 1
    pops = _pops(["W1", "W2", "W3", "X1"], [3600, 1200, 4800, 100])
    table = indicator_table(rows, areas, pops, FEB_2025)
    assert _column(table, "ward_rank", ["W1", "W2", "W3", "X1"]) == [2, 3, 1, 1]
    # W2 without a population: its borough's wards rank by R12 (36, 24, 24 -> 3, 1, 1)
    table = indicator_table(rows, areas, pops[pops["area_code"] != "W2"], FEB_2025)
    assert _column(table, "ward_rank", ["W1", "W2", "W3", "X1"]) == [3, 1, 1, 1]
    assert table["london_rank"].isna().all()


def test_changes_round_halves_away_from_zero_and_a_zero_baseline_has_none():
    base_400 = [33] * 8 + [34] * 4  # 2011/12 total 400
    rows = _monthly(
        _series("UP", "Robbery", [37] * 11 + [34], p12_months=[0] * 12, base=base_400)  # 441
        + _series("DOWN", "Robbery", [30] * 11 + [29], base=base_400)  # 359 vs 359
        + _series("ZERO", "Robbery", [1] * 12, p12_months=[1] * 12, base=[0] * 12)  # 12 vs 0
        + _series("NONE", "Robbery", [0] * 12, p12_months=[0] * 12, base=[0] * 12)  # 0 vs 0
    )
    areas = _areas(boroughs=[], wards=[(c, None) for c in ("UP", "DOWN", "ZERO", "NONE")])
    table = indicator_table(rows, areas, _pops([]), FEB_2025)
    codes = ["UP", "DOWN", "ZERO", "NONE"]
    # 441 vs 400: +10.25% -> 10.3; 359 vs 400: -10.25% -> -10.3; baseline 0: none
    assert _column(table, "change_vs_baseline_pct", codes) == [10.3, -10.3, None, None]
    # P12 0 for UP: none; DOWN and ZERO unchanged: 0.0 (never -0.0)
    previous = _column(table, "change_vs_previous_pct", codes)
    assert previous[:3] == [None, 0.0, 0.0] and str(previous[1]) == "0.0"
    # RAG against 20% below baseline: 441 > 400 Red, 359 < 400 but > 320 Amber,
    # 12 against 0 Red, 0 against a target of 0 Green
    assert _column(table, "rag", codes) == ["Red", "Amber", "Red", "Green"]
    # 441 vs 0: p = 2 x 0.5^441, significant; equal counts: p = 1; 0 vs 0: p = 1
    assert _column(table, "p_value", codes)[1:] == [1.0, 1.0, 1.0]
    assert _column(table, "significant", codes) == [True, False, False, False]
    assert table["rate_per_1000"].isna().all() and table["ward_rank"].isna().all()


@pytest.mark.parametrize(
    ("r12", "colour"), [(79, "Green"), (80, "Green"), (81, "Amber"), (99, "Amber"), (100, "Red")]
)
def test_rag_at_the_target_is_green_and_at_the_baseline_red(r12, colour):
    # baseline 100 (8 x 8 + 4 x 9), target 80
    counts = [r12 // 12] * 11 + [r12 - 11 * (r12 // 12)]
    base = [8] * 8 + [9] * 4
    table = indicator_table(
        _monthly(_series("A", "Robbery", counts, base=base)),
        _areas(boroughs=[], wards=[("A", None)]),
        _pops([]),
        FEB_2025,
    )
    assert table["baseline"].tolist() == [100] and table["r12"].tolist() == [r12]
    assert table["rag"].tolist() == [colour]


def test_rows_of_one_month_add_up_and_other_indicators_keep_their_own_windows():
    rows = _series("A", "Robbery", [1] * 12) + [("A", "Robbery", pd.Timestamp(2025, 2, 1), 5)]
    rows += _series("A", "Burglary", [2] * 12)
    table = indicator_table(
        _monthly(rows), _areas(boroughs=[], wards=[("A", None)]), _pops([]), FEB_2025
    )
    assert table.set_index("indicator")["r12"].to_dict() == {"Burglary": 24, "Robbery": 17}


def test_population_is_the_window_s_year_else_the_latest_earlier_one():
    # a window ending February 2025 wants mid-2024; A has 2022 and 2023 (uses 2023), B has 2024
    # and 2025 (uses 2024), C only 2025 (none)
    pops = pd.DataFrame(
        {
            "area_code": ["A", "A", "B", "B", "C"],
            "year": [2022, 2023, 2024, 2025, 2025],
            "population": [1000, 1200, 2400, 9999, 500],
        }
    )
    rows = _monthly(sum((_series(c, "Robbery", [2] * 12) for c in "ABC"), []))
    areas = _areas(boroughs=[], wards=[(c, None) for c in "ABC"])
    table = indicator_table(rows, areas, pops, FEB_2025)
    assert _column(table, "population_year", list("ABC")) == [2023, 2024, None]
    assert _column(table, "population", list("ABC")) == [1200, 2400, None]
    assert _column(table, "rate_per_1000", list("ABC")) == [20.0, 10.0, None]


def _rated(rates: dict[str, list[float | None]]) -> pd.DataFrame:
    """A table of two indicators: {code: [burglary rate, robbery rate]}."""
    rows = [
        (code, indicator, rate)
        for code, pair in rates.items()
        for indicator, rate in zip(["Burglary", "Robbery"], pair, strict=True)
    ]
    return pd.DataFrame(rows, columns=["area_code", "indicator", "rate_per_1000"])


def test_group_ranks_per_indicator_with_ties_and_a_member_without_a_rate():
    table = _rated({"A": [3.0, 1.0], "B": [1.0, None], "C": [1.0, 2.0], "D": [0.5, 0.1]})
    out = add_group_ranks(table, "Trio", ["A", "B", "C"])
    ranks = out.set_index(["area_code", "indicator"])["group_rank"]
    # burglary: 3, 1, 1 -> A 3, B 1, C 1; robbery: B has no rate -> no member ranked
    assert [ranks[(c, "Burglary")] for c in "ABC"] == [3, 1, 1]
    assert all(pd.isna(ranks[(c, "Robbery")]) for c in "ABC")
    assert pd.isna(ranks[("D", "Burglary")])  # not a member
    assert out["group_size"].tolist() == [3] * 6 + [pd.NA] * 2


def test_group_ranks_need_each_member_once():
    table = _rated({"A": [3.0, 1.0], "B": [1.0, 2.0]})
    # E has no rows: no ranks; A twice in one indicator (and B not at all): none there
    assert add_group_ranks(table, "AE", ["A", "B", "E"])["group_rank"].isna().all()
    twice = pd.concat([table, table.iloc[[0]]], ignore_index=True)
    twice = twice[~((twice["area_code"] == "B") & (twice["indicator"] == "Burglary"))]
    ranks = add_group_ranks(twice, "AB", ["A", "B"]).set_index(["area_code", "indicator"])
    assert ranks.loc[("B", "Robbery"), "group_rank"] == 2
    assert ranks.loc[[("A", "Burglary")], "group_rank"].isna().all()
    # no group chosen: the columns are there, empty
    none = add_group_ranks(table, None, ["A", "B"])
    assert none[["group_name", "group_size", "group_rank"]].isna().all().all()


def test_many_months_at_once_rank_within_each_month_and_equal_the_one_month_tables():
    # borough 02 has 1 a month through January 2025 then 30 in February: R12 12 to January
    # (rank 1 of 32, the others 120) and 41 to February (still 1); borough 03 has 20 a month
    # in the last year (R12 240: rank 32 both months, alone)
    rows = _london({BOROUGHS[0]: 1, BOROUGHS[1]: 20})
    rows.loc[(rows["area_code"] == BOROUGHS[0]) & (rows["month"] == "2025-02-01"), "count"] = 30
    jan = Month(pd.Timestamp(2025, 1, 1))
    months = [FEB_2025, jan, Month(pd.Timestamp(2000, 1, 1))]  # nothing loaded for 2000
    tables = indicator_tables(rows, _areas(), _pops(BOROUGHS), months)
    assert list(tables) == months
    assert _column(tables[jan], "r12", BOROUGHS[:2]) == [12, 240]
    assert _column(tables[FEB_2025], "r12", BOROUGHS[:2]) == [41, 240]
    for month in (jan, FEB_2025):
        assert _column(tables[month], "london_rank", BOROUGHS[:2]) == [1, 32]
        one = indicator_table(window_inputs(rows, month), _areas(), _pops(BOROUGHS), month)
        pd.testing.assert_frame_equal(tables[month], one, check_exact=True)
    assert tables[months[2]].empty
