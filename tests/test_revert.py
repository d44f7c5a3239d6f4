"""etl.revert: after reverting an upload, the figures are what they would be had it never been
loaded; its own figures stay in the history; the log says who reverted it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import db, queries
from dashboard import cache
from etl.formats import templates
from etl.load import load_bytes
from etl.revert import RevertRefused, revert_upload
from etl.templates_samples import SAMPLES
from etl.templates_write import workbook, workbook_bytes
from fixtures.extracts import BARNET, current_counts, text_file, upload_log
from test_load import FILE_A, FILE_B

FILE_C = text_file(
    "MajorText,MinorText,BoroughName,202403,202404,202405",
    "BURGLARY,BURGLARY - RESIDENTIAL,Barnet,30,31,32",
    "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,1,2,3",
)
# Barnet's February all zero: covered, no stored count
FILE_ZERO_FEB = text_file(
    "MajorText,MinorText,BoroughName,202401,202402,202403",
    "BURGLARY,BURGLARY IN A DWELLING,Barnet,10,0,12",
    "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,5,0,7",
)
FILES = {"A": FILE_A, "B": FILE_B, "C": FILE_C, "Z": FILE_ZERO_FEB}


def state(engine) -> tuple[dict, set]:
    """Current counts, and coverage as (dataset, area, month, file that holds it)."""
    cov, up = db.crime_coverage, db.uploads
    with engine.connect() as conn:
        rows = conn.execute(
            select(cov.c.dataset, cov.c.area_code, cov.c.month, up.c.filename).join(
                up, up.c.id == cov.c.upload_id
            )
        ).all()
    return current_counts(engine, "borough_crime"), {(d, a, str(m)[:10], f) for d, a, m, f in rows}


def load(engine, names: str) -> dict[str, int]:
    return {n: load_bytes(f"{n}.csv", FILES[n], engine).upload_id for n in names}


SEQUENCES = [("AB", "A"), ("BA", "A"), ("ABC", "C"), ("ACB", "C"), ("ZB", "B")]


@pytest.mark.parametrize(("loaded", "reverted"), [("AB", "B"), ("BA", "B"), ("ABC", "B")])
def test_revert_leaves_what_loading_the_others_would(engine, tmp_path, loaded, reverted):
    _check_revert(engine, tmp_path, loaded, reverted)


@pytest.mark.parametrize(("loaded", "reverted"), SEQUENCES)
def test_revert_in_more_orders(sqlite_engine, tmp_path, loaded, reverted):
    _check_revert(sqlite_engine, tmp_path, loaded, reverted)


def _check_revert(engine, tmp_path, loaded: str, reverted: str) -> None:
    ids = load(engine, loaded)
    result = revert_upload(ids[reverted], engine, "max")

    expected_engine = db.get_engine(f"sqlite:///{tmp_path}/expected.db")
    load(expected_engine, loaded.replace(reverted, ""))
    assert state(engine) == state(expected_engine)
    assert result.figures_removed > 0
    log = upload_log(engine).set_index("id")
    assert log.loc[ids[reverted], "status"] == "reverted"


def test_a_reverted_zero_month_comes_back_as_zero_not_missing(engine):
    ids = load(engine, "ZB")
    revert_upload(ids["B"], engine)
    monthly = queries.mopac7_monthly(engine, "borough_crime", [BARNET])
    feb = monthly[(monthly["month"] == "2024-02-01") & (monthly["indicator"] == "MOPAC7 total")]
    assert list(feb["count"]) == [0]


def test_the_reverted_figures_stay_in_the_history(engine):
    ids = load(engine, "AB")
    revert_upload(ids["B"], engine, "max")
    h = db.crime_count_history
    with engine.connect() as conn:
        reasons = conn.execute(select(h.c.reason).where(h.c.upload_id == ids["B"])).scalars()
        assert set(reasons) == {"reverted"}
        revert = conn.execute(select(db.upload_reverts)).one()
    assert (revert.upload_id, revert.reverted_by) == (ids["B"], "max")


def test_revert_is_refused_twice_and_for_uploads_not_loaded(engine):
    ids = load(engine, "A")
    rejected = load_bytes("bad.csv", text_file("foo,bar", "1,2"), engine).upload_id
    revert_upload(ids["A"], engine)
    for upload_id, says in [
        (ids["A"], "is reverted"),
        (rejected, "is rejected"),
        (999, "does not exist"),
    ]:
        with pytest.raises(RevertRefused, match=says):
            revert_upload(upload_id, engine)


def test_a_reverted_file_can_be_loaded_again(engine):
    ids = load(engine, "A")
    before = state(engine)
    revert_upload(ids["A"], engine)
    assert state(engine)[0] == {}
    again = load_bytes("A.csv", FILE_A, engine)
    assert again.status == "loaded"
    assert state(engine) == before


def test_reverting_changes_the_data_version(engine):
    ids = load(engine, "AB")
    version = cache.data_version(engine)
    revert_upload(ids["B"], engine)
    assert cache.data_version(engine) != version


def test_the_log_shows_superseded_and_reverted(engine):
    ids = load(engine, "AB")
    c = load_bytes("A-again-as-new.csv", FILE_A + b"\r\n", engine)  # same figures, new file
    log = queries.upload_log(engine).set_index("id")
    assert log.loc[ids["A"], "shown_status"] == "superseded"
    assert log.loc[ids["B"], "shown_status"] == "loaded"
    revert_upload(c.upload_id, engine, "max")
    log = queries.upload_log(engine).set_index("id")
    assert log.loc[c.upload_id, "shown_status"] == "reverted"
    assert log.loc[c.upload_id, "reverted_by"] == "max"
    replaced = queries.upload_replacements(engine, ids["B"])
    assert set(replaced["direction"]) == {"replaced"}


def test_population_revert_restores_the_earlier_estimates(engine):
    header = "area_code,area_name,year,population"
    load_bytes("p1.csv", text_file(header, "E09000003,Barnet,2023,400000"), engine)
    p2 = load_bytes(
        "p2.csv",
        text_file(header, "E09000003,Barnet,2023,401000", "E09000003,Barnet,2024,405000"),
        engine,
    )
    revert_upload(p2.upload_id, engine)
    pops = queries.populations(engine)
    assert sorted(zip(pops["year"], pops["population"], strict=True)) == [(2023, 400000)]


def test_template_revert_restores_the_earlier_rows(engine):
    template = templates.by_name("council-iom")
    rows, about = SAMPLES["council-iom"]()
    load_bytes("iom.xlsx", workbook_bytes(workbook(template, rows, about)), engine)
    changed = {
        "IOM quarters": [
            {**rows["IOM quarters"][0], "cohort_size": 150},
            {"quarter": "2023/24 Q1", "cohort_size": 99},
        ]
    }
    second = load_bytes("iom2.xlsx", workbook_bytes(workbook(template, changed, about)), engine)
    assert second.status == "loaded"

    revert_upload(second.upload_id, engine)

    with engine.connect() as conn:
        held = conn.execute(
            select(db.iom_quarters.c.quarter, db.iom_quarters.c.cohort_size).order_by(
                db.iom_quarters.c.quarter
            )
        ).all()
    assert [tuple(r) for r in held] == [("2022/23 Q3", 101), ("2022/23 Q4", 105)]
