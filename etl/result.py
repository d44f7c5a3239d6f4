"""What loading one file did (``LoadResult``), and rejecting a file: shared by every loader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Engine

from etl import store
from etl.errors import Problem, ProblemList, problem
from etl.read import Extract

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """The progress reporter that reports nothing."""


@dataclass
class LoadResult:
    """What happened to one file, in the terms the CLI and the upload page report."""

    filename: str
    status: str  # loaded | rejected | unchanged
    layout: str | None = None
    dataset: str | None = None
    upload_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    areas: int = 0
    month_from: date | None = None
    month_to: date | None = None
    rows_read: int = 0
    area_months_added: int = 0
    area_months_replaced: int = 0
    area_months_kept: int = 0  # held figures were newer than this file's
    figures_added: int = 0
    figures_replaced: int = 0
    message: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def rejected(
    engine: Engine,
    filename: str,
    size: int,
    digest: str,
    layout: str | None,
    items: list[Problem],
    user: str | None,
) -> LoadResult:
    """Record the rejection in the upload log only; no data table is touched."""
    upload_id = store.uploads.record_rejection(engine, filename, size, digest, layout, items, user)
    return LoadResult(
        filename,
        "rejected",
        layout,
        upload_id=upload_id,
        problems=items,
        message="The file was not loaded; nothing in the database changed.",
    )


def reject_file(
    engine: Engine,
    extract: Extract,
    layout: str | None,
    problems: ProblemList,
    user: str | None,
    empty: bool = False,
) -> LoadResult:
    """``rejected`` for a file read into ``extract`` (its name, size and digest) that a loader
    found errors in, or that held nothing to load (``empty``: reported as ``file-empty``
    unless an error already says why)."""
    if empty and not problems.has_errors:
        problems.add(problem("file-empty"))
    return rejected(
        engine,
        extract.filename,
        extract.size_bytes,
        extract.sha256,
        layout,
        problems.final(),
        user,
    )


def finish_rows(
    conn: Connection,
    extract: Extract,
    layout: str,
    dataset: str,
    upload_id: int,
    problems: ProblemList,
    *,
    rows: int,
    replaced: int,
    areas: int,
    message: str,
) -> LoadResult:
    """Close the upload of a file whose every row is one figure (populations, ward outlines):
    its log line inside the load's transaction ``conn``, and what the load did."""
    found = problems.final()
    store.uploads.finish_upload(
        conn,
        upload_id,
        rows_read=rows,
        cells_added=rows,
        cells_replaced=replaced,
        area_count=areas,
        warnings=store.uploads.json_problems(found),
        message=message,
    )
    return LoadResult(
        extract.filename,
        "loaded",
        layout,
        dataset,
        upload_id,
        found,
        areas=areas,
        rows_read=rows,
        figures_added=rows,
        figures_replaced=replaced,
        message=message,
    )
