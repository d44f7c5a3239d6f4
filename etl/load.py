"""Loading one extract: read it, find its layout, check it whole, then write it in one
transaction (``load_crime``, ``load_population``, ``load_template``,
``load_boundaries``) or log it as rejected.

A rejected file changes nothing but the upload log; the same bytes loaded twice change nothing.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from core import config, db, queries
from etl import formats, store
from etl.errors import ProblemList, problem
from etl.formats import BoundaryFile, CrimeFile, LookupFile, PopulationFile, TemplateFile, police_uk
from etl.load_boundaries import load_boundaries
from etl.load_crime import load_crime
from etl.load_police import load_lookup, load_street
from etl.load_population import load_population
from etl.load_templates import load_template
from etl.read import Extract, ExtractUnreadable, file_digest, read_bytes
from etl.result import LoadResult, Progress, quiet, rejected

__all__ = ["LoadResult", "Progress", "load_bytes", "load_path"]


def load_path(
    path: str | Path,
    engine: Engine | None = None,
    user: str | None = None,
    progress: Progress = quiet,
) -> LoadResult:
    """Load one file from disk."""
    path = Path(path)
    size = path.stat().st_size
    if size > config.max_upload_bytes():
        item = problem(
            "file-too-large",
            size_mb=round(size / 2**20, 1),
            limit_mb=round(config.max_upload_bytes() / 2**20),
        )
        return rejected(engine or db.get_engine(), path.name, size, "", None, [item], user)
    return load_bytes(path.name, path.read_bytes(), engine, user, progress)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: a load makes millions of short-lived objects that form
    no cycles, and each full collection walks them all (5-10% of a load's time)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load_bytes(
    filename: str,
    data: bytes,
    engine: Engine | None = None,
    user: str | None = None,
    progress: Progress = quiet,
) -> LoadResult:
    """Validate and load one extract; nothing is written unless it has no errors."""
    with _collector_paused():
        return _load_bytes(filename, data, engine or db.get_engine(), user, progress)


def _unchanged(engine: Engine, filename: str, digest: str) -> LoadResult | None:
    """The answer for bytes already loaded (None: they are new)."""
    previous = store.uploads.loaded_upload_with_hash(engine, digest)
    if previous is None:
        return None
    return LoadResult(
        filename,
        "unchanged",
        previous.layout,
        previous.dataset,
        previous.id,
        message=f"Already loaded as upload {previous.id} on "
        f"{previous.uploaded_at:%d %b %Y %H:%M}; nothing changed.",
    )


def _load_street(
    filename: str,
    data: bytes,
    street: list[police_uk.Source],
    engine: Engine,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """police.uk files, read a chunk at a time and hashed on a second thread meanwhile
    (hashlib lets go of the GIL), so the same-bytes check costs a large file no time."""
    progress("reading")
    problems = ProblemList(config.max_problems())
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(file_digest, data)
        parsed = police_uk.parse(street, problems)
        digest = hashing.result()
    unchanged = _unchanged(engine, filename, digest)
    if unchanged is not None:
        return unchanged
    extract = Extract(filename, len(data), digest, "csv")
    return load_street(engine, extract, parsed, problems, user, progress)


def _load_bytes(
    filename: str, data: bytes, engine: Engine, user: str | None, progress: Progress
) -> LoadResult:
    try:
        street = police_uk.sniff(filename, data)
    except ExtractUnreadable as exc:
        digest = file_digest(data)
        return _unchanged(engine, filename, digest) or rejected(
            engine, filename, len(data), digest, None, [exc.problem], user
        )
    if street is not None:
        return _load_street(filename, data, street, engine, user, progress)
    digest = file_digest(data)
    unchanged = _unchanged(engine, filename, digest)
    if unchanged is not None:
        return unchanged
    progress("reading")
    problems = ProblemList(config.max_problems())
    try:
        extract = read_bytes(filename, data, problems.limit)
    except ExtractUnreadable as exc:
        return rejected(engine, filename, len(data), digest, None, [exc.problem], user)
    problems.extend(extract.problems)
    progress("checking")
    wards = store.areas.ward_reference(engine)
    match formats.detect(
        extract, problems, date.today(), wards, queries.partnership_frequencies(engine)
    ):
        case CrimeFile() as parsed:
            return load_crime(engine, extract, parsed, problems, user, progress)
        case TemplateFile() as parsed:
            return load_template(engine, extract, parsed, problems, user, progress)
        case PopulationFile() as parsed:
            return load_population(engine, extract, parsed, problems, user, progress)
        case BoundaryFile() as parsed:
            return load_boundaries(engine, extract, parsed, problems, user, progress)
        case LookupFile() as parsed:
            return load_lookup(engine, extract, parsed, problems, user, progress)
    items = [*problems.final(), formats.unknown_layout(extract)]
    return rejected(engine, filename, len(data), digest, None, items, user)
