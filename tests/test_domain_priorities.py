"""Known answers for the other priorities' figures (DOMAIN "The other priorities")."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core import reference
from core.months import as_month
from domain import priorities as pm


def _values(series: pd.Series) -> list:
    """A column's values with every kind of missing shown as None."""
    return [None if pd.isna(v) else v for v in series]


@pytest.mark.parametrize(
    ("trained", "requiring", "expected"),
    [
        (112, 219, 51.1),  # Children and Family Services, April 2018
        (190, 290, 65.5),  # Adults and Communities, April 2018
        (219, 219, 100.0),
        (0, 50, 0.0),
        (1, 8, 12.5),
        (1, 16, 6.3),  # 6.25: halves round up, as Excel does
        (12, None, None),  # no target yet
        (12, float("nan"), None),
        (12, pd.NA, None),
        (5, 0, None),
        (None, 10, None),
    ],
)
def test_wrap_coverage(trained, requiring, expected):
    assert pm.wrap_coverage(trained, requiring) == expected


@pytest.mark.parametrize(
    ("coverage", "target", "expected"),
    [
        (100.0, 100.0, "Green"),
        (51.1, 100.0, "Amber"),
        (0.0, 100.0, "Red"),
        (51.1, 50.0, "Green"),
        (49.9, 50.0, "Amber"),
        (None, 100.0, None),
    ],
)
def test_wrap_rag_higher_is_better(coverage, target, expected):
    assert pm.wrap_rag(coverage, target) == expected


def test_wrap_coverage_table_totals_departments_with_a_target():
    training = pd.DataFrame(
        {
            "department": ["Children and Family Services", "Adults and Communities", "No target"],
            "staff_requiring": pd.array([219, 290, None], dtype="Int64"),
            "staff_trained": [112, 190, 12],
            "sessions": [8, 21, 1],
        }
    )
    table = pm.wrap_coverage_table(training).set_index("department")
    assert _values(table["coverage"]) == [51.1, 65.5, None, 59.3]  # 302 / 509
    assert pd.isna(table.loc["No target", "rag"])
    total = table.loc["All with a target"]
    assert (total["staff_requiring"], total["staff_trained"], total["sessions"]) == (509, 302, 29)
    assert total["rag"] == "Amber"


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (520, 310, 40.4),  # 210 / 520 = 40.38%
        (100, 120, -20.0),  # offending went up
        (200, 200, 0.0),
        (8, 7, 12.5),
        (0, 5, None),
        (None, 3, None),
        (10, None, None),
        (10, pd.NA, None),
    ],
)
def test_iom_reduction_percent(before, after, expected):
    result = pm.iom_reduction_percent(before, after)
    assert result == expected
    if result == 0:
        assert math.copysign(1, result) == 1  # never "-0.0"


@pytest.mark.parametrize(
    ("reoffenders", "offenders", "expected"),
    [(118, 560, 21.1), (30, 101, 29.7), (0, 105, 0.0), (1, 16, 6.3), (3, 0, None), (None, 9, None)],
)
def test_proven_reoffending_rate(reoffenders, offenders, expected):
    assert pm.proven_reoffending_rate(reoffenders, offenders) == expected


def test_iom_table_adds_both_figures_and_leaves_gaps_blank():
    quarters = pd.DataFrame(
        {
            "quarter": ["2022/23 Q3", "2022/23 Q4"],
            "cohort_size": pd.array([101, 105], dtype="Int64"),
            "reoffenders": pd.array([30, None], dtype="Int64"),
            "offences_before": pd.array([520, None], dtype="Int64"),
            "offences_after": pd.array([310, None], dtype="Int64"),
        }
    )
    table = pm.iom_table(quarters)
    assert _values(table["reoffending_rate"]) == [29.7, None]
    assert _values(table["reduction_percent"]) == [40.4, None]


def test_reoffending_table():
    rates = pd.DataFrame({"offenders": [560, 10], "reoffenders": [118, 0], "reoffences": [401, 0]})
    table = pm.reoffending_table(rates)
    assert table["reoffending_rate"].tolist() == [21.1, 0.0]
    assert _values(table["reoffences_per_reoffender"]) == [3.4, None]


def _syv(victims_per_month: dict[str, int], months) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"area_code": c, "month": m, "victims": v}
            for c, v in victims_per_month.items()
            for m in months
        ]
    )


