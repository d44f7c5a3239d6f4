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
