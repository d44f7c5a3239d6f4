"""The quarterly board pack read back: the PDF with pypdf, the workbook with openpyxl.

The database holds the real seed extracts (borough crime with the 2011/12 baseline, Barnet's
wards, the MPS Monthly Crime Dashboard, ONS populations) and the council template samples,
loaded through the real loader. Every headline figure is checked against the indicator record
that the pages show (``cache.borough_figures``, the domain's indicator table) for the quarter's
month, and the Indicators sheet against the indicators export itself.
"""

from __future__ import annotations

import functools
import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core import db
from core.months import as_month
from core.reference import MOPAC7_TOTAL, MOPAC7_TYPES
from core.values import is_missing
from dashboard import cache, council_figures, targets
from dashboard.auth import exempt
from dashboard.prose.crime import TOTAL_WITHHELD
from dashboard.reports.indicators import crime_indicators
from dashboard.reports.pack import content, headline, periods
from dashboard.reports.pack.audience import EXEMPT_MARK, reading_as
from dashboard.reports.pack.build import build, section_list
from dashboard.reports.pack.cells import looks_numeric
from dashboard.reports.pack.priorities import hate_section
from dashboard.reports.pack.quarter import QuarterError, quarter_end, quarter_label
from dashboard.reports.pack.xlsx import indicators_frame
from dashboard.text import fmt_int, fmt_number
from etl.load import load_path
from fixtures.extracts import BARNET, ONS_POPULATION, SEED

QUARTER = "2024/25-Q3"  # October to December 2024: borough crime runs to February 2025
END = as_month("2024-12")
SECTIONS = [
    "Summary at a glance",
    "Neighbourhood crime (MOPAC7)",
    "Anti-social behaviour: police-recorded ASB (incidents reported to the police)",
    "Domestic abuse",
    "Serious youth violence and knife crime",
    "Reoffending and Integrated Offender Management (IOM)",
    "Prevent training (WRAP)",
    "Hate crime",
    "Wards: neighbourhood crime",
    "Appendix: sources, vintages and caveats",
]
COMMENTARY = (
    "Theft from the person rose with the town centre's evening economy.\n\n"
    "- Extra patrols on Friday and Saturday nights\n- Shop Watch radios for 40 shops"
)
DA_COMMENTARY = "Repeat victims referred to MARAC rose after the IDVA started."
ACTION = {
    "strand": "Prevention",
    "action": "Youth workers in A&E",
    "lead": "Head of Community Safety",
    "due": "2024-09-30",
    "outcome": "Fewer repeat victims",
    "status": "On track",
    "latest": "Recruiting the second worker",
}
PARTNER = {
    "indicator": "Channel referrals",
    "priority": "Prevent",
    "unit": "count",
    "frequency": "quarter",
    "direction": "neither",
    "additive": "yes",
    "owner": "Prevent team",
}
FILES = [
    "mps-borough-historical.csv.gz",
    "mps-borough-recent.csv.gz",
    "mps-ward-recent.csv.gz",
    "monthly-crime-dashboard-boroughs.csv.gz",
    "monthly-crime-dashboard-barnet-wards.csv.gz",
]


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('pack')}/pack.db"
    engine = db.get_engine(url)
    samples = sorted((SEED.parent / "samples").glob("*.xlsx"))
    for path in [*(SEED / f for f in FILES), ONS_POPULATION, *samples]:
        result = load_path(path, engine, user="test")
        assert result.status == "loaded", (path.name, result.message)
    # the officer's words: commentary on neighbourhood crime, an overdue youth violence action
    from dashboard import partnership_admin as notes

    notes.set_commentary(engine, "crime", QUARTER, COMMENTARY, "max")
    notes.add_action(engine, "youth-violence", ACTION, "max")
    notes.set_commentary(engine, "domestic-abuse", QUARTER, DA_COMMENTARY, "max")
    notes.add_action(engine, "domestic-abuse", {**ACTION, "action": "IDVA at the hospital"}, "max")
    # a partnership indicator: referrals by quarter, one value after the quarter (not shown)
    notes.define_indicator(engine, PARTNER, "max")
    for period, value in (("2023/24 Q3", 40), ("2024/25 Q3", 52), ("2024/25 Q4", 70)):
        notes.type_value(engine, PARTNER["indicator"], period, value, None, "max")
    targets.set_target(
        engine, PARTNER["indicator"], kind="absolute", value=60, direction="higher", by="max"
    )
    return url


