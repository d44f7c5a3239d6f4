"""Council template rows: one table per template sheet, keyed as the sheet declares, and
``template_history`` holding every row a later upload (or a revert) displaced, as JSON."""

from __future__ import annotations

from sqlalchemy import Connection, Row, Table, and_, bindparam, delete, insert, select

from core import db


def held_rows(
    conn: Connection, table: Table, key: tuple[str, ...], wanted: set[tuple]
) -> list[dict]:
    """Rows already held for any of the ``wanted`` key tuples."""
    first = sorted({k[0] for k in wanted}, key=str)
    held: list[dict] = []
    for start in range(0, len(first), 500):
        query = select(table).where(table.c[key[0]].in_(first[start : start + 500]))
        for row in conn.execute(query).mappings():
            if tuple(row[k] for k in key) in wanted:
                held.append(dict(row))
    return held


def replace_rows(
    conn: Connection,
    table: Table,
    key: tuple[str, ...],
    held: list[dict],
    history: list[dict],
    records: list[dict],
) -> None:
    """Move the ``held`` rows to the history (as ``history`` rows) and insert ``records``."""
    if held:
        conn.execute(insert(db.template_history), history)
        match = and_(*[table.c[k] == bindparam(f"key_{k}") for k in key])
        conn.execute(
            table.delete().where(match), [{f"key_{k}": row[k] for k in key} for row in held]
        )
    conn.execute(insert(table), records)


def rows_of_upload(conn: Connection, table: Table, upload_id: int) -> list[dict]:
    """The current rows that came from one upload."""
    return [
        dict(r)
        for r in conn.execute(select(table).where(table.c.upload_id == upload_id)).mappings()
    ]


def latest_replaced(conn: Connection, table_name: str, key_text: str) -> Row | None:
    """The history row (id, values_json) last replaced for a key, among uploads still loaded."""
    th, up = db.template_history, db.uploads
    return conn.execute(
        select(th.c.id, th.c.values_json)
        .join(up, up.c.id == th.c.upload_id)
        .where(th.c.table_name == table_name, th.c.key_json == key_text, up.c.status == "loaded")
        .order_by(th.c.upload_id.desc(), th.c.id.desc())
        .limit(1)
    ).first()


def withdraw(conn: Connection, table: Table, history: list[dict], upload_id: int) -> None:
    """Move an upload's rows out of ``table`` into the history (as ``history`` rows)."""
    conn.execute(insert(db.template_history), history)
    conn.execute(delete(table).where(table.c.upload_id == upload_id))


def restore(conn: Connection, table: Table, rows: list[dict], history_ids: list[int]) -> None:
    """Make earlier rows current again, removing them from the history."""
    th = db.template_history
    conn.execute(insert(table), rows)
    conn.execute(delete(th).where(th.c.id.in_(history_ids)))
