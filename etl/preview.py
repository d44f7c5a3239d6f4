"""What loading a file would change, worked out without writing anything.

``preview_bytes`` reads and checks a file exactly as ``etl.load.load_bytes`` does (the same
reader, layout detection and checks) and compares it with what is held: per dataset and area,
the months it would add, the months it would replace (with the old and new totals) and the
months it would leave alone because newer figures are already held. The upload page shows this
before the analyst confirms; confirming then calls ``load_bytes`` on the same bytes.

Each crime row also names the indicators its totals include (MOPAC7 types, or the MPS
dashboard's subgroups; the file's and those held), so the upload page can leave out the figures
of a row that includes something exempt for the user (``withheld``: the hidden names come down
as plain data; etl never asks who is looking).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from core import config, db, queries, reference
from etl import formats, preview_police, store
from etl.errors import Problem, ProblemList, problem
from etl.formats import (
    BoundaryFile,
    CrimeFile,
    LookupFile,
    PopulationFile,
    TemplateFile,
    police_uk,
    templates,
)
from etl.formats.boundaries import DATASET as BOUNDARIES
from etl.formats.mps_crime import CrimeTable
from etl.read import ExtractUnreadable, file_digest, read_bytes
from etl.result import LoadResult, rejected
from etl.template_rows import by_key, changed_count, python_value, records

CHANGE_COLUMNS = [
    "dataset",  # borough_crime, ward_crime, population, or a council template's dataset
    "area_code",
    "area_name",  # for council templates: the sheet
    "added",  # months (years, rows) new to the database
    "added_from",
    "added_to",
    "replaced",  # months (years, rows) held now that this file would replace
    "replaced_from",
    "replaced_to",
    "changed",  # of the replaced, how many have a different total (template rows: figures)
    "emptied",  # crime: of the replaced, how many held figures this file's zeros would wipe
    "old_total",  # sum of the held figures in the replaced months
    "new_total",  # sum of this file's figures in those months
    "kept",  # months where newer figures are held, which this file would not change
    "indicators",  # crime: the indicators (MOPAC7 types, dashboard subgroups) the totals include
]
FIGURES = ["changed", "old_total", "new_total"]  # what a withheld row leaves out
MOPAC7_DATASETS = ("borough_crime", "ward_crime")  # the others' indicators are their subgroups


# How a preview counts: (what a row of the changes is, what it adds or replaces)
UNITS = {
    "": ("areas", "area-months"),
    "population": ("areas", "years"),
    BOUNDARIES: ("boroughs", "ward outlines"),
    police_uk.DATASET: ("forces", "force-months"),
    "lsoa_lookup": ("local authorities", "LSOAs"),
    "lsoa_2011_lookup": ("lookups", "LSOAs"),
    **{t.dataset: ("sheets", "rows") for t in templates.TEMPLATES},
}


@dataclass
class Preview:
    """The outcome of checking one file, and what loading it would change."""

    filename: str
    size_bytes: int
    sha256: str
    status: str  # ready | rejected | unchanged
    layout: str | None = None
    layout_label: str | None = None
    problems: list[Problem] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    rows_read: int = 0
    message: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def datasets(self) -> list[str]:
        return sorted(set(self.changes["dataset"])) if len(self.changes) else []


def preview_bytes(filename: str, data: bytes, engine: Engine | None = None) -> Preview:
    """Check a file and work out what loading it would change; writes nothing."""
    engine = engine or db.get_engine()
    digest = file_digest(data)
    base = {"filename": filename, "size_bytes": len(data), "sha256": digest}
    if len(data) > config.max_upload_bytes():
        item = problem(
            "file-too-large",
            size_mb=round(len(data) / 2**20, 1),
            limit_mb=round(config.max_upload_bytes() / 2**20),
        )
        return Preview(**base, status="rejected", problems=[item], message=item.message)
    previous = store.uploads.loaded_upload_with_hash(engine, digest)
    if previous is not None:
        return Preview(
            **base,
            status="unchanged",
            layout=previous.layout,
            message=f"This file was already loaded as upload {previous.id} on "
            f"{previous.uploaded_at:%d %b %Y %H:%M}: loading it again "
            "changes nothing.",
        )
    problems = ProblemList(config.max_problems())
    try:
        street = police_uk.sniff(filename, data)
        if street is not None:  # read a chunk at a time, as etl.load does
            parsed = police_uk.parse(street, problems)
            changes = pd.DataFrame()
            if not problems.has_errors and parsed.members:
                changes = preview_police.street_changes(engine, parsed, problems)
            rows = sum(m.rows for m in parsed.members)
            return _finish(base, parsed.layout, parsed.label, problems, changes, rows)
        extract = read_bytes(filename, data, problems.limit)
    except ExtractUnreadable as exc:
        return Preview(
            **base, status="rejected", problems=[exc.problem], message=exc.problem.message
        )
    problems.extend(extract.problems)
    wards = store.areas.ward_reference(engine)
    match formats.detect(
        extract, problems, date.today(), wards, queries.partnership_frequencies(engine)
    ):
        case CrimeFile() as parsed:
            return _crime(engine, base, parsed, problems)
        case TemplateFile() as parsed:
            return _template(engine, base, parsed, problems)
        case PopulationFile() as parsed:
            return _population(engine, base, parsed, problems)
        case BoundaryFile() as parsed:
            return _boundaries(engine, base, parsed, problems)
        case LookupFile() as parsed:
            changes = pd.DataFrame()
            if not problems.has_errors and len(parsed.frame):
                changes = preview_police.lookup_changes(engine, parsed)
            return _finish(base, parsed.layout, parsed.label, problems, changes, len(parsed.frame))
    return Preview(
        **base,
        status="rejected",
        problems=[*problems.final(), formats.unknown_layout(extract)],
        message="The columns do not match any layout we accept.",
    )


def record_rejection(
    preview: Preview, engine: Engine | None = None, user: str | None = None
) -> LoadResult:
    """Note a rejected file in the upload log (as ``load_bytes`` would); no data is touched."""
    engine = engine or db.get_engine()
    return rejected(
        engine,
        preview.filename,
        preview.size_bytes,
        preview.sha256,
        preview.layout,
        preview.problems,
        user,
    )


def _finish(
    base: dict, layout: str, label: str, problems: ProblemList, changes: pd.DataFrame, rows: int
) -> Preview:
    if problems.has_errors or rows == 0:
        if rows == 0 and not problems.has_errors:
            problems.add(problem("file-empty"))
        items = problems.final()
        errors = sum(p.severity == "error" for p in items)
        return Preview(
            **base,
            status="rejected",
            layout=layout,
            layout_label=label,
            problems=items,
            rows_read=rows,
            message=f"{errors} problem(s) stop this file loading; nothing would change.",
        )
    changes = changes.reindex(columns=CHANGE_COLUMNS)
    message = summary(changes)
    return Preview(
        **base,
        status="ready",
        layout=layout,
        layout_label=label,
        problems=problems.final(),
        changes=changes,
        rows_read=rows,
        message=message,
    )


def summary(changes: pd.DataFrame) -> str:
    """The preview's line: places, units new and replaced (how many with different figures),
    kept. Rows marked ``withheld`` give no figures, so then neither does the line."""
    added, replaced = int(changes["added"].sum()), int(changes["replaced"].sum())
    kept, changed = int(changes["kept"].fillna(0).sum()), int(changes["changed"].fillna(0).sum())
    hidden = "withheld" in changes and bool(changes["withheld"].fillna(False).astype(bool).any())
    emptied = int(changes["emptied"].fillna(0).sum()) if "emptied" in changes else 0
    places, unit = UNITS.get(str(changes["dataset"].iloc[0]) if len(changes) else "", UNITS[""])
    return (
        f"{len(changes):,} {places}: {added:,} {unit} new, {replaced:,} replaced"
        + (f" ({changed:,} with different figures)" if replaced and not hidden else "")
        + (f", {kept:,} left as they are because newer figures are held" if kept else "")
        + "."
        + (" Figures that include exempt items are not shown." if hidden else "")
        + (f" Warning: {emptied:,} {unit} held would become all zero: {EMPTIED}" if emptied else "")
    )


# said whether or not the figures are shown: a file of zeros wiping held months is a mistake
# an analyst must be told of even where the totals it would change are exempt for them
EMPTIED = "check the file is complete before confirming."


def withheld(
    change: Mapping, datasets: Set[str], indicators: Set[str], within: Set[str] | None = None
) -> bool:
    """True when a row of the changes is of a hidden dataset or its totals include a hidden
    indicator: its figures (old and new totals, how many differ) would show what is hidden.
    A crime file's rows are only part of a TNO figure: they are withheld when that TNO figure
    is ``within`` an exempt one (exempt, or part of one), not merely hidden for including one."""
    parts = change.get("indicators")
    parts = set(parts) if isinstance(parts, list | tuple | set) else set()  # None: not crime
    tno = parts & {reference.TNO_VICTIM_BASED, reference.TNO_NON_VICTIM_BASED}
    within = set(indicators) if within is None else set(within)
    hidden = bool((parts - tno) & set(indicators)) or bool(tno & within)
    return change.get("dataset") in datasets or hidden


# ---------------------------------------------------------------- crime


def _table_totals(table: CrimeTable) -> pd.DataFrame:
    """The file's total per area and month (every category added up)."""
    wide = pd.DataFrame(table.counts, columns=table.months)
    wide["area_code"] = table.area_code
    sums = wide.groupby("area_code").sum()
    long = sums.stack().rename("new").reset_index()
    long.columns = ["area_code", "month", "new"]
    return long


