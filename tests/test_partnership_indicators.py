"""Partnership indicators as the manager and the analysts meet them: the manager defines them
(command line), an analyst uploads the template or types a value in, a wrong cell is named by
sheet, row and column, a revised value keeps the old one, and a revert brings it back."""

from __future__ import annotations

import pandas as pd
import pytest

from core import config, queries
from dashboard import cli
from dashboard import partnership_admin as admin
from etl.formats.templates import partnership
from etl.load import load_bytes
from etl.revert import revert_upload
from etl.templates_write import workbook, workbook_bytes

SAMPLE = config.DATA_DIR / "samples" / "partnership-indicators-sample.xlsx"
MARAC = {
    "indicator": "New cases on CS MARAC",
    "priority": "Anti-social behaviour",
    "unit": "count",
    "frequency": "occasion",
    "direction": "neither",
    "additive": "yes",
    "owner": "Barnet Council Community Safety Team",
    "source": "CS MARAC minutes",
}
ECINS = {**MARAC, "indicator": "ASB cases logged (ECINS)", "frequency": "financial year"}


def workbook_of(indicators: list[dict], values: list[dict]) -> bytes:
    rows = {"Indicators": indicators, "Values": values}
    return workbook_bytes(workbook(partnership.TEMPLATE, rows))


def value(indicator: str, period: str, figure, note=None) -> dict:
    return {"indicator": indicator, "period": period, "value": figure, "note": note}


def test_the_published_sample_loads_with_its_real_figures(engine):
    result = load_bytes(SAMPLE.name, SAMPLE.read_bytes(), engine)
    assert result.status == "loaded", result.problems
    values = queries.partnership_values(engine).set_index(["indicator", "period"])["value"]
    # Barnet SCPB Annual Report 2022/23, 4.1.1 and 4.1.4 Table 1, as data/partnership gives them
    assert values["ASB and community safety cases logged (ECINS)", "2021/22"] == 2495
    assert values["ASB and community safety cases logged (ECINS)", "2022/23"] == 3602
    assert values["Cases on CS MARAC", "2022-04"] == 26
    assert values["IOM adult cohort", "2022/23 Q4"] == 105
    defined = queries.partnership_indicators(engine).set_index("indicator")
    assert len(defined) == 19
    assert defined.loc["IOM adult cohort", ["frequency", "additive"]].tolist() == ["quarter", "no"]
    assert defined.loc["Cases on CS MARAC", "frequency"] == "occasion"
    # each definition keeps where it came from: the upload, sheet and Excel row
    where = defined.loc["Cases on CS MARAC", ["upload_id", "source_sheet", "source_row"]]
    assert where.tolist() == [result.upload_id, "Indicators", 2]


# (rows on the Values sheet, code, Excel row, column, value as written)
BAD = [
    ([value(MARAC["indicator"], "2025-03", "seven")], "not-a-number", 2, "value", "seven"),
    ([value("Made-up indicator", "2025-03", 7)], "unknown-indicator", 2, "indicator", None),
    ([value(ECINS["indicator"], "2025-03", 7)], "period-not-frequency", 2, "period", "2025-03"),
    ([value(MARAC["indicator"], "March 2025", 7)], "bad-period", 2, "period", "March 2025"),
    (
        [value(MARAC["indicator"], "2025-03", 7), value(MARAC["indicator"], "2025-03", 8)],
        "duplicate-row",
        3,
        None,
        None,
    ),
]


@pytest.mark.parametrize(("values", "code", "row", "column", "written"), BAD)
def test_a_wrong_cell_is_named_and_nothing_is_written(engine, values, code, row, column, written):
    result = load_bytes("bad.xlsx", workbook_of([MARAC, ECINS], values), engine)
    assert result.status == "rejected"
    assert [(p.code, p.sheet, p.row) for p in result.errors] == [(code, "Values", row)]
    if column:
        assert result.errors[0].column == column
    if written:
        assert result.errors[0].value == written
    assert queries.partnership_values(engine).empty
    assert queries.partnership_indicators(engine).empty


def test_values_of_an_indicator_the_manager_defined_load_without_its_definition(engine):
    admin.define_indicator(engine, MARAC, "manager")
    result = load_bytes(
        "values.xlsx", workbook_of([], [value(MARAC["indicator"], "2025-03-14", 7)]), engine
    )
    assert result.status == "loaded", result.problems
    held = queries.partnership_values(engine).iloc[0]
    assert (held["period"], held["period_kind"], held["value"]) == ("2025-03-14", "date", 7)
    assert (held["source_sheet"], held["source_row"]) == ("Values", 2)


def test_a_month_excel_turned_into_a_date_is_read_as_the_month(sqlite_engine):
    monthly = {**MARAC, "frequency": "month"}
    cell = pd.Timestamp(2025, 3, 1).to_pydatetime()  # '2025-03' typed into a General cell
    result = load_bytes(
        "m.xlsx", workbook_of([monthly], [value(MARAC["indicator"], cell, 7)]), sqlite_engine
    )
    assert result.status == "loaded", result.problems
    assert queries.partnership_values(sqlite_engine)["period"].tolist() == ["2025-03"]


