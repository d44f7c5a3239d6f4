"""First run: load the real extracts shipped in data/seed into an empty database, as much of
them as the home borough (``HOME_BOROUGH``) needs: every borough's borough-level rows (London
ranks need all 32), only the home borough's ward rows, the home borough's ward boundaries
when data/boundaries has them (``<borough>_wards_<year>.geojson``, e.g. Barnet's), and for
Barnet the partnership indicators its annual report published (the real sample).
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from core import config, db
from etl import store
from etl.load import load_bytes
from etl.read import decode_text

BOUNDARIES_DIR = config.DATA_DIR / "boundaries"
# The partnership's own published figures (its 2022/23 annual report: real, and Barnet's), so a
# fresh clone shows partnership indicators on the priority pages.
PARTNERSHIP_SAMPLE = config.DATA_DIR / "samples" / "partnership-indicators-sample.xlsx"
PARTNERSHIP_BOROUGH = "Barnet"


def is_empty(engine: Engine) -> bool:
    """True when no upload is loaded yet (the first run)."""
    return not store.uploads.any_loaded(engine)


# The MPS ward crime files are the ward reference (etl/wards.py): loaded first, the ward rows of
# the other files (the MPS dashboard's teams, ward populations) are checked against them. The
# ONS LSOA lookups come next: police.uk rows are placed through them.
REFERENCE_FIRST = ("mps-ward-", "ons-lsoa")


def _order(path: Path) -> tuple[int, str]:
    first = [i for i, prefix in enumerate(REFERENCE_FIRST) if path.name.startswith(prefix)]
    return (first[0] if first else len(REFERENCE_FIRST), path.name)


def seed_files(seed_dir: Path) -> list[Path]:
    """The seed extracts in ``seed_dir``, in load order: the ward reference, the LSOA lookups,
    then by name."""
    files = [p for p in seed_dir.glob("*") if p.suffix in {".gz", ".csv", ".xlsx", ".zip"}]
    return sorted(files, key=_order)


def boundary_file(borough: str, folder: Path = BOUNDARIES_DIR) -> Path | None:
    """The newest ``<borough>_wards_<year>.geojson`` in ``folder`` (None: the repo has none)."""
    slug = re.escape(borough.lower().replace(" ", "_"))
    pattern = re.compile(rf"^{slug}_wards_(\d{{4}})\.geojson$")
    found = [(m[1], p) for p in folder.glob("*.geojson") if (m := pattern.match(p.name))]
    return max(found)[1] if found else None


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.strip().lower())


def _home_test(header: list[str], borough: str):
    """Which rows of a file with this header to keep (None: the file has no ward rows)."""
    columns = {_key(c): i for i, c in enumerate(header)}
    if "lookup_boroughname" in columns:  # an MPS ward crime file: every row a ward's
        at = columns["lookup_boroughname"]
        return lambda row: len(row) > at and row[at].strip() == borough
    if {"area_type", "borough_snt"} <= set(columns):  # the MPS dashboard: teams are wards
        kind, team = columns["area_type"], columns["borough_snt"]
        return lambda row: (
            len(row) <= max(kind, team)
            or row[kind].strip().lower() != "safer neighbourhood teams"
            or row[team].startswith(f"{borough} ")
        )
    return None


def home_rows(path: Path, borough: str) -> bytes | None:
    """The file's bytes with only ``borough``'s ward rows (and every non-ward row), the lines
    kept exactly as written; the file as it is when it has no ward rows; None when nothing is
    left to load."""
    data = path.read_bytes()
    if path.suffix in {".xlsx", ".zip"}:
        return data
    lines = decode_text(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).splitlines()
    keep = _home_test(next(csv.reader(lines[:1])), borough)
    if keep is None:
        return data
    rows = [line for line, row in zip(lines[1:], csv.reader(lines[1:]), strict=True) if keep(row)]
    if len(rows) == len(lines) - 1:
        return data
    return "\n".join([lines[0], *rows, ""]).encode("utf-8") if rows else None


def _load(number: int, count: int, name: str, data: bytes, engine: Engine) -> bool:
    start = time.perf_counter()
    print(f"[{number}/{count}] loading {name}...", file=sys.stderr, flush=True)
    result = load_bytes(name, data, engine, user="first-run seed")
    took = time.perf_counter() - start
    print(f"        {result.status}: {result.message} ({took:.1f} s)", file=sys.stderr)
    return result.status == "loaded"


def seed_if_empty(
    engine: Engine | None = None, seed_dir: Path | None = None, boundaries_dir: Path | None = None
) -> int:
    """Load the seed files (the home borough's part of them) when nothing has been loaded yet;
    returns files loaded."""
    engine = engine or db.get_engine()
    seed_dir = Path(seed_dir or config.SEED_DIR.get())
    if not is_empty(engine):
        return 0
    home = config.home_borough()
    outlines = boundary_file(home, Path(boundaries_dir or BOUNDARIES_DIR))
    files = [*seed_files(seed_dir), *([outlines] if outlines else [])]
    if home.lower() == PARTNERSHIP_BOROUGH.lower() and PARTNERSHIP_SAMPLE.exists():
        files.append(PARTNERSHIP_SAMPLE)
    loaded = 0
    for number, path in enumerate(files, start=1):
        data = home_rows(path, home) if path.suffix != ".geojson" else path.read_bytes()
        if data is None:
            print(f"[{number}/{len(files)}] {path.name}: no rows for {home}", file=sys.stderr)
            continue
        # the file's own name (the home borough's rows of a .csv.gz are loaded unpacked)
        loaded += _load(number, len(files), path.name, data, engine)
    return loaded
