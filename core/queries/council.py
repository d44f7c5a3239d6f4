"""The council templates' tables (serious youth violence, IOM, reoffending, WRAP, reporting
centres) and their replaced rows."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from core import db
from core.queries.base import read_frame

_PROVENANCE = ("upload_id", "source_sheet", "source_row")


def _template_frame(engine: Engine, query, dates=(), counts=()) -> pd.DataFrame:
    """A template table's rows: dates as Timestamps, counts as nullable integers."""
    frame = read_frame(engine, query)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    for column in counts:
        frame[column] = frame[column].astype("Int64")
    return frame


def syv_monthly(engine: Engine, area_codes: list[str] | None = None) -> pd.DataFrame:
    """Serious youth violence victims: area_code, month (Timestamp), victims, provenance."""
    t = db.syv_counts
    query = select(t).order_by(t.c.area_code, t.c.month)
    if area_codes is not None:
        query = query.where(t.c.area_code.in_(area_codes))
    return _template_frame(engine, query, dates=["month"], counts=["victims"])


def syv_summary(engine: Engine, area_code: str | None = None) -> pd.DataFrame:
    """Published SYV summaries: area_code, window_end, victims, rate, London rank and average."""
    t = db.syv_summary
    query = select(t).order_by(t.c.area_code, t.c.window_end)
    if area_code:
        query = query.where(t.c.area_code == area_code)
    return _template_frame(engine, query, dates=["window_end"], counts=["victims", "london_rank"])


def iom_quarters(engine: Engine) -> pd.DataFrame:
    """IOM cohort per quarter, oldest first: quarter, quarter_start, cohort_size, reoffenders,
    offences_before, offences_after, provenance."""
    t = db.iom_quarters
    counts = ["cohort_size", "reoffenders", "offences_before", "offences_after"]
    return _template_frame(
        engine, select(t).order_by(t.c.quarter_start), dates=["quarter_start"], counts=counts
    )


def reoffending_rates(engine: Engine, geographies: list[str] | None = None) -> pd.DataFrame:
    """MoJ proven reoffending: category, adult_juvenile, geography, cohort, offenders,
    reoffenders, reoffences, provenance."""
    t = db.reoffending_rates
    query = select(t).order_by(t.c.geography, t.c.adult_juvenile, t.c.cohort)
    if geographies is not None:
        query = query.where(t.c.geography.in_(geographies))
    return _template_frame(engine, query, counts=["offenders", "reoffenders", "reoffences"])


def wrap_training(engine: Engine, as_at: date | None = None) -> pd.DataFrame:
    """WRAP training by department: as_at, department, staff_requiring (<NA>: no target),
    staff_trained, sessions, provenance; every as-at date unless one is given."""
    t = db.wrap_training
    query = select(t).order_by(t.c.as_at, t.c.department)
    if as_at is not None:
        query = query.where(t.c.as_at == as_at)
    return _template_frame(
        engine, query, dates=["as_at"], counts=["staff_requiring", "staff_trained", "sessions"]
    )


def wrap_audiences(engine: Engine, as_at: date | None = None) -> pd.DataFrame:
    """People trained in WRAP by audience: as_at, audience, count, provenance."""
    t = db.wrap_audiences
    query = select(t).order_by(t.c.as_at, t.c.audience)
    if as_at is not None:
        query = query.where(t.c.as_at == as_at)
    return _template_frame(engine, query, dates=["as_at"], counts=["count"])


def hate_reporting_centres(
    engine: Engine, month_from: date | None = None, month_to: date | None = None
) -> pd.DataFrame:
    """Reporting-centre reports: month, centre, strand, crime_or_incident, reports,
    referred_to_police, provenance."""
    t = db.hate_reporting_centres
    query = select(t).order_by(t.c.month, t.c.centre, t.c.strand, t.c.crime_or_incident)
    if month_from is not None:
        query = query.where(t.c.month >= month_from)
    if month_to is not None:
        query = query.where(t.c.month <= month_to)
    return _template_frame(engine, query, dates=["month"], counts=["reports", "referred_to_police"])


def template_history(engine: Engine, table_name: str) -> pd.DataFrame:
    """Rows of a template table that later uploads replaced: key_json, values_json, upload_id,
    replaced_by_upload_id, oldest first."""
    h = db.template_history
    query = (
        select(h.c.key_json, h.c.values_json, h.c.upload_id, h.c.replaced_by_upload_id)
        .where(h.c.table_name == table_name)
        .order_by(h.c.id)
    )
    return read_frame(
        engine, query, ["key_json", "values_json", "upload_id", "replaced_by_upload_id"]
    )
