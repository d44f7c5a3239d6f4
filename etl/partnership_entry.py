"""A partnership indicator's value typed into the form by an analyst (or ``python -m dashboard
indicators value``): written as a one-row partnership template and loaded like any upload, so it
is checked the same way (its indicator defined, its period as its frequency asks, a number),
shows in the Data history with who and when, and can be reverted."""

from __future__ import annotations

from sqlalchemy import Engine

from core import db
from etl.formats.templates import partnership
from etl.load import load_bytes
from etl.result import LoadResult
from etl.templates_write import workbook, workbook_bytes


def enter_value(
    engine: Engine,
    indicator: str,
    period: str,
    value: object,
    note: str | None = None,
    user: str | None = None,
) -> LoadResult:
    """Load one value for an indicator and period; the result says what happened (or why not)."""
    row = {"indicator": indicator, "period": str(period).strip(), "value": value, "note": note}
    # when, on the Instructions sheet: typing back an earlier value is a new upload, not the
    # earlier one's bytes (which the loader would call "already loaded")
    about = (f"Typed in by {user or 'an analyst'} at {db.utc_now():%Y-%m-%d %H:%M:%S.%f}.",)
    rows = {partnership.VALUES.name: [row]}
    data = workbook_bytes(workbook(partnership.TEMPLATE, rows, about))
    name = f"partnership value typed in by {user or 'an analyst'}.xlsx"
    return load_bytes(name, data, engine, user)
