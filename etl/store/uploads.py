"""The upload log: a file's row, the write lock every writer of figures takes, reverts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Engine, Row, func, insert, select, text, update

from core import db
from etl.errors import Problem
from etl.read import Extract

WRITE_LOCK_KEY = 7_316_402  # any fixed number: the advisory lock every writer of figures takes


def loaded_upload_with_hash(engine: Engine, digest: str) -> Row | None:
    """The loaded upload with these exact bytes, if any (loading them again changes nothing)."""
    with engine.connect() as conn:
        return conn.execute(
            select(db.uploads).where(db.uploads.c.sha256 == digest, db.uploads.c.status == "loaded")
        ).first()


def any_loaded(engine: Engine) -> bool:
    """Whether any upload is loaded (the seed fills only an empty database)."""
    with engine.connect() as conn:
        loaded = conn.execute(
            select(func.count()).select_from(db.uploads).where(db.uploads.c.status == "loaded")
        ).scalar()
    return loaded != 0


def json_problems(items: list[Problem]) -> list[dict]:
    """Problems as the upload log stores them."""
    return [p.as_dict() for p in items]


def record_rejection(
    engine: Engine,
    filename: str,
    size: int,
    digest: str,
    layout: str | None,
    items: list[Problem],
    user: str | None,
) -> int:
    """Log a rejected file in its own transaction (no data table is touched); its upload id."""
    with engine.begin() as conn:
        return conn.execute(
            insert(db.uploads).values(
                filename=filename,
                size_bytes=size,
                sha256=digest,
                layout=layout,
                status="rejected",
                uploaded_at=datetime.now(),
                uploaded_by=user,
                problems=json_problems(items),
                message=f"Rejected: {sum(p.severity == 'error' for p in items)} problem(s).",
            )
        ).inserted_primary_key[0]


def lock_for_writing(conn: Connection) -> None:
    """Make writers of figures take turns (call first in the transaction).

    PostgreSQL: a transaction-scoped advisory lock, so two loads (or a load and a revert) run one
    after the other instead of clashing on new series ids; a wait over 5 minutes fails (the page
    says "try again"). SQLite: its single writer lock does this already, taken by the first
    write of the transaction (BUSY after busy_timeout).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL lock_timeout = '300s'"))
        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))


def new_upload(
    conn: Connection,
    extract: Extract,
    layout: str,
    dataset: str,
    vintage: date | None,
    user: str | None,
) -> int:
    """Take the write lock and log the file as loaded; its upload id."""
    lock_for_writing(conn)
    return conn.execute(
        insert(db.uploads).values(
            filename=extract.filename,
            size_bytes=extract.size_bytes,
            sha256=extract.sha256,
            layout=layout,
            dataset=dataset,
            status="loaded",
            vintage=vintage,
            uploaded_at=datetime.now(),
            uploaded_by=user,
        )
    ).inserted_primary_key[0]


def finish_upload(conn: Connection, upload_id: int, **summary: object) -> None:
    """Write what the load did (rows read, figures added and replaced, ...) into its log row."""
    conn.execute(update(db.uploads).where(db.uploads.c.id == upload_id).values(**summary))


def claim_for_revert(conn: Connection, upload_id: int) -> str | None:
    """Mark a loaded upload reverted; None when done, else why not ('does not exist', ...).

    The first statement is a write: SQLite takes its writer lock here, so what the revert reads
    next is what it changes; the status condition makes a second revert of the same upload a
    no-op.
    """
    up = db.uploads
    claimed = conn.execute(
        update(up).where(up.c.id == upload_id, up.c.status == "loaded").values(status="reverted")
    ).rowcount
    if claimed == 1:
        return None
    row = conn.execute(select(up.c.status).where(up.c.id == upload_id)).first()
    return "does not exist" if row is None else f"is {row.status}, not loaded"


def record_revert(
    conn: Connection, upload_id: int, user: str | None, removed: int, restored: int, message: str
) -> None:
    """Log who reverted an upload and what it withdrew and restored."""
    conn.execute(
        insert(db.upload_reverts).values(
            upload_id=upload_id,
            reverted_by=user,
            reverted_at=datetime.now(),
            figures_removed=removed,
            figures_restored=restored,
            message=message,
        )
    )
