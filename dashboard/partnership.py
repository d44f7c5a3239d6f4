"""Partnership indicators' figures, the officer's commentary and the action plans, as the priority
pages, the exports and the board pack read them (one function each, called by all three):

- ``partnership_figures(priority, period)``: one row per indicator of a strategy priority, its
  figures as at the end of ``period`` (domain/partnership.py), kept per data version, definition
  version and reference version (targets);
- ``partnership_history(indicator, period)``: its values over time, for the trend chart;
- ``commentary_for(quarter, priority)``: the commentary in force (the newest version);
- ``actions_for(priority)``: the action plan, each action marked overdue when past its date
  of delivery and not complete.

``priority`` is a strategy priority (slug or name: ``asb``, ``Prevent``) or a board section
(slug or title: ``youth-violence``, ``Reoffending and IOM``: priority 3's; ``crime`` has none). Commentary and actions are read afresh each
time (a few rows): what a manager just saved shows at once.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from core import db, queries, strategy
from core.months import Month
from dashboard import cache
from dashboard.auth import exempt
from dashboard.memo import engine_url, memoized, once_per_request
from domain import partnership as figures_of
from domain.periods import month_end
from domain.targets import from_rows, in_force

DATASET = "partnership_indicators"
COLUMNS = ["indicator", "priority", "unit", "frequency", "direction", "additive", "owner"]


def strategy_priority(priority: str) -> str | None:
    """The strategy priority's slug of a priority or board section (slug or name)."""
    slug = strategy.priority_slug(priority)
    if slug is not None:
        return slug
    section = strategy.board_section(priority)
    return None if section is None else strategy.BOARD_SECTIONS[section][1]


def _version(eng: Engine) -> tuple:
    return (
        cache.data_version(eng),
        once_per_request(queries.partnership_version, eng),
        cache.reference_version(eng),
    )


@memoized(maxsize=8)
def _tables(url: str, version: tuple) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    eng = db.get_engine(url)
    targets = from_rows(queries.targets(eng))
    return queries.partnership_indicators(eng), queries.partnership_values(eng), targets


@memoized(maxsize=8)
def _ends(url: str, version: tuple) -> dict[str, list[date]]:
    """Each indicator's period ends held, oldest first (none missing)."""
    values = _tables(url, version)[1]
    held = values[values["period_end"].notna()]
    return {name: sorted(set(rows)) for name, rows in held.groupby("indicator")["period_end"]}


NONE_HELD = date.min  # no value ends by the day asked: every value is after it


def _held_until(url: str, version: tuple, indicator: str, until: date | None) -> date | None:
    """The last period end of ``indicator`` on or before ``until`` (None: no day given): its
    values to that day are its values to ``until``, so months between two of its periods
    share one computation."""
    if until is None:
        return None
    ends = _ends(url, version).get(indicator, [])
    at = bisect_right(ends, until)
    return ends[at - 1] if at else NONE_HELD


@memoized(maxsize=1024)
def _indicator_figures(url: str, version: tuple, position: int, held: date | None, target) -> dict:
    """``domain.partnership.figures`` of the definition at ``position``, to the day ``held``."""
    definitions, values, _ = _tables(url, version)
    row = definitions.iloc[[position]].to_dict("records")[0]
    indicator = figures_of.indicator_from_row(row)
    mine = values[values["indicator"] == indicator.name]
    return figures_of.figures(indicator, mine, held, target)


@memoized(maxsize=64)
def _figures(url: str, version: tuple, slug: str, until: date | None) -> pd.DataFrame:
    definitions, values, targets = _tables(url, version)
    name = strategy.STRATEGY_PRIORITIES[slug]
    month = Month(pd.Timestamp(until or date.today()).normalize().replace(day=1))
    names = set(values["indicator"])
    rows = []
    positions = np.flatnonzero((definitions["priority"] == name).to_numpy())
    for position, row in zip(
        positions, definitions.iloc[positions].to_dict("records"), strict=True
    ):
        indicator = row["indicator"]
        target = in_force(targets, indicator, None, month) if indicator in names else None
        held = _held_until(url, version, indicator, until)
        found = _indicator_figures(url, version, int(position), held, target)
        rows.append({**{c: row.get(c) for c in COLUMNS}, "source": row.get("source"), **found})
    return pd.DataFrame(rows)


