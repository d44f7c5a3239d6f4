"""Overall crime (DOMAIN.md): every offence in the MPS borough or ward file for the area and
month, whatever the vintage calls its categories; R12, P12, ranks as MOPAC7; no default target."""

from __future__ import annotations

import pandas as pd

from core import queries
from core.months import as_month
from core.reference import OVERALL_CRIME
from domain.indicators import indicator_table, record
from domain.targets import TARGET_INDICATORS, Target, apply_targets
from etl.load import load_bytes, load_path
from fixtures.extracts import BARNET, BOROUGH_PRE2019, ONS_POPULATION

CURRENT = (
    "MajorText,MinorText,BoroughName,202401,202402,202403\n"
    "BURGLARY,BURGLARY - RESIDENTIAL,Barnet,5,6,0\n"
    "DRUG OFFENCES,POSSESSION OF DRUGS,Barnet,10,0,0\n"  # not MOPAC7: counted all the same
    "PUBLIC ORDER OFFENCES,A LABEL NEVER SEEN,Barnet,1,2,0\n"  # unknown: loaded, counted
    "BURGLARY,BURGLARY - RESIDENTIAL,Camden,7,7,7\n"
)


def test_overall_crime_sums_every_category_of_the_file(sqlite_engine):
    assert load_bytes("b.csv", CURRENT.encode(), sqlite_engine, user="t").status == "loaded"
    overall = queries.overall_monthly(sqlite_engine, "borough_crime")
    barnet = overall[overall["area_code"] == BARNET].sort_values("month")
    assert set(overall["indicator"]) == {OVERALL_CRIME}
    # by hand: Jan 5 + 10 + 1 = 16; Feb 6 + 0 + 2 = 8; March covered, every count 0
    assert barnet["count"].tolist() == [16, 8, 0]
    assert barnet["month"].tolist() == list(pd.date_range("2024-01-01", periods=3, freq="MS"))
    both = queries.crime_monthly(sqlite_engine, "borough_crime")
    mopac7 = queries.mopac7_monthly(sqlite_engine, "borough_crime")
    # the MOPAC7 rows are mopac7_monthly's, unchanged; overall crime follows them
    pd.testing.assert_frame_equal(both.iloc[: len(mopac7)], mopac7)
    assert both.iloc[len(mopac7) :]["indicator"].eq(OVERALL_CRIME).all()


def test_barnet_had_the_8th_lowest_crime_rate_in_the_12_months_to_september_2015(sqlite_engine):
    # the Board's January 2016 paper: "the 8th lowest crime rate per 1,000 of all 32 London
    # boroughs"; the pre-2019 borough file (every category) and mid-2015 populations give it
    for path in (BOROUGH_PRE2019, ONS_POPULATION):
        assert load_path(path, sqlite_engine).status == "loaded"
    monthly = queries.crime_monthly(sqlite_engine, "borough_crime")
    areas, pops = queries.areas(sqlite_engine), queries.populations(sqlite_engine)
    table = indicator_table(monthly, areas, pops, as_month("2015-09"))
    barnet = record(table, BARNET, OVERALL_CRIME)
    # Oct 2014 - Sep 2015, all 34 minor categories of Barnet's rows summed with pandas
    assert barnet["r12"] == 24_003
    assert (barnet["population"], barnet["population_year"]) == (377_826, 2015)
    assert barnet["london_rank"] == 8


def test_overall_crime_has_no_target_until_the_manager_sets_one():
    row = {
        "area_code": BARNET,
        "indicator": OVERALL_CRIME,
        "r12": 950,
        "p12": 1000,
        "baseline": 2000,
        "rag": "Green",  # the table's default rule: replaced by the target in force
    }
    table = pd.DataFrame([row])
    month = as_month("2025-02")
    assert OVERALL_CRIME in TARGET_INDICATORS  # the Targets page and CLI offer it
    assert apply_targets(table, [], month).iloc[0]["rag"] is None
    five = Target(OVERALL_CRIME, kind="previous", value=5)  # 5% below 1,000 = 950: met
    judged = apply_targets(table, [five], month).iloc[0]
    assert (judged["rag"], judged["target"]) == ("Green", 950.0)


def test_the_targets_command_sets_one_for_overall_crime(sqlite_engine):
    from dashboard.targets import set_target

    set_target(sqlite_engine, OVERALL_CRIME, kind="previous", value=5, by="alice")
    held = queries.targets(sqlite_engine)
    assert held[["indicator", "kind", "value"]].values.tolist() == [[OVERALL_CRIME, "previous", 5]]
