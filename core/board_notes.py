"""The officer's words for the Board (DOMAIN.md "Partnership indicators, commentary and actions"):
the commentary on each priority for each quarter, and each priority's action plan, with every
version kept (who and when). Sections are ``core.strategy.BOARD_SECTIONS``' slugs; reads are in
``core.queries.partnership``.

Kept apart from ``core.db`` (which imports this module) for that module's size.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from core import db
from core.strategy import ACTION_STATUSES, ACTION_STRANDS

STRANDS, STATUSES = ACTION_STRANDS, ACTION_STATUSES
ACTION_FIELDS = ("strand", "number", "action", "lead", "due", "outcome", "status", "latest")

# Every version of the commentary: the newest for a section and quarter is the one in force.
commentary = Table(
    "commentary",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("section", String(32), nullable=False),
    Column("quarter", String(16), nullable=False),  # '2025/26-Q3'
    Column("text", Text, nullable=False),  # plain text: paragraphs and bullet lists (markdown)
    Column("written_by", String(200)),
    Column("written_at", DateTime, nullable=False),
)

# Analysts the manager lets write the commentary (managers always may).
commentary_writers = Table(
    "commentary_writers",
    db.metadata,
    Column("user_name", String(200), primary_key=True),
    Column("permitted_by", String(200)),
    Column("permitted_at", DateTime, nullable=False),
)

# An action plan's rows, in the Board's shape (its delivery plans): strand, number, action,
# accountable lead, date of delivery, desired outcome; with status and the latest update.
actions = Table(
    "actions",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("section", String(32), nullable=False),
    Column("strand", String(16), nullable=False),
    Column("number", String(16), nullable=False),  # '1.2', as the plan numbers it
    Column("action", Text, nullable=False),
    Column("lead", String(200), nullable=False),
    Column("due", Date),
    Column("outcome", Text),
    Column("status", String(16), nullable=False),
    Column("latest", Text),  # the latest update
    Column("changed_by", String(200)),
    Column("changed_at", DateTime, nullable=False),
)

# Every version of every action, as it was set, who and when.
action_changes = Table(
    "action_changes",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, nullable=False, index=True),
    Column("section", String(32), nullable=False),
    Column("strand", String(16)),
    Column("number", String(16)),
    Column("action", Text),
    Column("lead", String(200)),
    Column("due", Date),
    Column("outcome", Text),
    Column("status", String(16)),
    Column("latest", Text),
    Column("changed_by", String(200)),
    Column("changed_at", DateTime, nullable=False),
)


def write_commentary(engine: Engine, section: str, quarter: str, text: str, by: str | None) -> int:
    """Keep a new version of a section's commentary for a quarter; its id."""
    with engine.begin() as conn:
        return conn.execute(
            insert(commentary).values(
                section=section, quarter=quarter, text=text, written_by=by, written_at=db.utc_now()
            )
        ).inserted_primary_key[0]


def permit_writer(engine: Engine, user_name: str, allowed: bool, by: str | None) -> None:
    """Let an analyst write the commentary, or stop them."""
    w = commentary_writers
    with engine.begin() as conn:
        conn.execute(delete(w).where(w.c.user_name == user_name))
        if allowed:
            conn.execute(
                insert(w).values(user_name=user_name, permitted_by=by, permitted_at=db.utc_now())
            )


def add_action(engine: Engine, section: str, fields: dict, by: str | None) -> int:
    """A new action in a section's plan (its history begins); its id."""
    now = db.utc_now()
    values = {k: fields.get(k) for k in ACTION_FIELDS}
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(actions).values(section=section, **values, changed_by=by, changed_at=now)
        ).inserted_primary_key[0]
        conn.execute(
            insert(action_changes).values(
                action_id=new_id, section=section, **values, changed_by=by, changed_at=now
            )
        )
    return int(new_id)


def update_action(engine: Engine, action_id: int, changes: dict, by: str | None) -> dict | None:
    """Change an action's fields (those given); the action as it now is, None if there is none."""
    now = db.utc_now()
    with engine.begin() as conn:
        held = conn.execute(select(actions).where(actions.c.id == action_id)).mappings().first()
        if held is None:
            return None
        values = {k: changes[k] for k in ACTION_FIELDS if k in changes}
        conn.execute(
            update(actions)
            .where(actions.c.id == action_id)
            .values(**values, changed_by=by, changed_at=now)
        )
        row = {**{k: held[k] for k in ACTION_FIELDS}, **values}
        conn.execute(
            insert(action_changes).values(
                action_id=action_id, section=held["section"], **row, changed_by=by, changed_at=now
            )
        )
    return {"id": action_id, "section": held["section"], **row}


def next_number(engine: Engine, section: str, strand: str) -> str:
    """The next number in a strand of a section's plan ('1', '2', ...) when none is given."""
    with engine.connect() as conn:
        count = conn.scalar(
            select(func.count()).where(actions.c.section == section, actions.c.strand == strand)
        )
    return str((count or 0) + 1)


def due_date(text: str | None) -> date | None:
    """'2025-12-31' -> a date (None for blank); ValueError otherwise."""
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None
