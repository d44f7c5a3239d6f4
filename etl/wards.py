"""The ward reference (which wards each London borough has) and the check of a file's ward rows
against it: a ward code that is not a ward of the borough its row names is an error, so a typing
slip (`E05099999` under Barnet) can never become a ward in the ward list.

The reference is the MPS ward crime files already loaded (their (ward code, borough) pairs)
and the ward boundaries loaded (etl/formats/boundaries.py), which ``store.areas.ward_reference``
adds to the same ``WardReference``; ``WardReference.wards_of`` stays the one place deciding "the
known wards of borough X". A file that is itself the reference (an MPS ward crime file) is never
checked against it; a boundary file is (its wards must be in the crime files' list, whole).

With no ward list covering a borough yet (a fresh database given a dashboard file before any MPS
ward file), its ward codes cannot be checked: the file loads, with one warning per borough saying
so. Rejecting it would make the order of loads matter to the analyst for no gain; taking the file
as the reference would let a mistyped code define a ward. The first-run seed loads the MPS ward
files first, so its other ward rows are checked.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from core import reference
from etl.errors import WARNING, ProblemList, problem

REFERENCE_DATASET = "ward_crime"  # the MPS ward crime files: the ward reference


@dataclass(frozen=True)
class WardReference:
    """Known ward codes per borough code, and where the list came from (for messages)."""

    by_borough: Mapping[str, frozenset[str]] = field(default_factory=dict)
    source: str = "from the MPS ward crime files loaded"
    names: Mapping[str, str] = field(default_factory=dict)  # ward code -> name, for messages

    def wards_of(self, borough: str | None) -> frozenset[str] | None:
        """The known wards of ``borough`` (of every borough when None); None: no list for it."""
        if borough is None:
            return self._every or None
        return self.by_borough.get(borough)

    @functools.cached_property
    def _every(self) -> frozenset[str]:
        return frozenset().union(*self.by_borough.values())


def reference_from_pairs(pairs: pd.DataFrame, source: str) -> WardReference:
    """A reference from (code, borough) rows, with the wards' names where a ``name`` column
    gives them."""
    by_borough = pairs.groupby("borough")["code"].agg(frozenset).to_dict()
    names = dict(zip(pairs["code"], pairs["name"], strict=True)) if "name" in pairs else {}
    return WardReference(by_borough, source, names)


def check_ward_rows(
    wards: pd.DataFrame,
    known: WardReference,
    problems: ProblemList,
    sheet: str | None,
    column: str,
) -> None:
    """Errors for ward codes that are not wards of their row's borough (one per code and
    borough, at its first row); warnings where no list covers the borough.

    ``wards``: one row per file row with a ward code: code, borough (the code of the borough the
    row names, or None), label (the borough's or team's name, None if the row names neither) and
    row.
    """
    if wards.empty:
        return
    groups = wards.groupby(["borough", "code"], dropna=False, sort=False).agg(
        first=("row", "min"), rows=("row", "size"), label=("label", "first")
    )
    unchecked: dict[object, int] = {}
    for (borough, code), found in groups.sort_values("first").iterrows():
        borough = None if pd.isna(borough) else borough
        listed = known.wards_of(borough)
        if listed is None:
            unchecked.setdefault(found["label"], int(found["first"]))
        elif code not in listed:
            problems.add(_unknown(code, borough, found, known, sheet, column))
    for label, first in unchecked.items():
        named = isinstance(label, str) and label
        problems.add(
            problem(
                "wards-not-checked",
                sheet=sheet,
                row=first,
                column=column,
                value=label if named else None,
                where=f"under {label}" if named else "in this file",
                severity=WARNING,
            )
        )


def _unknown(code, borough, found, known: WardReference, sheet, column):
    more = int(found["rows"]) - 1
    return problem(
        "unknown-ward",
        sheet=sheet,
        row=int(found["first"]),
        column=column,
        value=code,
        borough=reference.LONDON_AUTHORITIES.get(borough, "any London borough"),
        source=known.source,
        more=f"; it is on {more:,} more row{'s' if more > 1 else ''}" if more else "",
    )
