"""The schema and transactions behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from core import db

BARNET = {"code": "E09000003", "name": "Barnet", "area_type": "borough", "is_london_borough": True}


def _area_count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(db.areas))


def test_schema_has_every_table(engine):
    assert set(inspect(engine).get_table_names()) == set(db.metadata.tables)


def test_count_reads_back_with_month_as_date(engine):
    category = {
        "id": 7,
        "major_key": "theft",
        "minor_key": "shoplifting",
        "major_text": "Theft",
        "minor_text": "Shoplifting",
        "known": True,
    }
    series = {"id": 1, "dataset": "ward", "area_code": "E09000003", "category_id": 7}
    with engine.begin() as conn:
        conn.execute(insert(db.areas), BARNET)
        conn.execute(insert(db.categories), category)
        conn.execute(insert(db.crime_series), series)
        conn.execute(
            insert(db.crime_counts), {"series_id": 1, "month": dt.date(2024, 3, 1), "count": 42}
        )

    counts, series_t, areas = db.crime_counts.c, db.crime_series.c, db.areas.c
    query = (
        select(areas.name, counts.month, counts["count"])
        .join_from(db.crime_counts, db.crime_series, counts.series_id == series_t.id)
        .join(db.areas, areas.code == series_t.area_code)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    assert rows == [("Barnet", dt.date(2024, 3, 1), 42)]
    assert type(rows[0].month) is dt.date  # not a datetime, not a string


def test_exception_in_transaction_leaves_no_row(engine):
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(insert(db.areas), BARNET)
        raise RuntimeError("load failed")
    assert _area_count(engine) == 0


def test_database_error_rolls_back_earlier_statements(engine):
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(db.areas), BARNET)
        conn.execute(insert(db.areas), BARNET)  # same primary key
    assert _area_count(engine) == 0


def test_default_engine_follows_database_url(use_database):
    with use_database.begin() as conn:
        conn.execute(insert(db.areas), BARNET)
    assert _area_count(db.get_engine()) == 1


@pytest.mark.parametrize("size", [0, 1, 499, 500, 501, 1234])
def test_bulk_insert_writes_every_row_once(engine, size):
    # SQLite writes ROWS_PER_INSERT rows per statement and the last, short batch row by row
    rows = ((n, f"2024-{n % 12 + 1:02d}-01", n * 7) for n in range(size))  # a generator
    with engine.begin() as conn:
        db.bulk_insert(conn, db.crime_counts, ["series_id", "month", "count"], rows)
    with engine.connect() as conn:
        got = conn.execute(select(db.crime_counts).order_by(db.crime_counts.c.series_id)).all()
    assert [(s, m.month, c) for s, m, c in got] == [(n, n % 12 + 1, n * 7) for n in range(size)]


@pytest.mark.parametrize("size", [0, 1, 499, 500, 501, 1234])
def test_bulk_insert_columns_writes_every_row_once(sqlite_engine, size):
    numbers = list(range(size))
    columns = [numbers, [f"2024-{n % 12 + 1:02d}-01" for n in numbers], [n * 7 for n in numbers]]
    with sqlite_engine.begin() as conn:
        db.bulk_insert_columns(conn, db.crime_counts, ["series_id", "month", "count"], columns)
    with sqlite_engine.connect() as conn:
        got = conn.execute(select(db.crime_counts).order_by(db.crime_counts.c.series_id)).all()
    assert [(s, m.month, c) for s, m, c in got] == [(n, n % 12 + 1, n * 7) for n in numbers]


def test_a_schema_another_server_creates_meanwhile_is_taken_as_it_is(engine):
    """Two servers starting at once both find a table missing and both create it: the one that
    comes second carries on (it was 'table pending_uploads already exists' and a dead server)."""
    from sqlalchemy import Column, Integer, MetaData, Table, event

    schema = MetaData()
    table = Table("started_twice", schema, Column("id", Integer, primary_key=True))

    created = []

    def the_other_server_creates_it_first(target, connection, **_kw):
        if created:  # only the first time: the retry finds it made
            return
        created.append(True)
        with engine.connect() as other:  # committed before this server's CREATE runs
            table.create(other)
            other.commit()

    event.listen(table, "before_create", the_other_server_creates_it_first)
    db.create_schema(schema, engine)
    assert "started_twice" in inspect(engine).get_table_names()
