"""Illustrative figures (made up, as the shipped samples' Instructions say): flagged per sheet
where the file says so of one sheet, per file where it says so of the whole file; marked on
every page section, export and pack period that shows them; a real file loaded over them (same
rows) removes the mark.

Each file is a small template workbook written by ``etl.templates_write``, once with the
samples' ILLUSTRATIVE line in its Instructions and once without it."""

from __future__ import annotations

import io
from datetime import date
from importlib import import_module

import pandas as pd
import pytest

import app  # noqa: F401  (registers the pages and their callbacks, as in production)
import webclient
from core.months import as_month
from dashboard import illustrative
from dashboard.pages import illustrative_marks
from dashboard.reports.indicators import crime_indicators
from dashboard.reports.pack import periods
from domain.priorities import SYV
from etl.formats import templates
from etl.load import load_bytes
from etl.preview import preview_bytes
from etl.templates_samples import ILLUSTRATIVE
from etl.templates_write import workbook, workbook_bytes
from layout_tree import text as layout_text
from test_priority_pages import _syv_counts, _syv_populations

AS_AT = date(2018, 4, 30)
WRAP = {
    "WRAP training": [
        {
            "as_at": AS_AT,
            "department": "Adults and Communities",
            "staff_requiring": 290,
            "staff_trained": 190,
            "sessions": 21,
        }
    ],
    "WRAP audiences": [{"as_at": AS_AT, "audience": "Parents", "count": 85}],
}
IOM = {"IOM quarters": [{"quarter": "2022/23 Q3", "cohort_size": 101}]}
MOJ = {
    "Proven reoffending": [
        {
            "category": "Local authority",
            "adult_juvenile": "Adult",
            "geography": "Barnet",
            "cohort": "Jan 2022 to Mar 2022",
            "offenders": 560,
            "reoffenders": 118,
            "reoffences": 401,
        }
    ]
}
CENTRES = {
    "Reporting centres": [
        {
            "month": date(2022, 4, 1),
            "centre": "Mill Hill community centre",
            "strand": "Racist Crime",
            "crime_or_incident": "Crime",
            "reports": 2,
            "referred_to_police": 1,
        }
    ]
}
PARTNERS = {
    "Indicators": [
        {
            "indicator": "Channel referrals",
            "priority": "Prevent",
            "unit": "count",
            "frequency": "quarter",
            "direction": "neither",
            "additive": "yes",
            "owner": "Prevent team",
            "source": "Prevent case management",
        }
    ],
    "Values": [{"indicator": "Channel referrals", "period": "2024/25 Q3", "value": 52}],
}
WHOLE = (ILLUSTRATIVE,)  # as the serious youth violence sample says it
AUDIENCES_ONLY = ("'WRAP audiences': " + ILLUSTRATIVE,)  # as the WRAP sample says it


def template_file(name: str, sheets: dict, about: tuple[str, ...] = ()) -> bytes:
    return workbook_bytes(workbook(templates.by_name(name), sheets, about))


def syv_file(about: tuple[str, ...] = ()) -> bytes:
    return template_file("council-syv", {"SYV counts": _syv_counts()}, about)


@pytest.fixture
def home(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    return sqlite_engine


def load(engine, name: str, data: bytes) -> int:
    result = load_bytes(name, data, engine, user="test")
    assert result.status == "loaded", result.message
    return result.upload_id


# --- per sheet or per file ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("about", "sheet", "said", "flagged"),
    [
        (
            AUDIENCES_ONLY,
            "WRAP audiences",
            "The sheet 'WRAP audiences' says its",
            {"wrap_audiences"},
        ),
        (WHOLE, "Instructions", "This file says its", {"wrap_training", "wrap_audiences"}),
        ((), None, None, set()),
    ],
)
def test_a_sheet_or_the_whole_file_is_flagged_as_its_instructions_say(
    home, about, sheet, said, flagged
):
    data = template_file("council-wrap", WRAP, about)
    warned = [
        w for w in preview_bytes("wrap.xlsx", data, home).warnings if w.code == illustrative.CODE
    ]
    assert [w.sheet for w in warned] == ([sheet] if sheet else [])
    if said:
        assert warned[0].message.startswith(f"{said} figures are ILLUSTRATIVE")
    load(home, "wrap.xlsx", data)
    assert illustrative.tables(home) == flagged
    # the pack's Prevent section shows the training sheet: marked only when that sheet is
    assert periods.periods(as_month("2018-06"))["prevent"].illustrative is (
        "wrap_training" in flagged
    )


def test_the_shipped_wrap_sample_flags_its_audiences_alone(home):
    from fixtures.extracts import SEED

    sample = SEED.parent / "samples" / "prevent-wrap-training-sample.xlsx"
    load(home, sample.name, sample.read_bytes())
    assert illustrative.tables(home) == {"wrap_audiences"}


# --- the pages -------------------------------------------------------------------------------

PAGE_FILES = [  # (page, template, rows, the section's notice Div, its heading's mark)
    ("reoffending", "council-iom", IOM, "reoffending-iom-illustrative", "reoffending-iom-mark"),
    (
        "reoffending",
        "moj-proven-reoffending",
        MOJ,
        "reoffending-moj-illustrative",
        "reoffending-adult-mark",
    ),
    ("prevent", "council-wrap", WRAP, "prevent-training-illustrative", "prevent-coverage-mark"),
    (
        "hate-crime",
        "council-hate-reporting-centres",
        CENTRES,
        "hate-centres-illustrative",
        "hate-centres-section-mark",
    ),
    ("partnership", "council-partnership-indicators", PARTNERS, "partnership-illustrative", None),
]


