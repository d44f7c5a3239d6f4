"""The monthly figures export: every dataset's monthly counts as the pages use them, one row per
dataset, indicator, area and month, with the upload that holds the figure and whether that
figure is illustrative (made up: from a file that says so, such as the shipped samples)
(``python -m dashboard report monthly --out monthly.csv``, and each data page's "Download the
figures", served at /figures/<page>.csv to whoever may read the page). Exempt datasets and
indicators (and totals including them) are withheld from whoever may not see them, as on the
pages; run on the server, it has everything.

Each dataset is one ``Producer`` in ``PRODUCERS``: a dataset added to the dashboard is one more
line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flask
import pandas as pd
from sqlalchemy import Engine

from core import config, db, queries
from core.reference import HATE_CRIME_TOTAL, HATE_STRANDS, POLICE_UK_DATASET, borough_code
from dashboard import illustrative, police_figures
from dashboard.auth import exempt
from dashboard.reports import exports
from dashboard.reports.priorities import home_of
from domain import domestic_abuse
from domain.priorities import KNIFE_INDICATORS, syv_counts

MONTHLY_COLUMNS = [
    "dataset",
    "indicator",
    "area_code",
    "area_name",
    "area_type",
    "month",
    "count",
    "illustrative",
    "source_upload",
]
COUNT_COLUMNS = ["area_code", "indicator", "month", "count", "source_upload"]


@dataclass(frozen=True)
class Producer:
    """One dataset's monthly counts: ``counts(engine)`` gives area_code, indicator, month
    (Timestamp), count and source_upload (the upload id holding the figure)."""

    dataset: str  # the name the upload log and exemptions give it
    counts: Callable[[Engine], pd.DataFrame]
    table: str | None = None  # the council-template table its rows come from (may be made up)


def _held_by(monthly: pd.DataFrame, engine: Engine, dataset: str) -> pd.DataFrame:
    """``monthly`` with the upload holding each area-month (``crime_coverage``)."""
    held = queries.coverage_uploads(engine, dataset).rename(columns={"upload_id": "source_upload"})
    frame = monthly.astype({"area_code": object, "indicator": object})
    return frame.merge(held, on=["area_code", "month"], how="left")[COUNT_COLUMNS]


def crime_counts(dataset: str, home_wards: bool = False) -> Callable[[Engine], pd.DataFrame]:
    """The crime pages' counts (the MOPAC7 types and total, overall crime) of an MPS file: every
    area, or the home borough's wards (the ward pages' and the indicators export's)."""

    def counts(engine: Engine) -> pd.DataFrame:
        codes = None
        if home_wards:
            areas = queries.areas(engine)
            codes = areas.loc[areas["parent_code"] == home_of(areas)[0], "code"].tolist()
        return _held_by(queries.crime_monthly(engine, dataset, codes), engine, dataset)

    return counts


def dashboard_counts(dataset: str) -> Callable[[Engine], pd.DataFrame]:
    """The MPS Monthly Crime Dashboard's subgroups of one measure, every area loaded."""
    return lambda engine: _held_by(queries.subgroup_monthly(engine, dataset), engine, dataset)


def syv_monthly_counts(engine: Engine) -> pd.DataFrame:
    """Serious youth violence victims from the council template."""
    rows = queries.syv_monthly(engine)
    return syv_counts(rows).assign(source_upload=rows["upload_id"])[COUNT_COLUMNS]


def police_uk_counts(engine: Engine) -> pd.DataFrame:
    """police.uk's counts as the ASB page uses them (every crime type, zeros in covered months):
    every local authority, and the home borough's wards, with their names from the LSOA lookup
    where the dashboard's own areas do not have them."""
    frame = police_figures.monthly_sources(engine)
    home = borough_code(config.home_borough())
    keep = (frame["area_type"] != "ward") | (frame["parent_code"] == home)
    return frame[keep][[*COUNT_COLUMNS, "area_name", "area_type"]]


