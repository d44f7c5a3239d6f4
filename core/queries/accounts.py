"""Who may sign in (the users, their sessions, failed sign-ins) and what only managers see (the
exempt items)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, Row, func, literal, select

from core import db
from core.reference import MPS_DASHBOARD_DATASETS


def users_exist(engine: Engine) -> bool:
    """True once any user has been added (enabled or not)."""
    with engine.connect() as conn:
        return conn.execute(select(db.users.c.id).limit(1)).first() is not None


def user_row(engine: Engine, name: str) -> Row | None:
    """The users row for ``name`` (exact match), or None."""
    with engine.connect() as conn:
        return conn.execute(select(db.users).where(db.users.c.name == name)).first()


def user_list(engine: Engine) -> list[dict]:
    """Every user: name, role, disabled, created_at (never the hash)."""
    u = db.users
    query = select(u.c.name, u.c.role, u.c.disabled, u.c.created_at).order_by(u.c.name)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def session_user(engine: Engine, id_hash: str) -> Row | None:
    """The session with this id hash joined to its user, or None (no such session or user).

    Columns: name, role, disabled, password_hash, expires_at, revoked_at, last_seen.
    """
    s, u = db.sessions, db.users
    query = (
        select(
            u.c.name,
            u.c.role,
            u.c.disabled,
            u.c.password_hash,
            s.c.expires_at,
            s.c.revoked_at,
            s.c.last_seen,
        )
        .join_from(s, u, u.c.name == s.c.user_name)
        .where(s.c.id_hash == id_hash)
    )
    with engine.connect() as conn:
        return conn.execute(query).first()


def login_failures(
    engine: Engine, address: str, names: list[str], since: datetime
) -> dict[str, tuple[int, datetime]]:
    """Failed sign-ins from ``address`` since ``since``, per name tried: (count, latest)."""
    f = db.login_failures
    query = (
        select(f.c.name, func.count(), func.max(f.c.failed_at))
        .where(f.c.address == address, f.c.name.in_(names), f.c.failed_at > since)
        .group_by(f.c.name)
    )
    with engine.connect() as conn:
        return {name: (count, latest) for name, count, latest in conn.execute(query)}


def exempt_items(engine: Engine) -> pd.DataFrame:
    """Every exempt item: kind, name, marked_by, marked_at."""
    e = db.exempt_items
    with engine.connect() as conn:
        rows = conn.execute(select(e).order_by(e.c.kind, e.c.name)).all()
    return pd.DataFrame(rows, columns=["kind", "name", "marked_by", "marked_at"])


def exempt_history(engine: Engine) -> pd.DataFrame:
    """Every marking and unmarking of an exempt item, newest first: kind, name, action (add or
    remove), changed_by, changed_at."""
    h = db.exempt_history
    query = select(h.c.kind, h.c.name, h.c.action, h.c.changed_by, h.c.changed_at)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(h.c.changed_at.desc(), h.c.id.desc())).all()
    return pd.DataFrame(rows, columns=["kind", "name", "action", "changed_by", "changed_at"])


def subgroup_names(engine: Engine) -> list[str]:
    """The MPS dashboard's offence subgroups loaded (what an exempt indicator may also name)."""
    cat, s = db.categories, db.crime_series
    query = (
        select(cat.c.minor_text)
        .join(s, s.c.category_id == cat.c.id)
        .where(s.c.dataset.in_(MPS_DASHBOARD_DATASETS))
        .distinct()
    )
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query (the health check)."""
    with engine.connect() as conn:
        return conn.execute(select(literal(1))).scalar() == 1
