"""Partnership indicators (their definitions, every change, their values with provenance) and the
officer's words for the Board (commentary with every version, action plans with every change)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from core import board_notes, db
from core import partnership as p
from core.queries.base import read_frame


def partnership_indicators(engine: Engine, include_retired: bool = False) -> pd.DataFrame:
    """Every indicator defined: indicator, priority, unit, frequency, direction, additive, owner,
    source, retired, where it came from and who last changed it."""
    t = p.partnership_indicators
    query = select(t).order_by(t.c.priority, t.c.indicator)
    if not include_retired:
        query = query.where(t.c.retired.is_(False))
    return read_frame(engine, query)


def partnership_indicator_changes(engine: Engine) -> pd.DataFrame:
    """Every change to the definitions, newest first."""
    c = p.partnership_indicator_changes
    return read_frame(engine, select(c).order_by(c.c.changed_at.desc(), c.c.id.desc()))


def partnership_frequencies(engine: Engine) -> dict[str, str]:
    """Each defined indicator's frequency (retired ones too: their values may still come)."""
    t = p.partnership_indicators
    with engine.connect() as conn:
        return dict(conn.execute(select(t.c.indicator, t.c.frequency)).all())


def partnership_values(engine: Engine) -> pd.DataFrame:
    """Every value held: indicator, period (as written), period_kind, period_start, period_end,
    value, note, upload_id, source_sheet, source_row."""
    v = db.partnership_values
    frame = read_frame(engine, select(v).order_by(v.c.indicator, v.c.period_start))
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column].astype("string").str[:10]).dt.date
    return frame


def commentary(engine: Engine, section: str | None = None, quarter: str | None = None):
    """Every version of the commentary (for a section and quarter when given), newest first."""
    c = board_notes.commentary
    query = select(c).order_by(c.c.written_at.desc(), c.c.id.desc())
    if section is not None:
        query = query.where(c.c.section == section)
    if quarter is not None:
        query = query.where(c.c.quarter == quarter)
    return read_frame(engine, query)


def commentary_writers(engine: Engine) -> pd.DataFrame:
    """The analysts the manager lets write the commentary."""
    w = board_notes.commentary_writers
    return read_frame(engine, select(w).order_by(w.c.user_name))


def actions(engine: Engine, section: str | None = None) -> pd.DataFrame:
    """Every action (of a section when given), by section, strand and number."""
    a = board_notes.actions
    query = select(a).order_by(a.c.section, a.c.strand, a.c.number, a.c.id)
    if section is not None:
        query = query.where(a.c.section == section)
    return read_frame(engine, query)


def action_changes(engine: Engine, action_id: int | None = None) -> pd.DataFrame:
    """Every version of the actions (of one when given), newest first."""
    c = board_notes.action_changes
    query = select(c).order_by(c.c.changed_at.desc(), c.c.id.desc())
    if action_id is not None:
        query = query.where(c.c.action_id == action_id)
    return read_frame(engine, query)


def partnership_version(engine: Engine) -> int:
    """Changes whenever a definition does (the newest change's id): what the partnership
    figures kept per data version are also keyed by."""
    c = p.partnership_indicator_changes
    with engine.connect() as conn:
        return int(conn.scalar(select(func.coalesce(func.max(c.c.id), 0))) or 0)
