"""One module per source format, and ``detect``: which layout a file is, and its checked tables.

Loading and previewing both call ``detect``, so a file is recognised and checked one way. The
order matters: MPS crime layouts (borough and ward files, then the MPS monthly dashboard), then
the council templates, then population estimates; a JSON file is ward boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from etl.errors import WARNING, Problem, ProblemList, problem
from etl.formats import boundaries, mps_crime, mps_dashboard, population, templates
from etl.formats.boundaries import BoundaryFile
from etl.formats.mps_crime import CrimeTable
from etl.formats.population import PopulationLayout
from etl.formats.templates.spec import TemplateSpec
from etl.read import Extract
from etl.wards import WardReference


@dataclass
class CrimeFile:
    """MPS crime figures: one table (a borough or ward file) or one per dashboard measure."""

    tables: list[CrimeTable]  # empty when the file's layout was found but failed its checks

    @property
    def layout(self) -> str | None:
        """The layout name (None when no table passed its checks)."""
        return self.tables[0].layout.name if self.tables else None


@dataclass
class PopulationFile:
    """Population estimates, one row per area and year."""

    layout: PopulationLayout
    frame: pd.DataFrame


@dataclass
class TemplateFile:
    """A council template: validated rows per data sheet."""

    template: TemplateSpec
    frames: dict[str, pd.DataFrame]


Parsed = CrimeFile | PopulationFile | TemplateFile | BoundaryFile


def _crime_tables(
    extract: Extract, problems: ProblemList, today: date, wards: WardReference
) -> list[CrimeTable] | None:
    """Crime tables from whichever wide or long MPS layout the file is in (None: neither)."""
    crime_sheets = mps_crime.candidate_sheets(extract)
    if crime_sheets:
        tables = [mps_crime.parse_sheet(s, problems, today) for s in crime_sheets]
        return [t for t in tables if t is not None][:1]  # the first sheet holding a table
    for sheet in mps_crime.header_sheets(extract):
        if mps_dashboard.is_dashboard(list(sheet.frame.columns)):
            return mps_dashboard.parse_sheet(sheet, problems, today, wards)
    return None


def detect(
    extract: Extract, problems: ProblemList, today: date, wards: WardReference
) -> Parsed | None:
    """The file's layout and its checked tables (problems go in ``problems``; ward codes checked
    against ``wards``, except in the files that are the ward reference); None: unknown."""
    if boundaries.is_boundaries(extract):
        return boundaries.parse(extract, problems, wards)
    tables = _crime_tables(extract, problems, today, wards)
    if tables is not None:
        return CrimeFile(tables)
    found = templates.detect(extract)
    if found:
        parsed = TemplateFile(found[0], templates.parse(found, problems))
        if templates.declares_illustrative(extract):  # said in the preview, kept on the upload
            problems.add(problem("illustrative-figures", sheet="Instructions", severity=WARNING))
        return parsed
    layout_sheets = population.detect(extract)
    if layout_sheets:
        layout, sheets = layout_sheets
        return PopulationFile(layout, population.parse(layout, sheets, problems, wards))
    return None


def accepted_layouts() -> str:
    """Every layout we accept, as the 'unknown layout' message lists them."""
    return "; ".join(
        [
            mps_crime.accepted_layouts(),
            *[layout.label for layout in population.LAYOUTS],
            templates.accepted_layouts(),
            boundaries.LABEL,
        ]
    )


def unknown_layout() -> Problem:
    """The problem for a file whose header matches no layout (reported on the header row)."""
    return problem("unknown-layout", row=1, accepted=accepted_layouts())
