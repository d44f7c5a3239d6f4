"""Council templates: the samples load on both engines, every check has a tiny bad workbook,
revisions keep the replaced rows, and the written templates carry their Excel validation."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

from core import config, db, queries, reference
from etl.formats import templates
from etl.formats.templates.spec import (
    BOROUGH,
    COUNT,
    DATE,
    LISTS,
    MONTH,
    NUMBER,
    RANK,
    REPORTING_CENTRES,
    TemplateSpec,
)
from etl.load import load_bytes
from etl.templates_write import MAX_ROWS, template_bytes, workbook, workbook_bytes

SAMPLES = config.DATA_DIR / "samples"
BLANKS = config.DATA_DIR / "templates"
TEMPLATE_NAMES = [t.name for t in templates.TEMPLATES]


def _spec(name: str) -> TemplateSpec:
    return templates.by_name(name)


def _sample_path(template: TemplateSpec):
    return SAMPLES / template.filename.replace(".xlsx", "-sample.xlsx")


def _filled(name: str, rows: dict[str, list[dict]]) -> bytes:
    """A template filled with ``rows`` (field name -> cell value, written as given)."""
    return workbook_bytes(workbook(_spec(name), rows))


def _row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(table))
            for name, table in db.metadata.tables.items()
        }


def _table(engine, name: str) -> list[dict]:
    table = db.metadata.tables[name]
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.source_sheet, table.c.source_row))
        return [dict(r) for r in rows.mappings()]


# ---------------------------------------------------------------- samples


def _expected(field, value):
    """A sample cell as the database should hold it."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if field.kind == BOROUGH:
        return reference.borough_code(value)
    if field.kind == MONTH:
        return date(value.year, value.month, 1)
    if field.kind == DATE:
        return value.date() if hasattr(value, "date") else value
    if field.kind in (COUNT, RANK):
        return int(value)
    if field.kind == NUMBER:
        return pytest.approx(float(value))
    return str(value)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_sample_loads_and_reads_back(engine, name):
    template = _spec(name)
    path = _sample_path(template)
    result = load_bytes(path.name, path.read_bytes(), engine)
    assert result.status == "loaded", result.problems
    assert result.layout == name and not result.errors
    book = openpyxl.load_workbook(path)
    for spec in template.sheets:
        sheet = book[spec.name]
        headings = [c.value for c in sheet[1]]
        wanted = [
            {f.name: _expected(f, row[headings.index(f.heading)]) for f in spec.fields}
            for row in sheet.iter_rows(min_row=2, values_only=True)
            if any(v is not None for v in row)
        ]
        held = [{f.name: r[f.name] for f in spec.fields} for r in _table(engine, spec.table)]
        assert held == wanted
        assert all(r["upload_id"] == result.upload_id for r in _table(engine, spec.table))


def test_sample_known_figures(sqlite_engine):
    for name in ("council-iom", "council-wrap"):
        path = _sample_path(_spec(name))
        load_bytes(path.name, path.read_bytes(), sqlite_engine)
    iom = queries.iom_quarters(sqlite_engine)
    assert iom["quarter"].tolist() == ["2022/23 Q3", "2022/23 Q4"]
    assert iom["cohort_size"].tolist() == [101, 105]
    assert iom["quarter_start"].dt.date.tolist() == [date(2022, 10, 1), date(2023, 1, 1)]
    wrap = queries.wrap_training(sqlite_engine).set_index("department")
    assert wrap.loc[
        "Children and Family Services", ["staff_requiring", "staff_trained", "sessions"]
    ].tolist() == [219, 112, 8]
    assert wrap.loc[
        "Adults and Communities", ["staff_requiring", "staff_trained", "sessions"]
    ].tolist() == [290, 190, 21]
    assert pd.isna(wrap["staff_requiring"]).sum() == 1  # the department with no target yet


def test_syv_sample_summary_agrees_with_its_counts(sqlite_engine):
    path = _sample_path(_spec("council-syv"))
    result = load_bytes(path.name, path.read_bytes(), sqlite_engine)
    assert result.areas == 32
    monthly = queries.syv_monthly(sqlite_engine)
    assert monthly["area_code"].nunique() == 32 and monthly["month"].nunique() == 12
    summary = queries.syv_summary(sqlite_engine, "E09000003").iloc[0]
    barnet = monthly[monthly["area_code"] == "E09000003"]
    assert summary["victims"] == barnet["victims"].sum()


