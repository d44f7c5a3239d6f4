"""The accepted layout a header is nearest, so the 'unknown layout' message can say which
columns are missing instead of listing every layout."""

from __future__ import annotations

import re
from collections.abc import Sequence

from etl.formats import mps_crime, mps_dashboard, population, templates

DASHBOARD_COLUMNS = [
    "Month_Year",
    "Area Type",
    "Area name",
    "Area code",
    "Offence Group",
    "Offence Subgroup",
    "Measure",
    "Count",
]


def _loose(heading) -> str:
    """A heading without case, spaces or punctuation ('Major Text' and 'MajorText' agree)."""
    return re.sub(r"[^a-z0-9]", "", str(heading).lower())


def layouts() -> list[tuple[str, list[str]]]:
    """(label, expected columns) of every tabular layout we accept."""
    found = [(layout.label, layout.columns) for layout in mps_crime.LAYOUTS]
    found.append((mps_dashboard.LABEL, DASHBOARD_COLUMNS))
    found.append((population.ONS_LONG.label, ["ladcode", "laname", "Category", "Year", "Sum"]))
    found.append((population.TEMPLATE.label, population.TEMPLATE_COLUMNS))
    for template in templates.TEMPLATES:
        found += [(template.label, list(s.required_headings)) for s in template.sheets]
    return found


def nearest(headers: Sequence[Sequence[str]]) -> tuple[str, list[str], list[str]] | None:
    """(label, its columns this file lacks, this file's headings nearly those) of the layout
    whose columns the headers (one per table or sheet) have the most of, loosely compared; None
    when no layout has half its columns there."""
    best, best_share = None, 0.5
    for header in headers:
        loose = {_loose(h): str(h) for h in header}
        exact = {str(h).strip().lower() for h in header}
        for label, columns in layouts():
            share = sum(_loose(c) in loose for c in columns) / len(columns)
            if share >= best_share and (best is None or share > best_share):
                missing = [c for c in columns if c.strip().lower() not in exact]
                near = [loose[_loose(c)] for c in missing if _loose(c) in loose]
                best, best_share = (label, missing, near), share
    return best
