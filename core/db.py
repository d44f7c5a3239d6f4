"""Database engine (built lazily from config) and the schema, as SQLAlchemy 2.0 tables.

Figures are stored long: one row per series (dataset, area, category) and month with a
non-zero count.
Which months an upload covered for an area is kept in ``crime_coverage``, so a month that is
covered but has no stored count is a real zero, and a month that is not covered is missing
(a rolling window over it has no value). Coverage names the upload each area-month came from
and ``crime_rows`` maps (upload, series) back to the spreadsheet row.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.exc import DatabaseError

from core import config

# db.bulk_insert and db.bulk_insert_columns: every store calls them so
from core.bulk import bulk_insert, bulk_insert_columns  # noqa: F401

metadata = MetaData()

areas = Table(
    "areas",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("area_type", String(16), nullable=False),  # borough | ward | other
    Column("parent_code", String(64)),
    Column("boundary_vintage", Integer),  # ward boundary year (2022 for MPS ward files)
    Column("is_london_borough", Boolean, nullable=False, default=False),
)

categories = Table(
    "categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("major_key", String(200), nullable=False),
    Column("minor_key", String(200), nullable=False),
    Column("major_text", String(200), nullable=False),
    Column("minor_text", String(200), nullable=False),
    Column("mopac7", String(64)),
    Column("known", Boolean, nullable=False),
    Index("ux_categories_key", "major_key", "minor_key", unique=True),
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("filename", String(500), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("layout", String(64)),
    Column("dataset", String(64)),
    Column("status", String(16), nullable=False),  # loaded | rejected | reverted
    Column("vintage", Date),  # latest month in the file
    Column("uploaded_at", DateTime, nullable=False),
    Column("uploaded_by", String(200)),
    Column("rows_read", Integer),
    Column("cells_added", Integer),
    Column("cells_replaced", Integer),
    Column("month_from", Date),
    Column("month_to", Date),
    Column("area_count", Integer),
    Column("warnings", JSON),
    Column("problems", JSON),
    Column("message", Text),
)

crime_series = Table(
    "crime_series",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("dataset", String(32), nullable=False),
    Column("area_code", String(64), nullable=False),
    Column("category_id", Integer, ForeignKey("categories.id"), nullable=False),
    Index("ux_series_key", "dataset", "area_code", "category_id", unique=True),
)

crime_rows = Table(
    "crime_rows",
    metadata,
    Column("upload_id", Integer, ForeignKey("uploads.id"), primary_key=True),
    Column("series_id", Integer, primary_key=True),
    Column("source_sheet", String(200)),
    Column("source_row", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Long-format files (one row per figure): the row of each figure.
crime_cell_rows = Table(
    "crime_cell_rows",
    metadata,
    Column("upload_id", Integer, primary_key=True),
    Column("series_id", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("source_row", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Long-format figures the publisher gave on several rows, added together (etl/formats/
# dashboard_areas.py): each row after the first, which is in crime_cell_rows.
crime_merged_rows = Table(
    "crime_merged_rows",
    metadata,
    Column("upload_id", Integer, primary_key=True),
    Column("series_id", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("source_row", Integer, primary_key=True),
    sqlite_with_rowid=False,
)

# One row per series and month with a non-zero count. The upload a count came from is the
# coverage row's upload for its area and month (a whole area-month is replaced at once).
crime_counts = Table(
    "crime_counts",
    metadata,
    Column("series_id", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("count", Integer, nullable=False),
    sqlite_with_rowid=False,
)

crime_count_history = Table(
    "crime_count_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", Integer, nullable=False),
    Column("month", Date, nullable=False),
    Column("count", Integer, nullable=False),
    Column("upload_id", Integer, nullable=False),
    Column("replaced_by_upload_id", Integer, nullable=False),
    # replaced: the newer upload took its place; not-applied: arrived older than what was held
    Column("reason", String(16), nullable=False),
    Index("ix_history_series_month", "series_id", "month"),
)

crime_coverage = Table(
    "crime_coverage",
    metadata,
    Column("dataset", String(32), primary_key=True),
    Column("area_code", String(64), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("upload_id", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Area-months an upload held (or never got: reason not-applied) and lost to another upload, so
# a revert can tell which upload's figures to bring back, zero months included.
crime_coverage_history = Table(
    "crime_coverage_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset", String(32), nullable=False),
    Column("area_code", String(64), nullable=False),
    Column("month", Date, nullable=False),
    Column("upload_id", Integer, nullable=False),
    Column("replaced_by_upload_id", Integer, nullable=False),
    Column("reason", String(16), nullable=False),  # replaced | not-applied | reverted
    Index("ix_coverage_history_key", "dataset", "area_code", "month"),
)

populations = Table(
    "populations",
    metadata,
    Column("area_code", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("population", Integer, nullable=False),
    Column("upload_id", Integer, nullable=False),
    Column("source_sheet", String(200)),
    Column("source_row", Integer),
)

population_history = Table(
    "population_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_code", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("population", Integer, nullable=False),
    Column("upload_id", Integer, nullable=False),
    Column("replaced_by_upload_id", Integer, nullable=False),
)

# Ward boundaries (etl/formats/boundaries.py): one row per ward outline loaded, as GeoJSON
# geometry in WGS84. A newer file for a borough replaces its outlines: the old rows stay, marked
# with the upload that replaced them (or their own upload's id when it was reverted), so the
# current outlines are the rows with no replaced_by_upload_id.
ward_boundaries = Table(
    "ward_boundaries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("borough_code", String(64), nullable=False),
    Column("vintage", Integer, nullable=False),  # the boundaries' year (WD22CD: 2022)
    Column("geometry", JSON, nullable=False),
    Column("upload_id", Integer, nullable=False),
    Column("source_feature", Integer, nullable=False),  # the feature's number in the file
    Column("replaced_by_upload_id", Integer),
    Index("ix_ward_boundaries_current", "borough_code", "replaced_by_upload_id"),
)

# ---- council templates (etl/formats/templates): one table per data sheet, each row traceable
# to its upload, sheet and Excel row; rows a newer upload replaces go to template_history.


def _provenance() -> list[Column]:
    return [
        Column("upload_id", Integer, nullable=False),
        Column("source_sheet", String(200)),
        Column("source_row", Integer),
    ]


syv_counts = Table(
    "syv_counts",
    metadata,
    Column("area_code", String(64), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("victims", Integer, nullable=False),  # victims aged 1-19 of most serious violence
    *_provenance(),
)

# The published summary, for windows where the borough counts are not at hand.
syv_summary = Table(
    "syv_summary",
    metadata,
    Column("area_code", String(64), primary_key=True),
    Column("window_end", Date, primary_key=True),  # last month of the 12-month window
    Column("victims", Integer),
    Column("rate_per_10000", Float, nullable=False),
    Column("london_rank", Integer),
    Column("london_average_rate", Float),
    *_provenance(),
)

iom_quarters = Table(
    "iom_quarters",
    metadata,
    Column("quarter", String(16), primary_key=True),  # '2022/23 Q3'
    Column("quarter_start", Date, nullable=False),
    Column("cohort_size", Integer, nullable=False),
    Column("reoffenders", Integer),
    Column("offences_before", Integer),  # by the cohort in the 12 months before entering IOM
    Column("offences_after", Integer),  # and in the 12 months after
    *_provenance(),
)

reoffending_rates = Table(
    "reoffending_rates",
    metadata,
    Column("category", String(100), primary_key=True),
    Column("adult_juvenile", String(16), primary_key=True),
    Column("geography", String(200), primary_key=True),
    Column("cohort", String(100), primary_key=True),  # 'Jan 2022 to Mar 2022' or a year
    Column("offenders", Integer, nullable=False),
    Column("reoffenders", Integer, nullable=False),
    Column("reoffences", Integer, nullable=False),
    *_provenance(),
)

wrap_training = Table(
    "wrap_training",
    metadata,
    Column("as_at", Date, primary_key=True),
    Column("department", String(200), primary_key=True),
    Column("staff_requiring", Integer),  # blank: no target set yet
    Column("staff_trained", Integer, nullable=False),
    Column("sessions", Integer, nullable=False),
    *_provenance(),
)

wrap_audiences = Table(
    "wrap_audiences",
    metadata,
    Column("as_at", Date, primary_key=True),
    Column("audience", String(100), primary_key=True),
    Column("count", Integer, nullable=False),
    *_provenance(),
)

hate_reporting_centres = Table(
    "hate_reporting_centres",
    metadata,
    Column("month", Date, primary_key=True),
    Column("centre", String(200), primary_key=True),
    Column("strand", String(64), primary_key=True),
    Column("crime_or_incident", String(16), primary_key=True),
    Column("reports", Integer, nullable=False),
    Column("referred_to_police", Integer, nullable=False),
    *_provenance(),
)

# Partnership indicators' values (etl/formats/templates/partnership.py, or typed into the form):
# one row per indicator and period as written ('2025-03', '2024/25 Q4', '2024/25', '2025-03-14';
# core.reporting_periods), with its kind and days. Definitions: core/partnership.py.
partnership_values = Table(
    "partnership_values",
    metadata,
    Column("indicator", String(200), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("period_kind", String(16), nullable=False),  # month | quarter | financial year | date
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("note", Text),
    *_provenance(),
)

# The council templates' tables (etl/formats/templates), each row carrying its provenance.
TEMPLATE_TABLES = (
    syv_counts,
    syv_summary,
    iom_quarters,
    reoffending_rates,
    wrap_training,
    wrap_audiences,
    hate_reporting_centres,
    partnership_values,
)

# Replaced template rows: key and values as JSON, with the upload each came from.
template_history = Table(
    "template_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("table_name", String(64), nullable=False),
    Column("key_json", Text, nullable=False),  # canonical (sorted keys, ISO dates): comparable
    Column("values_json", JSON, nullable=False),
    Column("upload_id", Integer, nullable=False),
    Column("replaced_by_upload_id", Integer, nullable=False),
    Index("ix_template_history_key", "table_name", "key_json"),
)

# A manager undoing an upload (etl/revert.py): who, when, and what was restored.
upload_reverts = Table(
    "upload_reverts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("upload_id", Integer, nullable=False, index=True),
    Column("reverted_by", String(200)),
    Column("reverted_at", DateTime, nullable=False),
    Column("figures_removed", Integer, nullable=False),
    Column("figures_restored", Integer, nullable=False),
    Column("message", Text),
)


def utc_now() -> datetime:
    """Now in UTC without a time zone: how sessions and login_failures store their times."""
    return datetime.now(UTC).replace(tzinfo=None)


_engines: dict[str, Engine] = {}
_lock = threading.Lock()
SQLITE_BUSY_MS = 30000  # how long a SQLite write waits for another one to finish


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets pages read while a load writes; a killed load leaves no partial transaction.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """A new engine for ``url`` with the settings this project relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None, schema: MetaData | None = None) -> Engine:
    """The shared engine for ``url`` (default: the configured DATABASE_URL), schema created
    (``schema``: another set of tables, for a database of its own)."""
    url = url or config.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            engine = make_engine(url)
            create_schema(metadata if schema is None else schema, engine)
            _engines[url] = engine
        return engine


