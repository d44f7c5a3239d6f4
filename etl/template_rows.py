"""A council template sheet's rows as its database table holds them, and as its history keeps
them (key and values as JSON): shared by loading, previewing and reverting."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Table

PROVENANCE = ("upload_id", "source_sheet", "source_row")


def python_value(value: object) -> object:
    """A value as the database driver and JSON take it (no numpy scalars, no NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def json_value(value: object) -> object:
    """A value as template history JSON holds it (dates as ISO text)."""
    value = python_value(value)
    return value.isoformat() if isinstance(value, date) else value


def key_json(key: dict) -> str:
    """A key as canonical JSON text (sorted, ISO dates), so equal keys compare equal."""
    return json.dumps({k: json_value(v) for k, v in key.items()}, sort_keys=True)


def records(table: Table, frame: pd.DataFrame, upload_id: int) -> list[dict]:
    """A sheet's validated rows as rows of its table, from ``upload_id``."""
    columns = [c.name for c in table.columns if c.name in frame.columns]
    rows = frame[columns].to_dict("records")
    return [
        {**{k: python_value(v) for k, v in row.items()}, "upload_id": upload_id} for row in rows
    ]


def by_key(rows: list[dict], key: tuple[str, ...]) -> dict[tuple, dict]:
    """Rows by their key tuple."""
    return {tuple(r[k] for k in key): r for r in rows}


def changed_count(
    table: Table, key: tuple[str, ...], held: list[dict], new_by_key: dict[tuple, dict]
) -> int:
    """How many held rows the new rows would replace with different figures."""
    figures = [c.name for c in table.columns if c.name not in key and c.name not in PROVENANCE]
    # only the columns the new rows give (a definition also holds who retired it, and when)
    return sum(
        any(
            python_value(row[c]) != new[c]
            for new in [new_by_key[tuple(row[k] for k in key)]]
            for c in figures
            if c in new
        )
        for row in held
    )
