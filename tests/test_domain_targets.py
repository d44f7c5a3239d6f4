"""domain.targets and the group rank (domain.london): which target is in force, the figure it
asks for and the RAG it gives, by DOMAIN.md's rules, with hand-worked values."""

from __future__ import annotations

import pandas as pd
import pytest

from core.months import Month
from domain.london import add_group_ranks, group_rank
from domain.targets import (
    Target,
    apply_targets,
    in_force,
    judge,
    parse_financial_year,
    target_value,
)

FEB_2025 = Month(pd.Timestamp(2025, 2, 1))  # financial year 2024/25
APR_2025 = Month(pd.Timestamp(2025, 4, 1))  # financial year 2025/26


def test_no_target_set_means_mopac_s_20_percent_for_the_mopac7_only():
    assert in_force([], "Burglary", "E09000003", FEB_2025) == Target("Burglary")
    assert in_force([], "MOPAC7 total", None, FEB_2025).value == 20
    assert in_force([], "Knife Crime", "E09000003", FEB_2025) is None


def test_the_latest_target_begun_by_the_window_s_financial_year_is_in_force():
    older = Target("Burglary", value=10, from_year=2023)
    newer = Target("Burglary", value=15, from_year=2025)
    assert in_force([older, newer], "Burglary", "X", FEB_2025) == older  # 2025/26 not begun
    assert in_force([older, newer], "Burglary", "X", APR_2025) == newer


def test_a_target_for_the_area_beats_one_for_every_area():
    everywhere = Target("Burglary", value=10, from_year=2024)
    ward = Target("Burglary", kind="absolute", value=300, from_year=2020, area_code="W1")
    assert in_force([everywhere, ward], "Burglary", "W1", FEB_2025) == ward
    assert in_force([everywhere, ward], "Burglary", "W2", FEB_2025) == everywhere


@pytest.mark.parametrize(
    ("target", "baseline", "previous", "expected"),
    [
        (Target("x", "baseline", 20), 1200, 960, 960.0),  # 1,200 x 0.8
        (Target("x", "baseline", 15), 240, 240, 204.0),  # 240 x 0.85
        (Target("x", "previous", 5), 1200, 960, 912.0),  # 960 x 0.95
        (Target("x", "previous", 10, "higher"), None, 50, 55.0),  # 50 x 1.1
        (Target("x", "absolute", 300), None, None, 300.0),
        (Target("x", "baseline", 20), None, 960, None),  # no baseline: no figure
    ],
)
def test_the_figure_a_target_asks_for(target, baseline, previous, expected):
    assert target_value(target, baseline, previous) == expected


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        # baseline 240, previous 200: 15% below 2011/12 = 204
        (204, Target("x", "baseline", 15), "Green"),  # at target
        (216, Target("x", "baseline", 15), "Amber"),  # better than 2011/12, not at target
        (240, Target("x", "baseline", 15), "Red"),  # at the baseline
        # 5% below the previous 12 months (200) = 190: Red is judged against the previous 12
        (190, Target("x", "previous", 5), "Green"),
        (199, Target("x", "previous", 5), "Amber"),
        (200, Target("x", "previous", 5), "Red"),  # though 17% below 2011/12
        # an absolute 150, judged against the previous 12 months (200)
        (150, Target("x", "absolute", 150), "Green"),
        (180, Target("x", "absolute", 150), "Amber"),
        (200, Target("x", "absolute", 150), "Red"),
        # higher is better: 10% above the previous 12 months (200) = 220
        (220, Target("x", "previous", 10, "higher"), "Green"),
        (210, Target("x", "previous", 10, "higher"), "Amber"),
        (190, Target("x", "previous", 10, "higher"), "Red"),
        (100, None, None),  # no target, no RAG
    ],
)
def test_rag_follows_domain_md_for_each_kind_and_direction(current, target, expected):
    assert judge(current, target, 240, 200) == expected


