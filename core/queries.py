"""All SQL lives here: (engine, filters) -> DataFrame, bound parameters only.

Pages, reports and the CLI call these; nothing else opens a connection to read figures.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, String, cast, func, select

from core import db
from core.reference import MOPAC7_TOTAL, MOPAC7_TYPES

CRIME_DATASETS = {"borough_crime": "Borough crime (MPS)", "ward_crime": "Ward crime (MPS)"}


def _frame(engine: Engine, query, columns: list[str] | None = None) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(query)
        names = columns or list(result.keys())
        rows = result.all()
    # column-wise construction: pandas probes each Row object otherwise (10x slower)
    if not rows:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
    return pd.DataFrame(dict(zip(names, zip(*rows, strict=True), strict=True)))


def areas(engine: Engine, area_type: str | None = None, parent_code: str | None = None):
    """Areas known to the database (code, name, area_type, parent_code, is_london_borough)."""
    query = select(db.areas).order_by(db.areas.c.name)
    if area_type:
        query = query.where(db.areas.c.area_type == area_type)
    if parent_code:
        query = query.where(db.areas.c.parent_code == parent_code)
    return _frame(engine, query)


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
    return _frame(engine, query.order_by(db.areas.c.code))


def _as_months(text: pd.Series) -> pd.Series:
    """ISO month text from the database -> Timestamps (also for an empty result)."""
    return pd.to_datetime(text.astype("string").str[:10])


def _month_text(column):
    # months as ISO text: converting 100k+ dates row by row in Python is the slow part
    return cast(column, String).label("month")


def coverage(engine: Engine, dataset: str, area_codes: list[str] | None = None) -> pd.DataFrame:
    """(area_code, month) pairs that have been loaded for ``dataset``; month as Timestamp."""
    cov = db.crime_coverage
    query = select(cov.c.area_code, _month_text(cov.c.month)).where(cov.c.dataset == dataset)
    if area_codes is not None:
        query = query.where(cov.c.area_code.in_(area_codes))
    frame = _frame(engine, query, ["area_code", "month"])
    frame["month"] = _as_months(frame["month"])
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
    return _frame(engine, query, ["series_id", "area_code", "indicator"])


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
    query = select(c.c.series_id, _month_text(c.c.month), c.c.count).where(c.c.series_id.in_(ids))
    counts = _frame(engine, query, ["series_id", "month", "count"])
    counts["month"] = _as_months(counts["month"])
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


def populations(engine: Engine, area_codes: list[str] | None = None) -> pd.DataFrame:
    """Population estimates: area_code, year, population."""
    p = db.populations
    query = select(p.c.area_code, p.c.year, p.c.population)
    if area_codes is not None:
        query = query.where(p.c.area_code.in_(area_codes))
    return _frame(engine, query, ["area_code", "year", "population"])


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


def dataset_status(engine: Engine) -> pd.DataFrame:
    """Per dataset: areas, first and latest month, months covered, last load time."""
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
    status = _frame(engine, query, ["dataset", "areas", "first_month", "latest_month", "months"])
    last = _frame(
        engine,
        select(up.c.dataset, func.max(up.c.uploaded_at))
        .where(up.c.status == "loaded")
        .group_by(up.c.dataset),
        ["dataset", "last_load"],
    )
    pops = _frame(
        engine,
        select(
            func.count(func.distinct(db.populations.c.area_code)),
            func.min(db.populations.c.year),
            func.max(db.populations.c.year),
        ),
        ["areas", "first_year", "last_year"],
    )
    if len(pops) and pops["areas"].iloc[0]:
        status = pd.concat(
            [
                status,
                pd.DataFrame(
                    [
                        {
                            "dataset": "population",
                            "areas": pops["areas"].iloc[0],
                            "first_month": pops["first_year"].iloc[0],
                            "latest_month": pops["last_year"].iloc[0],
                            "months": None,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    return status.merge(last, on="dataset", how="left")


def upload_history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The upload log, newest first."""
    up = db.uploads
    query = (
        select(
            up.c.id,
            up.c.uploaded_at,
            up.c.uploaded_by,
            up.c.filename,
            up.c.size_bytes,
            up.c.sha256,
            up.c.layout,
            up.c.dataset,
            up.c.status,
            up.c.rows_read,
            up.c.cells_added,
            up.c.cells_replaced,
            up.c.month_from,
            up.c.month_to,
            up.c.message,
        )
        .order_by(up.c.id.desc())
        .limit(limit)
    )
    return _frame(engine, query)