@pytest.fixture
def loaded(loaded_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", loaded_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    return loaded_url


@pytest.fixture(scope="module")
def packs(loaded_url) -> dict:
    """Each pack built once (about 10 s each on two cores): default and exempt come later."""
    import psutil

    before = {p.pid for p in psutil.Process().children(recursive=True)}  # e.g. browser tests'
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", loaded_url)
        mp.setenv("HOME_BOROUGH", "Barnet")
        return {"before": before, **{fmt: build(END, fmt) for fmt in ("pdf", "xlsx")}}


@functools.lru_cache(maxsize=4)
def pages_text(data: bytes) -> list[str]:
    """Each page's text (read once per PDF: pypdf takes a few seconds for a whole pack)."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the quarter --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, last_month",
    [
        ("2025/26-Q3", "2025-12"),  # Oct-Dec 2025
        ("2024/25-Q4", "2025-03"),  # Jan-Mar 2025: the calendar year after the FY's first
        ("2024/25 Q1", "2024-06"),
        ("2011/12-q2", "2011-09"),
    ],
)
def test_a_quarter_is_its_last_month(text, last_month):
    assert quarter_end(text) == as_month(last_month)
    assert quarter_label(quarter_end(text)) == text.replace(" ", "-").replace("q", "Q")


@pytest.mark.parametrize("text", ["2025-Q3", "2025/27-Q1", "2025/26-Q5", "Q3 2025/26", ""])
def test_a_quarter_written_otherwise_is_refused(text):
    with pytest.raises(QuarterError, match="written like 2025/26-Q3"):
        quarter_end(text)


def test_a_quarter_after_all_data_is_a_clear_error(loaded):
    with pytest.raises(QuarterError, match="No figures reach 2026/27-Q1.*July 2025"):
        build(quarter_end("2026/27-Q1"), "pdf")


# --- the PDF ------------------------------------------------------------------------------


def test_the_pdf_has_every_section_each_heading_a_bookmark(packs):
    reader = PdfReader(io.BytesIO(packs["pdf"]))
    text = flat(" ".join(pages_text(packs["pdf"])))
    for heading in SECTIONS:
        assert heading in text
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    for heading in SECTIONS:
        assert heading in bookmarks
    assert "Barnet Safer Communities Partnership" in pages_text(packs["pdf"])[0]
    assert "2024/25 Q3 (October to December 2024)" in flat(pages_text(packs["pdf"])[0])


def test_the_pdf_headline_table_has_the_pages_figures(packs, loaded):
    records = cache.borough_figures(END)
    records = records[records["area_code"] == BARNET].set_index("indicator")
    pages = pages_text(packs["pdf"])
    first = next(i for i, t in enumerate(pages) if "Headline figures" in t)
    text = flat(" ".join(pages[first : first + 2]))  # the table may run onto the next page
    for indicator in [*MOPAC7_TYPES, MOPAC7_TOTAL]:
        r = records.loc[indicator]
        row = " ".join(fmt_int(r[c]) for c in ("r12", "p12"))
        assert f"{indicator} {row}" in text.replace("\n", " "), indicator
        assert fmt_int(r["baseline"]) in text
        ranks = f"{int(r['london_rank'])} of 32 {int(r['group_rank'])} of 19"
        assert ranks in text, indicator
    # the ranks' units once, under the table (not in every cell)
    assert (
        "London rank: among the 32 London boroughs; most similar group rank: among the 19 " in text
    )
    assert "London boroughs" not in text[: text.index("London rank: among")].split("Headline")[1]


def _headline(indicator: str) -> dict:
    """The crime section's headline row for ``indicator``, as the PDF prints it."""
    rows = {label: headline.cells(label, r) for label, r in content.crime_section(END).headline}
    return dict(zip(headline.COLUMNS, rows[indicator], strict=True))


def test_a_target_and_a_group_the_manager_sets_change_the_pack(loaded):
    """A target in reach of the type's fall turns it Green with its figure named; choosing
    London as the most similar group ranks Barnet among all 32."""
    engine = db.get_engine(loaded)
    record = (
        cache.borough_figures(END)
        .set_index(["area_code", "indicator"])
        .loc[(BARNET, "Criminal damage")]
    )
    fell = -float(record["change_vs_baseline_pct"])
    assert fell > 1, "the test needs a type that fell since 2011/12"
    before = _headline("Criminal damage")
    try:
        targets.set_target(engine, "Criminal damage", value=int(fell) - 1, by="max")
        groups = targets.change_group(engine, "choose", "London (32 boroughs)", by="max")
        after = _headline("Criminal damage")
    finally:
        targets.clear_target(engine, "Criminal damage", area=None, from_year="2011/12", by="max")
        targets.change_group(engine, "choose", "Outer London", by="max")
    goal = float(record["baseline"]) * (1 - (int(fell) - 1) / 100)
    assert after["RAG"] == "\u2713 Green" != before["RAG"], groups
    assert after["Target"] == fmt_number(goal) != before["Target"]
    assert after["Most similar group rank"] == f"{int(record['london_rank'])} of 32"


def test_the_ward_section_is_a_map_with_wards_to_watch_and_the_full_table_in_the_workbook(
    packs, loaded
):
    pages = pages_text(packs["pdf"])
    first = next(i for i, p in enumerate(pages) if p.startswith("Wards: neighbourhood crime"))
    last = next(i for i, p in enumerate(pages) if p.startswith("Appendix"))
    text = flat(" ".join(pages[first:last]))
    wards = cache.ward_table(BARNET, END)
    total = wards[wards["indicator"] == MOPAC7_TOTAL]
    column = "rate_per_1000" if total["rate_per_1000"].notna().any() else "r12"
    highest = total.sort_values(column, ascending=False)["area_name"].head(5)
    listed = text[text.index("The five wards with the highest") :]
    listed = listed[: listed.index("The five biggest")]
    for name in highest:
        assert name in listed, name
    assert "Map: " in text or "Wards ranked by" in text
    assert "Rank among the borough's wards" not in text  # the full table: workbook only
    sheet = load_workbook(io.BytesIO(packs["xlsx"]))["Wards"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] in set(wards["area_name"])]
    assert len({(r[0], r[1]) for r in rows if r[1] in set(wards["indicator"])}) == len(wards)


