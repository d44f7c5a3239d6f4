"""Writing many rows fast inside a transaction: COPY on PostgreSQL, multi-row INSERTs on SQLite.

Kept apart from the schema in ``core.db`` (which re-exports ``bulk_insert``), because a load's
speed rests on it and the schema module is long enough.
"""

from __future__ import annotations

import itertools
import sqlite3

from sqlalchemy import Table

ROWS_PER_INSERT = 500  # SQLite: rows per INSERT statement (within its limit on parameters)


def bulk_insert(conn, table: Table, columns: list[str], rows) -> None:
    """Insert many tuples fast inside ``conn``'s transaction (COPY on PostgreSQL).

    ``rows`` may be any iterable (a generator keeps memory flat on large files). Dates are passed
    as ISO strings, which both SQLite (as SQLAlchemy stores them) and COPY accept.
    """
    names = ", ".join(columns)
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            _sqlite_insert(
                conn, cursor, f"INSERT INTO {table.name} ({names}) VALUES ", rows, len(columns)
            )
    finally:
        cursor.close()


def bulk_insert_columns(conn, table: Table, columns: list[str], values: list[list]) -> None:
    """``bulk_insert`` of rows given as columns (equal-length lists, one per column): on
    SQLite the statements' parameters are laid out straight from the columns, with no tuple
    made per row (a third of a two-million-row insert's time)."""
    if conn.dialect.name == "postgresql" or not values or not len(values[0]):
        bulk_insert(conn, table, columns, zip(*values, strict=True))
        return
    width, size = len(columns), len(values[0])
    limit = conn.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_INSERT, limit // width))
    flat = [None] * (width * size)
    for position, column in enumerate(values):
        flat[position::width] = column
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
    one = "(" + ", ".join("?" for _ in range(width)) + ")"
    whole = size // per * per * width
    step = per * width
    cursor = conn.connection.cursor()
    try:
        batches = (tuple(flat[start : start + step]) for start in range(0, whole, step))
        cursor.executemany(head + ", ".join([one] * per), batches)
        tail = flat[whole:]
        cursor.executemany(head + one, zip(*[iter(tail)] * width, strict=True))
    finally:
        cursor.close()


def _sqlite_insert(conn, cursor, head: str, rows, width: int) -> None:
    """Several rows per INSERT: SQLite then binds and steps once per statement, not once per
    row, which more than halves the time of a two-million-row load."""
    limit = conn.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_INSERT, limit // width))
    one = "(" + ", ".join("?" for _ in range(width)) + ")"
    rows, tail = iter(rows), []

    def batches():
        while True:
            flat = tuple(itertools.chain.from_iterable(itertools.islice(rows, per)))
            if len(flat) < per * width:  # the last, short batch goes one row at a time
                tail.extend(zip(*[iter(flat)] * width, strict=True))
                return
            yield flat

    cursor.executemany(head + ", ".join([one] * per), batches())
    cursor.executemany(head + one, tail)
