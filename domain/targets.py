"""Targets (DOMAIN.md "RAG"): which target is in force for a window, the figure it asks for and
the RAG it gives. Pure: the targets the manager set arrive as ``Target`` values (read by the
caller from the database), never read here.

A target is one of three kinds, each with a direction (lower is better for crime, higher for
training coverage and positive outcomes):

- ``baseline``: ``value`` percent better than the 2011/12 baseline (MOPAC7's default: 20% below);
  Amber = better than the baseline, Red = at or worse than it.
- ``previous``: ``value`` percent better than the previous 12 months; Amber = better than the
  previous 12 months, Red = at or worse than them (DOMAIN.md).
- ``absolute``: ``value`` itself for the 12 months. DOMAIN.md does not say what it is judged
  against; we judge it against the previous 12 months, as a manager reads "3,000 this year":
  Amber = not there yet but better than last year, Red = no better than last year. (Most
  indicators with such a target, SYV or knife crime, have no 2011/12 figure at all.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.months import Month
from core.reference import HATE_CRIME_TOTAL, MOPAC7_TOTAL, MOPAC7_TYPES, OVERALL_CRIME
from core.values import is_missing
from domain.priorities import KNIFE_INDICATORS, SYV
from domain.rounding import as_decimal

KINDS = ("baseline", "previous", "absolute")
DIRECTIONS = ("lower", "higher")
BASELINE_YEAR = 2011  # FY2011/12: the default target applies from the baseline year on
MOPAC7_INDICATORS = (*MOPAC7_TYPES, MOPAC7_TOTAL)
# Indicators with a 12-month count a target can be set on: the MOPAC7, overall crime (no default
# target), serious youth violence, knife crime and the MPS hate crime total.
TARGET_INDICATORS = (*MOPAC7_INDICATORS, OVERALL_CRIME, SYV, *KNIFE_INDICATORS, HATE_CRIME_TOTAL)
TARGET_COLUMNS = [
    "target",
    "target_kind",
    "target_value",
    "target_direction",
    "target_from",
    "target_reference",
]


@dataclass(frozen=True)
class Target:
    """One target: for ``indicator`` in ``area_code`` (None: every area), from the financial year
    starting in April ``from_year`` (2025 = 2025/26) on."""

    indicator: str
    kind: str = "baseline"
    value: float = 20.0  # a percent for baseline and previous; the 12 months' figure for absolute
    direction: str = "lower"
    from_year: int = BASELINE_YEAR
    area_code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")
        if is_missing(self.value) or float(self.value) < 0:
            raise ValueError(f"a target's value is a number of at least 0, not {self.value!r}")
        if self.kind != "absolute" and float(self.value) >= 100 and self.direction == "lower":
            raise ValueError("a percent below must be under 100")

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower"


def default_target(indicator: str) -> Target | None:
    """MOPAC's challenge for the MOPAC7 types and total (20% below 2011/12); none otherwise."""
    return Target(indicator) if indicator in MOPAC7_INDICATORS else None


def financial_year_start(month: Month) -> int:
    """The year whose April starts the financial year of ``month`` (Feb 2025 -> 2024)."""
    return month.year if month.month >= 4 else month.year - 1


def in_force(
    targets: list[Target], indicator: str, area_code: str | None, month: Month
) -> Target | None:
    """The target for a window ending ``month``: the latest set one whose financial year has
    begun by then, one for the area beating one for every area; else the default."""
    year = financial_year_start(month)
    found = [
        t
        for t in targets
        if t.indicator == indicator and t.area_code in (None, area_code) and t.from_year <= year
    ]
    if not found:
        return default_target(indicator)
    return max(found, key=lambda t: (t.area_code is not None, t.from_year))


def reference_value(target: Target, baseline, previous):
    """What Amber and Red are judged against: the previous 12 months for a ``previous`` or
    ``absolute`` target, the 2011/12 baseline for a ``baseline`` one."""
    return baseline if target.kind == "baseline" else previous


def target_value(target: Target | None, baseline, previous) -> float | None:
    """The 12 months' figure the target asks for (None when its reference is missing)."""
    if target is None:
        return None
    if target.kind == "absolute":
        return float(target.value)
    reference = reference_value(target, baseline, previous)
    if is_missing(reference):
        return None
    share = as_decimal(target.value) / 100
    factor = 1 - share if target.lower_is_better else 1 + share
    # Decimal gives the figure a person computes (3 x 0.8 = 2.4, not 2.4000000000000004).
    return float(as_decimal(reference) * factor)


