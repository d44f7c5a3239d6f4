"""The other priorities' pages (youth violence, reoffending, Prevent, hate crime): layouts and
callbacks called as plain functions against a small SQLite database.

The database holds the real MPS Monthly Crime Dashboard extracts (data/seed), the ONS
populations and the council template samples (data/samples), loaded through the real loader.
Expected figures come from pandas reading those files directly, never from the loader. Serious
youth violence is checked against small inline figures worked by hand instead (the sample's
summary sheet was computed by the code under test).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

import app  # registers the pages, as in production
from core.reference import borough_code, borough_names
from dashboard.charts import hate_crime as hate_charts
from dashboard.pages import hate_crime, prevent, reoffending, youth_violence
from dashboard.prose import priorities as priority_prose
from dashboard.prose import words as prose_words
from dashboard.prose.priorities import wrap_rag_text
from domain.hate_crime import TOTAL
from etl.load import load_bytes, load_path
from fixtures.extracts import BARNET, ONS_POPULATION, SEED, ons_population
from layout_tree import find as _find
from layout_tree import text as _text

SAMPLES = SEED.parent / "samples"
BOROUGHS_CSV = SEED / "monthly-crime-dashboard-boroughs.csv.gz"
WARDS_CSV = SEED / "monthly-crime-dashboard-barnet-wards.csv.gz"
KNIFE = "Knife Injury Victims (non DA 1-24)"
PAGES = {
    "syv": youth_violence,
    "reoffending": reoffending,
    "prevent": prevent,
    "hate": hate_crime,
}
BREAK_X = pd.Timestamp(2024, 2, 15)


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    from core import db

    url = f"sqlite:///{tmp_path_factory.mktemp('priorities')}/priorities.db"
    engine = db.get_engine(url)
    for path in [BOROUGHS_CSV, WARDS_CSV, ONS_POPULATION, *sorted(SAMPLES.glob("*.xlsx"))]:
        result = load_path(path, engine, user="test")
        assert result.status == "loaded", (path.name, result.message)
    return url


@pytest.fixture
def loaded(loaded_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", loaded_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    return loaded_url


@pytest.fixture
def engine(sqlite_engine):
    return sqlite_engine


# --- independent figures: pandas over the source files ------------------------------------------


def raw_dashboard(path=BOROUGHS_CSV) -> pd.DataFrame:
    frame = pd.read_csv(path)
    frame["month"] = pd.to_datetime(frame["month_year"])
    return frame


def raw_window(frame, subgroup, end, measure="Offences", months=12) -> pd.Series:
    """Per area code: the sum of ``months`` months ending ``end`` (absent rows count 0)."""
    end = pd.Timestamp(end)
    start = end - pd.DateOffset(months=months - 1)
    rows = frame[
        (frame["crime_subtype"] == subgroup)
        & (frame["measure"] == measure)
        & frame["month"].between(start, end)
    ]
    return rows.groupby("area_code")["count"].sum()


def raw_rank(subgroup: str, end: str, code: str = BARNET) -> tuple[int, float]:
    """London rank (1 = lowest rate per 10,000; ties share the better rank) and the rate."""
    r12 = raw_window(raw_dashboard(), subgroup, end)
    year = (pd.Timestamp(end) - pd.DateOffset(months=5)).year
    pops = ons_population().xs(year, level="Year")
    london = [c for c in pops.index if c.startswith("E09") and c != "E09000001"]
    rates = pd.Series({c: r12.get(c, 0) / pops[c] * 10_000 for c in london})
    return int(rates.rank(method="min")[code]), float(rates[code])


def _sheet(name: str, sheet: str) -> pd.DataFrame:
    return pd.read_excel(SAMPLES / name, sheet_name=sheet, engine="calamine")


# --- helpers ------------------------------------------------------------------------------------


def _update(module, *args) -> dict:
    """Call a page's update callback; its outputs keyed by component id."""
    outputs = module.update(*args)
    ids = _output_ids(module)
    assert len(ids) == len(outputs)
    return dict(zip(ids, outputs, strict=True))


def _output_ids(module) -> list[str]:
    charts = [f"{c}-{p}" for c in module.CHARTS for p in ("graph", "caption", "table-html")]
    prefix = {
        "youth_violence": "syv",
        "reoffending": "reoffending",
        "prevent": "prevent",
        "hate_crime": "hate",
    }[module.__name__.rsplit(".", 1)[1]]
    head = {
        "syv": ["syv-summary", "syv-figures-table", "syv-notice", "syv-knife-notice"],
        "reoffending": ["reoffending-summary", "reoffending-iom-notice", "reoffending-moj-notice"],
        "prevent": ["prevent-summary"],
        "hate": ["hate-summary"],
    }[prefix]
    tail = {
        "hate": ["hate-centres-notice", "hate-source", "hate-centres-charts"],
        "reoffending": [
            "reoffending-source",
            "reoffending-iom-charts",
            "reoffending-moj-charts",
        ],
        "prevent": ["prevent-source", "prevent-charts"],
        "syv": ["syv-source", "syv-charts", "syv-knife-charts"],
    }.get(prefix, [f"{prefix}-source"])
    return [*head, *charts, *tail]


