"""The schema of people and permissions (dashboard/auth): users, sessions, failed sign-ins and
exempt items with their history.

Kept apart from ``core.db`` (which imports it, so these tables are in ``db.metadata``, and
``db.users`` and the others still name them) because that module is at its size limit.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table

from core import db

users = Table(
    "users",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),  # werkzeug scrypt hash
    Column("role", String(16), nullable=False),  # viewer | analyst | manager
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

# A signed-in session (dashboard/auth/sessions.py): the cookie carries a random id, kept here only
# as its SHA-256, so a copy of the database lets nobody in. Times are UTC (``utc_now``). A row
# revoked (signed out, user disabled, password changed) or past expires_at lets nobody in either.
sessions = Table(
    "sessions",
    db.metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_name", String(200), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
    Column("revoked_at", DateTime),
)

# Failed sign-ins (dashboard/auth/throttle.py), shared by every process and server of a
# deployment. ``name`` is the lower-cased user name tried, or '*' for the address's count over
# any name. Rows older than the lock-out are deleted as new ones arrive.
login_failures = Table(
    "login_failures",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("address", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("failed_at", DateTime, nullable=False, index=True),
    Index("ix_login_failures_key", "address", "name", "failed_at"),
)

# Datasets ('borough_crime', ...) or indicators ('Burglary', ...) only managers may see.
exempt_items = Table(
    "exempt_items",
    db.metadata,
    Column("kind", String(16), primary_key=True),  # dataset | indicator
    Column("name", String(200), primary_key=True),
    Column("marked_by", String(200)),
    Column("marked_at", DateTime, nullable=False),
)

# Every marking and unmarking of an exempt item: who, when, added or removed.
exempt_history = Table(
    "exempt_history",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("action", String(8), nullable=False),  # add | remove
    Column("changed_by", String(200)),
    Column("changed_at", DateTime, nullable=False),
)