def test_the_full_ward_table_is_an_appendix_when_asked_for(loaded):
    from dashboard.reports.pack.build import appendix, gather

    pack = gather(END)
    assert not any("by ward and type" in title for title, _ in appendix(pack))
    title, body = appendix(pack, ward_table=True)[0]
    assert "by ward and type" in title
    assert body.count('<th scope="row">') == len(cache.ward_table(BARNET, END))


def test_each_red_or_amber_crime_type_has_its_trend_chart(packs, loaded):
    records = cache.borough_figures(END)
    records = records[(records["area_code"] == BARNET) & (records["r12"] >= 10)]
    watched = records[
        records["rag"].isin(["Red", "Amber"]) & (records["indicator"] != MOPAC7_TOTAL)
    ]
    assert len(watched), "the test needs a Red or Amber type"
    pages = pages_text(packs["pdf"])
    first = next(i for i, p in enumerate(pages) if p.startswith("Neighbourhood crime"))
    last = next(i for i, p in enumerate(pages) if p.startswith("Serious youth violence"))
    text = flat(" ".join(pages[first:last]))
    for indicator, rag in zip(watched["indicator"], watched["rag"], strict=True):
        assert f"{indicator} ({rag}): month by month" in text


# --- the workbook -------------------------------------------------------------------------


def cell(value):
    """A frame's value as the sheet should hold it (a float to the 15 digits Excel keeps)."""
    if is_missing(value):
        return None
    value = value.item() if hasattr(value, "item") else value
    return pytest.approx(value, rel=1e-14) if isinstance(value, float) else value


def test_the_indicators_sheet_is_the_indicators_export_row_for_row(packs, loaded):
    sheet = load_workbook(io.BytesIO(packs["xlsx"])).worksheets[0]
    assert sheet.title == "Indicators"
    rows = list(sheet.iter_rows(values_only=True))
    with reading_as(False):
        at = {"syv": periods.period_of(periods.dataset("syv"), END).month}
    assert at["syv"] == as_month("2024-03")  # the sample's last month: before the quarter's
    expected = indicators_frame(crime_indicators(db.get_engine(), END, at))
    assert list(rows[0]) == list(expected.columns)
    assert len(rows) - 1 == len(expected)
    for got, want in zip(rows[1:], expected.itertuples(index=False), strict=True):
        assert list(got) == [cell(v) for v in want]
    assert {"borough", "ward"} <= {r[2] for r in rows[1:]}


def test_the_indicators_sheet_has_every_figure_a_section_shows(packs, loaded):
    """Each headline row of every section is in the Indicators sheet at the section's month,
    with its R12 (never blank where the section shows one)."""
    sheet = load_workbook(io.BytesIO(packs["xlsx"]))["Indicators"]
    rows = list(sheet.iter_rows(values_only=True))
    table = pd.DataFrame(rows[1:], columns=rows[0])
    barnet = table[table["area_code"] == BARNET].set_index("indicator")
    with reading_as(False):
        sections = section_list(END)
    shown = [(s, r) for s in sections for _, r in s.headline if not is_missing(r.get("r12"))]
    assert {"syv", "crime", "hate"} <= {s.key for s, _ in shown}
    for section, record in shown:
        row = barnet.loc[record["indicator"]]
        assert row["r12"] == record["r12"], record["indicator"]
        month = pd.Timestamp(record.get("month") or section.month)
        assert row["month"] == month.strftime("%Y-%m"), record["indicator"]