def _shapes_at_break(figure) -> list:
    return [s for s in figure.layout.shapes if s.type == "line" and pd.Timestamp(s.x0) == BREAK_X]


# --- registration and layouts -------------------------------------------------------------------


def test_pages_registered_in_order_10_to_13():
    import dash

    pages = {p["module"]: p for p in dash.page_registry.values()}
    expected = [
        ("youth_violence", "/youth-violence", 10),
        ("reoffending", "/reoffending", 11),
        ("prevent", "/prevent", 12),
        ("hate_crime", "/hate-crime", 13),
    ]
    for module, path, order in expected:
        page = pages[f"dashboard.pages.{module}"]
        assert (page["path"], page["order"]) == (path, order)


def test_callback_outputs_match_the_declared_ids():
    """_output_ids mirrors each callback's Output list (so the tests read the right output)."""
    from dash._callback import GLOBAL_CALLBACK_MAP

    outputs = [*GLOBAL_CALLBACK_MAP, *app.app.callback_map]  # Dash moves them at first request
    for module in PAGES.values():
        ids = _output_ids(module)
        found = [key for key in outputs if f"..{ids[0]}.children..." in key]
        assert found, module.__name__
        declared = [part.rsplit(".", 1)[0] for part in found[0].strip(".").split("...")]
        assert declared == ids


@pytest.mark.parametrize("prefix", list(PAGES))
def test_layout_has_summary_charts_and_table_toggles(loaded, prefix):
    module = PAGES[prefix]
    page = module.layout()
    assert _find(page, f"{prefix}-summary") is not None
    assert "Barnet" in _text(page)
    for chart in module.CHARTS:
        assert chart.startswith(f"{prefix}-")
        assert _find(page, f"{chart}-graph") is not None
        assert _find(page, f"{chart}-table-toggle").children == "Show as table"


def test_home_borough_is_a_setting(loaded, monkeypatch):
    monkeypatch.setenv("HOME_BOROUGH", "Camden")
    assert _text(hate_crime.layout()).startswith("Hate crime in Camden")
    out = _update(hate_crime, "2025-02", "Hate crime")
    assert "in Camden" in out["hate-summary"] and "Barnet" not in out["hate-summary"]


# --- youth violence and knife crime -------------------------------------------------------------


def test_knife_crime_victims_rate_rank_and_change(loaded):
    r12 = raw_window(raw_dashboard(), KNIFE, "2025-02")[BARNET]
    p12 = raw_window(raw_dashboard(), KNIFE, "2024-02")[BARNET]
    rank, rate = raw_rank(KNIFE, "2025-02")
    out = _update(youth_violence, "2025-02")
    sentence = out["syv-summary"].split("Knife crime with injury: ", 1)[1]
    change = (r12 - p12) / p12 * 100
    assert sentence.startswith(
        f"{r12} victims aged 1 to 24 (not domestic abuse) in Barnet in the 12 months to "
        f"February 2025, {rate:.1f} per 10,000 residents (mid-2024 population), rank {rank} "
        "of 32 London boroughs (1 = lowest rate), against London's "
    )
    assert f"{'up' if change > 0 else 'down'} {abs(change):.1f}".rstrip("0").rstrip(".") in sentence
    trend = out["syv-knife-trend-graph"]
    assert trend.data[1].customdata[list(trend.data[1].x).index(pd.Timestamp("2025-02-01"))] == r12
    rank_chart = out["syv-knife-rank-graph"]
    assert rank_chart.layout.annotations[-1].text == f"{rank} of 32"
    table = _text(out["syv-figures-table"])
    assert (
        f"Knife crime with injury: victims aged 1 to 24, not domestic abuse February 2025 {r12} {p12}"
        in table
    )


def test_knife_period_after_the_data_shows_the_latest_month(loaded):
    out = _update(youth_violence, "2030-01")
    assert "in the 12 months to July 2025" in out["syv-summary"]
    assert "Knife crime figures run from " in out["syv-summary"]
    assert "to July 2025; showing July 2025." in out["syv-summary"]
    assert out["syv-source"].startswith("Figures shown: the 12 months to July 2025.")


# --- reoffending --------------------------------------------------------------------------------


