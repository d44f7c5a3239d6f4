"""One module per source format, and ``detect``: which layout a file is, and its checked tables.

Loading and previewing both call ``detect``, so a file is recognised and checked one way. The
order matters: the ONS LSOA lookups, MPS crime layouts (borough and ward files, then the MPS monthly dashboard), then
the council templates, then population estimates; a JSON file is ward boundaries. police.uk
street-level files are found (``police_uk.sniff``) before a file is read whole, being read a chunk
at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from etl.errors import WARNING, Problem, ProblemList, problem
from etl.formats import (
    boundaries,
    closest,
    lsoa_lookups,
    mps_crime,
    mps_dashboard,
    police_uk,
    population,
    templates,
)
from etl.formats.boundaries import BoundaryFile
from etl.formats.lsoa_lookups import LookupFile
from etl.formats.mps_crime import CrimeTable
from etl.formats.population import PopulationLayout
from etl.formats.templates.spec import TemplateSpec
from etl.read import Extract
from etl.wards import WardReference

TABULAR = ("csv", "xlsx")


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


Parsed = CrimeFile | PopulationFile | TemplateFile | BoundaryFile | LookupFile


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
    extract: Extract,
    problems: ProblemList,
    today: date,
    wards: WardReference,
    indicators: dict[str, str] | None = None,
) -> Parsed | None:
    """The file's layout and its checked tables (problems go in ``problems``; ward codes checked
    against ``wards``, except in the files that are the ward reference; partnership values against
    the ``indicators`` defined, name -> frequency); None: unknown."""
    if boundaries.is_boundaries(extract):
        return boundaries.parse(extract, problems, wards)
    lookup = lsoa_lookups.detect(extract)
    if lookup is not None:
        return lsoa_lookups.parse(lookup, extract, problems)
    tables = _crime_tables(extract, problems, today, wards)
    if tables is not None:
        return CrimeFile(tables)
    found = templates.detect(extract)
    if found:
        parsed = TemplateFile(found[0], templates.parse(found, problems, indicators))
        for sheet in templates.illustrative_sheets(extract, found[0]):  # kept on the upload
            problems.add(illustrative_problem(sheet))
        return parsed
    layout_sheets = population.detect(extract)
    if layout_sheets:
        layout, sheets = layout_sheets
        return PopulationFile(layout, population.parse(layout, sheets, problems, wards))
    return None


def illustrative_problem(sheet: str) -> Problem:
    """The warning that a sheet's figures (the whole file's: ``templates.WHOLE_FILE``) are
    illustrative, in the preview's words and kept on the upload (the pages read it)."""
    what = (
        "This file says its" if sheet == templates.WHOLE_FILE else f"The sheet '{sheet}' says its"
    )
    return problem("illustrative-figures", sheet=sheet, severity=WARNING, what=what)


def layout_labels() -> list[str]:
    """Every layout we accept, as the Upload page lists them."""
    return [
        *[layout.label for layout in mps_crime.LAYOUTS],
        mps_dashboard.LABEL,
        *[layout.label for layout in population.LAYOUTS],
        *[template.label for template in templates.TEMPLATES],
        boundaries.LABEL,
        police_uk.LABEL,
        lsoa_lookups.WARDS_LABEL,
        lsoa_lookups.CHANGES_LABEL,
    ]


def layout_names() -> dict[str, str]:
    """Each layout's code, as the upload log records it, -> its name in words ('council-syv' ->
    'Serious youth violence template'): the label without its list of columns."""
    pairs = [
        *[(layout.name, layout.label) for layout in mps_crime.LAYOUTS],
        (mps_dashboard.NAME, mps_dashboard.LABEL),
        *[(layout.name, layout.label) for layout in population.LAYOUTS],
        *[(template.name, template.label) for template in templates.TEMPLATES],
        (boundaries.LAYOUT, boundaries.LABEL),
    ]
    return {code: label.split(" (")[0] for code, label in pairs}


def unknown_layout(extract: Extract | None = None) -> Problem:
    """The problem for a file whose header matches no layout (reported on the header row): the
    nearest layout and the columns it lacks, or how many layouts there are and where they are
    listed (the whole list was 1,400 characters no one read)."""
    sheets = mps_crime.header_sheets(extract) if extract and extract.kind in TABULAR else []
    found = closest.nearest([list(s.frame.columns) for s in sheets])
    if found is None:
        count = len(layout_labels())
        detail = f" (any of {count}: the Upload page lists them, with templates to fill in)"
    else:
        label, missing, near = found
        detail = f". The nearest is {label}; this file has no column {_either(missing)}"
        if near:
            detail += f" (it has {_both(near)}: write the headings exactly as shown)"
    return problem("unknown-layout", row=1, detail=detail)


def _either(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def _both(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
