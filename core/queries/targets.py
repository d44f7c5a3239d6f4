"""The reference data the manager edits: the targets in force and every change to them, and the
comparator groups with their members and the one chosen as most similar."""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import Engine, func, null, select, union_all

from core import reference_data as rd
from core.queries.base import read_frame


def targets(engine: Engine) -> pd.DataFrame:
    """Every target set: indicator, area_code ('' = every area), from_year, kind, value,
    direction, set_by, set_at."""
    t = rd.targets
    return read_frame(engine, select(t).order_by(t.c.indicator, t.c.area_code, t.c.from_year))


def target_changes(engine: Engine) -> pd.DataFrame:
    """Every change to the targets, newest first."""
    c = rd.target_changes
    return read_frame(engine, select(c).order_by(c.c.changed_at.desc(), c.c.id.desc()))


def group_changes(engine: Engine) -> pd.DataFrame:
    """Every change to the comparator groups, newest first."""
    c = rd.group_changes
    return read_frame(engine, select(c).order_by(c.c.changed_at.desc(), c.c.id.desc()))


def comparator_groups(engine: Engine) -> pd.DataFrame:
    """Every group: name, most_similar, changed_by, changed_at."""
    g = rd.comparator_groups
    return read_frame(engine, select(g).order_by(g.c.name))


def group_members(engine: Engine) -> pd.DataFrame:
    """Every group's boroughs: group_name, area_code."""
    m = rd.group_members
    return read_frame(engine, select(m).order_by(m.c.group_name, m.c.area_code))


def reference_version(engine: Engine) -> str:
    """Changes whenever a target or a comparator group does (they change no figure, so not the
    data version, but every RAG or group rank drawn before): what kept answers are keyed by.

    One query (every group with its members, and a last row with the newest target change),
    as every page request asks it.
    """
    g, m, c = rd.comparator_groups, rd.group_members, rd.target_changes
    groups = select(g.c.name, g.c.most_similar, m.c.area_code, null().label("last"))
    groups = groups.select_from(g.outerjoin(m, m.c.group_name == g.c.name))
    last = select(null(), null(), null(), func.coalesce(func.max(c.c.id), 0))
    with engine.connect() as conn:
        rows = conn.execute(union_all(groups, last)).all()
    latest = next(r[3] for r in rows if r[0] is None)
    found = sorted((r[0], bool(r[1]), r[2] or "") for r in rows if r[0] is not None)
    text = repr((latest, found))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