def test_reoffending_rates_for_borough_london_and_england_and_wales(loaded):
    rows = _sheet("moj-proven-reoffending-sample.xlsx", "Proven reoffending")
    rate = {
        (r["Geography"], r["Adult / Juvenile"]): r["Reoffenders"] / r["Offenders"] * 100
        for r in rows.to_dict("records")
    }
    out = _update(reoffending, "2025-02")
    words = out["reoffending-summary"]
    assert words.startswith("Showing the latest figures up to February 2025. ")
    # 2022/23 Q4 = January to March 2023 (DOMAIN.md: Q4 = Jan-Mar of the FY's second year)
    assert (
        "In 2022/23 Q4 (January to March 2023) the IOM cohort was 105 people (101 in 2022/23 Q3)"
        in words
    )
    assert (
        f"adults in Barnet {rate[('Barnet', 'Adult')]:.1f}% against London "
        f"{rate[('London', 'Adult')]:.1f}% and England and Wales "
        f"{rate[('England and Wales', 'Adult')]:.1f}%"
    ) in words
    assert "juveniles in Barnet 31.3%" in words  # 15 / 48 = 31.25: halves go up, as in Excel
    adult = out["reoffending-adult-graph"]
    assert [t.name for t in adult.data] == ["Barnet", "London", "England and Wales"]
    assert adult.data[0].line.width > adult.data[1].line.width  # the home borough stands out
    assert adult.data[0].y[0] == pytest.approx(21.1)
    assert list(out["reoffending-iom-cohort-graph"].data[0].y) == [101, 105]
    assert out["reoffending-iom-rates-graph"].layout.annotations[0].text == "Not given"
    assert out["reoffending-iom-notice"] is None and out["reoffending-moj-notice"] is None


def test_reoffending_period_before_the_quarters(loaded):
    out = _update(reoffending, "2022-09")
    assert out["reoffending-summary"].startswith(
        "Showing the latest figures up to September 2022. No IOM quarter starts by September 2022."
    )


@pytest.mark.parametrize(
    ("period", "label"), [("2012-03", "March 2012"), ("2008-01", "January 2008")]
)
def test_reoffending_before_any_cohort_says_so(loaded, period, label):
    """Was HTTP 500 (KeyError: 'adult_juvenile'): no MoJ cohort ends by March 2012."""
    out = _update(reoffending, period)
    assert f"No proven reoffending cohort ends by {label}." in out["reoffending-summary"]
    assert out["reoffending-adult-caption"] == f"No proven reoffending cohort ends by {label}."


def test_iom_sentence_with_reoffending_and_reduction():
    quarters = pd.DataFrame(
        {
            "quarter": ["2024/25 Q1", "2024/25 Q2"],
            "cohort_size": [100, 8],
            "reoffenders": [30, 3],
            "offences_before": [520, 40],
            "offences_after": [310, 30],
            "reoffending_rate": [30.0, 37.5],
            "reduction_percent": [40.4, 25.0],
        }
    )
    assert priority_prose.iom_sentence(quarters.iloc[:1]) == (
        "In 2024/25 Q1 the IOM cohort was 100 people; cohort reoffending 30.0% (30 of 100) and "
        "their offending fell 40.4% after entering IOM."
    )
    assert "3 of 8 people: too few to judge" in priority_prose.iom_sentence(quarters)


# --- Prevent ------------------------------------------------------------------------------------


def test_prevent_coverage_against_the_target(loaded):
    training = _sheet("prevent-wrap-training-sample.xlsx", "WRAP training")
    with_target = training.dropna(subset=["Staff requiring training"])
    trained, requiring = (
        with_target["Staff trained"].sum(),
        with_target["Staff requiring training"].sum(),
    )
    out = _update(prevent, "2025-02")
    assert out["prevent-summary"] == (
        "Showing the latest figures up to February 2025. "
        f"As at 30 April 2018, {trained} of the {int(requiring)} staff requiring Prevent (WRAP) "
        f"training had been trained ({trained / requiring * 100:.1f}%): Amber against the target "
        f"of 100%; {training['Sessions delivered'].sum()} sessions delivered; 1 department or "
        "partner has no target yet."
    )
    bars = out["prevent-coverage-graph"]
    assert list(bars.data[0].y)[-1] == "All with a target"  # the total at the top
    assert bars.layout.shapes[0].x0 == 100  # the target line
    assert "no target yet" in out["prevent-coverage-table-html"]
    audiences = _sheet("prevent-wrap-training-sample.xlsx", "WRAP audiences")
    assert sum(out["prevent-audiences-graph"].data[0].x) == audiences["People trained"].sum()


def test_prevent_small_departments_are_not_judged():
    row = {
        "department": "Youth club",
        "staff_requiring": 4,
        "staff_trained": 0,
        "coverage": 0.0,
        "rag": "Red",
    }
    assert wrap_rag_text(row, 100) == "too small to judge"
    table = pd.DataFrame([row])
    figure = prevent.coverage_parts(table, pd.Timestamp("2024-03-31"), 100)[0]
    assert figure.data[0].marker.pattern.shape == ("/",)