def _crime_changes(engine: Engine, table: CrimeTable, vintage: date) -> pd.DataFrame:
    dataset = table.layout.dataset
    pairs = _table_totals(table)
    with engine.connect() as conn:
        held = store.crime.held_coverage(conn, dataset, table.months)
        totals = store.crime.held_totals(conn, dataset, table.months)
        held_categories = store.crime.held_categories(conn, dataset, table.months)
    pairs = pairs.merge(held, on=["area_code", "month"], how="left")
    pairs = pairs.merge(totals, on=["area_code", "month"], how="left")
    is_held = pairs["upload_id"].notna()
    pairs["old"] = pairs["old"].fillna(0).where(is_held)
    pairs["state"] = np.where(
        ~is_held, "added", np.where(pairs["vintage"] > vintage, "kept", "replaced")
    )
    names = pd.Series(table.area_name, index=table.area_code)
    changes = _summarise(pairs, dataset, names[~names.index.duplicated()])
    parts = _indicators(table, held_categories)
    changes["indicators"] = [parts.get(code, []) for code in changes["area_code"]]
    return changes


def _indicators(table: CrimeTable, held: pd.DataFrame) -> pd.Series:
    """Per area, the indicators its totals include: of the file's rows and of those held."""
    if table.layout.dataset in MOPAC7_DATASETS:  # MOPAC7 types and TNO (victim based or not)
        mine = _category_items(table.area_code, table.major, table.minor)
        theirs = _category_items(held["area_code"], held["major_text"], held["minor_text"])
    else:
        mine = pd.DataFrame({"area_code": table.area_code, "indicator": list(table.minor)})
        theirs = pd.DataFrame({"area_code": held["area_code"], "indicator": held["minor_text"]})
    pairs = pd.concat([mine, theirs]).dropna()
    return pairs.groupby("area_code")["indicator"].agg(lambda v: sorted(set(map(str, v))))


