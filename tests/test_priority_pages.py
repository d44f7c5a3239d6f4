"""The other priorities' pages (youth violence, reoffending, Prevent, hate crime): layouts and
callbacks called as plain functions against a small SQLite database.

The database holds the real MPS Monthly Crime Dashboard extracts (data/seed), the ONS
populations and the council template samples (data/samples), loaded through the real loader.
Expected figures come from pandas reading those files directly, never from the loader.
"""

from __future__ import annotations

import pandas as pd
import pytest

import app  # registers the pages, as in production
from dashboard.charts import hate_crime as hate_charts
from dashboard.pages import hate_crime, prevent, reoffending, youth_violence
from dashboard.prose import priorities as priority_prose
from dashboard.prose import words as prose_words
from dashboard.prose.priorities import wrap_rag_text
from etl.load import load_path
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
    tail = {"hate": ["hate-centres-notice", "hate-source"]}.get(prefix, [f"{prefix}-source"])
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


def test_syv_figures_match_the_sample_and_its_published_summary(loaded):
    counts = _sheet("serious-youth-violence-sample.xlsx", "SYV counts")
    published = _sheet("serious-youth-violence-sample.xlsx", "SYV summary").iloc[0]
    victims = int(counts.loc[counts["Borough"] == "Barnet", "Victims"].sum())
    out = _update(youth_violence, "2025-02")
    summary = out["syv-summary"]
    # the sample's summary line was computed from the same counts with the mid-2023 populations
    assert summary.startswith(
        f"In the 12 months to March 2024 Barnet had {victims:,} victims of serious youth "
        f"violence: {published['Rate per 10,000']} per 10,000 residents (mid-2023 population), "
        f"rank {published['London rank']} of 32 London boroughs (1 = lowest rate), against "
        f"London's {published['London average rate per 10,000']}; no comparison with the "
        "previous 12 months (a month is missing)."
    )
    bars = out["syv-london-graph"].data[0]
    assert len(bars.y) == 32 and "<b>Barnet</b>" in bars.y
    assert 'id="syv-trend-table"' in out["syv-trend-table-html"]


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
    assert out["syv-source"].startswith("Latest month loaded: July 2025.")


# --- reoffending --------------------------------------------------------------------------------


def test_reoffending_rates_for_borough_london_and_england_and_wales(loaded):
    rows = _sheet("moj-proven-reoffending-sample.xlsx", "Proven reoffending")
    rate = {
        (r["Geography"], r["Adult / Juvenile"]): r["Reoffenders"] / r["Offenders"] * 100
        for r in rows.to_dict("records")
    }
    out = _update(reoffending, "2025-02")
    words = out["reoffending-summary"]
    assert "In 2022/23 Q4 the IOM cohort was 105 people (101 in 2022/23 Q3)" in words
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
    assert out["reoffending-summary"].startswith("No IOM quarter starts by September 2022.")


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
    for trace in out["hate-strands-graph"].data:
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
    assert "not like-for-like" in out["hate-london-table-html"]


def test_hate_comparison_within_one_system_is_not_flagged(loaded):
    summary = _update(hate_crime, "2023-12", "Hate crime")["hate-summary"]
    assert "crosses the change" not in summary and "not like-for-like" not in summary


@pytest.mark.parametrize("chart", ["hate-trend", "hate-strands", "hate-outcomes"])
def test_every_hate_chart_over_time_marks_the_break(loaded, chart):
    figure = _update(hate_crime, "2025-02", "Racist Crime")[f"{chart}-graph"]
    assert len(_shapes_at_break(figure)) == 1
    labels = [a.text for a in figure.layout.annotations]
    assert hate_charts.BREAK_LABEL in labels


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


@pytest.mark.parametrize(
    ("prefix", "what"),
    [
        ("syv", "serious-youth-violence.xlsx"),
        ("reoffending", "iom-cohort.xlsx"),
        ("prevent", "prevent-wrap-training.xlsx"),
        ("hate", "MPS Monthly Crime Dashboard"),
    ],
)
def test_empty_database_says_what_to_load_and_how(use_database, prefix, what):
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
    assert prose_words.change_words(record, across_break=True).endswith(
        "(not like-for-like: the MPS changed its crime recording system at the end of "
        "February 2024)"
    )


def test_syv_published_summary_only(loaded, monkeypatch):
    from dashboard import cache

    summary = cache.council_table("syv_summary")
    real = cache.council_table
    monkeypatch.setattr(
        cache,
        "council_table",
        lambda name: summary.iloc[0:0] if name == "syv_monthly" else real(name),
    )
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