def test_a_revised_value_replaces_and_a_revert_brings_the_old_one_back(engine):
    first = load_bytes(
        "a.xlsx", workbook_of([ECINS], [value(ECINS["indicator"], "2024/25", 3000)]), engine
    )
    second = load_bytes(
        "b.xlsx", workbook_of([], [value(ECINS["indicator"], "2024/25", 3100)]), engine
    )
    assert second.figures_replaced == 1
    assert queries.partnership_values(engine)["value"].tolist() == [3100]
    revert_upload(second.upload_id, engine)
    held = queries.partnership_values(engine)
    assert held["value"].tolist() == [3000] and held["upload_id"].tolist() == [first.upload_id]
    # the definition stays: it is reference data the manager retires
    assert queries.partnership_indicators(engine)["indicator"].tolist() == [ECINS["indicator"]]


def test_an_analyst_types_a_value_and_it_is_an_upload_with_who(engine):
    admin.define_indicator(engine, ECINS, "manager")
    words = admin.type_value(engine, ECINS["indicator"], "2024/25", 3602, "from ECINS", "bob")
    assert words.startswith("Saved 3602")
    log = queries.upload_history(engine, 5).iloc[0]
    assert (log["uploaded_by"], log["status"]) == ("bob", "loaded")
    with pytest.raises(admin.ChangeRefused, match="reported by financial year"):
        admin.type_value(engine, ECINS["indicator"], "2024/25 Q4", 900, None, "bob")


def test_definitions_keep_every_change_and_a_file_restating_one_changes_nothing(engine):
    admin.define_indicator(engine, MARAC, "alice")
    admin.define_indicator(engine, {**MARAC, "direction": "lower"}, "alice")
    load_bytes("c.xlsx", workbook_of([{**MARAC, "direction": "lower"}], []), engine)
    admin.retire_indicator(engine, MARAC["indicator"], "alice")
    changes = queries.partnership_indicator_changes(engine)
    assert changes["action"].tolist() == ["retire", "change", "add"]
    assert changes["changed_by"].tolist() == ["alice"] * 3
    assert queries.partnership_indicators(engine).empty  # retired: not listed
    assert len(queries.partnership_indicators(engine, include_retired=True)) == 1


def test_the_manager_defines_lists_and_retires_on_the_command_line(use_database, capsys):
    args = ["indicators", "add", "First-time entrants", "--priority", "reducing offending"]
    args += ["--frequency", "quarter", "--direction", "lower", "--owner", "Youth Justice Service"]
    assert cli.main([*args, "--by", "alice"]) == 0
    assert cli.main(["indicators", "list"]) == 0
    listing = capsys.readouterr().out
    assert "First-time entrants" in listing and "Reducing offending, violence" in listing
    assert (
        cli.main(
            [
                "indicators",
                "add",
                "X",
                "--priority",
                "Burglary",
                "--frequency",
                "month",
                "--owner",
                "Y",
            ]
        )
        == 1
    )
    assert "strategy's five" in capsys.readouterr().err
    assert cli.main(["indicators", "retire", "First-time entrants", "--by", "alice"]) == 0
    assert queries.partnership_indicators(use_database).empty


def test_the_upload_preview_says_what_each_sheet_would_add_or_change(engine):
    from etl.preview import preview_bytes

    admin.define_indicator(engine, ECINS, "manager")
    load_bytes("a.xlsx", workbook_of([], [value(ECINS["indicator"], "2023/24", 3000)]), engine)
    data = workbook_of(
        [MARAC, {**ECINS, "direction": "lower"}],
        [value(ECINS["indicator"], "2023/24", 3100), value(MARAC["indicator"], "2025-03-14", 4)],
    )
    shown = preview_bytes("b.xlsx", data, engine)
    assert shown.status == "ready" and not shown.errors
    changes = shown.changes.set_index("area_name")
    # Indicators: MARAC new; ECINS held and its direction changed
    assert changes.loc["Indicators", ["added", "replaced", "changed"]].tolist() == [1, 1, 1]
    # Values: MARAC's meeting new; ECINS 2023/24 replaced with a different figure
    assert changes.loc["Values", ["added", "replaced", "changed"]].tolist() == [1, 1, 1]
    assert queries.partnership_values(engine)["value"].tolist() == [3000]  # nothing written


def test_typing_back_an_earlier_value_puts_it_back(sqlite_engine):
    admin.define_indicator(sqlite_engine, ECINS, "manager")
    for figure in (12, 15, 12):
        admin.type_value(sqlite_engine, ECINS["indicator"], "2024/25", figure, None, "bob")
    assert queries.partnership_values(sqlite_engine)["value"].tolist() == [12]


def test_the_blank_template_keeps_a_typed_period_as_text():
    import openpyxl

    blank = config.DATA_DIR / "templates" / "partnership-indicators.xlsx"
    values = openpyxl.load_workbook(blank)["Values"]
    assert values["B1"].value == "period"
    assert values.column_dimensions["B"].number_format == "@"  # Excel leaves '2025-03' as typed