def _category_items(area_code, major, minor) -> pd.DataFrame:
    """(area_code, indicator) for each MPS file row's MOPAC7 type and TNO figure."""
    kept = {reference.MOPAC7_TOTAL, reference.OVERALL_CRIME}  # every row is in these
    items = {
        pair: [t for t in reference.category_totals(*pair) if t not in kept]
        for pair in set(zip(major, minor, strict=False))
    }
    rows = [
        (code, item)
        for code, pair in zip(area_code, zip(major, minor, strict=False), strict=False)
        for item in items[pair]
    ]
    return pd.DataFrame(rows, columns=["area_code", "indicator"])


def _summarise(pairs: pd.DataFrame, dataset: str, names: pd.Series) -> pd.DataFrame:
    """One row per area from (area_code, month, state, old, new) rows."""
    rows = []
    for code, group in pairs.groupby("area_code", sort=True):
        added = group[group["state"] == "added"]["month"]
        rep = group[group["state"] == "replaced"]
        rows.append(
            {
                "dataset": dataset,
                "area_code": code,
                "area_name": str(names.get(code, code)),
                "added": len(added),
                "added_from": added.min() if len(added) else None,
                "added_to": added.max() if len(added) else None,
                "replaced": len(rep),
                "replaced_from": rep["month"].min() if len(rep) else None,
                "replaced_to": rep["month"].max() if len(rep) else None,
                "changed": int((rep["old"] != rep["new"]).sum()),
                "emptied": int(((rep["old"] > 0) & (rep["new"] == 0)).sum()),
                "old_total": int(rep["old"].sum()) if len(rep) else None,
                "new_total": int(rep["new"].sum()) if len(rep) else None,
                "kept": int((group["state"] == "kept").sum()),
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _crime(engine: Engine, base: dict, parsed: CrimeFile, problems: ProblemList) -> Preview:
    tables = parsed.tables
    if problems.has_errors or not tables:
        layout = tables[0].layout if tables else None
        return _finish(
            base,
            layout.name if layout else None,
            layout.label if layout else None,
            problems,
            pd.DataFrame(),
            0,
        )
    vintage = max(max(t.months) for t in tables)
    changes = pd.concat([_crime_changes(engine, t, vintage) for t in tables], ignore_index=True)
    rows = int(sum(len(t.sheet_rows) for t in tables))
    layout = tables[0].layout
    return _finish(base, layout.name, layout.label, problems, changes, rows)


# ---------------------------------------------------------------- populations


def _population(
    engine: Engine, base: dict, parsed: PopulationFile, problems: ProblemList
) -> Preview:
    layout, frame = parsed.layout, parsed.frame
    if problems.has_errors or frame.empty:
        return _finish(base, layout.name, layout.label, problems, pd.DataFrame(), 0)
    codes = [str(c) for c in pd.unique(frame["area_code"])]
    years = [int(y) for y in pd.unique(frame["year"])]
    with engine.connect() as conn:
        held = store.population.held(conn, codes, years)
    old = pd.DataFrame(held, columns=["area_code", "month", "old"])
    pairs = pd.DataFrame(
        {
            "area_code": frame["area_code"],
            "month": frame["year"].astype(int),
            "new": frame["population"].astype(int),
        }
    )
    pairs = pairs.merge(old, on=["area_code", "month"], how="left")
    pairs["state"] = np.where(pairs["old"].notna(), "replaced", "added")
    names = frame.set_index("area_code")["area_name"]
    names = names[~names.index.duplicated()].fillna(pd.Series(reference.LONDON_AUTHORITIES))
    changes = _summarise(pairs, "population", names)
    return _finish(base, layout.name, layout.label, problems, changes, len(frame))


# ---------------------------------------------------------------- council templates


def _template(engine: Engine, base: dict, parsed: TemplateFile, problems: ProblemList) -> Preview:
    template, frames = parsed.template, parsed.frames
    if problems.has_errors or not frames:
        return _finish(base, template.name, template.title, problems, pd.DataFrame(), 0)
    rows = []
    with engine.connect() as conn:
        for name, frame in frames.items():
            spec = templates.sheet_spec(template, name)
            table = db.metadata.tables[spec.table]
            new = records(table, frame, 0)
            new_by_key = by_key(new, spec.key)
            held = store.templates.held_rows(conn, table, spec.key, set(new_by_key))
            periods = [python_value(v) for v in frame[spec.period].dropna()] if spec.period else []
            rows.append(
                {
                    "dataset": template.dataset,
                    "area_code": "",
                    "area_name": name,
                    "added": len(new) - len(held),
                    "replaced": len(held),
                    "changed": changed_count(table, spec.key, held, new_by_key),
                    "added_from": min(periods) if periods else None,
                    "added_to": max(periods) if periods else None,
                    "kept": 0,
                }
            )
    count = sum(len(f) for f in frames.values())
    return _finish(base, template.name, template.title, problems, pd.DataFrame(rows), count)


# ---------------------------------------------------------------- ward boundaries


def _boundaries(engine: Engine, base: dict, parsed: BoundaryFile, problems: ProblemList) -> Preview:
    frame = parsed.frame
    if problems.has_errors or frame.empty:
        return _finish(base, parsed.layout, parsed.label, problems, pd.DataFrame(), 0)
    boroughs = sorted(set(frame["borough"]))
    with engine.connect() as conn:
        held = store.boundaries.held(conn, boroughs)
    old = {r.code: r.geometry for r in held}
    rows = []
    for borough, part in frame.groupby("borough"):
        mine = part[part["code"].isin(old)]
        rows.append(
            {
                "dataset": BOUNDARIES,
                "area_code": borough,
                "area_name": reference.LONDON_AUTHORITIES.get(borough, borough),
                "added": len(part) - len(mine),
                "replaced": sum(1 for r in held if r.borough_code == borough),
                "changed": sum(
                    old[c] != g for c, g in zip(mine["code"], mine["geometry"], strict=True)
                ),
                "kept": 0,
            }
        )
    return _finish(base, parsed.layout, parsed.label, problems, pd.DataFrame(rows), len(frame))
