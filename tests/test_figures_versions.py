"""A load keeps the tables of the figures it did not touch (``cache.figures_version``): after a
borough crime upload the ward pages' tables, the council templates' and the MPS dashboard's are
the ones computed before, so each worker's warm-up and the first pages opened after the upload
do not compute them again; a load or revert of a dataset's own figures, or of the populations
every rate divides by, is shown at the next request. Whatever is kept equals what a fresh
process computes from the database as it is now.

The database holds test_crime_pages' borough and ward files, the ONS populations and the
council template samples.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import app  # noqa: F401  (the app first: the pages register with it)
from core.months import as_month
from dashboard import cache, council_figures, memo
from etl.load import load_bytes, load_path
from etl.revert import revert_upload
from fixtures.extracts import ONS_POPULATION
from test_crime_pages import BARNET, MONTHS, WARDS, borough_csv, population_csv, ward_csv
from test_priority_pages import SAMPLES

LATEST, EARLIER = as_month(MONTHS[-1]), as_month(MONTHS[-13])
NEXT = MONTHS[-1] + (MONTHS[-1] - MONTHS[-2])


@pytest.fixture
def engine(tmp_path, monkeypatch):
    from core import db

    url = f"sqlite:///{tmp_path}/versions.db"
    eng = db.get_engine(url)
    for path in [ONS_POPULATION, *sorted(SAMPLES.glob("*.xlsx"))]:
        assert load_path(path, eng, user="test").status == "loaded", path.name
    for name, body in [("b.csv", borough_csv()), ("w.csv", ward_csv())]:
        assert load_bytes(name, body, eng, user="test").status == "loaded"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    forget()
    yield eng
    forget()
    db.dispose_engines()


def forget() -> None:
    """What a fresh process keeps: nothing."""
    memo.forget()


def tables() -> dict[str, object]:
    """What the crime, ward and youth violence pages are drawn from."""
    return {
        "borough latest": cache.borough_table(LATEST),
        "borough earlier": cache.borough_table(EARLIER),
        "ward latest": cache.ward_table(BARNET, LATEST),
        "ward earlier": cache.ward_table(BARNET, EARLIER),
        "ward trend": cache.trend("ward_crime", next(iter(WARDS)), "mopac7-total"),
        "borough trend": cache.trend("borough_crime", BARNET, "mopac7-total"),
        "london ranks": cache.rank_history(),
        "youth violence": council_figures.council_table("syv_monthly"),
        "reoffending": council_figures.council_table("iom_quarters"),
        "ward months": tuple(cache.dashboard_months("ward_crime")),
        "borough months": tuple(cache.dashboard_months("borough_crime")),
    }


def kept_and_fresh(before: dict[str, object]) -> tuple[set[str], dict[str, object]]:
    """(the names answered with the very object kept before, what a fresh process answers
    now), after checking every answer against what the fresh process computes."""
    now = tables()
    kept = {name for name, value in now.items() if value is before[name] and _is_table(value)}
    forget()
    fresh = tables()
    for name, value in fresh.items():
        if _is_table(value):
            assert_frame_equal(now[name], value, obj=name)
        else:
            assert now[name] == value, name
    return kept, fresh


def _is_table(value) -> bool:
    return isinstance(value, pd.DataFrame)  # a list of months is made anew for each caller


def crime_file(month, count: int, ward: bool = False) -> bytes:
    if ward:
        code, name = next(iter(WARDS.items()))
        head = f"MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,{month:%Y%m}"
        row = f"BURGLARY,BURGLARY - RESIDENTIAL,{name},{code},Barnet,{count}"
        return f"{head}\n{row}\n".encode()
    return (
        f"MajorText,MinorText,BoroughName,{month:%Y%m}\nROBBERY,ROBBERY,Barnet,{count}\n".encode()
    )


BOROUGH = {"borough latest", "borough earlier", "borough trend", "london ranks"}
WARD = {"ward latest", "ward earlier", "ward trend"}
COUNCIL = {"youth violence", "reoffending"}


def test_a_borough_crime_upload_keeps_the_ward_and_council_tables(engine):
    before = tables()
    assert not before["ward latest"].empty and not before["youth violence"].empty
    assert load_bytes("new.csv", crime_file(NEXT, 3), engine, user="test").status == "loaded"
    kept, now = kept_and_fresh(before)
    assert kept == WARD | COUNCIL
    assert now["borough months"][-1] == as_month(NEXT)


def test_a_ward_crime_upload_keeps_the_borough_tables_and_shows_its_own(engine):
    before = tables()
    old = before["ward latest"]
    result = load_bytes("w2.csv", crime_file(MONTHS[-1], 999, ward=True), engine, user="test")
    assert result.status == "loaded"
    kept, now = kept_and_fresh(before)
    assert kept == BOROUGH | COUNCIL
    changed = now["ward latest"].set_index(["area_code", "indicator"])["r12"]
    assert not changed.equals(old.set_index(["area_code", "indicator"])["r12"])
    revert_upload(result.upload_id, engine, user="test")
    kept, now = kept_and_fresh(now)
    assert kept == BOROUGH | COUNCIL
    assert_frame_equal(now["ward latest"], old)


def test_a_population_upload_is_shown_in_every_rate(engine):
    before = tables()
    assert load_bytes("p.csv", population_csv(), engine, user="test").status == "loaded"
    kept, _ = kept_and_fresh(before)
    assert kept == set()


def test_a_council_templates_revert_keeps_the_crime_tables(engine):
    from core import queries

    before = tables()
    history = queries.upload_history(engine)
    syv = history.loc[history["dataset"] == "serious_youth_violence", "id"].max()
    revert_upload(int(syv), engine, user="test")
    kept, now = kept_and_fresh(before)
    assert kept == BOROUGH | WARD | {"reoffending"}
    assert now["youth violence"].empty


def test_months_warmed_together_are_the_tables_of_each_month_alone(engine):
    """A warm-up computes the recent months' tables in one pass (``cache.months_together``):
    each month's is the one a page computes for that month alone, and a month outside the
    block is computed alone."""
    months = [as_month(m) for m in MONTHS[-6:]]
    with cache.months_together(months[1:]):
        together = {m: (cache.borough_table(m), cache.ward_table(BARNET, m)) for m in months}
    forget()
    for month, (borough, ward) in together.items():
        assert_frame_equal(borough, cache.borough_table(month), obj=f"borough {month}")
        assert_frame_equal(ward, cache.ward_table(BARNET, month), obj=f"ward {month}")
        assert not borough.empty and not ward.empty


def test_a_drawing_is_kept_until_its_own_dataset_is_loaded(engine):
    """``over_time.drawn``: what a page draws from ward crime alone is drawn again after a
    ward crime load, not after a borough crime load."""
    from dashboard import over_time

    drawings = []

    def draw():
        drawings.append(cache.trend("ward_crime", next(iter(WARDS)), "mopac7-total"))
        return len(drawings)

    assert over_time.drawn("ward_crime", ("test-table",), draw) == 1
    assert load_bytes("new.csv", crime_file(NEXT, 3), engine, user="test").status == "loaded"
    assert over_time.drawn("ward_crime", ("test-table",), draw) == 1
    assert over_time.drawn(None, ("test-table",), draw) == 2  # by the data version: again
    ward = crime_file(MONTHS[-1], 999, ward=True)
    assert load_bytes("w2.csv", ward, engine, user="test").status == "loaded"
    assert over_time.drawn("ward_crime", ("test-table",), draw) == 3
