"""etl.preview: what loading a file would change, worked out without writing anything."""

from __future__ import annotations

from datetime import date

import pytest

from etl.formats import templates
from etl.load import load_bytes
from etl.preview import preview_bytes, record_rejection, withheld
from etl.templates_samples import SAMPLES
from etl.templates_write import workbook, workbook_bytes
from fixtures.extracts import BARNET, table_counts, text_file, upload_log
from test_load import FILE_A, FILE_B

BRENT = "E09000005"


def by_area(preview) -> dict[str, dict]:
    return {r["area_code"]: r for r in preview.changes.to_dict("records")}


def test_a_new_file_adds_every_month_and_writes_nothing(engine):
    preview = preview_bytes("a.csv", FILE_A, engine)

    assert (preview.status, preview.layout) == ("ready", "mps-borough-current")
    assert "MajorText" in preview.layout_label
    rows = by_area(preview)
    assert set(rows) == {BARNET, BRENT}
    barnet = rows[BARNET]
    assert (barnet["added"], barnet["replaced"], barnet["kept"]) == (3, 0, 0)
    assert (barnet["added_from"], barnet["added_to"]) == (date(2024, 1, 1), date(2024, 3, 1))
    assert barnet["old_total"] is None
    assert preview.rows_read == 4
    assert sum(table_counts(engine).values()) == 0
    assert upload_log(engine).empty


def test_a_newer_file_shows_months_replaced_with_old_and_new_totals(engine):
    load_bytes("a.csv", FILE_A, engine)
    before = table_counts(engine)

    preview = preview_bytes("b.csv", FILE_B, engine)

    rows = by_area(preview)
    # Barnet Feb+Mar: A 11+12+6+7+4+5 = 45; B 13+14+8+9+0+6 = 50. Brent: 21+22 -> 23+24.
    assert (rows[BARNET]["added"], rows[BARNET]["replaced"]) == (1, 2)
    assert (rows[BARNET]["old_total"], rows[BARNET]["new_total"]) == (45, 50)
    assert (rows[BRENT]["old_total"], rows[BRENT]["new_total"]) == (43, 47)
    assert rows[BARNET]["changed"] == 1  # February's total is 21 in both files
    assert table_counts(engine) == before
    assert len(upload_log(engine)) == 1


def test_preview_agrees_with_the_load_that_follows(engine):
    load_bytes("a.csv", FILE_A, engine)
    preview = preview_bytes("b.csv", FILE_B, engine)
    result = load_bytes("b.csv", FILE_B, engine)
    assert int(preview.changes["added"].sum()) == result.area_months_added
    assert int(preview.changes["replaced"].sum()) == result.area_months_replaced
    assert int(preview.changes["kept"].sum()) == result.area_months_kept


def test_an_older_file_shows_the_months_it_would_not_change(engine):
    load_bytes("b.csv", FILE_B, engine)
    rows = by_area(preview_bytes("a.csv", FILE_A, engine))
    assert (rows[BARNET]["added"], rows[BARNET]["replaced"], rows[BARNET]["kept"]) == (1, 0, 2)


def test_the_same_file_again_changes_nothing(engine):
    first = load_bytes("a.csv", FILE_A, engine)
    preview = preview_bytes("copy of a.csv", FILE_A, engine)
    assert preview.status == "unchanged"
    assert f"upload {first.upload_id}" in preview.message


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        (text_file("foo,bar", "1,2"), ["unknown-layout"]),
        (
            text_file(
                "MajorText,MinorText,BoroughName,202401",
                "BURGLARY,BURGLARY IN A DWELLING,Barnet,-3",
            ),
            ["negative-count"],
        ),
        (
            text_file(
                "MajorText,MinorText,BoroughName,202401", "BURGLARY,BURGLARY IN A DWELLING,Narnia,3"
            ),
            ["unknown-borough"],
        ),
    ],
)
def test_a_file_with_errors_is_rejected_with_its_report_and_writes_nothing(engine, data, codes):
    preview = preview_bytes("bad.csv", data, engine)
    assert preview.status == "rejected"
    assert [p.code for p in preview.errors] == codes
    assert preview.changes.empty
    assert sum(table_counts(engine).values()) == 0 and upload_log(engine).empty
    record_rejection(preview, engine, "anna")
    log = upload_log(engine)
    assert list(log["status"]) == ["rejected"] and list(log["uploaded_by"]) == ["anna"]
    assert sum(table_counts(engine).values()) == 0


