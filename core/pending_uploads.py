"""Uploads waiting for the analyst's confirmation, kept in the database so every worker on every
server sees them without a shared folder: the file's bytes (PostgreSQL ``bytea``, SQLite blob),
its owner, when it was made and last changed, whether a confirm has claimed it, and its record
(JSON: name, state, progress, preview), as ``dashboard.pending`` writes it.

On PostgreSQL the table is in the dashboard's database. On SQLite it is in a file of its own
beside it (``<name>-pending.db``): a load holds SQLite's one write lock until it commits, and
its progress notes must not wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from core import config, db

metadata = MetaData()
pending_uploads = Table(
    "pending_uploads",
    metadata,
    Column("token", String(32), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("state", String(20), nullable=False),
    Column("record", Text, nullable=False),
    Column("data", LargeBinary),
    Column("claimed", Boolean, nullable=False, default=False),
    Column("created", Float, nullable=False),  # seconds since the epoch
    Column("updated", Float, nullable=False),
)


def engine() -> Engine:
    """The engine holding the table (see the module docstring), the table made if missing."""
    url = config.database_url()
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        name = f"{path.stem}-pending{path.suffix or '.db'}"
        return db.get_engine(f"sqlite:///{path.with_name(name)}", schema=metadata)
    eng = db.get_engine(url)
    if not getattr(eng, "pending_uploads_made", False):
        db.create_schema(metadata, eng)
        eng.pending_uploads_made = True
    return eng


def add(token: str, owner: str, state: str, record: str, data: bytes | None, now: float):
    with engine().begin() as conn:
        conn.execute(
            insert(pending_uploads).values(
                token=token,
                owner=owner,
                state=state,
                record=record,
                data=data,
                claimed=False,
                created=now,
                updated=now,
            )
        )


def read(token: str) -> tuple[str, str, float] | None:
    """(owner, record, updated) of a pending upload; None when there is none."""
    t = pending_uploads
    with engine().connect() as conn:
        row = conn.execute(select(t.c.owner, t.c.record, t.c.updated).where(t.c.token == token))
        found = row.first()
    return tuple(found) if found else None


def change(token: str, merge: Callable[[str], tuple[str, str]], now: float) -> str | None:
    """Rewrite the record with ``merge(record) -> (record, state)`` in one transaction (the row
    locked on PostgreSQL, the database on SQLite), so two processes' changes never interleave;
    the new record, or None when there is no such upload."""
    t = pending_uploads
    with engine().begin() as conn:
        if conn.dialect.name == "sqlite":  # its write lock before the read: one change at a time
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # (pysqlite begins only before a write)
        query = select(t.c.record).where(t.c.token == token).with_for_update()
        found = conn.execute(query).scalar()
        if found is None:
            return None
        record, state = merge(found)
        values = {"record": record, "state": state, "updated": now}
        conn.execute(update(t).where(t.c.token == token).values(**values))
    return record


def working(states: tuple[str, ...]) -> list[tuple[str, str, float]]:
    """(token, record, updated) of every upload in one of ``states``."""
    t = pending_uploads
    with engine().connect() as conn:
        query = select(t.c.token, t.c.record, t.c.updated).where(t.c.state.in_(states))
        return [tuple(row) for row in conn.execute(query)]


def data(token: str) -> bytes | None:
    t = pending_uploads
    with engine().connect() as conn:
        found = conn.execute(select(t.c.data).where(t.c.token == token)).scalar()
    return bytes(found) if found is not None else None


def drop_data(token: str) -> None:
    with engine().begin() as conn:
        t = pending_uploads
        conn.execute(update(t).where(t.c.token == token).values(data=None))


def claim(token: str) -> bool:
    """True for the one caller, in any process on any server, that marks it claimed."""
    t = pending_uploads
    with engine().begin() as conn:
        query = update(t).where(t.c.token == token, t.c.claimed.is_(False)).values(claimed=True)
        return conn.execute(query).rowcount == 1


def remove(token: str) -> None:
    with engine().begin() as conn:
        conn.execute(delete(pending_uploads).where(pending_uploads.c.token == token))


def remove_older(cutoff: float) -> None:
    """Remove every pending upload made before ``cutoff`` (seconds since the epoch)."""
    with engine().begin() as conn:
        conn.execute(delete(pending_uploads).where(pending_uploads.c.created < cutoff))
