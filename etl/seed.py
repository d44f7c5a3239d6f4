"""First run: load the real extracts shipped in data/seed into an empty database."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from core import config, db
from etl import store
from etl.load import load_path


def is_empty(engine: Engine) -> bool:
    """True when no upload is loaded yet (the first run)."""
    return not store.uploads.any_loaded(engine)


# The MPS ward crime files are the ward reference (etl/wards.py): loaded first, the ward rows of
# the other files (the MPS dashboard's teams, ward populations) are checked against them.
REFERENCE_FIRST = "mps-ward-"


def seed_files(seed_dir: Path) -> list[Path]:
    """The seed extracts in ``seed_dir``, in load order: the ward reference, then by name."""
    files = [p for p in seed_dir.glob("*") if p.suffix in {".gz", ".csv", ".xlsx"}]
    return sorted(files, key=lambda p: (not p.name.startswith(REFERENCE_FIRST), p.name))


def seed_if_empty(engine: Engine | None = None, seed_dir: Path | None = None) -> int:
    """Load every seed file when nothing has been loaded yet; returns files loaded."""
    engine = engine or db.get_engine()
    seed_dir = Path(seed_dir or config.SEED_DIR.get())
    if not is_empty(engine):
        return 0
    files = seed_files(seed_dir)
    loaded = 0
    for number, path in enumerate(files, start=1):
        start = time.perf_counter()
        print(f"[{number}/{len(files)}] loading {path.name}...", file=sys.stderr, flush=True)
        result = load_path(path, engine, user="first-run seed")
        took = time.perf_counter() - start
        print(f"        {result.status}: {result.message} ({took:.1f} s)", file=sys.stderr)
        loaded += result.status == "loaded"
    return loaded
