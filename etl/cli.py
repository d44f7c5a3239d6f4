"""``python -m etl load|status|history|templates``: loading extracts without the web app."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from core import db, queries
from etl.errors import Problem
from etl.load import LoadResult, load_path
from etl.status import template_rows


def _progress_printer(name: str) -> Callable[[str], None]:
    start = time.perf_counter()

    def report(stage: str) -> None:
        print(f"  {name}: {stage}... ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

    return report


def problem_table(problems: list[Problem]) -> str:
    """Problems as an aligned text table: sheet, row, column, problem, value."""
    if not problems:
        return ""
    frame = pd.DataFrame(
        [
            {
                "sheet": p.sheet or "",
                "row": p.row if p.row is not None else "",
                "column": p.column or "",
                "kind": p.severity,
                "problem": p.message,
                "value": p.value if p.value is not None else "",
            }
            for p in problems
        ]
    )
    return frame.to_string(index=False, max_colwidth=90)


def describe(result: LoadResult) -> str:
    """What happened to one file, in plain words."""
    lines = [f"{result.filename}: {result.status.upper()}"]
    if result.layout:
        lines.append(f"  layout detected: {result.layout}")
    if result.status == "loaded":
        if result.month_from:
            lines.append(
                f"  areas: {result.areas}; months: {result.month_from:%b %Y} to "
                f"{result.month_to:%b %Y}"
            )
        lines.append(
            f"  rows read: {result.rows_read:,}; figures added: {result.figures_added:,}; "
            f"figures replaced: {result.figures_replaced:,}"
        )
    lines.append(f"  {result.message}")
    if result.errors:
        lines.append(f"  {len(result.errors)} problem(s) stop this file loading:")
    if result.problems:
        lines.append(problem_table(result.problems))
    return "\n".join(lines)


def cmd_load(args: argparse.Namespace) -> int:
    """Load each file named; exit status 1 when any was rejected or missing."""
    engine = db.get_engine()
    worst = 0
    for path in args.paths:
        path = Path(path)
        if not path.exists():
            print(f"{path}: no such file", file=sys.stderr)
            worst = 1
            continue
        big = path.stat().st_size > 2_000_000
        progress = _progress_printer(path.name) if big else (lambda _stage: None)
        result = load_path(path, engine, user=args.user, progress=progress)
        print(describe(result))
        worst = max(worst, 1 if result.status == "rejected" else 0)
    return worst


def cmd_status(_args: argparse.Namespace) -> int:
    """Print each dataset's months covered and last load."""
    engine = db.get_engine()
    status = queries.dataset_status(engine, template_rows(engine))
    if status.empty:
        print("Nothing loaded yet. Load a file with: python -m etl load PATH")
        return 0
    for column in ("areas", "months"):  # blank where a dataset has none: not 12.0
        status[column] = ["" if pd.isna(v) else int(v) for v in status[column]]
    print(status.to_string(index=False, na_rep=""))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Print the upload log, newest first."""
    history = queries.upload_history(db.get_engine(), args.limit)
    if history.empty:
        print("No uploads yet.")
        return 0
    cols = [
        "id",
        "uploaded_at",
        "filename",
        "layout",
        "status",
        "rows_read",
        "cells_added",
        "cells_replaced",
        "month_from",
        "month_to",
    ]
    counts = ["rows_read", "cells_added", "cells_replaced"]
    history[counts] = history[counts].astype("Int64")  # a rejected upload has none: not 2.0
    print(history[cols].to_string(index=False))
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    """Write the blank council templates (and the filled examples) and print their paths."""
    # imported for this command only: the writer brings openpyxl and, through the samples'
    # figures, scipy (about 1.5 s), which loading a file has no use for
    writer = importlib.import_module("etl.templates_write")
    paths = writer.write_templates(args.out)
    paths += writer.write_samples(args.samples) if args.samples else []
    for path in paths:
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; its exit status."""
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="validate and load extracts (CSV or XLSX)")
    load.add_argument("paths", nargs="+")
    load.add_argument("--user", default=None, help="who is loading (recorded in the history)")
    load.set_defaults(func=cmd_load)
    sub.add_parser("status", help="datasets, months covered, last load").set_defaults(
        func=cmd_status
    )
    history = sub.add_parser("history", help="the upload log")
    history.add_argument("--limit", type=int, default=50)
    history.set_defaults(func=cmd_history)
    tpl = sub.add_parser("templates", help="write the blank council templates (.xlsx)")
    tpl.add_argument("--out", default="data/templates", help="folder for the blank templates")
    tpl.add_argument(
        "--samples", default="data/samples", help="folder for the filled examples ('' to skip them)"
    )
    tpl.set_defaults(func=cmd_templates)
    args = parser.parse_args(argv)
    return args.func(args)
