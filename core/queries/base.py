"""What every query module shares: rows into a DataFrame, months as text and back."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, String, cast


def read_frame(engine: Engine, query, columns: list[str] | None = None) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(query)
        names = columns or list(result.keys())
        rows = result.all()
    # column-wise construction: pandas probes each Row object otherwise (10x slower)
    if not rows:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
    return pd.DataFrame(dict(zip(names, zip(*rows, strict=True), strict=True)))


def as_months(text: pd.Series) -> pd.Series:
    """ISO month text from the database -> Timestamps (also for an empty result)."""
    return pd.to_datetime(text.astype("string").str[:10])


def month_text(column):
    # months as ISO text: converting 100k+ dates row by row in Python is the slow part
    return cast(column, String).label("month")