def test_syv_london_table_rates_ranks_and_average():
    boroughs = sorted(reference.LONDON_BOROUGH_CODES)
    months = pd.date_range("2023-04-01", "2024-03-01", freq="MS")
    per_month = {code: i % 5 + 1 for i, code in enumerate(boroughs)}  # 1..5 a month
    pops = pd.DataFrame({"area_code": boroughs, "year": 2023, "population": 120_000})
    old = pd.DataFrame({"area_code": boroughs, "year": 2022, "population": 1})
    table = pm.syv_london_table(
        _syv(per_month, months), pd.concat([pops, old]), as_month("2024-03")
    )
    table = table.set_index("area_code")
    first = table.loc[boroughs[0]]  # 1 a month: 12 victims per 120,000 = 1 per 10,000
    assert (first["victims"], first["population_year"], first["rate_per_10000"]) == (12, 2023, 1.0)
    assert first["london_rank"] == 1
    assert table.loc[boroughs[4], "rate_per_10000"] == 5.0
    assert table.loc[boroughs[4], "london_rank"] == 27  # 26 boroughs have a lower rate
    total = sum(per_month.values()) * 12
    assert table.attrs["london_average_rate"] == pytest.approx(total / (32 * 120_000) * 10_000)


def test_syv_london_table_needs_every_borough_and_month():
    boroughs = sorted(reference.LONDON_BOROUGH_CODES)
    months = pd.date_range("2023-04-01", "2024-03-01", freq="MS")
    monthly = _syv(dict.fromkeys(boroughs, 2), months)
    monthly = monthly[~((monthly["area_code"] == boroughs[0]) & (monthly["month"] == months[3]))]
    pops = pd.DataFrame({"area_code": boroughs, "year": 2023, "population": 100_000})
    table = pm.syv_london_table(monthly, pops, as_month("2024-03")).set_index("area_code")
    assert pd.isna(table.loc[boroughs[0], "victims"])  # a month missing: no R12, not a smaller one
    assert table.loc[boroughs[1], "victims"] == 24
    assert table["london_rank"].isna().all()
    assert table.attrs["london_average_rate"] is None


@pytest.mark.parametrize(
    ("label", "end"),
    [
        ("Jan 2022 to Mar 2022", "2022-03-01"),
        ("October 2020 to December 2020", "2020-12-01"),
        ("2021/22", "2022-03-01"),
        ("2019", "2019-12-01"),
        ("latest", None),
    ],
)
def test_cohort_end(label, end):
    assert pm.cohort_end(label) == (pd.Timestamp(end) if end else None)


def _london_table(per: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """32 boroughs (B00..B31: r12 = n + 1, 1,000 residents), the City and a ward, for
    indicators A (every borough rated), B (31 boroughs) and C (one borough's rate missing)."""
    boroughs = [f"B{n:02d}" for n in range(32)]
    areas = pd.DataFrame(
        {
            "code": [*boroughs, "CITY", "W1"],
            "is_london_borough": [True] * 32 + [False, None],
        }
    )
    rows = []
    for indicator, codes in [
        ("A", [*boroughs, "CITY", "W1"]),
        ("B", boroughs[1:]),
        ("C", boroughs),
    ]:
        for n, code in enumerate(codes):
            r12 = n + 1
            rate = None if (indicator, code) == ("C", "B05") else r12 / 1000 * per
            rows.append((code, f"Area {code}", indicator, r12, 1000, rate, n % 7))
    columns = ["area_code", "area_name", "indicator", "r12", "population", f"rate_per_{per}"]
    table = pd.DataFrame(rows, columns=[*columns, "london_rank"])
    table["r12"] = table["r12"].astype("Int64")
    table["indicator"] = table["indicator"].astype("category")
    return table, areas


@pytest.mark.parametrize("per", [1_000, 10_000])
def test_london_figures_hand_worked_and_as_one_filter_per_indicator(per):
    from domain.indicators import record
    from domain.london import london_rate, london_rows

    table, areas = _london_table(per)
    month = as_month("2025-02")
    wanted = ["C", "A", "B", "Z"]
    for code in ("B03", "CITY", "W1", "NONE"):
        found = pm.london_figures(table, areas, code, wanted, month, per=per)
        expected = [
            (i, record(table, code, i, month), london_rate(london_rows(table, areas, i), per))
            for i in wanted
        ]
        assert repr(found) == repr(expected), code
    found = pm.london_figures(table, areas, "B03", wanted, None, per=per)
    # A: (1 + 2 + ... + 32) = 528 offences among 32,000 residents; B lacks a borough, C a rate
    assert [overall for _, _, overall in found] == [None, 528 / 32_000 * per, None, None]
    assert found[1][1]["r12"] == 4 and "month" not in found[1][1] and found[3][1] == {}
    assert pm.london_figures(table.iloc[0:0], areas, "B03", ["A"]) == [("A", {}, None)]