def test_blank_template_is_rejected_as_empty(sqlite_engine):
    path = BLANKS / _spec("council-wrap").filename
    result = load_bytes(path.name, path.read_bytes(), sqlite_engine)
    assert result.status == "rejected"
    assert [p.code for p in result.errors] == ["file-empty"]


# ---------------------------------------------------------------- checks

IOM = "council-iom"
SYV = "council-syv"
WRAP = "council-wrap"
MOJ = "moj-proven-reoffending"
CENTRES = "council-hate-reporting-centres"
Q = {"quarter": "2022/23 Q3", "cohort_size": 101}
WRAP_ROW = {
    "as_at": date(2018, 4, 30),
    "department": "Adults and Communities",
    "staff_requiring": 290,
    "staff_trained": 190,
    "sessions": 21,
}
MOJ_ROW = {
    "category": "Local authority",
    "adult_juvenile": "Adult",
    "geography": "Barnet",
    "cohort": "Jan 2022 to Mar 2022",
    "offenders": 50,
    "reoffenders": 10,
    "reoffences": 30,
}
CENTRE_ROW = {
    "month": date(2023, 4, 1),
    "centre": REPORTING_CENTRES[0],
    "strand": "Racist Crime",
    "crime_or_incident": "Crime",
    "reports": 2,
    "referred_to_police": 1,
}
SUMMARY_ROW = {"area_code": "Barnet", "window_end": date(2024, 3, 1), "rate_per_10000": 5.9}

# (template, sheet, rows, code, Excel row, column heading, value)
BAD_CELLS = [
    (IOM, "IOM quarters", [{**Q, "cohort_size": None}], "blank-value", 2, "Cohort size", None),
    (
        IOM,
        "IOM quarters",
        [{**Q, "cohort_size": "ten"}],
        "not-a-number",  # text is not a number at all (2.5 is a number, not whole)
        2,
        "Cohort size",
        "ten",
    ),
    (
        IOM,
        "IOM quarters",
        [{**Q, "cohort_size": 10.5}],
        "not-whole-number",
        2,
        "Cohort size",
        "10.5",
    ),
    (IOM, "IOM quarters", [{**Q, "cohort_size": -3}], "negative-count", 2, "Cohort size", "-3"),
    (
        IOM,
        "IOM quarters",
        [Q, {**Q, "quarter": "2022/24 Q4"}],
        "bad-quarter",
        3,
        "Quarter",
        "2022/24 Q4",
    ),
    (IOM, "IOM quarters", [Q, {**Q, "quarter": "Q3 2022"}], "bad-quarter", 3, "Quarter", "Q3 2022"),
    (IOM, "IOM quarters", [Q, {**Q, "cohort_size": 99}], "duplicate-row", 3, None, None),
    (
        IOM,
        "IOM quarters",
        [{**Q, "reoffenders": 102}],
        "reoffenders-exceed-cohort",
        2,
        "Reoffenders",
        "102",
    ),
    (
        MOJ,
        "Proven reoffending",
        [{**MOJ_ROW, "reoffenders": 51}],
        "reoffenders-exceed-cohort",
        2,
        "Reoffenders",
        "51",
    ),
    (
        MOJ,
        "Proven reoffending",
        [{**MOJ_ROW, "adult_juvenile": "Youth"}],
        "unexpected-value",
        2,
        "Adult / Juvenile",
        "Youth",
    ),
    (
        WRAP,
        "WRAP training",
        [{**WRAP_ROW, "staff_trained": 300}],
        "trained-exceeds-requiring",
        2,
        "Staff trained",
        "300",
    ),
    (
        WRAP,
        "WRAP training",
        [{**WRAP_ROW, "as_at": "last spring"}],
        "bad-date",
        2,
        "As at",
        "last spring",
    ),
    (
        WRAP,
        "WRAP audiences",
        [{"as_at": date(2018, 4, 30), "audience": "Governors", "count": 3}],
        "unexpected-value",
        2,
        "Audience",
        "Governors",
    ),
    (
        CENTRES,
        "Reporting centres",
        [{**CENTRE_ROW, "strand": "Racism"}],
        "unexpected-value",
        2,
        "Strand",
        "Racism",
    ),
    (
        CENTRES,
        "Reporting centres",
        [{**CENTRE_ROW, "month": "sometime"}],
        "bad-month-value",
        2,
        "Month",
        "sometime",
    ),
    (
        CENTRES,
        "Reporting centres",
        [{**CENTRE_ROW, "referred_to_police": 3}],
        "referred-exceeds-reports",
        2,
        "Referred to police",
        "3",
    ),
    (
        SYV,
        "SYV counts",
        [{"month": date(2024, 3, 1), "area_code": "Barnett", "victims": 3}],
        "unknown-borough",
        2,
        "Borough",
        "Barnett",
    ),
    (
        SYV,
        "SYV counts",
        [{"month": date(2024, 3, 1), "area_code": "City of London", "victims": 3}],
        "unknown-borough",
        2,
        "Borough",
        "City of London",
    ),
    (
        SYV,
        "SYV summary",
        [{**SUMMARY_ROW, "rate_per_10000": "high"}],
        "not-a-number",
        2,
        "Rate per 10,000",
        "high",
    ),
    (
        SYV,
        "SYV summary",
        [{**SUMMARY_ROW, "london_rank": 33}],
        "out-of-range",
        2,
        "London rank",
        "33",
    ),
]