def test_prevent_progress_over_time():
    training = pd.DataFrame(
        {
            "as_at": pd.to_datetime(["2024-03-31", "2024-03-31", "2024-09-30", "2024-09-30"]),
            "department": ["A", "B", "A", "B"],
            "staff_requiring": [100, 50, 100, 50],
            "staff_trained": [20, 10, 60, 45],
            "sessions": [1, 1, 2, 2],
        }
    )
    figure, caption, table = prevent.progress_parts(training, 100)
    total = next(t for t in figure.data if t.name == "All with a target")
    assert list(total.y) == [20.0, 70.0]  # 30/150, 105/150
    assert caption.startswith("Coverage at each of the 2 dates loaded")
    assert "<td>70.0%</td>" in table


def test_prevent_period_before_the_first_return(loaded):
    assert (
        _update(prevent, "2018-03")["prevent-summary"]
        == "No WRAP figures as at or before March 2018."
    )


# --- hate crime ---------------------------------------------------------------------------------


def test_strand_chart_last_r12_equals_the_raw_csv(loaded):
    raw = raw_dashboard()
    barnet = raw[raw["area_code"] == BARNET]
    out = _update(hate_crime, "2025-02", "Hate crime")
    for trace in out["hate-strands-graph"].data[:-1]:  # the last: the break's legend entry
        expected = raw_window(barnet, trace.name, raw["month"].max()).get(BARNET, 0)
        assert trace.y[-1] == expected, trace.name
        assert pd.Timestamp(trace.x[-1]) == pd.Timestamp("2025-07-01")


def test_hate_summary_counts_rate_rank_outcomes_and_the_break(loaded):
    raw = raw_dashboard()
    r12 = raw_window(raw, "Hate crime", "2025-02")[BARNET]
    outcomes = raw_window(raw, "Hate crime", "2025-02", "Positive Outcomes")[BARNET]
    rank, rate = raw_rank("Hate crime", "2025-02")
    out = _update(hate_crime, "2025-02", "Hate crime")
    summary = out["hate-summary"]
    assert summary.startswith(
        f"In the 12 months to February 2025 the MPS recorded {r12} hate crimes (the MPS total) "
        f"in Barnet: {rate:.1f} per 10,000 residents (mid-2024 population), rank {rank} of 32"
    )
    assert "the MPS changed its crime recording system at the end of February 2024" in summary
    assert "this comparison crosses the change" in summary
    assert (
        f"Positive outcomes: {outcomes / r12 * 100:.1f}% of offences ({outcomes} of {r12})"
        in summary
    )
    # DOMAIN.md: a comparison across the recording change is never called significant
    assert "(not comparable: MPS recording change)" in out["hate-london-table-html"]
    assert "statistically significant" not in out["hate-london-table-html"]
    assert "significant" not in summary.split("Take care")[0].split("previous 12 months")[1]


def test_hate_comparison_within_one_system_is_not_flagged(loaded):
    summary = _update(hate_crime, "2023-12", "Hate crime")["hate-summary"]
    assert "crosses the change" not in summary and "not like-for-like" not in summary


@pytest.mark.parametrize("chart", ["hate-trend", "hate-strands", "hate-outcomes"])
def test_every_hate_chart_over_time_marks_the_break(loaded, chart):
    figure = _update(hate_crime, "2025-02", "Racist Crime")[f"{chart}-graph"]
    assert len(_shapes_at_break(figure)) == 1
    names = [t.name for t in figure.data if t.showlegend is not False]
    assert hate_charts.BREAK_LABEL in names  # in the legend


def test_hate_window_charts_say_when_the_window_spans_the_break(loaded):
    spans = _update(hate_crime, "2024-06", "Hate crime")["hate-wards-graph"]
    assert hate_charts.BREAK_NOTE in [a.text for a in spans.layout.annotations]
    after = _update(hate_crime, "2025-02", "Hate crime")["hate-wards-graph"]
    assert hate_charts.BREAK_NOTE not in [a.text for a in after.layout.annotations]


def test_hate_wards_match_the_raw_ward_file(loaded):
    raw = raw_dashboard(WARDS_CSV)
    raw = raw[raw["area_type"] == "Safer Neighbourhood Teams"]
    expected = raw_window(raw, "Racist Crime", "2025-02")
    out = _update(hate_crime, "2025-02", "Racist Crime")
    bars = out["hate-wards-graph"].data[0]
    shown = dict(zip(bars.y, bars.x, strict=True))
    assert len(shown) == 24  # every 2022 ward; "Colindale (NOT ACTIVE)" is not a ward
    codes = raw.drop_duplicates("area_code").set_index("area_code")["area_name"]
    for code, total in expected.items():
        if code.startswith("E0501") and code != "E05000046":
            assert shown[codes[code]] == total, codes[code]
    assert list(bars.x) == sorted(bars.x)  # most at the top (bars are drawn bottom-up)