def reporting_centre_counts(engine: Engine) -> pd.DataFrame:
    """Hate Crime Reporting Centre reports by strand (the indicator: exemptions withhold a strand
    as everywhere) and month, every centre's crimes and incidents together, for the home borough
    (the centres are its own); the upload holding the month's rows (the latest, if several)."""
    rows = queries.hate_reporting_centres(engine)
    if rows.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    sums = rows.groupby(["strand", "month"], as_index=False).agg(
        count=("reports", "sum"), source_upload=("upload_id", "max")
    )
    home = borough_code(config.home_borough())
    return sums.rename(columns={"strand": "indicator"}).assign(area_code=home)[COUNT_COLUMNS]


PRODUCERS: list[Producer] = [
    Producer("borough_crime", crime_counts("borough_crime")),
    Producer("ward_crime", crime_counts("ward_crime", home_wards=True)),
    Producer("mps_dashboard_offences", dashboard_counts("mps_dashboard_offences")),
    Producer("mps_dashboard_outcomes", dashboard_counts("mps_dashboard_outcomes")),
    Producer("serious_youth_violence", syv_monthly_counts, "syv_counts"),
    Producer(POLICE_UK_DATASET, police_uk_counts),
    Producer("hate_reporting_centres", reporting_centre_counts, "hate_reporting_centres"),
]

# What each data page's "Download the figures" gives: {dataset: its indicators (None: all)}.
MPS_DASHBOARD = ("mps_dashboard_offences", "mps_dashboard_outcomes")
HATE = [HATE_CRIME_TOTAL, *HATE_STRANDS]
PAGE_FIGURES: dict[str, dict[str, list[str] | None]] = {
    "crime": {"borough_crime": None},
    "wards": {"ward_crime": None},
    "domestic-abuse": dict.fromkeys(MPS_DASHBOARD, domestic_abuse.INDICATORS),
    "youth-violence": {
        "mps_dashboard_offences": KNIFE_INDICATORS,
        "serious_youth_violence": None,
    },
    "hate-crime": {**dict.fromkeys(MPS_DASHBOARD, HATE), "hate_reporting_centres": None},
    "asb": {POLICE_UK_DATASET: None},
    "all": {p.dataset: None for p in PRODUCERS},
}


def made_up(producer: Producer, frame: pd.DataFrame, engine: Engine) -> list[str]:
    """'yes' for each figure held by an upload whose file says it is illustrative, else 'no'
    (the column an analyst reads beside the count)."""
    flagged = illustrative.uploads(producer.table, engine) if producer.table else frozenset()
    return ["yes" if u in flagged else "no" for u in frame["source_upload"]]


def monthly_figures(engine: Engine, wanted: dict[str, list[str] | None] | None = None):
    """Every dataset's monthly counts (only ``wanted``'s datasets and indicators when given),
    in the export's columns, months written YYYY-MM, without what the user may not see."""
    hidden = exempt.hidden("dataset")
    frames = []
    for producer in PRODUCERS:
        if producer.dataset in hidden or (wanted is not None and producer.dataset not in wanted):
            continue
        frame = exempt.visible(producer.counts(engine))
        indicators = None if wanted is None else wanted[producer.dataset]
        if indicators is not None:
            frame = frame[frame["indicator"].isin(indicators)]
        frames.append(
            frame.assign(dataset=producer.dataset, illustrative=made_up(producer, frame, engine))
        )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    areas = queries.areas(engine).set_index("code")
    for column, source in [("area_name", "name"), ("area_type", "area_type")]:
        known = (
            out["area_code"].map(areas[source]).astype(object)
        )  # else the producer's own (police.uk's)
        out[column] = known.fillna(out[column]) if column in out else known
    out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    out["count"] = out["count"].astype("int64")
    out["source_upload"] = out["source_upload"].astype("Int64")
    return out[MONTHLY_COLUMNS].sort_values(["dataset", "indicator", "area_code", "month"])


blueprint = flask.Blueprint("figures", __name__)


@blueprint.route("/figures/<page>.csv")
def page_figures(page: str):
    """A data page's monthly figures as CSV (the guard has already asked for a sign-in where
    one is needed; exempt items are withheld from this user)."""
    if page not in PAGE_FIGURES:
        flask.abort(404)
    frame = monthly_figures(db.get_engine(), PAGE_FIGURES[page])
    response = flask.Response(exports.csv_text(frame), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{page}-monthly.csv"'
    return response
