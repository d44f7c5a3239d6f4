"""The Sources page for every dataset (/provenance, ``dashboard.reports.sources.SOURCES``): a
figure of the MPS dashboard and of each council template traced to its file, sheet, Excel row,
upload, who loaded it and when; a dataset hidden from the user is neither offered nor shown."""

from __future__ import annotations

import pandas as pd

import app  # noqa: F401  (the app first: the pages register with it)
from dashboard import cache
from dashboard.auth import exempt
from dashboard.pages import provenance
from dashboard.reports.monthly import PRODUCERS
from dashboard.reports.sources import SOURCES, exempt_name
from etl.load import load_bytes, load_path
from fixtures.extracts import BARNET, SEED
from test_domestic_abuse import OFFENCES_FILE, OUTCOMES_FILE

SAMPLES = SEED.parent / "samples"


def test_every_dataset_the_dashboard_shows_has_a_source():
    named = {exempt_name(key) for key in SOURCES}
    council = {dataset for _, dataset in cache.COUNCIL_TABLES.values()}
    assert council <= named
    assert {p.dataset for p in PRODUCERS} <= named


def _table(result) -> str:
    return str(result)


def test_a_dashboard_outcome_names_its_file_row_and_who_loaded_it(use_database):
    load_bytes("offences.csv", (OFFENCES_FILE + "\n").encode(), use_database, user="alice")
    load_bytes("outcomes.csv", (OUTCOMES_FILE + "\n").encode(), use_database, user="bob")
    shown = _table(provenance.show("mps_dashboard_outcomes", BARNET, "2025-01"))
    # the outcomes file's one data row (Excel row 2) holds the 7 positive outcomes
    assert "outcomes.csv" in shown and "bob" in shown and "alice" not in shown
    # value 7, upload 2 (the second load), the file, no sheet (a CSV), Excel row 2
    assert "Td('7'), Td('2'), Td('outcomes.csv'), Td(''), Td('2'), Td('bob')" in shown
    assert "1 subgroup." in shown


def test_a_council_template_figure_names_its_sheet_and_row(use_database):
    path = SAMPLES / "serious-youth-violence-sample.xlsx"
    assert load_path(path, use_database, user="carol").status == "loaded"
    sheet = pd.read_excel(path, sheet_name="SYV counts", engine="openpyxl")
    first = sheet[sheet["Borough"] == "Barnet"].iloc[0]
    excel_row = int(first.name) + 2  # the header is row 1
    month = pd.Timestamp(first["Month"]).strftime("%Y-%m-%d")
    areas, months = provenance._choices("serious_youth_violence")
    assert {"label": f"Barnet ({BARNET})", "value": BARNET} in areas
    assert month in {m["value"] for m in months}
    shown = _table(provenance.show("serious_youth_violence", BARNET, month))
    assert "serious-youth-violence-sample.xlsx" in shown and "SYV counts" in shown
    assert f"Td('{int(first['Victims'])}')" in shown and f"Td('{excel_row}')" in shown
    assert "carol" in shown


def test_each_template_sample_traces_its_first_choice(use_database):
    for path in sorted(SAMPLES.glob("*.xlsx")):
        load_path(path, use_database, user="dora")
    keys = ["iom", "proven_reoffending", "wrap_training", "wrap_audiences", "syv_summary"]
    for key in [*keys, "hate_reporting_centres"]:
        areas, months = provenance._choices(key)
        shown = _table(provenance.show(key, areas[1]["value"], months[1]["value"]))
        assert "provenance-table" in shown and "-sample.xlsx" in shown and "dora" in shown, key


def test_a_hidden_dataset_is_not_offered(use_database, monkeypatch):
    load_bytes("outcomes.csv", (OUTCOMES_FILE + "\n").encode(), use_database, user="bob")
    real = exempt.hidden
    monkeypatch.setattr(
        exempt,
        "hidden",
        lambda kind: {"mps_dashboard_outcomes"} if kind == "dataset" else real(kind),
    )
    assert "mps_dashboard_outcomes" not in {o["value"] for o in provenance._datasets()}
    shown = _table(provenance.show("mps_dashboard_outcomes", BARNET, "2025-01"))
    assert "outcomes.csv" not in shown
