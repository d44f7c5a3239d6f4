"""Charts, sentences and widgets as pure functions: known inputs, known outputs (no database)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import components, figures, summaries
from domain.crime import trend_frame

MONTHS = pd.date_range("2010-01-01", "2012-12-01", freq="MS")


def _counts(values, months=MONTHS) -> pd.Series:
    return pd.Series(values, index=months[: len(values)])


# --- trend ---------------------------------------------------------------------------------------


def test_trend_figure_reference_lines_and_windows():
    frame = trend_frame(_counts([12] * 36))
    fig = figures.trend_figure(frame, "2012-12", baseline=240, target=192.0)
    bars, line, previous, last = fig.data
    assert bars.type == "bar" and list(bars.y) == [12] * 36
    assert list(line.y)[-1] == 12 and list(line.customdata)[-1] == 144
    assert (previous.name, last.name) == ("Previous 12 months", "Last 12 months")
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [pd.Timestamp(r.x0).strftime("%Y-%m") for r in rects] == ["2010-12", "2011-12"]
    assert [pd.Timestamp(r.x1).strftime("%Y-%m") for r in rects] == ["2011-12", "2012-12"]
    assert [(s.y0, s.line.dash) for s in lines] == [(20, "dash"), (16, "dot")]
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["2011/12 baseline: 240 a year (20 a month)", "Target: 192 a year (16 a month)"]


def test_trend_figure_without_baseline_or_data():
    frame = trend_frame(_counts([5] * 24))
    fig = figures.trend_figure(frame, "2011-12")
    assert [s.type for s in fig.layout.shapes] == ["rect", "rect"]
    empty = figures.trend_figure(trend_frame(pd.Series(dtype=float)), "2011-12")
    assert empty.data == () and "No monthly figures" in empty.layout.annotations[0].text


# --- ranked bars and rank over time ----------------------------------------------------------------


def test_ranked_bar_figure_lowest_at_top_home_highlighted():
    frame = pd.DataFrame({"name": ["A", "Home", "C", "D"], "value": [3.0, 1.5, 9.0, float("nan")]})
    fig = figures.ranked_bar_figure(frame, "Home", "Rate", reference=4.0, reference_label="London")
    bar = fig.data[0]
    assert list(bar.y) == ["C", "A", "<b>Home</b>"]  # Plotly draws the first at the bottom
    assert list(bar.x) == [9.0, 3.0, 1.5]
    assert list(bar.marker.color) == [figures.GREY, figures.GREY, figures.BLUE]
    assert fig.layout.shapes[0].x0 == 4.0 and fig.layout.annotations[0].text == "London: 4.0"


def test_ranked_bar_figure_empty():
    frame = pd.DataFrame({"name": ["A"], "value": [float("nan")]})
    assert figures.ranked_bar_figure(frame, "A", "Rate").data == ()


def test_rank_figure_reversed_axis_and_marker():
    frame = pd.DataFrame({"month": MONTHS[:3], "london_rank": [5, pd.NA, 7]})
    fig = figures.rank_figure(frame, "2010-03", "Barnet")
    assert list(fig.data[0].y) == [5.0, 7.0]  # months without a rank are left out
    assert len(fig.data) == 1  # the chosen month is marked in the layout, not as a trace
    assert fig.layout.annotations[-1].text == "7 of 32"
    dot = fig.layout.shapes[-1]
    assert (dot.type, dot.xanchor, dot.yanchor) == ("circle", pd.Timestamp("2010-03-01"), 7)
    assert list(fig.layout.yaxis.range) == [32.5, 0.5]
    no_rank = pd.DataFrame({"month": MONTHS[:2], "london_rank": [pd.NA, pd.NA]})
    assert "needs all 32" in figures.rank_figure(no_rank, "2010-02", "X").layout.annotations[0].text


# --- ward map -------------------------------------------------------------------------------------


def _square(code: str, x: float) -> dict:
    ring = [[x, 51.5], [x + 1, 51.5], [x + 1, 52.5], [x, 52.5], [x, 51.5]]
    return {"properties": {"WD22CD": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_wards_map_one_trace_per_ward_small_counts_hatched():
    features = [_square("W1", 0), _square("W2", 2), _square("W3", 4)]
    frame = pd.DataFrame(
        {
            "code": ["W1", "W2", "W3", "W4"],
            "name": ["One", "Two", "Three", "No shape"],
            "value": [-20.0, 10.0, 50.0, 5.0],
            "judged": [True, True, False, True],
            "text": ["a", "b", "c", "d"],
        }
    )
    fig = figures.wards_map_figure(features, frame, "% change", diverging=True)
    wards = fig.data
    assert [t.name for t in wards] == ["One", "Two", "Three"]  # a click's curveNumber: the ward
    assert list(wards[0].x) == [0, 1, 1, 0, 0, None]
    assert [t.hovertext for t in wards] == ["a", "b", "c"]
    assert wards[2].fillpattern.shape == "/" and wards[2].fillcolor == figures.NO_DATA_GREY
    assert "fillpattern" not in wards[0].to_plotly_json()
    # the scale is symmetric around 0 and set by the judged wards only: -20 is the blue end
    assert figures.colour_range(frame["value"][frame["judged"]], True) == (-20.0, 20.0)
    assert wards[0].fillcolor == "rgb(0, 114, 178)"
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(52.0)))


def test_ward_colours_sequential_from_zero():
    values = pd.Series([0.0, 50.0, 100.0])
    colours = figures.ward_colours(values, pd.Series([True, True, True]), diverging=False)
    assert colours[0] == "rgb(198, 219, 239)" and colours[-1] == "rgb(8, 48, 107)"
    assert figures.colour_range(pd.Series([], dtype=float), True) == (-1.0, 1.0)


def test_wards_map_without_boundaries():
    frame = pd.DataFrame(
        {"code": ["W1"], "name": ["One"], "value": [1.0], "judged": [True], "text": ["a"]}
    )
    fig = figures.wards_map_figure([], frame, "Crimes")
    assert "No ward boundaries" in fig.layout.annotations[0].text


# --- sentences ------------------------------------------------------------------------------------


def _record(**values) -> dict:
    base = {
        "r12": 840,
        "p12": 960,
        "baseline": 1200,
        "p_value": 0.004,
        "rag": "Green",
        "london_rank": 13,
        "rate_per_1000": 8.4,
        "population_year": 2024,
        "month": "2025-02",
    }
    return {**base, **values}


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (_record(), "down 12.5% on the previous 12 months, statistically significant"),
        (
            _record(r12=900, p12=960, p_value=0.16),
            "down 6.3% on the previous 12 months, not statistically significant",
        ),
        (_record(r12=960), "no change on the previous 12 months"),
        (_record(p12=None), "no comparison with the previous 12 months (a month is missing)"),
        (_record(r12=6, p12=12), "down 50% on the previous 12 months, too few crimes to judge"),
    ],
)
def test_previous_year_words(record, words):
    assert summaries.previous_year_words(record) == words


def test_previous_year_words_without_the_heading_words():
    assert (
        summaries.previous_year_words(_record(), False) == "down 12.5%, statistically significant"
    )


def test_baseline_words():
    assert summaries.baseline_words(_record()) == "360 fewer crimes than 2011/12, −30%"
    assert summaries.baseline_words(_record(baseline=None)) == "no 2011/12 baseline loaded"
    assert summaries.baseline_words(_record(r12=pd.NA)) == "not available"


@pytest.mark.parametrize(
    ("rank", "before", "words"),
    [
        (
            13,
            15,
            "rank 13 of 32 London boroughs (1 = lowest rate), 2 places better than a year "
            "earlier (15)",
        ),
        (
            13,
            12,
            "rank 13 of 32 London boroughs (1 = lowest rate), 1 place worse than a year "
            "earlier (12)",
        ),
        (13, 13, "rank 13 of 32 London boroughs (1 = lowest rate), the same as a year earlier"),
        (13, None, "rank 13 of 32 London boroughs (1 = lowest rate)"),
        (pd.NA, 4, "no rank among the London boroughs (not all 32 have figures)"),
    ],
)
def test_rank_words(rank, before, words):
    assert summaries.rank_words(rank, before) == words


def test_rag_words_small_counts_are_not_judged():
    assert summaries.rag_words(_record(rag="Red", r12=4, p12=3)) == (
        "too small to judge against the target"
    )
    assert summaries.rag_words(_record(rag="Red")) == "Red: at or worse than 2011/12"


def test_overview_sentence_counts_rag_of_judged_types_only():
    types = [_record(rag="Green"), _record(rag="Amber"), _record(rag="Red", r12=5, p12=3)]
    total = _record(r12=1638, p12=1728, baseline=2304, p_value=0.12)
    assert summaries.overview_sentence("Barnet", "2025-02", total, types) == (
        "In the 12 months to February 2025 Barnet had 1,638 neighbourhood (MOPAC7) crimes: "
        "666 fewer crimes than 2011/12, −28.9%, and down 5.2% on the previous 12 months, "
        "not statistically significant; of the 3 crime types, 1 Green, 1 Amber and 0 Red "
        "against the target of 20% below 2011/12."
    )
    assert "not available" in summaries.overview_sentence(
        "Barnet", "2025-02", _record(r12=None), []
    )


@pytest.mark.parametrize(
    ("r12", "baseline", "target", "words"),
    [
        (900, 1200, 960.0, "at or below the target"),
        (1000, 1200, 960.0, "below the 2011/12 baseline but above the target"),
        (1200, 1200, 960.0, "at or above the 2011/12 baseline"),
        (1200, None, None, "no 2011/12 baseline to compare with"),
    ],
)
def test_target_position(r12, baseline, target, words):
    assert summaries.target_position(r12, baseline, target) == words


def test_rank_caption_best_and_worst():
    history = pd.DataFrame({"month": MONTHS[:14], "london_rank": [20, 18, 25] + [19] * 10 + [17]})
    assert summaries.rank_caption("Barnet", history, "2011-02") == (
        "Barnet's London rank month by month: rank 17 of 32 London boroughs (1 = lowest rate), "
        "1 place better than a year earlier (18); its best was 17 (12 months to February 2011) "
        "and its worst 25 (March 2010)."
    )


def test_london_caption():
    caption = summaries.london_caption("Burglary", "Barnet", _record(), 10.24)
    assert caption == (
        "The 32 London boroughs' burglary crimes per 1,000 residents in the 12 months to "
        "February 2025, lowest first: Barnet's is 8.4 (mid-2024 population), rank 13 of 32 "
        "London boroughs (1 = lowest rate); London's rate is 10.2."
    )


# --- widgets --------------------------------------------------------------------------------------


def test_slugs_are_the_contract_addresses():
    assert list(components.SLUGS) == [
        "burglary",
        "criminal-damage",
        "robbery",
        "theft-from-motor-vehicle",
        "theft-from-the-person",
        "theft-of-motor-vehicle",
        "violence-with-injury",
        "mopac7-total",
    ]


def test_period_options_and_chosen_month():
    months = list(pd.date_range("2024-12-01", "2025-02-01", freq="MS"))
    assert components.period_options(months) == [
        {"label": "February 2025", "value": "2025-02"},
        {"label": "January 2025", "value": "2025-01"},
        {"label": "December 2024", "value": "2024-12"},
    ]
    assert components.chosen_month("2025-01", months) == pd.Timestamp("2025-01-01")
    assert components.chosen_month("2020-01", months) == pd.Timestamp("2025-02-01")
    assert components.chosen_month(None, months) == pd.Timestamp("2025-02-01")
    assert components.chosen_month("rubbish", months) == pd.Timestamp("2025-02-01")
    assert components.chosen_month("2025-01", []) is None


def test_table_html_escapes_and_marks_row_headers():
    frame = pd.DataFrame({"Ward": ["Totteridge & Woodside"], "Crimes": ["<5"]})
    assert components.table_html(frame, "t-table", "Note") == (
        '<table id="t-table" class="table table-sm table-striped"><caption>Note</caption>'
        '<thead><tr><th scope="col">Ward</th><th scope="col">Crimes</th></tr></thead>'
        '<tbody><tr><th scope="row">Totteridge &amp; Woodside</th><td>&lt;5</td></tr></tbody>'
        "</table>"
    )


def test_sort_wards_missing_values_last():
    table = pd.DataFrame(
        {"area_name": ["B", "A", "C"], "change_vs_previous_pct": [5.0, None, -3.0]}
    )
    assert list(components.sort_wards(table, "change_p12", True)["area_name"]) == ["B", "C", "A"]
    assert list(components.sort_wards(table, "change_p12", False)["area_name"]) == ["C", "B", "A"]
    assert list(components.sort_wards(table, "name", False)["area_name"]) == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"r12": 40, "p12": 20, "significant": True}, "statistically significant"),
        ({"r12": 40, "p12": 35, "significant": False}, "not significant"),
        ({"r12": 4, "p12": 20, "significant": True}, "too small to judge"),
        ({"r12": 40, "p12": None, "significant": None}, "not available"),
    ],
)
def test_significance_text(record, words):
    assert components.significance_text(record) == words


def test_rag_label_never_colours_small_counts():
    small = components.rag_label({"r12": 3, "p12": 8, "rag": "Red"})
    assert small.children == "Too small to judge" and "secondary" in small.className
    red = components.rag_label({"r12": 300, "p12": 200, "rag": "Red"})
    assert red.children[0].children == "✕ Red"
    assert red.children[1].children == " at or worse than 2011/12"


def test_ranked_bars_leave_room_for_the_longest_name_without_a_second_layout_pass():
    short = pd.DataFrame({"name": ["Brent", "Ealing"], "value": [1.0, 2.0]})
    long = pd.DataFrame({"name": ["Brent", "Kensington and Chelsea"], "value": [1.0, 2.0]})
    narrow = figures.ranked_bar_figure(short, "Brent", "Rate").layout
    wide = figures.ranked_bar_figure(long, "Brent", "Rate").layout
    assert narrow.margin.l < wide.margin.l
    assert wide.margin.l >= len("Kensington and Chelsea") * 11 * 0.55  # at least 0.55 em a glyph
    assert wide.yaxis.automargin is False


def test_charts_use_no_plotly_template_and_fixed_margins_except_category_axes():
    counts = pd.Series(range(24), index=pd.date_range("2020-01-01", periods=24, freq="MS"))
    trend = figures.trend_figure(trend_frame(counts), "2021-12-01").layout
    assert trend.template.to_plotly_json() == {}
    assert trend.xaxis.automargin is False and trend.yaxis.automargin is False
    category = figures._figure([], {"yaxis": {"type": "category"}}).layout
    assert category.yaxis.automargin is True
