"""The upload log, what each upload replaced, and where a figure came from (file, sheet, row)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, exists, func, select

from core import db
from core.queries.base import read_frame


def upload_versions(engine: Engine) -> tuple[int, dict[str | None, int]]:
    """(the data version, each dataset's version), read in one query.

    The data version is the id of the newest upload plus the number of reverts scaled past any
    upload id: it changes whenever figures may have changed (what the dashboard's caches are
    keyed by). A dataset's version (keyed by the upload log's ``dataset``: ``borough_crime``,
    ``mps_dashboard``, ``iom``, ...) is the same over its own uploads: it changes only when that
    dataset's figures may have (pages that read nothing else keep their answers through other
    loads).
    """
    up, rv = db.uploads, db.upload_reverts
    query = (
        select(up.c.dataset, func.max(up.c.id), func.count(rv.c.id))
        .select_from(up.outerjoin(rv, rv.c.upload_id == up.c.id))
        .group_by(up.c.dataset)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    scale = 1_000_000_000
    datasets = {dataset: latest + reverts * scale for dataset, latest, reverts in rows}
    latest = max((row[1] for row in rows), default=0)
    return latest + sum(row[2] for row in rows) * scale, datasets


def data_version(engine: Engine) -> int:
    """The data version of ``upload_versions``."""
    return upload_versions(engine)[0]


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
    return read_frame(engine, query)


def uploads_by_id(engine: Engine, ids) -> pd.DataFrame:
    """upload_id, filename, uploaded_by, uploaded_at of the uploads ``ids``."""
    up = db.uploads
    query = select(up.c.id, up.c.filename, up.c.uploaded_by, up.c.uploaded_at).where(
        up.c.id.in_([int(i) for i in ids])
    )
    return read_frame(engine, query, ["upload_id", "filename", "uploaded_by", "uploaded_at"])


def figure_provenance(engine: Engine, dataset: str, area_code: str, month: date) -> pd.DataFrame:
    """Where each category's count for an area and month came from: upload, file and row.

    ``row`` is the figure's own row: in a long file (one row per figure) the month's row, not
    the series' first; ``rows`` adds the further rows the publisher repeated and the loader
    added into it (``crime_merged_rows``), so a merged figure names every row it came from.
    """
    cov, s, cat, rows, up = (
        db.crime_coverage,
        db.crime_series,
        db.categories,
        db.crime_rows,
        db.uploads,
    )
    c, cell = db.crime_counts, db.crime_cell_rows
    long = cell.alias("long")  # any figure's own row: the upload is a long file
    query = (
        select(
            s.c.id,
            cat.c.major_text,
            cat.c.minor_text,
            cat.c.mopac7,
            func.coalesce(c.c.count, 0),
            up.c.id,
            up.c.filename,
            rows.c.source_sheet,
            rows.c.source_row,
            cell.c.source_row,
            up.c.uploaded_at,
            up.c.uploaded_by,
            exists().where(long.c.upload_id == cov.c.upload_id),
        )
        .select_from(cov)
        .join(up, up.c.id == cov.c.upload_id)
        .join(rows, rows.c.upload_id == cov.c.upload_id)
        .join(s, (s.c.id == rows.c.series_id) & (s.c.area_code == cov.c.area_code))
        .join(cat, cat.c.id == s.c.category_id)
        .outerjoin(c, (c.c.series_id == s.c.id) & (c.c.month == cov.c.month))
        .outerjoin(
            cell,
            (cell.c.upload_id == cov.c.upload_id)
            & (cell.c.series_id == s.c.id)
            & (cell.c.month == cov.c.month),
        )
        .where(
            cov.c.dataset == dataset,
            s.c.dataset == dataset,  # one file can hold two datasets (offences and outcomes)
            cov.c.area_code == area_code,
            cov.c.month == month,
        )
    )
    columns = [
        "series_id",
        "major",
        "minor",
        "mopac7",
        "count",
        "upload_id",
        "filename",
        "sheet",
        "series_row",
        "cell_row",
        "uploaded_at",
        "uploaded_by",
        "long",
    ]
    found = read_frame(engine, query, columns)
    # a long file's figure is on its month's row; none (a 0 the file left out) when it has none
    row = found["cell_row"].where(found["long"].astype(bool), found["series_row"])
    found["row"] = row.astype("Int64")
    found = found.sort_values("row", kind="stable", na_position="first")
    merged = _merged_rows(engine, dataset, area_code, month)
    found["rows"] = [
        ([] if pd.isna(row) else [int(row)]) + merged.get((int(upload), int(series)), [])
        for upload, series, row in zip(
            found["upload_id"], found["series_id"], found["row"], strict=False
        )
    ]
    drop = ["series_id", "series_row", "cell_row", "long"]
    return found.drop(columns=drop).reset_index(drop=True)


def _merged_rows(
    engine: Engine, dataset: str, area_code: str, month: date
) -> dict[tuple[int, int], list[int]]:
    """(upload, series) → the further file rows added into that figure, in file order."""
    m, s = db.crime_merged_rows, db.crime_series
    query = (
        select(m.c.upload_id, m.c.series_id, m.c.source_row)
        .join(s, s.c.id == m.c.series_id)
        .where(s.c.dataset == dataset, s.c.area_code == area_code, m.c.month == month)
        .order_by(m.c.source_row)
    )
    found: dict[tuple[int, int], list[int]] = {}
    for upload, series, row in read_frame(engine, query, ["upload", "series", "row"]).itertuples(
        index=False
    ):
        found.setdefault((int(upload), int(series)), []).append(int(row))
    return found


def _held_per_upload(engine: Engine) -> pd.DataFrame:
    """How many current figures' places each upload holds: crime area-months, population
    years, council-template rows and ward outlines."""
    tables = [db.crime_coverage, db.populations, *db.TEMPLATE_TABLES]
    parts = [
        read_frame(
            engine, select(t.c.upload_id, func.count()).group_by(t.c.upload_id), ["id", "held"]
        )
        for t in dict.fromkeys(tables)
    ]
    b = db.ward_boundaries
    current = b.c.replaced_by_upload_id.is_(None)
    outlines = select(b.c.upload_id, func.count()).where(current).group_by(b.c.upload_id)
    parts.append(read_frame(engine, outlines, ["id", "held"]))
    held = pd.concat(parts, ignore_index=True)
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
    reverts = read_frame(
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
    wb = db.ward_boundaries  # its rows replaced by their own upload were reverted
    sources = [  # (history table, its dataset column or name, rows to leave out)
        (ch, ch.c.dataset, ch.c.reason == "reverted"),
        (ph, "population", None),
        (th, th.c.table_name, None),
        (wb, "ward_boundaries", None),
    ]
    frames = []
    for table, dataset, skip in sources:
        for direction, mine, other in (
            ("replaced", table.c.replaced_by_upload_id, table.c.upload_id),
            ("replaced by", table.c.upload_id, table.c.replaced_by_upload_id),
        ):
            named = isinstance(dataset, str)
            keys = [other] if named else [other, dataset]
            query = select(*keys, func.count()).where(mine == upload_id, other != upload_id)
            if skip is not None:
                query = query.where(~skip)
            names = ["other_upload", "places"] if named else ["other_upload", "dataset", "places"]
            found = read_frame(engine, query.group_by(*keys), names)
            if named:
                found["dataset"] = dataset
            frames.append(found.assign(direction=direction))
    out = pd.concat(frames, ignore_index=True)
    up = db.uploads
    names = read_frame(engine, select(up.c.id, up.c.filename), ["other_upload", "filename"])
    out = out.merge(names, on="other_upload", how="left")
    return out[["direction", "other_upload", "filename", "dataset", "places"]]


def warned_sheets(engine: Engine, code: str) -> pd.DataFrame:
    """id, layout and sheet of every loaded upload carrying the warning ``code`` (one row per
    sheet it names: the flags a file carries, such as 'illustrative-figures')."""
    up = db.uploads
    query = select(up.c.id, up.c.layout, up.c.warnings).where(up.c.status == "loaded")
    frame = read_frame(engine, query, ["id", "layout", "warnings"])
    rows = [
        (upload, layout, w.get("sheet"))
        for upload, layout, found in zip(
            frame["id"], frame["layout"], frame["warnings"], strict=True
        )
        for w in (found or [])
        if isinstance(w, dict) and w.get("code") == code
    ]
    return pd.DataFrame(rows, columns=["id", "layout", "sheet"]).drop_duplicates()


def template_rows_held(engine: Engine, uploads: list[int]) -> pd.DataFrame:
    """upload_id, table and rows: the current council-template rows each of ``uploads`` holds,
    per table."""
    parts = [
        read_frame(
            engine,
            select(t.c.upload_id, func.count())
            .where(t.c.upload_id.in_(uploads))
            .group_by(t.c.upload_id),
            ["upload_id", "rows"],
        ).assign(table=t.name)
        for t in dict.fromkeys(db.TEMPLATE_TABLES)
    ]
    held = pd.concat(parts, ignore_index=True)
    return held[held["rows"] > 0][["upload_id", "table", "rows"]]