def test_apply_targets_replaces_rag_and_names_the_target():
    table = pd.DataFrame(
        {
            "area_code": ["B", "B", "W"],
            "indicator": ["Criminal damage", "Knife Crime", "Criminal damage"],
            "r12": [216, 30, 50],
            "p12": [240, 40, 40],
            "baseline": [240, None, 100],
            "rag": ["Amber", None, "Amber"],
        }
    )
    ward_only = Target("Criminal damage", "absolute", 45, from_year=2024, area_code="W")
    out = apply_targets(table, [Target("Criminal damage", value=10), ward_only], FEB_2025)
    assert list(out["rag"]) == ["Green", None, "Red"]  # 216 = 240 x 0.9; 50 > 45, 50 >= 40
    assert list(out["target"]) == [216.0, None, 45.0]
    assert list(out["target_kind"]) == ["baseline", None, "absolute"]
    assert list(table["rag"].fillna("none")) == ["Amber", "none", "Amber"]  # table untouched


def test_rows_as_at_a_date_keep_their_own_rag():
    table = pd.DataFrame(
        {
            "area_code": ["B"],
            "indicator": ["WRAP coverage %: total"],
            "value": [80.0],
            "period": ["2025-01-31"],
            "rag": ["Green"],
        }
    )
    assert list(apply_targets(table, [], FEB_2025)["rag"]) == ["Green"]


def test_financial_years_are_read_as_written():
    assert parse_financial_year("2025/26") == 2025
    assert parse_financial_year("2025") == 2025
    for bad in ("2025/27", "25/26", "next year"):
        with pytest.raises(ValueError):
            parse_financial_year(bad)


def test_group_rank_is_the_london_rule_within_the_group():
    rates = pd.Series([5.0, 3.0, 3.0, 9.0, 1.0], index=["A", "B", "C", "D", "E"])
    ranks = group_rank(rates, ["A", "B", "C", "D"])  # E is not a member
    assert ranks.tolist()[:4] == [3, 1, 1, 4]  # ties share the better rank
    assert ranks.isna().tolist() == [False, False, False, False, True]


def test_group_rank_needs_every_member_s_figures():
    rates = pd.Series([5.0, None, 3.0], index=["A", "B", "C"])
    assert group_rank(rates, ["A", "B", "C"]).isna().all()
    assert group_rank(rates.dropna(), ["A", "B", "C"]).isna().all()  # B has no row at all


def test_add_group_ranks_marks_members_only():
    table = pd.DataFrame(
        {"area_code": ["A", "B", "C"], "indicator": ["x"] * 3, "rate_per_1000": [2.0, 1.0, 0.5]}
    )
    out = add_group_ranks(table, "Pair", ["A", "B"])
    assert out["group_rank"].tolist()[:2] == [2, 1] and pd.isna(out["group_rank"].iloc[2])
    assert out["group_name"].tolist()[:2] == ["Pair", "Pair"] and pd.isna(out["group_name"].iloc[2])
    assert out["group_size"].tolist()[:2] == [2, 2]


def test_a_15_percent_target_turns_a_type_that_fell_17_percent_green():
    # 2011/12 1,000 -> 830 (-17%): Amber against 20% below (800), Green against 15% (850)
    table = pd.DataFrame(
        {
            "area_code": ["B"],
            "indicator": ["Burglary"],
            "r12": [830],
            "p12": [900],
            "baseline": [1000],
            "rag": ["Amber"],
        }
    )  # fmt: skip  (aligned one-row table of literals)
    assert apply_targets(table, [], FEB_2025)["rag"].tolist() == ["Amber"]
    fifteen = Target("Burglary", value=15, from_year=2024)
    judged = apply_targets(table, [fifteen], FEB_2025)
    assert (judged["rag"].iloc[0], judged["target"].iloc[0]) == ("Green", 850.0)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("baseline", float("inf")),
        ("absolute", float("inf")),
        ("absolute", float("-inf")),
        ("previous", float("nan")),
        ("absolute", 1e308),
        ("absolute", 10_000_001),
        ("previous", 1001),
    ],
)
def test_a_non_finite_or_absurd_target_is_refused(kind, value):
    with pytest.raises(ValueError, match="at least 0|not a plausible target"):
        Target("Burglary", kind=kind, value=value, direction="higher")


@pytest.mark.parametrize(("kind", "value"), [("absolute", 10_000_000), ("previous", 1000)])
def test_the_largest_plausible_targets_are_taken(kind, value):
    assert Target("Burglary", kind=kind, value=value, direction="higher").value == value
