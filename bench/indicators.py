"""How long a cold month's indicator table takes: what a viewer waits for when the month picked
is not in the cache yet.

Run: .venv/bin/python bench/indicators.py [--months N] [--runs N] [--seed S] [--database-url URL]

With every seed file loaded (all 32 London boroughs, every London ward, the MPS Monthly Crime
Dashboard; seeded into a temporary SQLite file unless --database-url names one already seeded)
plus the serious youth violence sample, each table is drawn exactly as ``dashboard/cache.py``
draws it on a miss, for ``--months`` months picked at random from the newest 60 its dataset
has, ``--runs`` times each; the figure printed is the median milliseconds per call:

* borough: ``indicator_table`` of every area in the borough file (London ranks need all 32).
* ward: ``indicator_table`` of Barnet's wards (ward ranks within the borough).
* dashboard: ``indicator_table`` of the MPS dashboard subgroups, every area (per 10,000).
* syv: ``indicator_table`` of serious youth violence victims (per 10,000).
* group ranks: ``london.add_group_ranks`` of the borough table judged against the targets,
  with Barnet's comparator group (Outer London), as ``cache.judged`` does for every page.
* ... 60 at once: ``indicator_tables`` of the newest 60 months in one call (the same frames
  as the month-by-month calls), its time divided by 60: the cost a month for a warm-up.

The database reads are done once before the clock starts: only the computation is timed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

HOME = "E09000003"  # Barnet
SAMPLE = ROOT / "data" / "samples" / "serious-youth-violence-sample.xlsx"


def seeded(directory: Path) -> str:
    import harness

    from core import db
    from etl.load import load_path

    url = harness.seed_database(directory)
    load_path(SAMPLE, db.get_engine(url), user="bench")
    return url


def _only(areas, pops, data):
    """``dashboard.cache._areas_of``: the areas and populations of the areas in ``data``."""
    codes = set(data["area_code"].unique())
    return areas[areas["code"].isin(codes)], pops[pops["area_code"].isin(codes)]


def cases(url: str, count: int, rng: random.Random) -> dict:
    """{name: (months, draw(month))}: each table as the dashboard's cache draws it."""
    from core import db, queries
    from core.months import as_month
    from domain.indicators import indicator_table, window_inputs

    try:
        from domain.indicators import indicator_tables
    except ImportError:  # the code before it existed
        indicator_tables = None
    from domain.london import add_group_ranks
    from domain.priorities import syv_counts
    from domain.targets import apply_targets, from_rows

    eng = db.get_engine(url)
    areas, pops = queries.areas(eng), queries.populations(eng)
    wards = areas[(areas["parent_code"] == HOME) & (areas["area_type"] == "ward")]
    borough = queries.mopac7_monthly(eng, "borough_crime", None)
    ward = queries.mopac7_monthly(eng, "ward_crime", sorted(wards["code"]))
    dash = queries.subgroup_monthly(eng, "mps_dashboard_offences")
    for column in ("area_code", "indicator"):
        dash[column] = dash[column].astype("category")
    syv = syv_counts(queries.syv_monthly(eng))
    members = queries.group_members(eng)
    group = list(members.loc[members["group_name"] == "Outer London", "area_code"])
    targets = from_rows(queries.targets(eng))

    def newest(dataset):
        return [as_month(m) for m in queries.loaded_months(eng, dataset)][-60:]

    def months(dataset):
        loaded = newest(dataset)
        return [rng.choice(loaded) for _ in range(count)] if loaded else []

    def at_once(data, dataset, per=1000, local=True):
        a, p = _only(areas, pops, data) if local else (areas, pops)
        every = newest(dataset)
        if indicator_tables is None or not every:
            return [], None
        return [every[-1]], lambda m: indicator_tables(data, a, p, every, per=per)

    def windowed(data, per=1000, local=True):
        a, p = _only(areas, pops, data) if local else (areas, pops)
        return lambda m: indicator_table(window_inputs(data, m), a, p, m, per=per)

    def judged(month):
        table = indicator_table(window_inputs(borough, month), *_only(areas, pops, borough), month)
        return apply_targets(table, targets, month)

    borough_months = months("borough_crime")
    tables = {m: judged(m) for m in borough_months}
    return {
        "borough": (borough_months, windowed(borough)),
        "ward (Barnet)": (months("ward_crime"), windowed(ward)),
        "dashboard": (months("mps_dashboard_offences"), windowed(dash, 10_000, local=False)),
        "syv": (
            borough_months,
            lambda m: indicator_table(syv, areas, pops, m, per=10_000),
        ),
        "group ranks": (borough_months, lambda m: add_group_ranks(tables[m], "Outer", group)),
        "borough, 60 at once": at_once(borough, "borough_crime"),
        "dashboard, 60 at once": at_once(dash, "mps_dashboard_offences", 10_000, local=False),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=20, help="random months per table")
    parser.add_argument("--runs", type=int, default=3, help="timed calls per month")
    parser.add_argument("--seed", type=int, default=13, help="the random months' seed")
    parser.add_argument("--database-url", help="an already seeded database (default: seed one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or seeded(Path(tmp))
        load = os.getloadavg()[0]
        print(f"{os.cpu_count()} CPUs, load average {load:.1f}; median ms per call")
        print(f"{'table':<22}{'rows':>7}{'median ms':>11}{'min ms':>9}")
        for name, (months, draw) in cases(url, args.months, random.Random(args.seed)).items():
            if not months:
                print(f"{name:<22}  nothing loaded (or not in this code)")
                continue
            times, rows = [], 0
            for month in months:
                for _ in range(args.runs):
                    start = time.perf_counter()
                    drawn = draw(month)
                    elapsed = (time.perf_counter() - start) * 1000
                    if isinstance(drawn, dict):  # many months at once: the time a month
                        elapsed, drawn = elapsed / len(drawn), drawn[month]
                    times.append(elapsed)
                    rows = len(drawn)
            print(f"{name:<22}{rows:>7}{statistics.median(times):>11.1f}{min(times):>9.1f}")


if __name__ == "__main__":
    main()
