"""Areas, populations and crime counts: what the crime pages, the indicator table and the ETL
status read."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from core import db, reference
from core.queries import police_uk
from core.queries.base import as_months, month_text, read_frame
from core.reference import MOPAC7_TOTAL, MOPAC7_TYPES, OVERALL_CRIME

CRIME_DATASETS = {"borough_crime": "Borough crime (MPS)", "ward_crime": "Ward crime (MPS)"}


def areas(engine: Engine, area_type: str | None = None, parent_code: str | None = None):
    """Areas known to the database (code, name, area_type, parent_code, is_london_borough)."""
    query = select(db.areas).order_by(db.areas.c.name)
    if area_type:
        query = query.where(db.areas.c.area_type == area_type)
    if parent_code:
        query = query.where(db.areas.c.parent_code == parent_code)
    return read_frame(engine, query)


def area_by_name(engine: Engine, name: str) -> dict | None:
    """The area row for a name, case-insensitively (the home borough setting is a name)."""
    query = select(db.areas).where(func.lower(db.areas.c.name) == name.strip().lower())
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def dataset_areas(engine: Engine, dataset: str) -> pd.DataFrame:
    """Areas that have figures in ``dataset``, with their names and types."""
    cov = db.crime_coverage
    codes = select(cov.c.area_code).where(cov.c.dataset == dataset).distinct().subquery()
    query = select(db.areas).join(codes, codes.c.area_code == db.areas.c.code)
    return read_frame(engine, query.order_by(db.areas.c.code))


def coverage(engine: Engine, dataset: str, area_codes: list[str] | None = None) -> pd.DataFrame:
    """(area_code, month) pairs that have been loaded for ``dataset``; month as Timestamp."""
    cov = db.crime_coverage
    query = select(cov.c.area_code, month_text(cov.c.month)).where(cov.c.dataset == dataset)
    if area_codes is not None:
        query = query.where(cov.c.area_code.in_(area_codes))
    frame = read_frame(engine, query, ["area_code", "month"])
    frame["month"] = as_months(frame["month"])
    return frame


def coverage_uploads(engine: Engine, dataset: str) -> pd.DataFrame:
    """Which upload holds each (area_code, month) of ``dataset``: area_code, month, upload_id."""
    cov = db.crime_coverage
    query = select(cov.c.area_code, month_text(cov.c.month), cov.c.upload_id).where(
        cov.c.dataset == dataset
    )
    frame = read_frame(engine, query, ["area_code", "month", "upload_id"])
    frame["month"] = as_months(frame["month"])
    return frame


def mopac7_series(engine: Engine, dataset: str, area_codes: list[str] | None = None):
    """The series (area x category) of a dataset that count towards a MOPAC7 type."""
    s, cat = db.crime_series, db.categories
    query = (
        select(s.c.id, s.c.area_code, cat.c.mopac7)
        .join(cat, cat.c.id == s.c.category_id)
        .where(s.c.dataset == dataset, cat.c.mopac7.is_not(None))
    )
    if area_codes is not None:
        query = query.where(s.c.area_code.in_(area_codes))
    return read_frame(engine, query, ["series_id", "area_code", "indicator"])


def mopac7_monthly(engine: Engine, dataset: str, area_codes: list[str] | None = None):
    """Monthly counts per area and MOPAC7 type (plus the total), zero where covered but absent.

    Columns: area_code, indicator, month (Timestamp), count. Months never loaded are absent.
    """
    series = mopac7_series(engine, dataset, area_codes)
    c = db.crime_counts
    ids = (
        select(db.crime_series.c.id)
        .join(db.categories, db.categories.c.id == db.crime_series.c.category_id)
        .where(db.crime_series.c.dataset == dataset, db.categories.c.mopac7.is_not(None))
    )
    if area_codes is not None:
        ids = ids.where(db.crime_series.c.area_code.in_(area_codes))
    query = select(c.c.series_id, month_text(c.c.month), c.c.count).where(c.c.series_id.in_(ids))
    counts = read_frame(engine, query, ["series_id", "month", "count"])
    counts["month"] = as_months(counts["month"])
    counts = (
        counts.merge(series, on="series_id")
        .groupby(["area_code", "indicator", "month"], as_index=False)["count"]
        .sum()
    )
    covered = coverage(engine, dataset, area_codes)
    grid = covered.merge(pd.DataFrame({"indicator": MOPAC7_TYPES}), how="cross")
    full = grid.merge(counts, on=["area_code", "month", "indicator"], how="left")
    full["count"] = full["count"].fillna(0).astype("int64")
    total = full.groupby(["area_code", "month"], as_index=False)["count"].sum()
    total["indicator"] = MOPAC7_TOTAL
    out = pd.concat([full, total], ignore_index=True)
    return out[["area_code", "indicator", "month", "count"]]


def overall_monthly(engine: Engine, dataset: str, area_codes: list[str] | None = None):
    """Monthly counts per area of every offence in the file, all categories summed (DOMAIN.md
    "Overall crime"), zero where covered but absent. Columns as ``mopac7_monthly``'s."""
    s, c = db.crime_series, db.crime_counts
    query = (
        select(s.c.area_code, month_text(c.c.month), func.sum(c.c.count))
        .join(s, s.c.id == c.c.series_id)
        .where(s.c.dataset == dataset)
        .group_by(s.c.area_code, c.c.month)
    )
    if area_codes is not None:
        query = query.where(s.c.area_code.in_(area_codes))
    counts = read_frame(engine, query, ["area_code", "month", "count"])
    counts["month"] = as_months(counts["month"])
    full = coverage(engine, dataset, area_codes).merge(
        counts, on=["area_code", "month"], how="left"
    )
    full["count"] = full["count"].fillna(0).astype("int64")
    full["indicator"] = OVERALL_CRIME
    return full[["area_code", "indicator", "month", "count"]]


