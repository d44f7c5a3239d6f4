"""Council templates (.xlsx): serious youth violence, IOM, MoJ proven reoffending, Prevent WRAP
training and Hate Crime Reporting Centres.

Each template is declared once (``spec.py`` and one module per template); the writer
(``etl/templates_write.py``), the validator (``validate.py``), the loader
(``etl/load_templates.py``) and the revert (``etl/revert.py``) all read that declaration.
"""

from __future__ import annotations

import pandas as pd

from etl.errors import ProblemList
from etl.formats.templates import (
    iom,
    partnership,
    reoffending,
    reporting_centres,
    syv,
    validate,
    wrap,
)
from etl.formats.templates.spec import SheetSpec, TemplateSpec
from etl.read import Extract, Sheet

TEMPLATES: tuple[TemplateSpec, ...] = (
    syv.TEMPLATE,
    iom.TEMPLATE,
    reoffending.TEMPLATE,
    wrap.TEMPLATE,
    reporting_centres.TEMPLATE,
    partnership.TEMPLATE,
)

Detected = tuple[TemplateSpec, dict[str, Sheet]]


def detect(extract: Extract) -> Detected | None:
    """Which template a file is (by data sheet name, else header), with its data sheets."""
    return validate.detect(extract, TEMPLATES)


def parse(
    detected: Detected, problems: ProblemList, known: dict | None = None
) -> dict[str, pd.DataFrame]:
    """Validated rows per data sheet name; problems collected in ``problems``. ``known``: what
    the template's checks across sheets compare with (the partnership indicators defined)."""
    template, sheets = detected
    frames = validate.parse(template, sheets, problems)
    if template.check is not None and not problems.has_errors:
        problems.extend(template.check(frames, known or {}))
    return frames


def by_name(name: str) -> TemplateSpec:
    """A template by its layout name ('council-iom')."""
    return next(t for t in TEMPLATES if t.name == name)


def sheet_spec(template: TemplateSpec, sheet_name: str) -> SheetSpec:
    """A template's data sheet by its name."""
    return next(s for s in template.sheets if s.name == sheet_name)


ILLUSTRATIVE_MARK = "ILLUSTRATIVE FIGURES"  # how the shipped samples say their figures are made up
WHOLE_FILE = "Instructions"  # the sheet an illustrative flag names when it is the whole file's


def illustrative_sheets(extract: Extract, template: TemplateSpec) -> list[str]:
    """The sheets whose figures the file's Instructions say are illustrative (made up): a line
    "'WRAP audiences': ILLUSTRATIVE FIGURES ..." names that data sheet alone, a line with the
    mark and no sheet named says it of the whole file (``[WHOLE_FILE]``); [] when none."""
    grid = extract.grids.get(WHOLE_FILE)
    if grid is None:
        return []
    lines = [v for v in grid.to_numpy().ravel() if isinstance(v, str) and ILLUSTRATIVE_MARK in v]
    named = [s.name for s in template.sheets]
    sheets = []
    for line in lines:
        sheet = next((n for n in named if line.strip().startswith(f"'{n}':")), None)
        if sheet is None:
            return [WHOLE_FILE]
        sheets.append(sheet)
    return list(dict.fromkeys(sheets))
