"""Rounding as the board pack does it: one decimal place, halves away from zero (Excel's ROUND)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Number = int | float


def as_decimal(value: Number) -> Decimal:
    """Decimal of the value as printed, so 0.15 is 0.15 and not its binary neighbour."""
    return Decimal(str(value))


def round_1dp(value: Decimal) -> float:
    """One decimal place, halves away from zero as Excel's ROUND does in the board pack."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0  # no -0.0


def percent_1dp(part: Number, whole: Number) -> float:
    """part / whole x 100 to one decimal place, halves away from zero."""
    return round_1dp(as_decimal(part) / as_decimal(whole) * 100)
