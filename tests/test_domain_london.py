"""domain.london: London ranks month by month, from the 32 boroughs' windows and populations."""

from __future__ import annotations

import pandas as pd

from domain.london import london_rank_history


def test_london_rank_history_ranks_need_all_32_and_use_window_population():
    months = pd.date_range("2010-01-01", "2011-12-01", freq="MS")
    codes = [f"E09{i:06d}" for i in range(2, 34)]
    monthly = pd.DataFrame(
        [(c, "Burglary", m, n) for n, c in enumerate(codes, start=1) for m in months],
        columns=["area_code", "indicator", "month", "count"],
    )
    areas = pd.DataFrame({"code": codes, "is_london_borough": True})
    pops = pd.DataFrame(
        [(c, 2010, 1000) for c in codes] + [(c, 2011, 2000) for c in codes],
        columns=["area_code", "year", "population"],
    )
    history = london_rank_history(monthly, areas, pops).set_index(["area_code", "month"])
    first = history.loc[(codes[0], pd.Timestamp("2010-12-01"))]
    assert (first["r12"], first["rate"], first["london_rank"]) == (12, 12.0, 1)
    # the window's 7th month picks the estimate: Dec 2010 (mid-2010), then Jan 2011 (mid-2011)
    assert history.loc[(codes[0], pd.Timestamp("2011-05-01")), "rate"] == 12.0
    assert history.loc[(codes[0], pd.Timestamp("2011-06-01")), "rate"] == 6.0
    assert pd.isna(history.loc[(codes[0], pd.Timestamp("2010-11-01")), "london_rank"])
    assert history.loc[(codes[-1], pd.Timestamp("2011-12-01")), "london_rank"] == 32
    one_short = monthly[monthly["area_code"] != codes[5]]
    ranks = london_rank_history(one_short, areas, pops)["london_rank"]
    assert ranks.isna().all()  # 31 boroughs: no rank


def test_london_rank_history_tied_rates_share_the_better_rank():
    # a month's crimes: 1 for the first borough, 2 for the next three, then 5, 6, ... 31, and
    # 31 again for the last: rates tie as 2, 2, 2 and 31, 31 (1,000 residents each)
    codes = [f"E09{i:06d}" for i in range(2, 34)]
    per_month = [1, 2, 2, 2, *range(5, 32), 31]
    months = pd.date_range("2024-01-01", "2024-12-01", freq="MS")
    monthly = pd.DataFrame(
        [(c, "Burglary", m, n) for c, n in zip(codes, per_month, strict=True) for m in months],
        columns=["area_code", "indicator", "month", "count"],
    )
    areas = pd.DataFrame({"code": codes, "is_london_borough": True})
    pops = pd.DataFrame({"area_code": codes, "year": 2024, "population": 1000})
    history = london_rank_history(monthly, areas, pops)
    december = history[history["month"] == pd.Timestamp("2024-12-01")].set_index("area_code")
    ranks = december.loc[codes, "london_rank"].tolist()
    assert ranks[:6] == [1, 2, 2, 2, 5, 6]  # three boroughs share 2nd; the next is 5th
    assert ranks[-3:] == [30, 31, 31]  # the two highest rates share 31st: no borough is 32nd
    assert december.loc[codes[1], "rate"] == 24.0  # 2 x 12 crimes per 1,000 residents


def test_group_ranks_of_a_table_mixing_rates_per_1000_and_per_10000():
    from domain.london import add_group_ranks

    # the indicators export: knife crime per 10,000 and domestic abuse per 1,000 in one table
    table = pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "A", "B", "C"],
            "indicator": ["knife"] * 3 + ["abuse"] * 3,
            "rate_per_10000": [3.0, 1.0, 2.0, None, None, None],
            "rate_per_1000": [None, None, None, 7.0, 9.0, 8.0],
        }
    )
    out = add_group_ranks(table, "Group", ["A", "B", "C"])
    # knife: B 1.0 < C 2.0 < A 3.0; abuse: A 7.0 < C 8.0 < B 9.0
    assert out["group_rank"].tolist() == [3, 1, 2, 1, 3, 2]