def test_the_crime_sheet_has_the_pages_figures_as_numbers(packs, loaded):
    book = load_workbook(io.BytesIO(packs["xlsx"]))
    assert book.sheetnames[1] == "Neighbourhood crime"
    sheet = book["Neighbourhood crime"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Indicator"))
    columns = rows[header]
    assert sheet.freeze_panes == f"A{header + 2}"
    table = pd.DataFrame(rows[header + 1 : header + 9], columns=columns).set_index("Indicator")
    records = cache.borough_figures(END)
    records = records[records["area_code"] == BARNET].set_index("indicator")
    for indicator in [*MOPAC7_TYPES, MOPAC7_TOTAL]:
        r, got = records.loc[indicator], table.loc[indicator]
        assert got["12 months (R12)"] == r["r12"]
        assert got["Previous 12 months (P12)"] == r["p12"]
        assert got["2011/12 baseline"] == r["baseline"]
        assert got["Change on P12"] == pytest.approx(r["change_vs_previous_pct"] / 100)
        assert got["Target"] == int(fmt_number(r["target"]).replace(",", ""))  # as printed
        assert got["London rank"] == r["london_rank"]
        assert got["RAG"].endswith(r["rag"]) or got["RAG"] == "too small to judge"
    formats = {c.column_letter: c.number_format for c in sheet[header + 2]}
    assert formats["B"] == "#,##0"


def test_every_figure_in_the_workbook_is_a_number_and_no_text_is_a_formula(packs):
    """No '1,005', '65.5%' or '4.40' stored as text; no formula; no visible apostrophe."""
    book = load_workbook(io.BytesIO(packs["xlsx"]))
    numeric_text, percents = [], 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("'"), (sheet.title, cell.value)
                    if looks_numeric(cell.value):
                        numeric_text.append((sheet.title, cell.coordinate, cell.value))
                elif isinstance(cell.value, float) and "%" in cell.number_format:
                    percents += 1
                    assert abs(cell.value) < 50, (sheet.title, cell.coordinate)  # a fraction
    assert numeric_text == []
    assert percents > 0
    coverage = book["Prevent training"]
    shares = [c for r in coverage.iter_rows() for c in r if c.number_format == "0.0%"]
    assert shares and all(isinstance(c.value, float) and 0 <= c.value <= 1 for c in shares)


@pytest.mark.parametrize(
    "text, value, number_format",
    [
        ("1,005", 1005, "#,##0"),
        ("101", 101, "0"),
        ("4.40", 4.4, "#,##0.00"),
        ("65.5%", 0.655, "0.0%"),
        ("\u22123.1%", -0.031, "+0.0%;-0.0%;0.0%"),
        ("+3.1% (not significant)", "+3.1% (not significant)", "General"),
        ("=1+2", "=1+2", "General"),
        ("21 of 32 London boroughs", "21 of 32 London boroughs", "General"),
    ],
)
def test_a_printed_figure_is_written_as_its_number(text, value, number_format):
    from openpyxl import Workbook

    from dashboard.reports.pack.cells import put

    cell = put(Workbook().active["A1"], text)
    assert cell.value == pytest.approx(value) if isinstance(value, float) else cell.value == value
    assert cell.number_format == number_format
    assert cell.data_type == ("n" if not isinstance(value, str) else "s")


def test_the_section_sheets_and_the_indicators_sheet_agree_cell_for_cell(packs):
    book = load_workbook(io.BytesIO(packs["xlsx"]))
    rows = list(book["Indicators"].iter_rows(values_only=True))
    indicators = pd.DataFrame(rows[1:], columns=rows[0])
    barnet = indicators[indicators["area_code"] == BARNET].set_index("indicator")
    pairs = {
        "12 months (R12)": "r12",
        "Previous 12 months (P12)": "p12",
        "2011/12 baseline": "baseline",
        "Change on P12": "change_vs_previous_pct",
        "Change on baseline": "change_vs_baseline_pct",
        "Target": "target",
        "London rank": "london_rank",
        "Most similar group rank": "group_rank",
    }
    checked = 0
    for name in ("Neighbourhood crime", "Youth violence and knife", "Hate crime"):
        table = list(book[name].iter_rows(values_only=True))
        header = next(i for i, r in enumerate(table) if r[0] == "Indicator")
        columns = table[header]
        for values in table[header + 1 :]:
            if values[0] is None:
                break
            row = dict(zip(columns, values, strict=True))
            mine = barnet.loc[row["Indicators sheet name"]]
            for column, field in pairs.items():
                want = None if pd.isna(mine[field]) else mine[field]
                assert row[column] == want, (name, row["Indicator"], column)
            checked += 1
    assert checked >= 12


# --- exempt items -------------------------------------------------------------------------


def test_an_exempt_type_and_the_total_it_is_in_stay_out_of_the_default_pack(loaded):
    engine = db.get_engine()
    exempt.mark(engine, "indicator", "Burglary", "manager")
    try:
        records = cache.borough_figures(END)  # off the web: every figure
        total = records[(records["area_code"] == BARNET) & (records["indicator"] == MOPAC7_TOTAL)]
        total_r12 = fmt_int(total["r12"].iloc[0])
        default_pdf = flat(" ".join(pages_text(build(END, "pdf"))))
        assert "Burglary" not in default_pdf
        assert total_r12 not in default_pdf
        assert TOTAL_WITHHELD in default_pdf  # the pages' sentence saying why it is missing
        assert EXEMPT_MARK not in default_pdf
        book = load_workbook(io.BytesIO(build(END, "xlsx")))
        values = {v for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r}
        assert "Burglary" not in values and MOPAC7_TOTAL not in values
        exempt_pages = pages_text(build(END, "pdf", with_exempt=True))
        assert all(EXEMPT_MARK in page for page in exempt_pages)
        assert "Burglary" in " ".join(exempt_pages)
        assert total_r12 in flat(" ".join(exempt_pages))
        exempt_book = load_workbook(io.BytesIO(build(END, "xlsx", with_exempt=True)))
        for sheet in exempt_book.worksheets:
            assert sheet.oddHeader.center.text == EXEMPT_MARK
        assert exempt_book["Neighbourhood crime"]["A1"].value == EXEMPT_MARK
    finally:
        exempt.unmark(engine, "indicator", "Burglary")


@pytest.mark.parametrize(
    ("kind", "name", "section", "line"),
    [
        ("dataset", "mps_dashboard_offences", "da", "MPS domestic abuse figures are not shown"),
        ("indicator", "Domestic Abuse", "da", "MPS domestic abuse figures are not shown"),
        ("dataset", "mps_dashboard_offences", "syv", "Knife crime figures are not shown"),
        ("dataset", "wrap_training", "prevent", "Prevent WRAP training figures are not shown"),
        ("indicator", "Hate crime", "hate", "Hate crime figures are not shown"),  # every strand
        ("dataset", "mps_dashboard_offences", "hate", "Hate crime figures are not shown"),
    ],
)
def test_a_section_withheld_from_the_packs_readers_says_so(loaded, kind, name, section, line):
    """Exempt for the default pack's readers: its line says so, never 'none loaded' nor
    silence; the exempt pack still has the figures. (Domestic Abuse includes DA violence with
    injury; the hate crime total every strand.)"""
    from dashboard.reports.pack import da_asb
    from dashboard.reports.pack import priorities as pack_priorities

    build_section = {
        "da": da_asb.da_section,
        "syv": pack_priorities.syv_section,
        "prevent": pack_priorities.prevent_section,
        "hate": hate_section,
    }[section]
    engine = db.get_engine()
    exempt.mark(engine, kind, name, "manager")
    try:
        with reading_as(False):
            withheld = build_section(END)
        with reading_as(True):
            everything = build_section(END)
    finally:
        exempt.unmark(engine, kind, name)
    said = " ".join([withheld.missing or "", *map(flat, withheld.sentences)])
    assert f"{line} to readers of this pack." in said
    assert "are loaded" not in said
    assert everything.headline or everything.tables


def test_reoffending_withheld_and_not_loaded_each_say_which(loaded, monkeypatch):
    """IOM exempt and no proven reoffending rates: one line for each, in those words."""
    from dashboard.reports.pack import priorities as pack_priorities

    engine = db.get_engine()
    real = council_figures.council_table
    monkeypatch.setattr(  # no MoJ rates loaded
        council_figures,
        "council_table",
        lambda t, *a: real(t, *a).iloc[0:0] if t == "reoffending_rates" else real(t, *a),
    )
    exempt.mark(engine, "dataset", "iom", "manager")
    try:
        with reading_as(False):
            section = pack_priorities.reoffending_section(END)
    finally:
        exempt.unmark(engine, "dataset", "iom")
    assert section.missing == (
        "IOM figures are not shown to readers of this pack. "
        "No proven reoffending figures are loaded."
    )


def test_a_dataset_ending_before_the_quarter_shows_its_own_latest_month_and_says_so(loaded):
    with reading_as(False):
        crime = content.crime_section(quarter_end("2025/26-Q1"))  # April to June 2025
        hate = hate_section(quarter_end("2025/26-Q1"))
    # borough crime (the seed) runs to February 2025
    assert crime.month == as_month("2025-02")
    assert [p.line for p in crime.periods] == [
        "Neighbourhood crime: 12 months to February 2025 \u2014 the MPS borough files for March "
        "to June 2025 were not loaded"
    ]
    # the MPS dashboard extract reaches June 2025: its period, no gap
    assert hate.month == as_month("2025-06")
    assert [p.line for p in hate.periods] == ["Hate crime: 12 months to June 2025"]


def test_one_missing_month_is_named_and_a_dataset_with_nothing_before_is_left_out():
    borough = periods.dataset("borough_crime")
    assert periods.gap_words(borough, as_month("2025-03"), as_month("2025-02")) == (
        "the MPS borough file for March 2025 was not loaded"
    )
    assert periods.gap_words(borough, as_month("2025-03"), as_month("2024-11")) == (
        "the MPS borough files for December 2024 to March 2025 were not loaded"
    )
    empty = periods.Dataset("x", "x", "Test", "the test file", lambda: [as_month("2026-01")])
    found = periods.period_of(empty, as_month("2025-03"))
    assert found.month is None and found.line == f"Test \u2014 {periods.LEFT_OUT}"
    assert found.line.count(":") == 0  # 'Test — left out because ...': no 'Test: left out: ...'


def test_the_cover_says_each_datasets_period_and_each_heading_repeats_it(packs):
    pages = pages_text(packs["pdf"])
    cover = flat(pages[0])
    assert "The periods the figures cover" in cover
    # the serious youth violence sample runs to March 2024; the MPS files reach the quarter
    syv = (
        "Serious youth violence 12 months to March 2024 \u2014 the serious youth violence "
        "returns for April to December 2024 were not loaded"
    )
    assert syv in cover
    assert "Neighbourhood crime 12 months to December 2024 Police-recorded ASB" in cover
    assert "Domestic abuse 12 months to December 2024 Serious" in cover
    assert "Hate crime 12 months to December 2024" in cover
    section = flat(next(p for p in pages if p.startswith("Serious youth violence and knife")))
    assert syv.replace("violence 12", "violence: 12") in section


def test_a_chart_that_cannot_be_drawn_prints_its_figures_with_a_note(monkeypatch, loaded):
    """Without Chromium (kaleido cannot start) the pack is still complete: the chart's sentence,
    a note, and its figures as a table."""
    from dashboard.reports.pack import document, render

    monkeypatch.setitem(render._state, "broken", True)
    with reading_as(False):
        chart = content.crime_section(END).charts[1]  # the 32 boroughs compared
    drawn = document.chart_html(chart)
    assert render.NO_CHARTS_NOTE in drawn and "<img" not in drawn
    assert drawn.count('<th scope="row">') == 32
    assert "Barnet" in drawn


def test_the_command_line_refuses_a_quarter_after_the_data_and_a_wrong_suffix(
    loaded, tmp_path, capsys
):
    from dashboard import cli

    out = tmp_path / "pack.pdf"
    assert cli.main(["report", "pack", "--quarter", "2026/27-Q1", "--out", str(out)]) == 1
    assert "No figures reach 2026/27-Q1" in capsys.readouterr().err and not out.exists()
    with pytest.raises(SystemExit):
        cli.main(["report", "pack", "--quarter", QUARTER, "--out", str(tmp_path / "pack.docx")])
    assert "--out must end in .pdf or .xlsx" in capsys.readouterr().err


def test_the_command_line_writes_the_format_its_suffix_names(loaded, tmp_path):
    from dashboard import cli

    out = tmp_path / "pack.xlsx"
    assert cli.main(["report", "pack", "--quarter", QUARTER, "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames[0] == "Indicators"


# --- page one -----------------------------------------------------------------------------


def page_one(data: bytes) -> str:
    return flat(next(p for p in pages_text(data) if p.startswith("Summary at a glance")))


def test_page_one_has_a_row_for_every_indicator_with_the_pages_figures(packs, loaded):
    text = page_one(packs["pdf"])
    records = cache.borough_figures(END)
    records = records[records["area_code"] == BARNET].set_index("indicator")
    for indicator in [*MOPAC7_TYPES, MOPAC7_TOTAL]:
        r = records.loc[indicator]
        rank = f"{int(r['london_rank'])} of 32 {int(r['group_rank'])} of 19"
        assert f"{fmt_int(r['r12'])}" in text and rank in text, indicator
    for label in (
        "Serious youth violence",
        "Knife crime with injury",
        "Hate crime",
        "Prevent training (WRAP) coverage",
        "Proven reoffending rate (adult)",
        "Proven reoffending rate (juvenile)",
    ):
        assert label in text, label
    assert "12 months to Mar 2024" in text  # youth violence: its own period, in its row
    assert "Changes that matter" in text and "never listed" in text  # the rule, stated


def test_page_one_counts_red_against_what_each_target_is_measured_against(packs, loaded):
    records = cache.borough_figures(END)
    records = records[(records["area_code"] == BARNET) & (records["r12"] >= 10)]
    red = sorted(records.loc[records["rag"] == "Red", "indicator"])
    assert red, "the test needs a Red indicator"
    text = page_one(packs["pdf"])
    sentence = text[: text.index("Indicator Period")]
    assert f"{len(red)} Red (at or worse than what the target is measured against: " in sentence
    for name in red:
        assert name in sentence.split(" Red (")[1]
    assert "against 2011/12" in sentence.split(" Red (")[1]


def _row(indicator, rag, reference, **record):
    from dashboard.reports.pack.summary import Row

    return Row(indicator, "", "", "", "", rag, record=record, judged=rag, reference=reference)


def test_the_rag_sentence_names_each_red_against_its_own_reference():
    """Burglary Red against a target of 15% below the previous 12 months (though far below
    2011/12) is 'against the previous 12 months', not 'worse than 2011/12'."""
    from dashboard.reports.pack.summary import rag_sentence

    rows = [
        _row("Burglary", "Red", "the previous 12 months"),
        _row("Robbery", "Red", "2011/12"),
        _row("Theft from the person", "Red", "2011/12"),
        _row("Criminal damage", "Amber", "2011/12"),
        _row("Violence with injury", "Green", "2011/12"),
        _row("Knife crime", None, ""),
    ]
    assert rag_sentence(rows) == (
        "Of the 5 indicators with a target, 1 Green (at or better than the target), 1 Amber "
        "(better than what the target is measured against, short of the target: Criminal damage "
        "against 2011/12), 3 Red (at or worse than what the target is measured against: Burglary "
        "against the previous 12 months; Robbery and Theft from the person against 2011/12)."
    )


def test_a_change_across_the_recording_change_is_never_listed_as_significant(packs, loaded):
    from dashboard.reports.pack.summary import changes

    big = {"r12": 500, "p12": 1000, "change_vs_previous_pct": -50.0, "significant": True}
    small = {"r12": 900, "p12": 1000, "change_vs_previous_pct": -10.0, "significant": True}
    big["p_value"] = small["p_value"] = 0.001
    rows = [_row("Hate crime", None, "", **big), _row("Robbery", None, "", **small)]
    rows[0].comparable = False
    assert changes(rows) == [
        "Robbery: down 10% on the previous 12 months, statistically significant."
    ]
    # the pack at December 2024: hate crime's 24 months straddle February 2024
    text = page_one(packs["pdf"])
    hate_row = text[text.index("Hate crime 12 months") :]
    assert "(not comparable: MPS recording change)" in hate_row[:120]
    assert "((" not in text and "))" not in text  # no doubled parentheses on page one
    changes_text = text[text.index("Changes that matter") :]
    assert "Hate crime" not in changes_text.split("Changes listed")[0]
    pages = pages_text(packs["pdf"])
    hate = flat(" ".join(p for p in pages if p.startswith("Hate crime")))
    table = hate[hate.index("Headline figures") :]
    assert "(not comparable: MPS recording change)" in table
    assert "(statistically significant)" not in table


# --- the pack and the pages say the same ---------------------------------------------------


def _page_summary(module, *args) -> str:
    summary = module.update(*args)[0]
    return flat(summary if isinstance(summary, str) else str(summary))


@pytest.mark.parametrize(
    "section, page, args",
    [
        ("hate_section", "hate_crime", ("2024-12", "Hate crime")),
        ("syv_section", "youth_violence", ("2024-12",)),
        ("prevent_section", "prevent", ("2024-12",)),
        ("reoffending_section", "reoffending", ("2024-12",)),
    ],
)
def test_each_sections_sentences_are_the_pages_for_the_same_month(loaded, section, page, args):
    import importlib

    import app  # noqa: F401  (registers the pages, as in production)
    from dashboard.reports.pack import priorities

    module = importlib.import_module(f"dashboard.pages.{page}")
    with reading_as(False):
        shown = getattr(priorities, section)(END)
    text = _page_summary(module, *args)
    assert shown.sentences
    for sentence in shown.sentences:
        assert flat(sentence) in text, sentence


def test_the_pack_gives_hate_crimes_positive_outcome_rate_and_youth_violence_group_rank(packs):
    pages = pages_text(packs["pdf"])
    hate = flat(" ".join(p for p in pages if p.startswith("Hate crime")))
    assert "Positive outcomes: not available" not in hate
    assert re.search(r"Positive outcomes: \d+\.\d% of offences \([\d,]+ of [\d,]+\)", hate)
    syv = flat(" ".join(p for p in pages if p.startswith("Serious youth violence and knife")))
    table = syv[syv.index("Headline figures") :]
    row = table.split("Serious youth violence: victims aged 1 to 19")[1][:200]
    assert re.search(r"^( \(illustrative\))? [\d,]+ [^K]*? \d+ of 32 \d+ of 19 Knife", row)


def test_the_chromium_that_draws_the_charts_ends_with_the_build(packs):
    """The PDF was built (its charts drawn: no 'could not be drawn' note); no browser started
    for it is still running."""
    import psutil

    from dashboard.reports.pack import render

    assert render.NO_CHARTS_NOTE[:30] not in flat(" ".join(pages_text(packs["pdf"])))
    # only the browsers this build started: the suite's own browser tests keep theirs running
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in packs["before"]]
    assert not [p.name() for p in left if "chrom" in p.name().lower()], left


# --- illustrative figures -------------------------------------------------------------------


def test_a_file_that_says_it_is_illustrative_is_flagged_in_the_preview(tmp_path):
    from etl.preview import preview_bytes

    samples = SEED.parent / "samples"
    engine = db.get_engine(f"sqlite:///{tmp_path}/empty.db")  # nothing loaded yet
    syv = (samples / "serious-youth-violence-sample.xlsx").read_bytes()
    made_up = preview_bytes("syv.xlsx", syv, engine)
    assert [w.code for w in made_up.warnings] == ["illustrative-figures"]
    assert "ILLUSTRATIVE" in made_up.warnings[0].message and "marked 'illustrative'" in (
        made_up.warnings[0].message
    )
    real = preview_bytes("iom.xlsx", (samples / "iom-cohort-sample.xlsx").read_bytes(), engine)
    assert "illustrative-figures" not in [w.code for w in real.warnings]


def test_the_pack_marks_illustrative_figures_on_the_cover_page_one_and_sections(packs):
    pages = pages_text(packs["pdf"])
    cover = flat(pages[0])
    assert "This pack contains illustrative figures" in cover
    named = re.search(r"not published figures\): ([^.]*)\.", cover).group(1)
    assert named.split(", ") == [
        "Serious youth violence",
        "Proven reoffending",
    ]  # the samples whose Instructions say ILLUSTRATIVE FIGURES of the whole file; the IOM one
    # does not, and the WRAP one says it of its audiences sheet alone (the pack shows training)
    assert "12 months to March 2024" in cover and "(illustrative figures: made up, not" in cover
    assert "Serious youth violence: victims aged 1 to 19 (illustrative)" in page_one(packs["pdf"])
    book = load_workbook(io.BytesIO(packs["xlsx"]))
    lines = [r[0] for r in book["Youth violence and knife"].iter_rows(max_row=12, values_only=True)]
    assert any(isinstance(v, str) and "illustrative figures" in v for v in lines)


# --- the officer's words --------------------------------------------------------------------


def test_the_commentary_follows_the_sections_table_and_the_action_plan_is_printed(packs):
    pages = pages_text(packs["pdf"])
    crime = flat(" ".join(p for p in pages if p.startswith("Neighbourhood crime")))
    table_end = crime.index("London rank: among the 32")
    said = crime.index("The lead officer's commentary Theft from the person rose with the town")
    assert table_end < said < crime.index("In the 12 months to December 2024 Barnet had")
    assert "Extra patrols on Friday and Saturday nights" in crime and "Written by max" in crime
    syv = flat(" ".join(pages[next(i for i, p in enumerate(pages) if p.startswith("Serious")) :]))
    plan = syv[syv.index("Action plan") :]
    assert "Prevention 1 Youth workers in A&E Head of Community Safety 30 September 2024" in plan
    assert "On track (overdue) Recruiting the second worker" in plan  # past its date, not done
    book = load_workbook(io.BytesIO(packs["xlsx"]))
    crime_lines = [
        r[0] for r in book["Neighbourhood crime"].iter_rows(max_row=20, values_only=True)
    ]
    assert "- Extra patrols on Friday and Saturday nights" in crime_lines
    actions = [r for r in book["Youth violence and knife"].iter_rows(values_only=True)]
    assert any(r[:3] == ("Prevention", 1, "Youth workers in A&E") for r in actions)


def test_page_one_lists_amber_and_red_indicators_with_no_commentary_yet(packs, loaded):
    text = page_one(packs["pdf"])
    missing = text[text.index("No commentary yet: ") :]
    assert "Prevent training (WRAP) coverage" in missing  # Amber, no commentary on Prevent
    records = cache.borough_figures(END)
    records = records[(records["area_code"] == BARNET) & (records["r12"] >= 10)]
    for name in records.loc[records["rag"].isin(["Red", "Amber"]), "indicator"]:
        assert name not in missing  # neighbourhood crime has its commentary


def test_partnership_indicators_have_their_section_and_page_one_rows(packs):
    """Channel referrals: 52 in 2024/25 Q3, 40 a year before (+30.0%); the Q4 value (70) ends
    after the quarter and is not shown."""
    row = "Channel referrals 2024/25 Q3 52 +30.0% on a year before"
    text = page_one(packs["pdf"])
    assert row in text  # it has a target: on page one
    assert "ASB and community safety cases logged" not in text  # the sample's: no target
    assert "partnership indicators without a target are in their own section" in text
    pages = pages_text(packs["pdf"])
    section = flat(" ".join(p for p in pages if p.startswith("Partnership indicators")))
    assert "Channel referrals Prevent 2024/25 Q3 52 +30.0% on a year before" in section
    assert "ASB and community safety cases logged (ECINS)" in section
    assert " 70 " not in section


# --- domestic abuse and police-recorded ASB ---------------------------------------------------


def test_the_domestic_abuse_section_has_the_pages_figures_and_outcome_rate(packs, loaded):
    import app  # noqa: F401  (registers the pages, as in production)
    from dashboard import domestic_abuse_figures
    from dashboard.pages import domestic_abuse as page
    from dashboard.reports.pack.da_asb import da_section
    from domain.domestic_abuse import DA, DA_VWI

    with reading_as(False):
        section = da_section(END)
    table = domestic_abuse_figures.table(END)  # the page's table for December 2024
    barnet = table[table["area_code"] == BARNET].set_index("indicator")
    pages = pages_text(packs["pdf"])
    text = flat(" ".join(p for p in pages if p.startswith("Domestic abuse")))
    assert "Domestic abuse: 12 months to December 2024" in text  # its period, in the heading
    rows = text[text.index("Headline figures") :]
    for indicator, label in ((DA, "Domestic abuse offences"), (DA_VWI, "violence with injury")):
        r = barnet.loc[indicator]
        rate, rank = fmt_number(r["rate_per_1000"], 1), f"{int(r['london_rank'])} of 32"
        after = rows.split(label)[1][:160]
        assert after.startswith(f" {fmt_int(r['r12'])} {fmt_int(r['p12'])} "), label
        assert f"{rate} {rank}" in after, label
        assert f"{fmt_int(r['r12'])}" in page_one(packs["pdf"]).split(label)[1][:60], label
    vwi = barnet.loc[DA_VWI]
    outcome = f"{fmt_number(vwi['positive_outcome_rate_pct'], 1)}% ({fmt_int(vwi['positive_outcomes_r12'])} of"
    assert outcome in rows  # the positive outcome rate of DA violence with injury
    said = _page_summary(page, "2024-12", DA_VWI)  # the page's sentence, word for word
    assert flat(section.sentences[1]) in said and "Positive outcome rate" in said
    assert text.index("Headline figures") < text.index(flat(section.sentences[0])[:40])
    # the officer's words on domestic abuse after the table, and its action plan
    assert text.index("Headline figures") < text.index(DA_COMMENTARY)
    assert "Prevention 1 IDVA at the hospital Head of Community Safety" in text


def test_asb_is_left_out_with_a_line_when_police_uk_has_nothing_for_the_quarter(packs):
    pages = pages_text(packs["pdf"])
    text = flat(" ".join(p for p in pages if p.startswith("Anti-social behaviour")))
    assert f"Police-recorded ASB \u2014 {periods.LEFT_OUT}" in text
    assert "Police-recorded ASB is left out: no data.police.uk figures" in text
    assert "Headline figures" not in text
    assert f"Police-recorded ASB {periods.LEFT_OUT}" in flat(pages[0])  # the cover's table
    assert "Police-recorded ASB (incidents" not in page_one(packs["pdf"])  # no row


@pytest.mark.parametrize("every_borough, rank", [(True, "32 of 32"), (False, "not available")])
def test_the_asb_section_has_the_asb_pages_figures(sqlite_engine, monkeypatch, every_borough, rank):
    """test_asb_page's files: Barnet 36 incidents in 2024 against 12 in 2023 (+200.0%,
    significant), 36 / 405,050 x 1,000 = 0.09 per 1,000; 32nd of 32 with every borough loaded,
    the rank not available with two."""
    import app  # noqa: F401  (registers the pages, as in production)
    from dashboard.pages import asb
    from dashboard.reports.pack import document, summary
    from dashboard.reports.pack.da_asb import ASB_LABEL, asb_section
    from test_asb_page import ASB, CAMDEN, LSOAS, load

    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    codes = LSOAS if every_borough else {k: v for k, v in LSOAS.items() if v[1] in (BARNET, CAMDEN)}
    load(sqlite_engine, codes)
    with reading_as(False):
        section = asb_section(END)
    assert [p.line for p in section.periods] == ["Police-recorded ASB: 12 months to December 2024"]
    html = flat(re.sub(r"<[^>]+>", " ", document.section_html(section)))
    row = f"{ASB_LABEL} 36 12 +200.0% (statistically significant) 0.09 {rank}"
    assert row in html
    assert section.sentences and flat(section.sentences[0]) in flat(asb.update("2024-12", ASB)[0])
    (one,) = summary.table_rows([section])
    assert one.cells()[:4] == [
        ASB_LABEL,
        "12 months to Dec 2024",
        "36",
        "\u25b2 up 200% (significant)",
    ]
    assert one.london == rank
    # exempt for the default pack's readers: withheld, never "none loaded"
    from core.reference import POLICE_UK_DATASET

    exempt.mark(sqlite_engine, "dataset", POLICE_UK_DATASET, "manager")
    with reading_as(False):
        withheld = asb_section(END)
    assert withheld.missing == "Police-recorded ASB figures are not shown to readers of this pack."
    assert not withheld.headline
