"""How fast and how lean our ward-file load is, next to the plainest pandas load of the same file.

Run: .venv/bin/python bench/load.py [--runs N] [--file PATH] [--refresh PATH]

Each measurement runs in a fresh subprocess on a fresh temporary SQLite file, so peak memory
is that process's own high-water mark (ru_maxrss) and no run warms another's caches or engine.
The parent only starts children, collects their JSON and prints the table. Timing covers the
load itself: imports and creating the empty schema happen before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HISTORICAL = ROOT / "data/seed/mps-ward-historical.csv.gz"
RECENT = ROOT / "data/seed/mps-ward-recent.csv.gz"
KINDS = ("ours", "naive", "refresh")

# Targets from the issue: ours no slower than naive (aim: twice as fast), peak memory within
# 1 GB, and a 24-month refresh into a full database within 2 seconds.
TARGET_RATIO, AIM_RATIO, TARGET_PEAK_MB, TARGET_REFRESH_S = 1.0, 0.5, 1024, 2.0


# ---------------------------------------------------------------- children


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sqlite_url(db_path: str) -> str:
    return f"sqlite:///{db_path}"


def run_ours(path: str, db_path: str) -> dict:
    """Our full load (reading, validation, provenance, revisions) into an empty database."""
    sys.path.insert(0, str(ROOT))
    from core import db
    from etl.load import load_path

    engine = db.get_engine(_sqlite_url(db_path))  # schema created before the clock starts
    start = time.perf_counter()
    result = load_path(path, engine)
    seconds = time.perf_counter() - start
    _check_loaded(result)
    return {"seconds": seconds, "peak_mb": _peak_mb(), "rows": result.figures_added}


def run_naive(path: str, db_path: str) -> dict:
    """The plainest pandas load: read, melt to long, to_sql; no checks, no provenance."""
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(_sqlite_url(db_path))
    start = time.perf_counter()
    wide = pd.read_csv(path)
    months = [c for c in wide.columns if re.fullmatch(r"\d{6}", str(c))]
    ids = [c for c in wide.columns if c not in months]
    long = wide.melt(id_vars=ids, value_vars=months, var_name="month", value_name="count")
    long.to_sql("crime", engine, index=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "rows": len(long)}


def run_refresh(path: str, db_path: str, refresh: str) -> dict:
    """A monthly refresh: the 24-month file loaded into a database already holding ``path``."""
    sys.path.insert(0, str(ROOT))
    from core import db
    from etl.load import load_path

    engine = db.get_engine(_sqlite_url(db_path))
    _check_loaded(load_path(path, engine))  # untimed: the database a refresh meets
    start = time.perf_counter()
    result = load_path(refresh, engine)
    seconds = time.perf_counter() - start
    _check_loaded(result)
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "rows": result.figures_added,
        "area_months_replaced": result.area_months_replaced,
        "figures_replaced": result.figures_replaced,
    }


def _check_loaded(result) -> None:
    # A rejected file loads nothing and would look impressively fast: refuse to report it.
    if result.status != "loaded":
        raise SystemExit(f"{result.filename}: {result.status}: {result.message}")


# ---------------------------------------------------------------- parent


def measure(kind: str, args: argparse.Namespace) -> dict:
    """One measurement in a fresh subprocess on a fresh temporary SQLite file."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        command = [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--db",
            f"{tmp}/bench.db",
            "--file",
            str(args.file),
            "--refresh",
            str(args.refresh),
        ]
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine_facts() -> str:
    import pandas
    import sqlalchemy

    return (
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, pandas {pandas.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}"
    )


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    """The summary table and the line of targets."""
    secs = {k: [r["seconds"] for r in rs] for k, rs in results.items()}
    peak = {k: max(r["peak_mb"] for r in rs) for k, rs in results.items()}
    median = {k: statistics.median(v) for k, v in secs.items()}
    ratio = median["ours"] / median["naive"]
    print()
    print(f"{'':10}{'median s':>10}{'min s':>10}{'peak MB':>10}{'rows':>12}")
    for kind in KINDS:
        rows = results[kind][0]["rows"]
        print(
            f"{kind:10}{median[kind]:>10.2f}{min(secs[kind]):>10.2f}{peak[kind]:>10.0f}{rows:>12,}"
        )
    print(f"ratio ours/naive (median): {ratio:.2f}")
    last = results["refresh"][-1]
    print(
        f"refresh: {Path(args.refresh).name} into a full database, median "
        f"{median['refresh']:.2f} s; {last['area_months_replaced']:,} area-months and "
        f"{last['figures_replaced']:,} figures replaced (moved to history)"
    )
    print(
        f"targets: ratio <= {TARGET_RATIO} (aim {AIM_RATIO}): {ratio:.2f} "
        f"{_mark(ratio <= TARGET_RATIO)}{' (aim met)' if ratio <= AIM_RATIO else ''}; "
        f"peak <= 1 GB: ours {peak['ours']:.0f} MB {_mark(peak['ours'] <= TARGET_PEAK_MB)}; "
        f"refresh <= {TARGET_REFRESH_S:.0f} s: {median['refresh']:.2f} s "
        f"{_mark(median['refresh'] <= TARGET_REFRESH_S)}"
    )


def run_child(args: argparse.Namespace) -> dict:
    """Inside a child: the one measurement it was started for."""
    path, db_path = str(args.file), args.db
    if args.child == "ours":
        return run_ours(path, db_path)
    if args.child == "naive":
        return run_naive(path, db_path)
    return run_refresh(path, db_path, str(args.refresh))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument(
        "--file", type=Path, default=HISTORICAL, help="the file ours and naive load"
    )
    parser.add_argument("--refresh", type=Path, default=RECENT, help="the file loaded on top")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args)))
        return
    print(machine_facts())
    size_mb = args.file.stat().st_size / 2**20
    print(
        f"file: {args.file.name} ({size_mb:.1f} MB); refresh: {args.refresh.name}; runs: {args.runs}"
    )
    results: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for run in range(1, args.runs + 1):
        # ours and naive alternate, so drift in the machine's load falls on both alike
        for kind in KINDS:
            figures = measure(kind, args)
            results[kind].append(figures)
            print(
                f"run {run} {kind:8}{figures['seconds']:8.2f} s {figures['peak_mb']:8.0f} MB",
                flush=True,
            )
    report(results, args)


if __name__ == "__main__":
    main()