def test_hate_small_strands_are_too_small_to_judge(loaded):
    r12 = raw_window(raw_dashboard(), "Transphobic Crime", "2025-02")[BARNET]
    assert r12 < 10
    out = _update(hate_crime, "2025-02", "Transphobic Crime")
    assert "too few offences to judge" in out["hate-summary"]
    dots = out["hate-london-graph"].data[0]
    symbol = dict(zip(dots.y, dots.marker.symbol, strict=True))
    assert symbol["Transphobic Crime"] == "circle-open" and symbol["Hate crime"] == "circle"
    assert "too small to judge" in out["hate-london-table-html"]


def test_hate_london_ranks_per_strand(loaded):
    out = _update(hate_crime, "2025-02", "Hate crime")
    dots = out["hate-london-graph"].data[0]
    ranks = dict(zip(dots.y, dots.x, strict=True))
    for strand in ["Hate crime", "Racist Crime", "AntiSemitic"]:
        assert ranks[strand] == raw_rank(strand, "2025-02")[0], strand


def test_reporting_centres_by_centre_and_strand(loaded):
    reports = _sheet("hate-crime-reporting-centres-sample.xlsx", "Reporting centres")
    reports = reports[pd.to_datetime(reports["Month"]).between("2022-04-01", "2023-03-01")]
    out = _update(hate_crime, "2023-03", "Hate crime")
    total = int(reports["Reports made"].sum())
    crimes = int(reports.loc[reports["Crime or incident"] == "Crime", "Reports made"].sum())
    assert (
        f"Hate Crime Reporting Centres received {total:,} reports in the same 12 months "
        f"({crimes:,} crimes, {total - crimes:,} incidents)."
    ) in out["hate-summary"]
    by_centre = out["hate-centres-graph"]
    assert {t.name for t in by_centre.data} == {"Crime", "Incident"}
    assert sum(sum(t.x) for t in by_centre.data) == total
    busiest = reports.groupby("Centre")["Reports made"].sum().idxmax()
    assert by_centre.data[0].y[-1] == busiest  # largest total at the top
    strands = out["hate-centre-strands-graph"]
    assert sum(sum(t.x) for t in strands.data) == total


def test_reporting_centres_outside_their_months(loaded):
    out = _update(hate_crime, "2025-02", "Hate crime")
    assert "No reporting-centre reports in the same 12 months" in out["hate-summary"]
    assert (
        out["hate-centres-caption"]
        == "No reporting-centre reports in the 12 months to February 2025."
    )


def test_hate_unknown_strand_falls_back_to_all_hate_crime(loaded):
    assert (
        _update(hate_crime, "2025-02", "Arson")["hate-summary"]
        == _update(hate_crime, "2025-02", "Hate crime")["hate-summary"]
    )


# --- empty states ---------------------------------------------------------------------


@pytest.fixture
def analyst(monkeypatch):
    """The page's reader is an analyst (who can load figures)."""
    from dashboard.auth import guard
    from dashboard.auth.roles import User

    monkeypatch.setattr(guard, "current_user", lambda: User("ana", "analyst"))


@pytest.mark.parametrize(
    ("prefix", "hidden", "what"),
    [
        ("reoffending", ["reoffending-iom-charts", "reoffending-moj-charts"], "IOM"),
        ("prevent", ["prevent-charts"], "Prevent WRAP training figures"),
        ("syv", ["syv-charts", "syv-knife-charts"], "serious youth violence figures"),
        ("hate", ["hate-centres-charts"], "the MPS Monthly Crime Dashboard data"),
    ],
)
def test_board_member_sees_one_line_and_no_empty_chart_frames(use_database, prefix, hidden, what):
    """A viewer (or nobody signed in) reads whom to ask, not file paths and commands; the
    sections with nothing loaded hide their charts."""
    args = ("2025-02", TOTAL) if prefix == "hate" else ("2025-02",)
    out = _update(PAGES[prefix], *args)
    text = _text(out[f"{prefix}-summary"])
    assert "Not yet loaded for this borough" in text and what in text
    assert "community safety team" in text
    assert "python -m etl" not in text and ".xlsx" not in text and "data/" not in text
    assert all(out[h] is True for h in hidden)


def test_prevent_spells_out_wrap_once(loaded):
    text = _text(prevent.layout())
    assert text.count("Workshop to Raise Awareness of Prevent") == 1


@pytest.mark.parametrize(
    ("prefix", "what"),
    [
        ("syv", "serious-youth-violence.xlsx"),
        ("reoffending", "iom-cohort.xlsx"),
        ("prevent", "prevent-wrap-training.xlsx"),
        ("hate", "MPS Monthly Crime Dashboard"),
    ],
)
def test_empty_database_says_what_to_load_and_how(use_database, analyst, prefix, what):
    module = PAGES[prefix]
    args = ("2025-02", "Hate crime") if prefix == "hate" else ("2025-02",)
    out = _update(module, *args)
    text = _text(out[f"{prefix}-summary"])
    assert "No figures loaded yet" in text and what in text
    assert "python -m etl load PATH" in text
    for chart in module.CHARTS:
        figure = out[f"{chart}-graph"]
        assert not figure.data and figure.layout.annotations[0].text


