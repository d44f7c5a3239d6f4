"""core.months: a month parsed once, in whatever form it arrives."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from core.months import as_month


@pytest.mark.parametrize(
    "value",
    [
        "2024-03",
        "202403",
        " 202403 ",
        202403,
        "2024-03-31",
        date(2024, 3, 15),
        datetime(2024, 3, 31, 23, 59),
        pd.Timestamp("2024-03-31 13:00"),
        pd.Period("2024-03", freq="M"),
    ],
)
def test_month_start_accepts_every_month_form(value):
    assert as_month(value) == pd.Timestamp("2024-03-01")


def test_month_start_rejects_month_13():
    with pytest.raises(ValueError):
        as_month("202413")
