"""What an exemption withholds: an exempt indicator, and every total that includes it.

A total that includes an exempt part is itself exempt for the roles the part is hidden from
(README, *Exempt items*): otherwise the part is the total less the visible parts. Defined once
here; ``dashboard.auth.exempt.hidden`` applies it, so pages, exports, ranks and sentences follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.reference import (
    HATE_CRIME_TOTAL,
    HATE_STRAND_PARTS,
    HATE_STRANDS,
    MOPAC7_TOTAL,
    MOPAC7_TYPES,
    OVERALL_CRIME,
)

# each total and every indicator it includes (the parts of parts too, so one look-up suffices)
TOTALS: dict[str, frozenset[str]] = {
    MOPAC7_TOTAL: frozenset(MOPAC7_TYPES),
    OVERALL_CRIME: frozenset({*MOPAC7_TYPES, MOPAC7_TOTAL}),
    HATE_CRIME_TOTAL: frozenset(HATE_STRANDS),
    **HATE_STRAND_PARTS,
}


def withheld(hidden: Iterable[str]) -> set[str]:
    """The exempt indicators ``hidden`` and every total that includes one of them."""
    names = set(hidden)
    return names | {total for total, parts in TOTALS.items() if parts & names}