def figure_provenance(engine: Engine, dataset: str, area_code: str, month: date) -> pd.DataFrame:
    """Where each category's count for an area and month came from: upload, file and row."""
    cov, s, cat, rows, up = (
        db.crime_coverage,
        db.crime_series,
        db.categories,
        db.crime_rows,
        db.uploads,
    )
    c = db.crime_counts
    query = (
        select(
            cat.c.major_text,
            cat.c.minor_text,
            cat.c.mopac7,
            func.coalesce(c.c.count, 0),
            up.c.id,
            up.c.filename,
            rows.c.source_sheet,
            rows.c.source_row,
            up.c.uploaded_at,
        )
        .select_from(cov)
        .join(up, up.c.id == cov.c.upload_id)
        .join(rows, rows.c.upload_id == cov.c.upload_id)
        .join(s, (s.c.id == rows.c.series_id) & (s.c.area_code == cov.c.area_code))
        .join(cat, cat.c.id == s.c.category_id)
        .outerjoin(c, (c.c.series_id == s.c.id) & (c.c.month == cov.c.month))
        .where(cov.c.dataset == dataset, cov.c.area_code == area_code, cov.c.month == month)
        .order_by(rows.c.source_row)
    )
    columns = [
        "major",
        "minor",
        "mopac7",
        "count",
        "upload_id",
        "filename",
        "sheet",
        "row",
        "uploaded_at",
    ]
    return _frame(engine, query, columns)


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
    series = _frame(engine, query, ["series_id", "area_code", "indicator"])
    ids = select(s.c.id).where(s.c.dataset == dataset)
    if area_codes is not None:
        ids = ids.where(s.c.area_code.in_(area_codes))
    counts = _frame(
        engine,
        select(c.c.series_id, _month_text(c.c.month), c.c.count).where(c.c.series_id.in_(ids)),
        ["series_id", "month", "count"],
    )
    counts["month"] = _as_months(counts["month"])
    covered = coverage(engine, dataset, area_codes)
    grid = covered.merge(series, on="area_code")
    full = grid.merge(counts, on=["series_id", "month"], how="left")
    full["count"] = full["count"].fillna(0).astype("int64")
    full = full.groupby(["area_code", "indicator", "month"], as_index=False)["count"].sum()
    return full[["area_code", "indicator", "month", "count"]]


# ---------------------------------------------------------------- council templates

_PROVENANCE = ("upload_id", "source_sheet", "source_row")


def _template_frame(engine: Engine, query, dates=(), counts=()) -> pd.DataFrame:
    """A template table's rows: dates as Timestamps, counts as nullable integers."""
    frame = _frame(engine, query)
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
    return _frame(engine, query, ["key_json", "values_json", "upload_id", "replaced_by_upload_id"])


# ---- the upload log and what each upload changed (pages/history.py, pages/upload.py)


def _held_per_upload(engine: Engine) -> pd.DataFrame:
    """How many current figures' places each upload holds: crime area-months, population
    years and council-template rows."""
    tables = [db.crime_coverage, db.populations, *db.TEMPLATE_TABLES]
    parts = [
        _frame(engine, select(t.c.upload_id, func.count()).group_by(t.c.upload_id), ["id", "held"])
        for t in dict.fromkeys(tables)
    ]
    held = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id", "held"])
    return held.groupby("id", as_index=False)["held"].sum()


def upload_log(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The upload log, newest first, with the figures each still holds and the shown status:
    loaded, superseded (every figure since replaced by newer ones), rejected or reverted."""
    log = upload_history(engine, limit)
    if log.empty:
        return log.assign(held=[], shown_status=[], reverted_by=[], reverted_at=[])
    held = _held_per_upload(engine)
    log = log.merge(held, on="id", how="left")
    log["held"] = log["held"].fillna(0).astype(int)
    r = db.upload_reverts
    reverts = _frame(
        engine,
        select(r.c.upload_id, r.c.reverted_by, r.c.reverted_at),
        ["id", "reverted_by", "reverted_at"],
    )
    log = log.merge(reverts.drop_duplicates("id", keep="last"), on="id", how="left")
    superseded = (log["status"] == "loaded") & (log["held"] == 0)
    log["shown_status"] = log["status"].where(~superseded, "superseded")
    return log


def upload_record(engine: Engine, upload_id: int) -> dict | None:
    """Every column of one upload's log row (problems and warnings included)."""
    with engine.connect() as conn:
        row = conn.execute(select(db.uploads).where(db.uploads.c.id == upload_id)).mappings()
        row = row.first()
    return dict(row) if row else None


def upload_replacements(engine: Engine, upload_id: int) -> pd.DataFrame:
    """What an upload took the place of, and what later took its place: one row per other
    upload and dataset with the number of area-months (population years, template rows).

    Columns: direction ('replaced' | 'replaced by'), other_upload, filename, dataset, places.
    """
    ch, ph, th = db.crime_coverage_history, db.population_history, db.template_history
    sources = [  # (history table, its dataset column, rows to leave out)
        (ch, ch.c.dataset, ch.c.reason == "reverted"),
        (ph, None, None),
        (th, th.c.table_name, None),
    ]
    frames = []
    for table, dataset, skip in sources:
        for direction, mine, other in (
            ("replaced", table.c.replaced_by_upload_id, table.c.upload_id),
            ("replaced by", table.c.upload_id, table.c.replaced_by_upload_id),
        ):
            keys = [other] if dataset is None else [other, dataset]
            query = select(*keys, func.count()).where(mine == upload_id, other != upload_id)
            if skip is not None:
                query = query.where(~skip)
            names = (
                ["other_upload", "places"]
                if dataset is None
                else ["other_upload", "dataset", "places"]
            )
            found = _frame(engine, query.group_by(*keys), names)
            if dataset is None:
                found["dataset"] = "population"
            frames.append(found.assign(direction=direction))
    out = pd.concat(frames, ignore_index=True)
    up = db.uploads
    names = _frame(engine, select(up.c.id, up.c.filename), ["other_upload", "filename"])
    out = out.merge(names, on="other_upload", how="left")
    return out[["direction", "other_upload", "filename", "dataset", "places"]]