def test_a_file_over_the_size_limit_is_refused(engine, monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_MB", "0.0001")
    preview = preview_bytes("a.csv", FILE_A, engine)
    assert [p.code for p in preview.problems] == ["file-too-large"]


def test_population_preview_shows_years_replaced(engine):
    header = "area_code,area_name,year,population"
    load_bytes("p1.csv", text_file(header, "E09000003,Barnet,2023,400000"), engine)
    data = text_file(header, "E09000003,Barnet,2023,401000", "E09000003,Barnet,2024,405000")
    row = by_area(preview_bytes("p2.csv", data, engine))[BARNET]
    assert (row["dataset"], row["added"], row["replaced"]) == ("population", 1, 1)
    assert (row["old_total"], row["new_total"]) == (400000, 401000)


def test_council_template_preview_counts_rows_new_and_replaced(engine):
    template = templates.by_name("council-iom")
    rows, about = SAMPLES["council-iom"]()
    load_bytes("iom.xlsx", workbook_bytes(workbook(template, rows, about)), engine)
    rows["IOM quarters"] = [*rows["IOM quarters"], {"quarter": "2023/24 Q1", "cohort_size": 99}]
    rows["IOM quarters"][0] = {**rows["IOM quarters"][0], "cohort_size": 102}
    preview = preview_bytes("iom2.xlsx", workbook_bytes(workbook(template, rows, about)), engine)
    assert preview.status == "ready"
    (row,) = preview.changes.to_dict("records")
    assert (row["area_name"], row["added"], row["replaced"], row["changed"]) == (
        "IOM quarters",
        1,
        2,
        1,
    )


def test_each_area_names_the_indicators_its_totals_include(engine):
    load_bytes("a.csv", FILE_A, engine)
    # only other theft in this file: the held totals it would replace still include A's
    # burglary and robbery, so an exempt burglary withholds Barnet's old -> new totals
    other = text_file(
        "MajorText,MinorText,BoroughName,202402,202403", "THEFT,OTHER THEFT,Barnet,1,1"
    )
    row = by_area(preview_bytes("c.csv", other, engine))[BARNET]
    # every category here has a victim: the totals are part of TNO Victim Based too
    assert row["indicators"] == ["Burglary", "Robbery", "TNO Victim Based"]
    assert (row["old_total"], row["new_total"]) == (45, 2)
    assert withheld(row, set(), {"Burglary"})
    assert withheld(row, {"borough_crime"}, set())
    assert not withheld(row, {"ward_crime"}, {"Violence with injury", "MOPAC7 total"})


DASHBOARD_HEADER = (
    "month_year,area_type,borough_snt,area_name,area_code,crime_type,crime_subtype,measure,count"
)
HATE = "Borough,Barnet,Barnet,E09000003,Hate Crime"


def test_an_mps_dashboard_area_names_the_subgroups_its_totals_include(engine):
    held = text_file(
        DASHBOARD_HEADER,
        f"2024-01-01,{HATE},AntiSemitic,Offences,3",
        f"2024-01-01,{HATE},Racist Crime,Offences,5",
    )
    assert load_bytes("held.csv", held, engine).status == "loaded"
    again = text_file(DASHBOARD_HEADER, f"2024-01-01,{HATE},Racist Crime,Offences,0")
    row = by_area(preview_bytes("again.csv", again, engine))[BARNET]
    assert row["dataset"] == "mps_dashboard_offences"
    assert row["indicators"] == ["AntiSemitic", "Racist Crime"]
    assert (row["old_total"], row["new_total"]) == (8, 0)
    assert withheld(row, set(), {"AntiSemitic"})
    assert withheld(row, {"mps_dashboard_offences"}, set())
    assert not withheld(row, {"mps_dashboard_outcomes"}, {"Burglary"})


def test_a_file_wiping_held_months_is_warned_of_even_where_its_totals_are_withheld(engine):
    """Issue 18 item 9: with Burglary exempt an analyst sees no old -> new totals for Barnet, so
    a file of zeros (a blank export) would wipe its Feb and Mar 2024 unseen: the line warns,
    without a figure. Held Barnet Feb+Mar: 11+12 + 6+7 + 4+5 = 45 -> 0 + 0."""
    from dashboard.pending import shown_to
    from domain.exemptions import withheld as hidden_with

    load_bytes("a.csv", FILE_A, engine)
    zeros = text_file(
        "MajorText,MinorText,BoroughName,202402,202403", "THEFT,OTHER THEFT,Barnet,0,0"
    )
    preview = preview_bytes("zeros.csv", zeros, engine)
    assert by_area(preview)[BARNET]["emptied"] == 2
    record = {"preview": {"changes": preview.changes.to_dict("records"), "message": ""}}
    shown = shown_to(record, set(), hidden_with({"Burglary"}))["preview"]
    assert "Warning: 2 area-months held would become all zero" in shown["message"]
    assert "not shown" in shown["message"] and "45" not in shown["message"]
    assert all(c["old_total"] is None for c in shown["changes"])


def test_a_total_of_categories_without_a_victim_is_withheld_with_tno_non_victim_based(engine):
    drugs = text_file(
        "MajorText,MinorText,BoroughName,202402", "DRUG OFFENCES,POSSESSION OF DRUGS,Barnet,3"
    )
    row = by_area(preview_bytes("d.csv", drugs, engine))[BARNET]
    assert row["indicators"] == ["TNO Non Victim Based"]
    assert withheld(row, set(), {"TNO Non Victim Based"})
    assert not withheld(row, set(), {"TNO Victim Based", "Burglary"}, {"Burglary"})