@pytest.mark.parametrize(("name", "sheet", "rows", "code", "row", "column", "value"), BAD_CELLS)
def test_each_check_rejects_and_writes_nothing(engine, name, sheet, rows, code, row, column, value):
    before = _row_counts(engine)
    result = load_bytes("bad.xlsx", _filled(name, {sheet: rows}), engine)
    assert result.status == "rejected"
    assert [(p.code, p.sheet, p.row) for p in result.errors] == [(code, sheet, row)]
    found = result.errors[0]
    if column:
        assert (found.column, found.value) == (column, value)
    after = _row_counts(engine)
    assert after.pop("uploads") == before.pop("uploads") + 1
    assert after == before


@pytest.mark.parametrize("filename", ["syv.xlsx", "syv.csv"])
def test_text_in_a_count_cell_is_not_a_number_and_shown(sqlite_engine, filename):
    """Was "The Victims is blank." with an empty value for an .xlsx cell reading "n/a"."""
    rows = {"SYV counts": [{"month": date(2024, 3, 1), "area_code": "Barnet", "victims": "n/a"}]}
    data = (
        _filled(SYV, rows)
        if filename.endswith(".xlsx")
        else b"Month,Borough,Victims\n2024-03-01,Barnet,n/a\n"
    )
    (found,) = load_bytes(filename, data, sqlite_engine).errors
    assert (found.code, found.column, found.value) == ("not-a-number", "Victims", "n/a")
    assert found.message == "The Victims 'n/a' is not a number."


def test_one_row_is_one_row(sqlite_engine):
    text = "Quarter,Cohort size\n2023/24 Q1,98\n"
    result = load_bytes("iom.csv", text.encode(), sqlite_engine)
    assert "'IOM quarters': 1 row (1 new, 0 replaced)" in result.message


def test_unknown_borough_suggests_the_name(sqlite_engine):
    rows = {"SYV counts": [{"month": date(2024, 3, 1), "area_code": "Barnett", "victims": 3}]}
    result = load_bytes("bad.xlsx", _filled(SYV, rows), sqlite_engine)
    assert "did you mean 'Barnet'" in result.errors[0].message


def test_duplicate_names_the_first_row(sqlite_engine):
    result = load_bytes("dup.xlsx", _filled(IOM, {"IOM quarters": [Q, Q]}), sqlite_engine)
    assert "2022/23 Q3" in result.errors[0].message and "row 2" in result.errors[0].message


def test_missing_column(engine):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "IOM quarters"
    sheet.append(["Quarter", "Reoffenders"])
    sheet.append(["2022/23 Q3", 10])
    buffer = io.BytesIO()
    book.save(buffer)
    before = _row_counts(engine)
    result = load_bytes("missing.xlsx", buffer.getvalue(), engine)
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("missing-column", 1, "Cohort size")
    ]
    assert _row_counts(engine)["iom_quarters"] == before["iom_quarters"]


def test_every_problem_at_once_in_row_order(sqlite_engine):
    rows = [
        {**Q, "cohort_size": "x"},
        {**Q, "quarter": "2022/23 Q5", "reoffenders": -1},
        {"quarter": "2022/23 Q4", "cohort_size": 5, "reoffenders": 6},
    ]
    result = load_bytes("many.xlsx", _filled(IOM, {"IOM quarters": rows}), sqlite_engine)
    assert [(p.row, p.code) for p in result.errors] == [
        (2, "not-a-number"),
        (3, "bad-quarter"),
        (3, "negative-count"),
        (4, "reoffenders-exceed-cohort"),
    ]