def test_change_words_for_victims_and_across_the_break():
    record = {"r12": 40, "p12": 50, "p_value": 0.36}
    assert prose_words.change_words(record, "victims") == (
        "down 20% on the previous 12 months, not statistically significant"
    )
    small = {"r12": 4, "p12": 9, "p_value": 0.27}
    assert prose_words.change_words(small, "victims") == (
        "down 55.6% on the previous 12 months, too few victims to judge"
    )
    assert prose_words.change_words(record, across_break=True) == (
        "down 20% on the previous 12 months, not comparable (MPS recording change)"
    )


# --- serious youth violence, worked by hand ---------------------------------------------------
#
# A council template filled with April 2023 to March 2024 for the 32 boroughs. The window's 7th
# month is October 2023, so the mid-2023 populations count: 200,000 residents in each borough
# but Barnet, which has 400,000 (mid-2022 and mid-2024: 100,000 everywhere, which must not be
# used). The borough at alphabetical position p has p victims a month; Barnet (p = 2) has 10.
#
#   other boroughs: 12 p victims / 200,000 x 10,000 = 0.6 p per 10,000
#   Barnet:         12 x 10 = 120 victims / 400,000 x 10,000 = 3.0 per 10,000
#   rank: Barking and Dagenham 0.6, Bexley 1.8 and Brent 2.4 are lower; Bromley (p = 5) is 3.0
#         too, and ties share the better rank: 4
#   London: (12 x (1 + 3 + 4 + ... + 32) + 120) victims / (31 x 200,000 + 400,000) residents
#         = (12 x 526 + 120) / 6,600,000 x 10,000 = 6,432 / 660 = 9.745... per 10,000
#         (the mean of the 32 rates would be (0.6 x 526 + 3.0) / 32 = 9.96: not London's rate)

SYV_MONTHS = pd.date_range("2023-04-01", "2024-03-01", freq="MS")


def _syv_workbook(sheets: dict[str, list[dict]]) -> bytes:
    from etl.formats import templates
    from etl.templates_write import workbook, workbook_bytes

    return workbook_bytes(workbook(templates.by_name("council-syv"), sheets))


def _syv_populations() -> bytes:
    lines = ["area_code,area_name,year,population"]
    for name in borough_names():
        mid_2023 = 400_000 if name == "Barnet" else 200_000
        for year, population in [(2022, 100_000), (2023, mid_2023), (2024, 100_000)]:
            lines.append(f"{borough_code(name)},{name},{year},{population}")
    return ("\n".join(lines) + "\n").encode()


def _syv_counts() -> list[dict]:
    return [
        {"month": m.date(), "area_code": name, "victims": 10 if name == "Barnet" else p}
        for p, name in enumerate(borough_names(), start=1)
        for m in SYV_MONTHS
    ]


def _database(tmp_path_factory, files: dict[str, bytes]) -> str:
    from core import db

    url = f"sqlite:///{tmp_path_factory.mktemp('syv')}/syv.db"
    engine = db.get_engine(url)
    for filename, data in files.items():
        result = load_bytes(filename, data, engine, user="test")
        assert result.status == "loaded", (filename, result.message)
    return url


@pytest.fixture(scope="module")
def syv_counts_url(tmp_path_factory) -> str:
    return _database(
        tmp_path_factory,
        {
            "population.csv": _syv_populations(),
            "serious-youth-violence.xlsx": _syv_workbook({"SYV counts": _syv_counts()}),
        },
    )


@pytest.fixture(scope="module")
def syv_summary_url(tmp_path_factory) -> str:
    summary = {  # a published line, as MOPAC gives it: the page repeats it, computing nothing
        "area_code": "Barnet",
        "window_end": date(2024, 3, 1),
        "victims": 443,
        "rate_per_10000": 11.1,
        "london_rank": 29,
        "london_average_rate": 8.2,
    }
    return _database(
        tmp_path_factory,
        {"serious-youth-violence.xlsx": _syv_workbook({"SYV summary": [summary]})},
    )


