"""Writing checked population estimates: one transaction; the later upload wins and the figures
it replaces are kept in the history."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from core import reference
from etl import store
from etl.errors import ProblemList
from etl.formats import PopulationFile
from etl.read import Extract
from etl.result import LoadResult, Progress, finish_rows, reject_file


def _areas(frame: pd.DataFrame) -> pd.DataFrame:
    """The file's areas as ``store.areas.ensure_areas`` takes them (boroughs by their names)."""
    names = frame["area_name"].where(
        frame["area_type"] != "borough", frame["area_code"].map(reference.LONDON_AUTHORITIES)
    )
    return pd.DataFrame(
        {
            "code": frame["area_code"],
            "name": names.fillna(frame["area_code"]),
            "area_type": frame["area_type"],
            "parent_code": frame["parent_code"],
            "boundary_vintage": np.where(frame["area_type"] == "ward", 2022, None),
        }
    )


def load_population(
    engine: Engine,
    extract: Extract,
    parsed: PopulationFile,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Write the file's populations in one transaction, or reject the file if it has errors."""
    layout, frame = parsed.layout, parsed.frame
    if problems.has_errors or frame.empty:
        return reject_file(engine, extract, layout.name, problems, user, empty=frame.empty)
    progress(f"writing {len(frame):,} population figures")
    with engine.begin() as conn:
        upload_id = store.uploads.new_upload(conn, extract, layout.name, "population", None, user)
        store.areas.ensure_areas(conn, _areas(frame))
        replaced = store.population.replace(conn, frame, upload_id)
        message = (
            f"Loaded {len(frame):,} population figures for "
            f"{frame['area_code'].nunique()} areas, {frame['year'].min()}-"
            f"{frame['year'].max()}; {replaced:,} replaced (old figures kept in history)."
        )
        return finish_rows(
            conn,
            extract,
            layout.name,
            "population",
            upload_id,
            problems,
            rows=len(frame),
            replaced=replaced,
            areas=int(frame["area_code"].nunique()),
            message=message,
        )
