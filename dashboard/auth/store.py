"""Every write of dashboard/auth: users added and changed, items marked exempt and unmarked.

Reads are in ``core.queries`` (``user_row``, ``user_list``, ``exempt_items``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert, update

from core import db


def insert_user(engine: Engine, name: str, password_hash: str, role: str) -> None:
    """Add an enabled user (the caller has checked the name, role and password)."""
    with engine.begin() as conn:
        conn.execute(
            insert(db.users).values(
                name=name,
                password_hash=password_hash,
                role=role,
                disabled=False,
                created_at=datetime.now(),
            )
        )


def update_user(engine: Engine, name: str, **values: object) -> None:
    """Change columns of one user's row (password_hash, role, disabled)."""
    with engine.begin() as conn:
        conn.execute(update(db.users).where(db.users.c.name == name).values(**values))


def mark_exempt(engine: Engine, kind: str, name: str, user: str | None) -> None:
    """Mark a dataset or indicator exempt (again: who and when are replaced)."""
    e = db.exempt_items
    with engine.begin() as conn:
        conn.execute(delete(e).where(e.c.kind == kind, e.c.name == name))
        conn.execute(
            insert(e).values(kind=kind, name=name, marked_by=user, marked_at=datetime.now())
        )


def unmark_exempt(engine: Engine, kind: str, name: str) -> bool:
    """Make an item visible again; False when it was not exempt."""
    e = db.exempt_items
    with engine.begin() as conn:
        return conn.execute(delete(e).where(e.c.kind == kind, e.c.name == name)).rowcount > 0