def create_schema(schema: MetaData, engine: Engine, tries: int = 3) -> None:
    """``schema.create_all``, tolerating another process creating the same tables meanwhile
    (two servers starting at once): the next try's check sees them and creates the rest."""
    for attempt in range(tries):
        try:
            schema.create_all(engine)
            return
        except DatabaseError as exc:
            if "already exists" not in str(exc).lower() or attempt == tries - 1:
                raise


def dispose_engines() -> None:
    """Close every cached engine (tests switch databases between cases)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _forget_engines_after_fork() -> None:
    """In a process forked from one that used the database (a background job, a gunicorn
    worker): drop the engines it inherited without closing their connections, which still
    belong to the parent, and the lock another thread may have held at the fork."""
    global _lock
    _lock = threading.Lock()
    for engine in list(_engines.values()):
        engine.dispose(close=False)
    _engines.clear()


os.register_at_fork(after_in_child=_forget_engines_after_fork)


# The reference data the manager edits (targets, comparator groups) and the published board
# packs have their own modules; importing
# it here adds its tables to ``metadata`` before any ``create_all``.
from core import board_notes, partnership, published, reference_data  # noqa: E402, F401

# The people and permissions tables (core/auth_tables.py), likewise.
from core.auth_tables import (  # noqa: E402, F401
    exempt_history,
    exempt_items,
    login_failures,
    sessions,
    users,
)

# The police.uk figures and the LSOA lookups that place them (core/police_tables.py), likewise.
from core.police_tables import (  # noqa: E402, F401
    lsoa_changes,
    lsoa_wards,
    police_uk_counts,
    police_uk_files,
)
