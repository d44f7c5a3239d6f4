"""Reports from the command line: ``python -m dashboard.report indicators --month YYYY-MM``."""

from __future__ import annotations

import argparse
import re
import sys

import pandas as pd

from core import db, queries
from dashboard.reports import exports
from dashboard.reports.priorities import priority_rows
from domain.indicators import export_frame, indicator_table

AREA_DATASETS = [
    "borough_crime",
    "ward_crime",
]  # boroughs from borough files, wards from ward files


def crime_indicators(engine, month) -> pd.DataFrame:
    """The MOPAC7 indicator table for every area loaded, boroughs then wards."""
    areas = queries.areas(engine)
    pops = queries.populations(engine)
    frames = []
    for dataset in AREA_DATASETS:
        monthly = queries.mopac7_monthly(engine, dataset)
        if monthly.empty:
            continue
        frames.append(indicator_table(monthly, areas, pops, month))
    frames.append(dashboard_indicators_table(engine, month, areas, pops))
    frames.append(priority_rows(engine, month, areas, pops))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    return export_frame(pd.concat(frames, ignore_index=True))


def dashboard_indicators_table(engine, month, areas=None, pops=None) -> pd.DataFrame:
    """MPS Monthly Crime Dashboard offences: one row per area x subgroup, rates per 10,000."""
    monthly = queries.subgroup_monthly(engine, "mps_dashboard_offences")
    if monthly.empty:
        return pd.DataFrame()
    if areas is None:
        areas, pops = queries.areas(engine), queries.populations(engine)
    return indicator_table(monthly, areas, pops, month, per=10_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.report")
    sub = parser.add_subparsers(dest="command", required=True)
    ind = sub.add_parser("indicators", help="CSV of every area x indicator for one month")
    ind.add_argument("--month", required=True, help="the R12 window's last month, YYYY-MM")
    ind.add_argument("--out", default="-", help="file to write, or - for standard output")
    args = parser.parse_args(argv)
    match = re.fullmatch(r"(\d{4})-(\d{2})", args.month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        parser.error(f"--month must be a month written YYYY-MM (e.g. 2025-02), not {args.month!r}")
    month = pd.Timestamp(int(match.group(1)), int(match.group(2)), 1)
    table = crime_indicators(db.get_engine(), month)
    if table.empty:
        print(
            "No crime figures are loaded yet: run python -m etl load PATH first.", file=sys.stderr
        )
        return 1
    table = exports.safe_frame(table)  # text cells that a spreadsheet would run as formulas
    if args.out == "-":
        table.to_csv(sys.stdout, index=False)
    else:
        table.to_csv(args.out, index=False)
        print(f"Wrote {len(table):,} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
