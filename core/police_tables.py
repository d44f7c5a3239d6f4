"""The schema of the police.uk street-level figures and the ONS LSOA lookups that place them.

Kept apart from ``core.db`` (which imports it, so these tables are in ``db.metadata``) because
that module is at its size limit. Every table keeps each upload's own rows: the current lookup
for an LSOA is the row of the latest loaded upload that has it, and the current figures of a
force and month are those of the latest loaded upload of that force's file for the month. A
newer file therefore replaces an older one without deleting it (the history is the older
upload's rows), and reverting an upload (its status no longer 'loaded') brings back the one
before it.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Index, Integer, String, Table

from core import db

lsoa_wards = Table(
    "lsoa_wards",  # ONS LSOA (2021) -> ward -> local authority best fit
    db.metadata,
    Column("upload_id", Integer, primary_key=True),
    Column("lsoa_code", String(16), primary_key=True),
    Column("lsoa_name", String(200)),
    Column("ward_code", String(16), nullable=False),
    Column("ward_name", String(200), nullable=False),
    Column("lad_code", String(16), nullable=False),
    Column("lad_name", String(200), nullable=False),
    Column("ward_year", Integer, nullable=False),  # WD24CD: 2024
    Column("source_row", Integer, nullable=False),
    Index("ix_lsoa_wards_code", "lsoa_code"),
)
lsoa_changes = Table(
    "lsoa_changes",  # ONS LSOA 2011 -> LSOA 2021 best fit
    db.metadata,
    Column("upload_id", Integer, primary_key=True),
    Column("lsoa11_code", String(16), primary_key=True),
    Column("lsoa21_code", String(16), nullable=False),
    Column("source_row", Integer, nullable=False),
    Index("ix_lsoa_changes_code", "lsoa11_code"),
)
police_uk_files = Table(
    "police_uk_files",  # one row per force-month file an upload held (a zip holds many)
    db.metadata,
    Column("upload_id", Integer, primary_key=True),
    Column("force", String(100), primary_key=True),  # the file name's force: city-of-london
    Column("month", Date, primary_key=True),
    Column("force_name", String(200)),  # Reported by: City of London Police
    Column("member", String(500), nullable=False),  # the file (inside a zip: its path)
    Column("rows", Integer, nullable=False),
    Column("not_placed", Integer, nullable=False),
    Index("ix_police_uk_files_key", "force", "month"),
)
police_uk_counts = Table(
    "police_uk_counts",  # monthly counts by ward (and so authority) and crime type
    db.metadata,
    Column("upload_id", Integer, primary_key=True),
    Column("force", String(100), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("ward_code", String(16), primary_key=True),
    Column("crime_type", String(100), primary_key=True),
    Column("lad_code", String(16), nullable=False),
    Column("count", Integer, nullable=False),
    Column("source_row", Integer, nullable=False),  # the first of the rows counted
    Index("ix_police_uk_counts_area", "lad_code", "month"),
)