def _marks(page: str) -> dict:
    parts = illustrative_marks.PAGES[page]
    ids = [p.slot for p in parts] + [m for p in parts for m in p.marks]
    return dict(zip(ids, illustrative_marks.marks(page), strict=True))


@pytest.mark.parametrize(("page", "name", "rows", "slot", "mark"), PAGE_FILES)
@pytest.mark.parametrize("made_up", [True, False])
def test_each_page_section_says_its_figures_are_illustrative(
    home, page, name, rows, slot, mark, made_up
):
    said = ("'WRAP training': " + ILLUSTRATIVE,) if name == "council-wrap" else WHOLE
    load(home, "file.xlsx", template_file(name, rows, said if made_up else ()))
    shown = _marks(page)
    notice = layout_text(shown[slot]) if shown[slot] else ""
    if made_up:
        assert "Illustrative figures:" in notice
        assert "are made-up sample figures, not Barnet's real figures" in notice
        assert mark is None or shown[mark] == " (illustrative)"
    else:
        assert notice == "" and (mark is None or shown[mark] == "")
    if page in ("reoffending", "prevent"):  # the page's sentence at the top says so too
        module = import_module(f"dashboard.pages.{page}")
        assert ("(Illustrative figures: made up, not real.)" in module.update(None)[0]) is made_up
    others = [p.slot for p in illustrative_marks.PAGES[page] if p.slot != slot]
    assert all(shown[o] is None for o in others)  # only the section the file fills


# --- a real file over the sample, through the kept answers and the export --------------------


def _fire(client, output: str):
    response = webclient.fire(
        client,
        webclient.output_key(output),
        [{"id": "period-select", "property": "value", "value": "2024-03"}],
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _export(client) -> pd.DataFrame:
    response = client.get("/figures/youth-violence.csv")
    assert response.status_code == 200
    frame = pd.read_csv(io.StringIO(response.get_data(as_text=True)))
    return frame[frame["dataset"] == "serious_youth_violence"]


def test_a_real_file_over_the_sample_removes_every_mark(home):
    load(home, "population.csv", _syv_populations())
    sample = load(home, "syv-sample.xlsx", syv_file(WHOLE))
    webclient.add_user(home, "vic", "viewer")
    client = webclient.the_app().server.test_client()
    webclient.sign_in(client, "vic")
    table = _fire(client, "syv-figures-table")
    assert "Serious youth violence: victims aged 1 to 19 (illustrative)" in table
    assert "(Illustrative figures: made up, not real.)" in table  # after the page's sentence
    assert "are made-up sample figures" in _fire(client, "syv-illustrative")
    rows = _export(client)
    assert len(rows) == 32 * 12 and set(rows["illustrative"]) == {"yes"}
    assert set(rows["source_upload"]) == {sample}
    indicators = crime_indicators(home, as_month("2024-03"))  # and the pack's Indicators sheet
    assert len(indicators) == 32 and set(indicators["indicator"]) == {SYV}
    assert set(indicators["illustrative"]) == {"yes"}
    # the council's real return for the same months and boroughs replaces every row
    real = load(home, "syv-real.xlsx", syv_file())
    assert illustrative.tables(home) == set()
    table = _fire(client, "syv-figures-table")  # a kept answer would still say illustrative
    assert "Serious youth violence: victims aged 1 to 19" in table and "(illustrative)" not in table
    assert "Illustrative figures" not in table
    assert "made-up" not in _fire(client, "syv-illustrative")
    rows = _export(client)
    assert set(rows["illustrative"]) == {"no"} and set(rows["source_upload"]) == {real}
    assert set(crime_indicators(home, as_month("2024-03"))["illustrative"]) == {"no"}


def test_a_whole_file_flag_marks_only_the_tables_it_holds_rows_in(home):
    sample = load(home, "syv-sample.xlsx", syv_file(WHOLE))
    assert illustrative.flagged(home) == {(sample, "syv_counts")}  # no 'SYV summary' rows
    assert illustrative.uploads("syv_counts", home) == {sample}
    assert illustrative.uploads("syv_summary", home) == set()


@pytest.mark.parametrize("made_up", [True, False])
def test_the_packs_partnership_section_says_its_figures_are_illustrative(home, made_up):
    from dashboard.reports.pack.partners import partnership_section

    about = WHOLE if made_up else ()
    load(home, "partners.xlsx", template_file("council-partnership-indicators", PARTNERS, about))
    section = partnership_section(as_month("2024-12"))
    ((title, table),) = section.tables
    assert list(table["Indicator"]) == ["Channel referrals"]
    assert title.endswith("(illustrative)") is made_up
    assert section.illustrative is made_up  # its notice before any figure (test_pack_sections)


def test_the_app_alone_registers_every_pages_marks():
    """In a process that imports only the app, as the server does (this test module imports
    illustrative_marks itself, so it is checked in a fresh one)."""
    import subprocess
    import sys

    check = (
        "import app, dash; from dash._callback import GLOBAL_CALLBACK_MAP as m; "
        "keys = [*m, *app.app.callback_map]; "
        "print(sorted({s for s in ('syv-illustrative', 'reoffending-iom-illustrative', "
        "'prevent-training-illustrative', 'hate-centres-illustrative', "
        "'partnership-illustrative') if any(s + '.children' in k for k in keys)}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=True
    )
    assert found.stdout.strip() == str(
        sorted(
            [
                "hate-centres-illustrative",
                "partnership-illustrative",
                "prevent-training-illustrative",
                "reoffending-iom-illustrative",
                "syv-illustrative",
            ]
        )
    )
