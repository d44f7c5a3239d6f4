"""domain.hate_crime: the MPS recording-system break, outcome rates and the wards of a strand."""

from __future__ import annotations

import pytest

from core.months import as_month
from domain.hate_crime import spans_break


@pytest.mark.parametrize(
    ("end", "length", "spans"),
    [
        ("2024-02", 12, False),  # the last window wholly on the old system
        ("2024-03", 12, True),
        ("2025-01", 12, True),
        ("2025-02", 12, False),  # the first window wholly on the new system
        ("2025-02", 24, True),  # R12 against P12: the two windows sit either side
        ("2026-02", 24, False),
        ("2023-12", 24, False),
    ],
)
def test_spans_break(end, length, spans):
    assert spans_break(as_month(end), length) is spans