def _home(monkeypatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")


def test_syv_rate_rank_and_london_rate_worked_by_hand(syv_counts_url, monkeypatch):
    _home(monkeypatch, syv_counts_url)
    out = _update(youth_violence, "2024-03")
    assert out["syv-summary"].startswith(
        "In the 12 months to March 2024 Barnet had 120 victims of serious youth violence: "
        "3.0 per 10,000 residents (mid-2023 population), rank 4 of 32 London boroughs "
        "(1 = lowest rate), against London's 9.7; no comparison with the previous 12 months "
        "(a month is missing)."
    )
    bars = out["syv-london-graph"]
    shown = dict(zip(bars.data[0].y, bars.data[0].x, strict=True))
    assert len(shown) == 32
    assert shown["<b>Barnet</b>"] == pytest.approx(3.0)  # 120 / 400,000 x 10,000
    assert shown["Bromley"] == pytest.approx(3.0)  # 60 / 200,000 x 10,000
    assert shown["Westminster"] == pytest.approx(19.2)  # 12 x 32 / 200,000 x 10,000
    assert bars.layout.shapes[0].x0 == pytest.approx(6432 / 660)
    table = out["syv-london-table-html"]
    assert "London: 9.75 per 10,000 residents." in table
    assert '<th scope="row">Barnet</th><td>4</td><td>120</td><td>3.00</td>' in table
    assert '<th scope="row">Bromley</th><td>4</td><td>60</td><td>3.00</td>' in table
    assert 'id="syv-trend-table"' in out["syv-trend-table-html"]


def test_syv_published_summary_only(syv_summary_url, monkeypatch):
    _home(monkeypatch, syv_summary_url)
    out = _update(youth_violence, "2025-02")
    assert out["syv-summary"].startswith(
        "The latest published serious youth violence figures, for the 12 months to March 2024, "
        "give Barnet 11.1 victims per 10,000 residents (443 victims), rank 29 of 32 London "
        "boroughs (1 = lowest rate), against a London average of 8.2."
    )
    trend = out["syv-trend-graph"]
    assert [t.name for t in trend.data] == ["Barnet", "London average"]
    assert "Only the published summary is loaded" in out["syv-london-caption"]
    assert "11.10" in _text(out["syv-figures-table"])


def test_the_strand_picker_offers_no_exempt_strand(loaded):
    import webclient
    from core import db
    from dashboard.auth import exempt
    from test_exempt import as_user

    engine = db.get_engine(loaded)
    webclient.add_user(engine, "vera", "viewer")
    exempt.mark(engine, "indicator", "AntiSemitic", "max")
    context = as_user(webclient.the_app().server, engine, "vera")
    try:
        picker = _find(hate_crime.layout(), "hate-strand-select")
        out = _update(hate_crime, "2025-02", "AntiSemitic")  # an old choice: the first offered
    finally:
        context.pop()
        exempt.unmark(engine, "indicator", "AntiSemitic")
    values = [o["value"] for o in picker.options]
    # the total and the strands including AntiSemitic are withheld with it (test_exempt_hate)
    assert "AntiSemitic" not in values and picker.value == "Racist Crime"
    assert "AntiSemitic" not in out["hate-summary"] and "Racist Crime" in out["hate-summary"]


@pytest.mark.parametrize(
    ("kind", "name"),
    [("dataset", "hate_reporting_centres"), ("indicator", "Hate crime")],  # every strand
)
def test_reporting_centres_withheld_are_not_shown_not_missing(loaded, kind, name):
    """Reports loaded but exempt for a viewer (the dataset, or every strand through the total):
    the page says they are not shown to this role, never that none are loaded."""
    import webclient
    from core import db, queries
    from dashboard.auth import exempt
    from test_exempt import as_user

    engine = db.get_engine(loaded)
    if queries.user_row(engine, "vera") is None:  # the module's database may have her
        webclient.add_user(engine, "vera", "viewer")
    exempt.mark(engine, kind, name, "max")
    context = as_user(webclient.the_app().server, engine, "vera")
    try:
        out = _update(hate_crime, "2023-03", "Hate crime")  # months with reports loaded
    finally:
        context.pop()
        exempt.unmark(engine, kind, name)
    notice = _text(out["hate-centres-notice"])
    assert "Hate Crime Reporting Centre reports are not shown to your role" in notice
    caption = out["hate-centres-caption"]
    assert caption == "Reporting-centre reports are not shown to your role."
    assert out["hate-centres-graph"].layout.annotations[0].text == caption
    for text in (notice, caption, _text(out["hate-summary"])):
        assert "loaded" not in text
    assert out["hate-centres-charts"] is True


def test_mps_hate_crime_withheld_is_not_shown_not_missing(loaded):
    """The MPS dashboard offences exempt for a viewer: the page says its hate crime figures are
    not shown to this role, never 'Not yet loaded'."""
    import webclient
    from core import db, queries
    from dashboard.auth import exempt
    from test_exempt import as_user

    engine = db.get_engine(loaded)
    if queries.user_row(engine, "vera") is None:  # the module's database may have her
        webclient.add_user(engine, "vera", "viewer")
    exempt.mark(engine, "dataset", "mps_dashboard_offences", "max")
    context = as_user(webclient.the_app().server, engine, "vera")
    try:
        out = _update(hate_crime, "2025-02", "Hate crime")
    finally:
        context.pop()
        exempt.unmark(engine, "dataset", "mps_dashboard_offences")
    summary = _text(out["hate-summary"])
    assert "MPS Monthly Crime Dashboard data are not shown to your role" in summary
    assert "loaded" not in summary


def _all_text(outputs) -> str:
    """Every word a callback's outputs show: sentences, notices, tables and charts' notes."""
    parts = []
    for out in outputs:
        if hasattr(out, "layout") and hasattr(out, "data"):  # a figure: its annotations
            parts += [a.text for a in out.layout.annotations or ()]
        elif isinstance(out, str):
            parts.append(out)
        elif out is not None and not isinstance(out, bool | int | float | dict):
            parts.append(_text(out))
    return " ".join(parts)


WITHHELD = {  # page (and which part): the dataset exempt, what it says, what it must not say
    "prevent": ("wrap_training", "WRAP figures are not shown to your role", "loaded"),
    "reoffending iom": ("iom", "IOM figures are not shown to your role", "No IOM"),
    "reoffending moj": ("proven_reoffending", "Proven reoffending rates are not shown", "No pro"),
    "syv knife": ("mps_dashboard_offences", "Knife crime figures are not shown", "No knife"),
    "domestic_abuse": ("mps_dashboard_offences", "domestic abuse figures are not sh", "loaded"),
    "asb": ("police_uk", "Police.uk figures are not shown to your role", "loaded"),
}


@pytest.mark.parametrize("case", list(WITHHELD))
def test_a_dataset_exempt_for_a_viewer_is_not_shown_never_not_loaded(loaded, case):
    """Each priority page whose dataset is exempt for the reader: its sentence, notice and
    blank charts say the figures are not shown to this role, never that none are loaded."""
    import webclient
    from core import db, queries
    from dashboard.auth import exempt
    from dashboard.pages import asb, domestic_abuse
    from test_exempt import as_user

    slug, (dataset, said, absent) = case.split()[0], WITHHELD[case]
    module = {**PAGES, "domestic_abuse": domestic_abuse, "asb": asb}[slug]
    engine = db.get_engine(loaded)
    if queries.user_row(engine, "vera") is None:  # the module's database may have her
        webclient.add_user(engine, "vera", "viewer")
    exempt.mark(engine, "dataset", dataset, "max")
    context = as_user(webclient.the_app().server, engine, "vera")
    try:
        outputs = module.update("2025-02", None) if slug in ("asb", "domestic_abuse") else None
        outputs = outputs or module.update("2024-03" if slug == "reoffending" else "2025-02")
    finally:
        context.pop()
        exempt.unmark(engine, "dataset", dataset)
    text = _all_text(outputs)
    assert said in text and "(marked exempt)" in text
    assert absent not in text


# --- each dataset its own month -----------------------------------------------------------------


def test_period_picker_offers_the_months_of_every_dataset(loaded):
    """The MPS dashboard figures run to July 2025: the picker offers that month although no
    borough crime file is loaded; chosen at first: each page's own latest."""
    picker = _find(app.layout(), "period-select")
    assert picker.value == "latest"
    assert picker.options[1] == {"label": "July 2025", "value": "2025-07"}


@pytest.mark.parametrize(
    ("module", "summary", "what"),
    [(hate_crime, "hate-summary", "Hate crime"), (youth_violence, "syv-summary", "Knife crime")],
)
def test_month_before_the_data_shows_its_first_full_year_in_words(loaded, module, summary, what):
    """Hate crime and knife crime figures start in August 2021: March 2019 shows the 12 months
    to July 2022 (the first with every month) and says so, not "No figures loaded" nor an
    August 2021 whose windows are all "not available"."""
    args = ("2019-03", TOTAL) if module is hate_crime else ("2019-03",)
    out = _update(module, *args)
    text = _text(out[summary])
    run = f"{what} figures run from August 2021 to July 2025"
    assert f"{run}; showing the first 12 months they cover in full, to July 2022." in text
    assert "No figures loaded" not in text and "not available" not in text


@pytest.mark.parametrize("prefix", list(PAGES))
def test_each_acronym_is_spelled_out_once_where_first_used(loaded, prefix):
    """A board member meeting "MPS" or "IOM" for the first time on a page reads what it
    stands for there, once."""
    module = PAGES[prefix]
    args = ("2025-02", TOTAL) if prefix == "hate" else ("2025-02",)
    out = _update(module, *args)
    shown = [v for v in out.values() if not isinstance(v, bool | dict) and not hasattr(v, "data")]
    page = module.layout()
    heading = _text(page.children[0])  # the page's title may name it; the line below explains
    text = " ".join([_text(page), *(_text(v) for v in shown)]).removeprefix(heading)
    used = [a for a in prose_words.ACRONYMS if re.search(rf"\b{a}\b", text)]
    assert used, "the page uses none of the acronyms: the test checks nothing"
    for acronym in used:
        words = prose_words.ACRONYMS[acronym]
        assert text.count(words) == 1, (acronym, text.count(words))
        assert text.index(words) < re.search(rf"\b{acronym}\b", text).start(), acronym