def crime_monthly(engine: Engine, dataset: str, area_codes: list[str] | None = None):
    """The crime pages' monthly counts: the MOPAC7 types and total, then overall crime."""
    mopac7 = mopac7_monthly(engine, dataset, area_codes)
    overall = overall_monthly(engine, dataset, area_codes)
    return pd.concat([mopac7, overall], ignore_index=True)


def populations(engine: Engine, area_codes: list[str] | None = None) -> pd.DataFrame:
    """Population estimates: area_code, year, population."""
    p = db.populations
    query = select(p.c.area_code, p.c.year, p.c.population)
    if area_codes is not None:
        query = query.where(p.c.area_code.in_(area_codes))
    return read_frame(engine, query, ["area_code", "year", "population"])


def latest_month(engine: Engine, dataset: str, area_code: str | None = None) -> date | None:
    """The most recent month loaded for a dataset (and area)."""
    cov = db.crime_coverage
    query = select(func.max(cov.c.month)).where(cov.c.dataset == dataset)
    if area_code:
        query = query.where(cov.c.area_code == area_code)
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def loaded_months(engine: Engine, dataset: str) -> list[date]:
    """Every month loaded for a dataset, oldest first."""
    cov = db.crime_coverage
    query = select(cov.c.month).where(cov.c.dataset == dataset).distinct().order_by(cov.c.month)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def dataset_status(engine: Engine, more: list[dict] = ()) -> pd.DataFrame:
    """Per dataset: areas, first and latest month, months covered, last load time (populations
    and ward outlines by year); ``more``: other datasets' rows (the council templates', which
    ``etl.status`` reads), given their last load too."""
    cov, up = db.crime_coverage, db.uploads
    query = (
        select(
            cov.c.dataset,
            func.count(func.distinct(cov.c.area_code)),
            func.min(cov.c.month),
            func.max(cov.c.month),
            func.count(func.distinct(cov.c.month)),
        )
        .group_by(cov.c.dataset)
        .order_by(cov.c.dataset)
    )
    status = read_frame(
        engine, query, ["dataset", "areas", "first_month", "latest_month", "months"]
    )
    last = read_frame(
        engine,
        select(up.c.dataset, func.max(up.c.uploaded_at))
        .where(up.c.status == "loaded")
        .group_by(up.c.dataset),
        ["dataset", "last_load"],
    )
    pop, wb = db.populations, db.ward_boundaries
    # one row each for the yearly datasets: areas, first and last year (populations; ward
    # outlines in force, by their boundaries' year)
    yearly = {
        "population": select(
            func.count(func.distinct(pop.c.area_code)), func.min(pop.c.year), func.max(pop.c.year)
        ),
        "ward_boundaries": select(
            func.count(func.distinct(wb.c.code)), func.min(wb.c.vintage), func.max(wb.c.vintage)
        ).where(wb.c.replaced_by_upload_id.is_(None)),
    }
    rows = []
    for dataset, query in yearly.items():
        found = read_frame(engine, query, ["areas", "first_year", "last_year"])
        if len(found) and found["areas"].iloc[0]:
            first, last_year = found["first_year"].iloc[0], found["last_year"].iloc[0]
            rows.append(
                {
                    "dataset": dataset,
                    "areas": found["areas"].iloc[0],
                    "first_month": first,
                    "latest_month": last_year,
                    "months": None,
                }
            )
    rows += police_uk.status_rows(engine) + list(more)
    if rows:
        status = pd.concat([status, pd.DataFrame(rows)], ignore_index=True)
    # a file of both MPS dashboard datasets is one upload: each takes that file's last load
    loads = dict(zip(last["dataset"], last["last_load"], strict=True))
    both = loads.get(reference.MPS_DASHBOARD_UPLOAD)
    status["last_load"] = [
        loads.get(name, both if name in reference.MPS_DASHBOARD_DATASETS else None)
        for name in status["dataset"]
    ]
    return status


def subgroup_monthly(engine: Engine, dataset: str, area_codes: list[str] | None = None):
    """Monthly counts per area and category as the publisher spells it (the MPS dashboard's
    offence subgroups), zero where the month is covered but has no count.

    Columns: area_code, indicator, month (Timestamp), count.
    """
    s, cat, c = db.crime_series, db.categories, db.crime_counts
    query = (
        select(s.c.id, s.c.area_code, cat.c.minor_text)
        .join(cat, cat.c.id == s.c.category_id)
        .where(s.c.dataset == dataset)
    )
    if area_codes is not None:
        query = query.where(s.c.area_code.in_(area_codes))
    series = read_frame(engine, query, ["series_id", "area_code", "indicator"])
    # one name per subgroup whichever measure's spelling the category was first stored under
    series["indicator"] = series["indicator"].map(reference.dashboard_subgroup)
    ids = select(s.c.id).where(s.c.dataset == dataset)
    if area_codes is not None:
        ids = ids.where(s.c.area_code.in_(area_codes))
    counts = read_frame(
        engine,
        select(c.c.series_id, month_text(c.c.month), c.c.count).where(c.c.series_id.in_(ids)),
        ["series_id", "month", "count"],
    )
    counts["month"] = as_months(counts["month"])
    covered = coverage(engine, dataset, area_codes)
    grid = covered.merge(series, on="area_code")
    full = grid.merge(counts, on=["series_id", "month"], how="left")
    full["count"] = full["count"].fillna(0).astype("int64")
    full = full.groupby(["area_code", "indicator", "month"], as_index=False)["count"].sum()
    return full[["area_code", "indicator", "month", "count"]]