def judge(current, target: Target | None, baseline, previous) -> str | None:
    """Green at or better than the target; Amber better than its reference (baseline or previous
    12 months) but not at target; Red at or worse than the reference. None: no target, no
    current figure, or nothing to judge against."""
    goal = target_value(target, baseline, previous)
    reference = reference_value(target, baseline, previous) if target else None
    if target is None or is_missing(current) or goal is None:
        return None
    sign = 1 if target.lower_is_better else -1  # flip so that smaller is always better below
    if sign * float(current) <= sign * goal:
        return "Green"
    if is_missing(reference):
        return None
    return "Amber" if sign * float(current) < sign * float(reference) else "Red"


def apply_targets(table: pd.DataFrame, targets: list[Target], month: Month) -> pd.DataFrame:
    """A copy of an indicator table with each row's target in force (its figure, kind, value,
    direction, first year and reference) and the RAG it gives, replacing the default's.

    Rows of figures as at a date (a ``period``, no 12-month window: IOM, WRAP) keep their own
    RAG and get no target here."""
    if table.empty or "indicator" not in table:
        return table
    out = table.copy()
    windowed = out["period"].isna() if "period" in out else pd.Series(True, index=out.index)
    values = {column: [] for column in [*TARGET_COLUMNS, "rag"]}
    rows = out.reindex(columns=["indicator", "area_code", "r12", "p12", "baseline", "rag"])
    found: dict[tuple, Target | None] = {}  # in force per (indicator, area): asked once each
    for row, is_window in zip(rows.itertuples(index=False), windowed, strict=True):
        key = (row.indicator, row.area_code)
        if is_window and key not in found:
            found[key] = in_force(targets, row.indicator, row.area_code, month)
        target = found[key] if is_window else None
        if target is None:
            for column in TARGET_COLUMNS:
                values[column].append(None)
            values["rag"].append(None if is_window else row.rag)
            continue
        base = None if is_missing(row.baseline) else row.baseline
        prev = None if is_missing(row.p12) else row.p12
        current = None if is_missing(row.r12) else row.r12
        values["target"].append(target_value(target, base, prev))
        values["target_kind"].append(target.kind)
        values["target_value"].append(float(target.value))
        values["target_direction"].append(target.direction)
        values["target_from"].append(target.from_year)
        values["target_reference"].append(reference_value(target, base, prev))
        values["rag"].append(judge(current, target, base, prev))
    for column, column_values in values.items():
        out[column] = pd.Series(column_values, index=out.index, dtype=object)
    return out


def from_rows(rows: pd.DataFrame) -> list[Target]:
    """Targets from the rows the database holds (area_code '' = every area)."""
    return [
        Target(
            indicator=r["indicator"],
            kind=r["kind"],
            value=float(r["value"]),
            direction=r["direction"],
            from_year=int(r["from_year"]),
            area_code=r["area_code"] or None,
        )
        for r in rows.to_dict("records")
    ]


def most_similar_group(groups: pd.DataFrame, default: str | None) -> str | None:
    """The group marked most similar; else ``default`` (the ONS group containing the home
    borough) when it exists; else none."""
    if groups.empty:
        return None
    chosen = groups.loc[groups["most_similar"].fillna(False).astype(bool), "name"]
    if len(chosen):
        return str(chosen.iloc[0])
    return default if default in set(groups["name"]) else None


def parse_financial_year(text: str) -> int:
    """'2025/26' (or '2025') -> 2025, the year whose April starts it; ValueError otherwise."""
    first, slash, second = str(text).strip().partition("/")
    if not first.isdigit() or len(first) != 4:
        raise ValueError(f"a financial year is written 2025/26, not {text!r}")
    year = int(first)
    if slash and (not second.isdigit() or int(second) % 100 != (year + 1) % 100):
        raise ValueError(f"a financial year is written 2025/26, not {text!r}")
    return year


def financial_year_label(year: int) -> str:
    """2025 -> '2025/26'."""
    return f"{year}/{(year + 1) % 100:02d}"


def target_of(record) -> float | None:
    """The 12 months' figure the target in force asks for, from a judged indicator record
    (``apply_targets`` sets ``target``); None when the indicator has no target."""
    target = record.get("target")
    return None if is_missing(target) else float(target)
