"""Reading a large CSV without paying for a file that is refused anyway.

A CSV of more than PROBE_ROWS rows is first read only that far and checked. When those rows
alone hold MAX_PROBLEMS errors found on rows (a cell, a duplicate: errors the rest of the file
cannot undo), the file is refused whatever the rest holds, so it is checked as those rows and
the rest is never parsed: a 400 KB .csv.gz that unpacks to 100 MB of one row repeated costs a
moment and a few tens of megabytes instead of minutes and a gigabyte. Otherwise the whole file
is read. The problems listed then end with "too many problems", as for any refused file.
"""

from __future__ import annotations

from datetime import date

from etl import formats
from etl.errors import ERROR, ProblemList
from etl.read import Extract, read_bytes
from etl.wards import WardReference

PROBE_ROWS = 100_000  # more than any real extract's rows (the largest, 49,431)


def read_probed(
    filename: str,
    data: bytes,
    limit: int,
    today: date,
    wards: WardReference,
    indicators: dict[str, str] | None = None,
) -> Extract:
    """``read_bytes``, reading no more of a large CSV than is needed to refuse it."""
    extract = read_bytes(filename, data, limit, rows=PROBE_ROWS)
    if not extract.partial:
        return extract
    trial = ProblemList(limit)
    trial.extend(extract.problems)
    formats.detect(extract, trial, today, wards, indicators)
    on_rows = sum(1 for p in trial.items if p.severity == ERROR and p.row is not None)
    return extract if on_rows >= limit else read_bytes(filename, data, limit)
