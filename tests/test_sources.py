"""The Sources page for every dataset (/provenance, ``dashboard.reports.sources.SOURCES``): a
figure of the MPS dashboard and of each council template traced to its file, sheet, Excel row,
upload, who loaded it and when; a dataset hidden from the user is neither offered nor shown."""

from __future__ import annotations

import pandas as pd

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from dashboard import council_figures
from dashboard import partnership_admin as admin
from dashboard.auth import exempt
from dashboard.pages import provenance
from dashboard.reports.monthly import PRODUCERS
from dashboard.reports.sources import SOURCES, exempt_name
from etl.load import load_bytes, load_path
from fixtures.extracts import BARNET, SEED
from test_domestic_abuse import OFFENCES_FILE, OUTCOMES_FILE
from test_exempt import call_as
from test_partnership_indicators import ECINS, value, workbook_of
from test_police_uk import CITY, JAN, MET, loaded_lookups, row, street, zip_of

SAMPLES = SEED.parent / "samples"


def test_every_dataset_the_dashboard_shows_has_a_source():
    named = {exempt_name(key) for key in SOURCES}
    council = {dataset for _, dataset, _ in council_figures.COUNCIL_TABLES.values()}
    assert council <= named
    assert {p.dataset for p in PRODUCERS} <= named
    assert {"police_uk", "partnership_indicators"} <= named


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


def test_a_police_uk_count_names_its_file_first_row_upload_and_who(use_database):
    loaded_lookups(use_database)
    data = zip_of(
        {
            "2023-01/2023-01-metropolitan-street.csv": street(*JAN),
            "2023-01/2023-01-city-of-london-street.csv": street(
                row("2023-01", "E01000916", "Robbery", CITY),
                row("2023-01", "E01000248", "Anti-social behaviour", CITY),
            ),
        }
    )
    upload = load_bytes("custom.zip", data, use_database, user="anna").upload_id
    areas, months = provenance._choices("police_uk")
    assert {"label": "Barnet (E09000003)", "value": "E09000003"} in areas
    assert {"label": "Barnet Vale, Barnet (E05013628)", "value": "E05013628"} in areas
    assert [m["value"] for m in months] == ["choose", "2023-01"]
    shown = _table(provenance.show("police_uk", "E05013628", "2023-01"))
    # Barnet Vale's ASB: 3 in the Met's file (rows 2, 3 and 7: the first is given), 1 in the
    # City's (row 3); nothing else there that month
    met = "2023-01/2023-01-metropolitan-street.csv"
    city = "2023-01/2023-01-city-of-london-street.csv"
    for force, count, member, first in [(MET, 3, met, 2), (CITY, 1, city, 3)]:
        cells = f"Td('{count}'), Td('{upload}'), Td('custom.zip'), Td('{member}'), Td('{first}')"
        assert f"Td('Anti-social behaviour ({force})'), {cells}, Td('anna')" in shown
    assert "2 counts." in shown and "Burglary" not in shown


def test_an_exempt_police_uk_type_is_not_traced_for_a_viewer(use_database):
    loaded_lookups(use_database)
    load_bytes("2023-01-metropolitan-street.csv", street(*JAN), use_database, user="anna")
    for name, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(use_database, name, role)
    exempt.mark(use_database, "indicator", "Burglary", "max")
    site = (use_database, webclient.the_app().server)
    show = lambda: _table(provenance.show("police_uk", "E09000003", "2023-01"))  # noqa: E731
    assert "Burglary" in call_as(site, "max", show)
    viewer = call_as(site, "vera", show)
    assert "Anti-social behaviour (" in viewer and "Burglary" not in viewer


def test_a_partnership_value_names_its_sheet_row_and_a_typed_one_its_upload(use_database):
    data = workbook_of(
        [ECINS],
        [value(ECINS["indicator"], "2022/23", 3280), value(ECINS["indicator"], "2023/24", 3512)],
    )
    assert load_bytes("partners.xlsx", data, use_database, user="carol").status == "loaded"
    admin.type_value(use_database, ECINS["indicator"], "2024/25", 3602, "from ECINS", "bob")
    indicators, periods = provenance._choices("partnership_indicators")
    assert [i["value"] for i in indicators] == ["choose", ECINS["indicator"]]
    assert [p["value"] for p in periods] == ["choose", "2024/25", "2023/24", "2022/23"]
    shown = _table(provenance.show("partnership_indicators", ECINS["indicator"], "2023/24"))
    # the second value on the Values sheet: Excel row 3 (the header is row 1)
    assert "Td('3,512'), Td('1'), Td('partners.xlsx'), Td('Values'), Td('3'), Td('carol')" in shown
    typed = _table(provenance.show("partnership_indicators", ECINS["indicator"], "2024/25"))
    assert "ASB cases logged (ECINS), 2024/25 (from ECINS)" in typed
    assert "Td('3,602'), Td('2'), Td('partnership value typed in by bob.xlsx')" in typed
    assert "Td('bob')" in typed and "1 value." in typed
