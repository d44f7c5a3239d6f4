"""The one definition of a council template, shared by the template writer, validator and loader.

A template is a workbook with an Instructions sheet and one or more data sheets. Each data sheet
has a header on row 1 and one row per key; its fields say how a cell is read and checked, which
list of fixed values it takes (also an Excel drop-down) and what it means, in DOMAIN.md's words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core import partnership, reference
from core.reference import HATE_STRANDS, WRAP_AUDIENCES
from core.reporting_periods import FREQUENCIES
from core.strategy import STRATEGY_PRIORITIES

# Field kinds: how a cell is read and checked (validate.py), and its Excel validation.
TEXT = "text"
COUNT = "count"  # whole number, 0 or more
NUMBER = "number"  # decimal, 0 or more (rates)
RANK = "rank"  # whole number from 1 to 32 (London rank)
MONTH = "month"  # a calendar month, stored as its first day
DATE = "date"
QUARTER = "quarter"  # financial-year quarter '2022/23 Q3'
CHOICE = "choice"  # one of a fixed list
BOROUGH = "borough"  # a London borough's name (or GSS code), stored as its code

CRIME_OR_INCIDENT = ["Crime", "Incident"]
ADULT_OR_JUVENILE = ["Adult", "Juvenile"]
# ILLUSTRATIVE placeholders: the real list is the 12 centres named in the 2022/23 Hate Crime
# Reporting Centres annual report, which is not in this repository. Replace these names with
# those (a centre off the list is loaded with a warning, never refused, for that reason).
REPORTING_CENTRES = [
    "Burnt Oak community library",
    "Chipping Barnet community library",
    "Childs Hill community project",
    "Colindale community hub",
    "East Finchley LGBT+ group",
    "Edgware youth centre",
    "Finchley interfaith centre",
    "Friern Barnet community centre",
    "Golders Green advice centre",
    "Hendon disability advice service",
    "Mill Hill community centre",
    "New Barnet housing office",
]
REPORTING_CENTRES_ILLUSTRATIVE = True


def financial_quarters(first_year: int = 2015, last_year: int = 2034) -> list[str]:
    """Quarter labels for the Excel drop-down: '2015/16 Q1' ... '2034/35 Q4'."""
    return [
        f"{y}/{(y + 1) % 100:02d} Q{q}"
        for y in range(first_year, last_year + 1)
        for q in (1, 2, 3, 4)
    ]


# The fixed lists: written to the hidden 'Lists' sheet and checked on upload.
LISTS: dict[str, list[str]] = {
    "London boroughs": reference.borough_names(),
    "hate crime strands": HATE_STRANDS,
    "crime or incident": CRIME_OR_INCIDENT,
    "adult or juvenile": ADULT_OR_JUVENILE,
    "WRAP audiences": WRAP_AUDIENCES,
    "Hate Crime Reporting Centres": REPORTING_CENTRES,
    "financial quarters": financial_quarters(),
    "strategy priorities": list(STRATEGY_PRIORITIES.values()),
    "units": list(partnership.UNITS),
    "frequencies": list(FREQUENCIES),
    "directions": list(partnership.DIRECTIONS),
    "yes or no": list(partnership.ADDITIVE),
}


@dataclass(frozen=True)
class Field:
    """One column of a data sheet."""

    heading: str  # as written in row 1 of the template
    name: str  # the database column
    kind: str
    help: str  # what to write, with the DOMAIN definition
    required: bool = True
    choices: str | None = None  # a LISTS name (CHOICE and BOROUGH fields)
    strict: bool = True  # CHOICE: a value off the list is an error (False: a warning)
    aliases: tuple[str, ...] = ()  # other headings accepted (other publishers' spellings)
    width: int = 16
    as_text: bool = False  # the column formatted as text, so Excel keeps '2025-03' as typed

    def accepts(self, heading: str) -> bool:
        key = normalise_heading(heading)
        return key in {normalise_heading(h) for h in (self.heading, *self.aliases)}


@dataclass(frozen=True)
class Rule:
    """On a row where both are given, ``small`` may not exceed ``big`` (else ``code``)."""

    code: str
    small: str
    big: str


@dataclass(frozen=True)
class SheetSpec:
    """A data sheet: its fields, the key a newer upload replaces by, and the table it fills."""

    name: str
    table: str
    description: str  # one row per ...
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    example: dict[str, object]  # field name -> value, shown on the Instructions sheet
    rules: tuple[Rule, ...] = ()
    derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # computed columns
    period: str | None = None  # the date field giving the upload's months covered
    # definitions (reference data the manager also edits: core.partnership), not figures: written
    # as changes to them, never withdrawn by a revert
    definitions: bool = False
    period_months: int = 1  # how many months one period covers (a quarter: 3)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def required_headings(self) -> list[str]:
        return [f.heading for f in self.fields if f.required]


@dataclass(frozen=True)
class TemplateSpec:
    """A council template: one workbook, written by ``etl templates``, read by ``etl load``."""

    name: str  # the layout name recorded in the upload log
    label: str  # how the 'unknown layout' message names it
    dataset: str
    filename: str  # in data/templates/
    title: str
    purpose: tuple[str, ...]  # paragraphs for the Instructions sheet
    sheets: tuple[SheetSpec, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)  # extra instructions
    # checks across sheets and against what is held: (frames, known) -> problems; ``known`` is
    # what the loader read for it (partnership indicators: each defined one's frequency)
    check: Callable[[dict[str, pd.DataFrame], dict], list] | None = None


def normalise_heading(text: object) -> str:
    """Headings compare without case, spacing or punctuation differences."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())
