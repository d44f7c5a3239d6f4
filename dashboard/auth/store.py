"""Every write of dashboard/auth: users added and changed, sessions started and ended, failed
sign-ins noted, items marked exempt and unmarked.

Reads are in ``core.queries`` (``user_row``, ``user_list``, ``session_user``, ``login_failures``,
``exempt_items``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError

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


def update_user(engine: Engine, name: str, *, end_sessions: bool = False, **values: object) -> None:
    """Change columns of one user's row (password_hash, role, disabled); ``end_sessions``: and
    revoke every session of theirs, in the same transaction."""
    with engine.begin() as conn:
        conn.execute(update(db.users).where(db.users.c.name == name).values(**values))
        if end_sessions:
            s = db.sessions
            conn.execute(
                update(s)
                .where(s.c.user_name == name, s.c.revoked_at.is_(None))
                .values(revoked_at=db.utc_now())
            )


def start_session(engine: Engine, id_hash: str, name: str, lifetime: timedelta) -> None:
    """Note a new session lasting ``lifetime``; sessions past their expiry (anyone's) are
    deleted on the way."""
    s = db.sessions
    now = db.utc_now()
    expires_at = now + lifetime
    with engine.begin() as conn:
        conn.execute(delete(s).where(s.c.expires_at < now))
        conn.execute(
            insert(s).values(
                id_hash=id_hash,
                user_name=name,
                created_at=now,
                last_seen=now,
                expires_at=expires_at,
            )
        )


def end_session(engine: Engine, id_hash: str) -> None:
    """Revoke one session (signing out): its cookie lets nobody in any more."""
    s = db.sessions
    with engine.begin() as conn:
        conn.execute(
            update(s)
            .where(s.c.id_hash == id_hash, s.c.revoked_at.is_(None))
            .values(revoked_at=db.utc_now())
        )


def touch_session(engine: Engine, id_hash: str) -> None:
    """Note that a session was used now; skipped rather than waited for while another write
    (an upload being loaded into SQLite) holds the database."""
    s = db.sessions
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            conn.execute(update(s).where(s.c.id_hash == id_hash).values(last_seen=db.utc_now()))
            conn.commit()
        except OperationalError:
            conn.rollback()
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={db.SQLITE_BUSY_MS}")


def add_login_failure(engine: Engine, address: str, names: list[str], since: datetime) -> None:
    """Note a failed sign-in from ``address`` under each of ``names``; failures from before
    ``since`` (anyone's: they no longer count) are deleted on the way."""
    f = db.login_failures
    now = db.utc_now()
    with engine.begin() as conn:
        conn.execute(delete(f).where(f.c.failed_at < since))
        conn.execute(insert(f), [{"address": address, "name": n, "failed_at": now} for n in names])


def reserve_login_attempt(
    engine: Engine,
    address: str,
    caps: dict[str, int],
    since: datetime,
    now: datetime,
    note: list[str],
) -> tuple[list[int], datetime | None]:
    """Count ``address``'s failures since ``since`` under each name of ``caps`` and, when every
    count is under its cap, note this attempt as a failure under each name of ``note`` at once
    (the caller forgets it if the password is right). Counting and noting are one locked transaction, so
    simultaneous attempts are counted one after another: at most the cap get through.
    Returns the new rows' ids ([] when refused) and, when refused, the latest failure."""
    f = db.login_failures
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # sign-ins are few and this transaction short: one at a time across the deployment
            conn.exec_driver_sql("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE")
        # a write first: on SQLite it takes the database's write lock before anything is read
        conn.execute(delete(f).where(f.c.failed_at < since))
        counts = conn.execute(
            select(f.c.name, func.count(), func.max(f.c.failed_at))
            .where(f.c.address == address, f.c.name.in_(list(caps)), f.c.failed_at > since)
            .group_by(f.c.name)
        ).all()
        full = [latest for name, count, latest in counts if count >= caps[name]]
        if full:
            return [], max(full)
        rows = [{"address": address, "name": n, "failed_at": now} for n in note]
        ids = [conn.execute(insert(f).values(row)).inserted_primary_key[0] for row in rows]
    return ids, None


def forget_login_attempt(engine: Engine, ids: list[int]) -> None:
    """Remove the rows ``reserve_login_attempt`` noted (the password was right after all)."""
    f = db.login_failures
    if ids:
        with engine.begin() as conn:
            conn.execute(delete(f).where(f.c.id.in_(ids)))


def clear_login_failures(engine: Engine, address: str, name: str) -> None:
    """Forget the failed sign-ins from ``address`` under ``name`` (it has just signed in)."""
    f = db.login_failures
    with engine.begin() as conn:
        conn.execute(delete(f).where(f.c.address == address, f.c.name == name))


def mark_exempt(engine: Engine, kind: str, name: str, user: str | None) -> None:
    """Mark a dataset or indicator exempt (again: who and when are replaced), noted in the
    history."""
    e, now = db.exempt_items, datetime.now()
    with engine.begin() as conn:
        conn.execute(delete(e).where(e.c.kind == kind, e.c.name == name))
        conn.execute(insert(e).values(kind=kind, name=name, marked_by=user, marked_at=now))
        _note_exempt(conn, kind, name, "add", user, now)


def unmark_exempt(engine: Engine, kind: str, name: str, user: str | None = None) -> bool:
    """Make an item visible again (noted in the history); False when it was not exempt."""
    e = db.exempt_items
    with engine.begin() as conn:
        found = conn.execute(delete(e).where(e.c.kind == kind, e.c.name == name)).rowcount > 0
        if found:
            _note_exempt(conn, kind, name, "remove", user, datetime.now())
        return found


def _note_exempt(conn, kind: str, name: str, action: str, user: str | None, at) -> None:
    values = {"kind": kind, "name": name, "action": action, "changed_by": user, "changed_at": at}
    conn.execute(insert(db.exempt_history).values(**values))
