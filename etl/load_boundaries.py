"""Writing checked ward boundaries: one transaction; a borough's outlines replace those held
for it (which stay in the table, marked replaced)."""

from __future__ import annotations

from sqlalchemy import Engine

from core import reference
from etl import store
from etl.errors import ProblemList
from etl.formats.boundaries import DATASET, BoundaryFile
from etl.read import Extract
from etl.result import LoadResult, Progress, finish_rows, reject_file


def load_boundaries(
    engine: Engine,
    extract: Extract,
    parsed: BoundaryFile,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Store the file's ward outlines in one transaction, or reject the file if it has errors."""
    frame = parsed.frame
    if problems.has_errors or frame.empty:
        return reject_file(engine, extract, parsed.layout, problems, user, empty=frame.empty)
    progress(f"writing {len(frame):,} ward boundaries")
    boroughs = sorted(set(frame["borough"]))
    names = ", ".join(reference.LONDON_AUTHORITIES.get(b, b) for b in boroughs)
    with engine.begin() as conn:
        upload_id = store.uploads.new_upload(conn, extract, parsed.layout, DATASET, None, user)
        replaced = store.boundaries.replace(conn, frame, upload_id)
        message = f"Loaded the boundaries of {len(frame):,} wards of {names}" + (
            f"; {replaced:,} earlier outlines replaced (kept in the history)." if replaced else "."
        )
        return finish_rows(
            conn,
            extract,
            parsed.layout,
            DATASET,
            upload_id,
            problems,
            rows=len(frame),
            replaced=replaced,
            areas=len(frame),
            message=message,
        )
