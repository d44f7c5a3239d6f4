"""How much memory checking a hostile .csv.gz costs: a small file that unpacks to 100 MB.

Run: .venv/bin/python bench/gzip_bomb.py [--inside-mb 100] [--kinds repeated-row ...]

Each kind is a gzip file built here (a few hundred kilobytes) whose inside is ``--inside-mb``:
- ``repeated-row``: the MPS ward file's header, then one of its rows again and again (every row
  after the first is a duplicate);
- ``repeated-file``: the 24-month ward file's rows again and again (duplicates from the second
  copy on);
- ``junk``: the MPS ward file's header, then lines of one character;
- ``over-cap``: the same as ``repeated-row`` but past MAX_GZIP_UNPACKED_MB.

Each is checked as the Upload page checks it (``etl.preview.preview_bytes`` on an empty SQLite
database) in a fresh subprocess, which reports its resident memory when idle (imports done, the
database made, the file's bytes in memory) and its high-water mark (``ru_maxrss``) after the
check, so "over idle" is the check's own cost. The target (issue 18): at most 400 MB over idle.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARD = ROOT / "data/seed/mps-ward-recent.csv.gz"
KINDS = ("repeated-row", "repeated-file", "junk", "over-cap")
TARGET_MB = 400


def build(kind: str, inside_mb: float, folder: Path) -> Path:
    text = gzip.decompress(WARD.read_bytes())
    header, _, body = text.partition(b"\n")
    if kind == "repeated-file":
        unit = body if body.endswith(b"\n") else body + b"\n"
    elif kind == "junk":
        unit = b"x\n" * 1000
    else:
        unit = body.split(b"\n", 1)[0] + b"\n"
    size = int(inside_mb * 2**20) * (3 if kind == "over-cap" else 1)
    path = folder / f"{kind}.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(header + b"\n")
        written = len(header) + 1
        while written < size:
            out.write(unit)
            written += len(unit)
    return path


CHILD = """
import json, resource, sys, time
import psutil
sys.path.insert(0, {root!r})
from core import db
from etl.preview import preview_bytes
engine = db.get_engine("sqlite:///" + {db!r})
data = open({path!r}, "rb").read()
idle = psutil.Process().memory_info().rss
start = time.perf_counter()
preview = preview_bytes({name!r}, data, engine)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
codes = sorted({{p.code for p in preview.problems}})
print(json.dumps({{"idle": idle, "peak": peak, "seconds": seconds, "status": preview.status,
                  "problems": len(preview.problems), "codes": codes}}))
"""


def measure(path: Path, folder: Path) -> dict:
    code = CHILD.format(
        root=str(ROOT), db=str(folder / f"{path.stem}.db"), path=str(path), name=path.name
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inside-mb", type=float, default=100)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    args = parser.parse_args()
    print(f"{'kind':14} {'gz KB':>7} {'inside MB':>9} {'over idle MB':>12} {'s':>6}  result")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in args.kinds:
            path = build(kind, args.inside_mb, folder)
            with gzip.open(path) as stream:
                inside = sum(len(c) for c in iter(lambda: stream.read(2**20), b""))
            r = measure(path, folder)
            over = (r["peak"] - r["idle"]) / 2**20
            flag = "ok" if over <= TARGET_MB else f"OVER {TARGET_MB} MB"
            print(
                f"{kind:14} {path.stat().st_size / 1024:7.0f} {inside / 2**20:9.0f} "
                f"{over:12.0f} {r['seconds']:6.1f}  {r['status']}, {r['problems']} problems "
                f"{','.join(r['codes'])} [{flag}]"
            )


if __name__ == "__main__":
    main()