def test_one_bad_sheet_rejects_the_whole_workbook(sqlite_engine):
    rows = {
        "WRAP training": [WRAP_ROW],
        "WRAP audiences": [{"as_at": date(2018, 4, 30), "audience": "Parents", "count": -1}],
    }
    result = load_bytes("wrap.xlsx", _filled(WRAP, rows), sqlite_engine)
    assert result.status == "rejected"
    assert _row_counts(sqlite_engine)["wrap_training"] == 0


def test_centre_off_the_list_loads_with_a_warning(sqlite_engine):
    rows = [{**CENTRE_ROW, "centre": "Hendon Library"}]
    result = load_bytes("c.xlsx", _filled(CENTRES, {"Reporting centres": rows}), sqlite_engine)
    assert result.status == "loaded"
    assert [(p.code, p.value) for p in result.warnings] == [("not-on-list", "Hendon Library")]
    assert queries.hate_reporting_centres(sqlite_engine)["centre"].tolist() == ["Hendon Library"]


def test_values_are_read_leniently(sqlite_engine):
    rows = [
        {
            **CENTRE_ROW,
            "month": "2023-05-17",
            "strand": "racist crime",
            "crime_or_incident": " incident ",
            "reports": "3",
            "referred_to_police": 0,
        },
    ]
    result = load_bytes("c.xlsx", _filled(CENTRES, {"Reporting centres": rows}), sqlite_engine)
    assert result.status == "loaded", result.problems
    held = queries.hate_reporting_centres(sqlite_engine).iloc[0]
    assert (held["month"].date(), held["strand"], held["crime_or_incident"], held["reports"]) == (
        date(2023, 5, 1),
        "Racist Crime",
        "Incident",
        3,
    )


@pytest.mark.parametrize(
    ("month", "quarter"),
    [("Mar 2024", "2024/25 Q1"), ("March 2024", "2024-25 Q1"), ("2024-03", "2024/25q1")],
)
def test_months_and_quarters_as_people_write_them(sqlite_engine, month, quarter):
    rows = {"SYV counts": [{"month": month, "area_code": "barnet", "victims": 1}]}
    assert load_bytes("s.xlsx", _filled(SYV, rows), sqlite_engine).status == "loaded"
    assert queries.syv_monthly(sqlite_engine)["month"].dt.date.tolist() == [date(2024, 3, 1)]
    rows = {"IOM quarters": [{"quarter": quarter, "cohort_size": 90}]}
    assert load_bytes("i.xlsx", _filled(IOM, rows), sqlite_engine).status == "loaded"
    assert queries.iom_quarters(sqlite_engine)["quarter"].tolist() == ["2024/25 Q1"]


# ---------------------------------------------------------------- detection


def test_renamed_sheet_is_found_by_its_header(sqlite_engine):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["Quarter", "Cohort size"])
    sheet.append(["2023/24 Q1", 98])
    buffer = io.BytesIO()
    book.save(buffer)
    result = load_bytes("renamed.xlsx", buffer.getvalue(), sqlite_engine)
    assert result.status == "loaded" and result.layout == IOM
    assert _table(sqlite_engine, "iom_quarters")[0]["source_sheet"] == "Sheet1"


def test_csv_of_a_data_sheet_loads(sqlite_engine):
    text = "Quarter,Cohort size\n2023/24 Q1,98\n2023/24 Q2,97\n"
    result = load_bytes("iom.csv", text.encode(), sqlite_engine)
    assert result.status == "loaded" and result.layout == IOM
    assert queries.iom_quarters(sqlite_engine)["cohort_size"].tolist() == [98, 97]


def test_unknown_layout_lists_the_templates(sqlite_engine):
    result = load_bytes("x.csv", b"a,b\n1,2\n", sqlite_engine)
    assert result.errors[0].code == "unknown-layout"
    assert "the Upload page lists them" in result.errors[0].message


# ---------------------------------------------------------------- revisions


