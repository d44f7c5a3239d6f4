"""Writing the ONS LSOA lookups and police.uk street-level counts: one transaction per file.

A newer lookup row for an LSOA, or a newer file for a force and month, is current from the
moment it is loaded; the older rows stay (the history) and come back if it is reverted
(core/queries/police_uk.py decides what is current when it reads).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core.queries import police_uk as held
from etl import store
from etl.errors import ProblemList, problem
from etl.formats.lsoa_lookups import WARDS, LookupFile
from etl.formats.police_uk import DATASET, StreetFile, place
from etl.read import Extract
from etl.result import LoadResult, Progress, finish_rows, reject_file

_LOOKUPS: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}  # the last lookups read


def lookups(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ward and 2011 -> 2021 lookups in force, read again only when the lookup uploads
    loaded have changed (a month's file would otherwise spend a tenth of its load reading them)."""
    key = (str(engine.url), held.lookup_uploads(engine))
    if key not in _LOOKUPS:
        found = (held.ward_lookup(engine), held.lsoa_changes(engine))
        _LOOKUPS.clear()
        _LOOKUPS[key] = found
    return _LOOKUPS[key]


def load_lookup(
    engine: Engine,
    extract: Extract,
    parsed: LookupFile,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Write a lookup's rows in one transaction, or reject the file if it has errors."""
    frame = parsed.frame
    if problems.has_errors or frame.empty:
        return reject_file(engine, extract, parsed.layout, problems, user, empty=frame.empty)
    progress(f"writing {len(frame):,} LSOAs")
    with engine.begin() as conn:
        upload_id = store.uploads.new_upload(
            conn, extract, parsed.layout, parsed.dataset, None, user
        )
        if parsed.layout == WARDS:
            before = held.ward_lookup(conn)["lsoa_code"]
            store.police_uk.write_ward_lookup(conn, frame, upload_id, parsed.ward_year)
            replaced = int(frame["lsoa_code"].isin(before).sum())
            areas = int(frame["lad_code"].nunique())
            what = f"{areas} local authorities, {frame['ward_code'].nunique():,} wards"
        else:
            before = held.lsoa_changes(conn)["lsoa11_code"]
            store.police_uk.write_changes_lookup(conn, frame, upload_id)
            replaced = int(frame["lsoa11_code"].isin(before).sum())
            areas, what = 0, "2011 LSOAs mapped to 2021"
        message = (
            f"Loaded {len(frame):,} LSOAs ({what}); {replaced:,} were in an earlier lookup "
            "(its rows are kept and come back if this upload is reverted)."
        )
        return finish_rows(
            conn,
            extract,
            parsed.layout,
            parsed.dataset,
            upload_id,
            problems,
            rows=len(frame),
            replaced=replaced,
            areas=areas,
            message=message,
        )


def placed_counts(
    parsed: StreetFile, wards: pd.DataFrame, changes: pd.DataFrame, problems: ProblemList
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(files, counts): one row per force-month file (force, month, force_name, member, rows,
    not_placed) and its counts by ward and crime type; the rows not placed as one warning."""
    files, counts = [], []
    no_lsoa = no_lookup = 0
    for member in parsed.members:
        found, blank, unknown = place(member.groups, member.month, wards, changes)
        no_lsoa, no_lookup = no_lsoa + blank, no_lookup + unknown
        files.append(
            {
                "force": member.force,
                "month": member.month,
                "force_name": member.force_name,
                "member": member.member,
                "rows": member.rows,
                "not_placed": blank + unknown,
            }
        )
        counts.append(found.assign(force=member.force, month=member.month))
    rows = sum(m.rows for m in parsed.members)
    if no_lsoa + no_lookup:
        why = [
            *([f"{no_lsoa:,} have no LSOA (No location)"] if no_lsoa else []),
            *([f"{no_lookup:,} have an LSOA in no lookup loaded"] if no_lookup else []),
        ]
        problems.add(
            problem(
                "not-placed",
                severity="warning",
                count=no_lsoa + no_lookup,
                rows=rows,
                why=" and ".join(why),
            )
        )
    counts = pd.concat(counts, ignore_index=True) if counts else pd.DataFrame()
    return pd.DataFrame(files), counts.rename(columns={"first_row": "source_row"})


def load_street(
    engine: Engine,
    extract: Extract,
    parsed: StreetFile,
    problems: ProblemList,
    user: str | None,
    progress: Progress,
) -> LoadResult:
    """Write the files' counts in one transaction, or reject the upload if any has errors."""
    wards, changes = lookups(engine)
    if wards.empty:
        problems.add(problem("no-lookup"))
    if problems.has_errors or not parsed.members:
        return reject_file(engine, extract, parsed.layout, problems, user, empty=not parsed.members)
    files, counts = placed_counts(parsed, wards, changes, problems)
    pairs = list(zip(files["force"], files["month"], strict=True))
    progress(f"writing {len(counts):,} figures")
    with engine.begin() as conn:
        upload_id = store.uploads.new_upload(
            conn, extract, parsed.layout, DATASET, max(files["month"]), user
        )
        before = held.held_files(conn, pairs)
        store.police_uk.write_files(conn, files, upload_id)
        store.police_uk.write_counts(conn, counts, upload_id)
        message = _message(files, counts, before)
        result = finish_rows(
            conn,
            extract,
            parsed.layout,
            DATASET,
            upload_id,
            problems,
            rows=int(files["rows"].sum()),
            replaced=len(before),
            areas=int(counts["lad_code"].nunique()) if len(counts) else 0,
            message=message,
        )
        store.uploads.finish_upload(
            conn,
            upload_id,
            cells_added=len(counts),
            month_from=min(files["month"]),
            month_to=max(files["month"]),
        )
    result.figures_added, result.area_months_replaced = len(counts), len(before)
    result.month_from, result.month_to = min(files["month"]), max(files["month"])
    return result


def _message(files: pd.DataFrame, counts: pd.DataFrame, before: pd.DataFrame) -> str:
    forces = ", ".join(sorted(set(files["force_name"].fillna(files["force"]))))
    return (
        f"Loaded {files['rows'].sum():,} rows of {len(files)} force-month file(s) ({forces}, "
        f"{min(files['month']):%b %Y} to {max(files['month']):%b %Y}): {len(counts):,} "
        f"figures by ward and crime type; {files['not_placed'].sum():,} rows not placed; "
        f"{len(before)} force-month(s) replaced (the earlier files are kept in the history)."
    )
