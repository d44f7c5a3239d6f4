"""Which loaded figures are illustrative: made up to show how a council template looks (the
shipped samples say so in their Instructions, for the whole file or for one sheet), kept on the
upload as its 'illustrative-figures' warning naming the sheet (``etl.formats``).

A table's figures are illustrative while it holds rows from such an upload: loading the real
return over them (or reverting the sample) removes the mark. The pages, the exports and the
board pack all ask here, once per data version.
"""

from __future__ import annotations

from sqlalchemy import Engine

from core import db, queries
from dashboard import cache
from dashboard.memo import engine_url, memoized
from dashboard.ui.notices import ILLUSTRATIVE_MARK, ILLUSTRATIVE_SENTENCE
from etl.formats import templates

CODE = "illustrative-figures"


def flagged(engine: Engine | None = None) -> frozenset[tuple[int, str]]:
    """(upload id, table) for every council-template table holding rows from an upload whose
    file says those figures are illustrative."""
    engine = engine or cache.engine()
    return _flagged(engine_url(engine), cache.data_version(engine))


def tables(engine: Engine | None = None) -> frozenset[str]:
    """The tables (``syv_counts``, ``wrap_audiences``, ...) whose figures are illustrative."""
    return frozenset(table for _, table in flagged(engine))


def uploads(table: str, engine: Engine | None = None) -> frozenset[int]:
    """The uploads whose rows in ``table`` are illustrative (a figure's ``source_upload``)."""
    return frozenset(upload for upload, name in flagged(engine) if name == table)


def shown(*names: str) -> bool:
    """Whether any of the tables ``names`` (the figures a page or section shows) is flagged."""
    return bool(tables() & set(names))


def _sheet_tables(layout: str, sheet: str) -> set[str]:
    """The tables a flag on ``sheet`` of a ``layout`` file covers (every sheet's: the file's)."""
    try:
        template = templates.by_name(layout)
    except StopIteration:  # a layout no longer known: nothing to mark
        return set()
    return {s.table for s in template.sheets if sheet in (templates.WHOLE_FILE, s.name)}


@memoized(maxsize=8)
def _flagged(url: str, version: int) -> frozenset[tuple[int, str]]:
    engine = db.get_engine(url)
    warned = queries.warned_sheets(engine, CODE)
    if warned.empty:
        return frozenset()
    said = {
        (int(upload), table)
        for upload, layout, sheet in warned.itertuples(index=False)
        for table in _sheet_tables(
            str(layout), sheet if isinstance(sheet, str) else templates.WHOLE_FILE
        )
    }
    held = queries.template_rows_held(engine, sorted({u for u, _ in said}))
    return frozenset(
        (int(u), str(t)) for u, t in zip(held["upload_id"], held["table"], strict=True)
    ) & frozenset(said)


SYV = ("syv_counts", "syv_summary")  # the serious youth violence template's tables


def mark(label: str, *names: str) -> str:
    """``label`` with "(illustrative)" after it when any of the tables ``names`` is flagged."""
    return label + ILLUSTRATIVE_MARK if shown(*names) else label


def sentence(text: str, *names: str) -> str:
    """A page's sentence about the tables ``names`` followed by "(Illustrative figures: made
    up, not real.)" when any of them is flagged ('' stays '')."""
    return f"{text} {ILLUSTRATIVE_SENTENCE}" if text and shown(*names) else text