def test_newer_upload_replaces_and_keeps_history(engine):
    first = load_bytes(
        "iom1.xlsx",
        _filled(IOM, {"IOM quarters": [{"quarter": "2022/23 Q2", "cohort_size": 97}, Q]}),
        engine,
    )
    second = load_bytes(
        "iom2.xlsx",
        _filled(
            IOM,
            {
                "IOM quarters": [
                    {**Q, "cohort_size": 99, "reoffenders": 20},
                    {"quarter": "2022/23 Q4", "cohort_size": 105},
                ]
            },
        ),
        engine,
    )
    assert (second.figures_added, second.figures_replaced) == (1, 1)
    held = queries.iom_quarters(engine).set_index("quarter")
    assert held["cohort_size"].to_dict() == {"2022/23 Q2": 97, "2022/23 Q3": 99, "2022/23 Q4": 105}
    assert held.loc["2022/23 Q2", "upload_id"] == first.upload_id  # a key not in the new file stays
    assert held.loc["2022/23 Q3", "upload_id"] == second.upload_id
    history = queries.template_history(engine, "iom_quarters")
    assert len(history) == 1
    old = history.iloc[0]
    assert json.loads(old["key_json"]) == {"quarter": "2022/23 Q3"}
    assert old["values_json"]["cohort_size"] == 101
    assert old["values_json"]["reoffenders"] is None
    assert old["values_json"]["source_row"] == 3
    assert (old["upload_id"], old["replaced_by_upload_id"]) == (first.upload_id, second.upload_id)


def test_revision_with_composite_date_key(engine):
    rows = [
        {"month": date(2024, 3, 1), "area_code": "Barnet", "victims": 20},
        {"month": date(2024, 3, 1), "area_code": "Brent", "victims": 30},
    ]
    load_bytes("a.xlsx", _filled(SYV, {"SYV counts": rows}), engine)
    rows[0] = {**rows[0], "victims": 22}
    second = load_bytes("b.xlsx", _filled(SYV, {"SYV counts": rows[:1]}), engine)
    assert second.figures_replaced == 1
    held = queries.syv_monthly(engine).set_index("area_code")["victims"].to_dict()
    assert held == {"E09000003": 22, "E09000005": 30}
    history = queries.template_history(engine, "syv_counts")
    assert json.loads(history.iloc[0]["key_json"]) == {
        "area_code": "E09000003",
        "month": "2024-03-01",
    }
    assert history.iloc[0]["values_json"]["victims"] == 20


def test_same_file_twice_is_unchanged(sqlite_engine):
    data = _filled(IOM, {"IOM quarters": [Q]})
    assert load_bytes("a.xlsx", data, sqlite_engine).status == "loaded"
    again = load_bytes("a.xlsx", data, sqlite_engine)
    assert again.status == "unchanged"
    assert _row_counts(sqlite_engine)["template_history"] == 0


# ---------------------------------------------------------------- the written templates


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_committed_template_is_current(name):
    template = _spec(name)
    assert (BLANKS / template.filename).read_bytes() == template_bytes(template), (
        "regenerate with: python -m etl templates"
    )


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_validation_lists(name):
    template = _spec(name)
    book = openpyxl.load_workbook(BLANKS / template.filename)
    assert book.sheetnames[0] == "Instructions"
    lists = book["Lists"] if "Lists" in book.sheetnames else None
    if lists is not None:
        assert lists.sheet_state == "hidden"
    for spec in template.sheets:
        sheet = book[spec.name]
        assert [c.value for c in sheet[1]] == [f.heading for f in spec.fields]
        assert sheet.freeze_panes == "A2"
        by_range = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
        for col, fld in enumerate(spec.fields, start=1):
            letter = openpyxl.utils.get_column_letter(col)
            dv = by_range[f"{letter}2:{letter}{MAX_ROWS + 1}"]
            if fld.choices:
                assert dv.type == "list"
                target, cells = dv.formula1.split("!")
                assert target == "Lists"
                values = [c.value for row in lists[cells.replace("$", "")] for c in row]
                assert values == LISTS[fld.choices]
                assert dv.errorStyle == ("stop" if fld.strict else "warning")
            elif fld.kind == COUNT:
                assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
            elif fld.kind == RANK:
                assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "32")
            elif fld.kind in (MONTH, DATE):
                assert dv.type == "date"
            assert dv.prompt == fld.help[:255]


def test_instructions_explain_each_column_and_give_an_example():
    template = _spec(WRAP)
    book = openpyxl.load_workbook(BLANKS / template.filename)
    text = [c for row in book["Instructions"].iter_rows(values_only=True) for c in row if c]
    for spec in template.sheets:
        for fld in spec.fields:
            assert fld.help in text
    assert "Example department" in text
    assert any("python -m etl load" in str(t) for t in text)


def test_illustrative_samples_say_so():
    for name in (SYV, MOJ, CENTRES, WRAP):
        book = openpyxl.load_workbook(_sample_path(_spec(name)))
        text = " ".join(
            str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c
        )
        assert "ILLUSTRATIVE" in text
    book = openpyxl.load_workbook(_sample_path(_spec(IOM)))
    text = " ".join(
        str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c
    )
    assert "ILLUSTRATIVE" not in text and "101" in text
