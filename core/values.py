"""The one rule for 'no figure', shared by every floor."""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    """None, NaN, NA and NaT all mean 'no figure', whatever layer produced them."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))