def partnership_figures(
    priority: str, period: Month | None = None, engine: Engine | None = None
) -> pd.DataFrame:
    """One row per indicator of ``priority`` (not retired), its figures as at the end of the
    month ``period`` (None: each one's latest): see ``domain.partnership.figures`` for the
    columns, plus unit, frequency, direction, additive, owner and source. Empty when the
    priority has none, or when partnership indicators are exempt for this user."""
    eng = engine or cache.engine()
    slug = strategy_priority(priority)
    if slug is None and strategy.board_section(priority) is not None:
        return pd.DataFrame(columns=[*COLUMNS, "source", "period"])  # a section with none: crime
    if slug is None:
        raise ValueError(f"No priority called {priority!r}")
    until = None if period is None else month_end(period).date()
    table = _figures(engine_url(eng), _version(eng), slug, until)
    return exempt.visible(table, DATASET)


def partnership_history(
    indicator: str, period: Month | None = None, engine: Engine | None = None
) -> pd.DataFrame:
    """An indicator's values over time (period, value), oldest first, to the end of ``period``."""
    eng = engine or cache.engine()
    url, version = engine_url(eng), _version(eng)
    hidden = {name.casefold() for name in exempt.hidden("indicator")}
    withheld = DATASET in exempt.hidden("dataset") or indicator.casefold() in hidden
    until = None if period is None else month_end(period).date()
    return _history(url, version, withheld, indicator, _held_until(url, version, indicator, until))


@memoized(maxsize=1024)
def _history(url: str, version: tuple, withheld: bool, indicator: str, held: date | None):
    values = _tables(url, version)[1]
    values = values.iloc[0:0] if withheld else values
    return figures_of.history(values[values["indicator"] == indicator], held)


def commentary_for(quarter: str, priority: str, engine: Engine | None = None) -> dict | None:
    """The commentary in force for a board section (``priority``) and quarter ('2025/26-Q3'):
    text (markdown: paragraphs and bullet lists), written_by, written_at, versions; None if
    none has been written."""
    section = strategy.board_section(priority) or priority
    quarter = str(quarter).strip().replace(" ", "-")  # '2025/26 Q3' as '2025/26-Q3'
    versions = queries.commentary(engine or cache.engine(), section, quarter)
    if versions.empty:
        return None
    newest = versions.iloc[0]
    return {
        "section": section,
        "quarter": quarter,
        "text": newest["text"],
        "written_by": newest["written_by"],
        "written_at": newest["written_at"],
        "versions": len(versions),
    }


def actions_for(
    priority: str | None, today: date | None = None, engine: Engine | None = None
) -> pd.DataFrame:
    """A board section's action plan (every section's when None), by strand and number: id,
    section, strand, number, action, lead, due, outcome, status, latest, overdue,
    changed_by, changed_at."""
    section = None if priority is None else (strategy.board_section(priority) or priority)
    table = queries.actions(engine or cache.engine(), section)
    today = today or date.today()
    if table.empty:
        return table.assign(overdue=pd.Series([], dtype=bool))
    due = pd.to_datetime(table["due"].astype("string").str[:10]).dt.date
    overdue = [figures_of.overdue(d, s, today) for d, s in zip(due, table["status"], strict=True)]
    order = {s: i for i, s in enumerate(("Prevention", "Intervention", "Enforcement"))}
    table = table.assign(
        due=due,
        overdue=overdue,
        _strand=table["strand"].map(order),
        _number=table["number"].map(figures_of.number_key),
    )
    table = table.sort_values(["section", "_strand", "_number", "id"])
    return table.drop(columns=["_strand", "_number"]).reset_index(drop=True)
