"""Crime charts and the ward map as pure functions: known inputs, known structures (no database)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.months import as_month
from dashboard.charts import base, wards_map
from dashboard.charts import crime as crime_charts
from domain.crime import trend_frame

MONTHS = pd.date_range("2010-01-01", "2012-12-01", freq="MS")


def _counts(values, months=MONTHS) -> pd.Series:
    return pd.Series(values, index=months[: len(values)])


# --- trend ---------------------------------------------------------------------------------------


def test_trend_figure_reference_lines_and_windows():
    frame = trend_frame(_counts([12] * 36))
    fig = crime_charts.trend_figure(frame, as_month("2012-12"), baseline=240, target=192.0)
    bars, line, previous, last, base_key, target_key = fig.data
    assert bars.type == "bar" and list(bars.y) == [12] * 36
    assert list(line.y)[-1] == 12 and list(line.customdata)[-1] == 144
    assert (previous.name, last.name) == ("Previous 12 months", "Last 12 months")
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [pd.Timestamp(r.x0).strftime("%Y-%m") for r in rects] == ["2010-12", "2011-12"]
    assert [pd.Timestamp(r.x1).strftime("%Y-%m") for r in rects] == ["2011-12", "2012-12"]
    assert [(s.y0, s.line.dash) for s in lines] == [(20, "dash"), (16, "dot")]
    # named in the legend (a label box on the plot covered the rolling line or the bars)
    assert (base_key.name, base_key.line.dash) == ("2011/12 baseline (20 a month)", "dash")
    assert (target_key.name, target_key.line.dash) == ("Target (16 a month)", "dot")
    assert list(base_key.x) == [None] and fig.layout.annotations == ()


def test_trend_figure_without_baseline_or_data():
    frame = trend_frame(_counts([5] * 24))
    fig = crime_charts.trend_figure(frame, as_month("2011-12"))
    assert [s.type for s in fig.layout.shapes] == ["rect", "rect"]
    empty = crime_charts.trend_figure(trend_frame(pd.Series(dtype=float)), as_month("2011-12"))
    assert empty.data == () and "No monthly figures" in empty.layout.annotations[0].text


# --- ranked bars and rank over time ----------------------------------------------------------------


def test_ranked_bar_figure_lowest_at_top_home_highlighted():
    frame = pd.DataFrame({"name": ["A", "Home", "C", "D"], "value": [3.0, 1.5, 9.0, float("nan")]})
    fig = crime_charts.ranked_bar_figure(
        frame, "Home", "Rate", reference=4.0, reference_label="London"
    )
    bar = fig.data[0]
    assert list(bar.y) == ["C", "A", "<b>Home</b>"]  # Plotly draws the first at the bottom
    assert list(bar.x) == [9.0, 3.0, 1.5]
    assert list(bar.marker.color) == [base.GREY, base.GREY, base.BLUE]
    assert fig.layout.shapes[0].x0 == 4.0 and fig.layout.annotations[0].text == "London: 4.0"


def test_ranked_bar_figure_empty():
    frame = pd.DataFrame({"name": ["A"], "value": [float("nan")]})
    assert crime_charts.ranked_bar_figure(frame, "A", "Rate").data == ()


def test_rank_figure_reversed_axis_and_marker():
    frame = pd.DataFrame({"month": MONTHS[:3], "london_rank": [5, pd.NA, 7]})
    fig = crime_charts.rank_figure(frame, as_month("2010-03"), "Barnet")
    assert list(fig.data[0].y) == [5.0, 7.0]  # months without a rank are left out
    assert len(fig.data) == 1  # the chosen month is marked in the layout, not as a trace
    assert fig.layout.annotations[-1].text == "7 of 32"
    note = fig.layout.annotations[-1]
    assert (note.yref, note.y, note.yanchor) == ("paper", 1, "bottom")  # above the plot
    dot = fig.layout.shapes[0]
    assert (dot.type, dot.xanchor, dot.yanchor) == ("circle", pd.Timestamp("2010-03-01"), 7)
    assert list(fig.layout.yaxis.range) == [32.5, 0.5]
    # the time axis's range is set, not left to plotly.js: a period change keeps the line's
    # data, and the axis then fell back to 2000-2001, taking the chosen month's label with it
    first, last = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert first < pd.Timestamp("2010-01-01") and pd.Timestamp("2010-03-01") < last
    no_rank = pd.DataFrame({"month": MONTHS[:2], "london_rank": [pd.NA, pd.NA]})
    assert (
        "needs all 32"
        in crime_charts.rank_figure(no_rank, as_month("2010-02"), "X").layout.annotations[0].text
    )


# --- ward map -------------------------------------------------------------------------------------


def _square(code: str, x: float, size: float = 1) -> dict:
    ring = [[x, 51.5], [x + size, 51.5], [x + size, 51.5 + size], [x, 51.5 + size], [x, 51.5]]
    return {"code": code, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _outlines(*squares: dict) -> pd.DataFrame:
    return pd.DataFrame(list(squares), columns=["code", "geometry"])


def test_wards_map_one_trace_per_ward_small_counts_hatched():
    features = _outlines(_square("W1", 0), _square("W2", 2), _square("W3", 4))
    frame = pd.DataFrame(
        {
            "code": ["W1", "W2", "W3", "W4"],
            "name": ["One", "Two", "Three", "No shape"],
            "value": [-20.0, 10.0, 50.0, 5.0],
            "judged": [True, True, False, True],
            "text": ["a", "b", "c", "d"],
        }
    )
    fig = wards_map.wards_map_figure(features, frame, "% change", diverging=True)
    wards = fig.data[:3]
    assert [t.name for t in wards] == ["One", "Two", "Three"]  # a click's curveNumber: the ward
    assert fig.data[3].mode == "text" and len(fig.data) == 4  # the labels come last
    assert list(wards[0].x) == [0, 1, 1, 0, 0, None]
    assert [t.hovertext for t in wards] == ["a", "b", "c"]
    assert wards[2].fillpattern.shape == "/" and wards[2].fillcolor == base.NO_DATA_GREY
    assert "fillpattern" not in wards[0].to_plotly_json()
    # the scale is symmetric around 0 and set by the judged wards only: -20 is the blue end
    assert wards_map.colour_range(frame["value"][frame["judged"]], True) == (-20.0, 20.0)
    assert wards[0].fillcolor == "rgb(0, 114, 178)"
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(52.0)))


def test_ward_colours_sequential_from_zero():
    values = pd.Series([0.0, 50.0, 100.0])
    colours = wards_map.ward_colours(values, pd.Series([True, True, True]), diverging=False)
    assert colours[0] == "rgb(198, 219, 239)" and colours[-1] == "rgb(8, 48, 107)"
    assert wards_map.colour_range(pd.Series([], dtype=float), True) == (-1.0, 1.0)


def test_wards_map_without_boundaries():
    frame = pd.DataFrame(
        {"code": ["W1"], "name": ["One"], "value": [1.0], "judged": [True], "text": ["a"]}
    )
    fig = wards_map.wards_map_figure(_outlines(), frame, "Crimes")
    assert "No ward boundaries" in fig.layout.annotations[0].text


def test_a_ward_label_sits_inside_a_concave_ward():
    """A U-shaped ward: its centroid (x 1.5) is in the gap between the arms, outside it."""
    ring = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
    x, y, room = wards_map.label_point({"type": "Polygon", "coordinates": [ring]})
    inside_base = 0 < x < 3 and 0 < y < 1
    inside_arm = (0 < x < 1 or 2 < x < 3) and 1 <= y < 3
    assert inside_base or inside_arm
    assert room == pytest.approx(3 if inside_base else 1)


def test_names_are_drawn_by_importance_and_hover_on_every_ward():
    outlines = _outlines(_square("W1", 0, size=1), _square("W2", 1, size=0.01))
    frame = pd.DataFrame(
        {
            "code": ["W1", "W2"],
            "name": ["Big Ward", "Tiny Ward"],
            "value": [1.0, 2.0],
            "judged": [True, True],
            "text": ["Big Ward: 1", "Tiny Ward: 2"],
        }
    )
    fig = wards_map.wards_map_figure(outlines, frame, "Crimes")
    labels = fig.data[-1]
    # by importance: the ward with the most first, labelled even where its name overflows it
    assert list(labels.text) == ["Tiny Ward", "Big Ward"]
    assert [t.hovertext for t in fig.data[:2]] == ["Big Ward: 1", "Tiny Ward: 2"]
    assert 0 < labels.x[1] < 1 and 51.5 < labels.y[1] < 52.5


def test_without_a_map_the_wards_are_ranked_bars_highest_first():
    frame = pd.DataFrame(
        {"code": ["A", "B", "C"], "name": ["Low", "High", "Mid"], "value": [1.0, 9.0, 4.0]}
    )
    bars = wards_map.ranked_wards_figure(frame.assign(judged=True), "Crimes", False).data[0]
    assert bars.orientation == "h"
    assert list(bars.y)[::-1] == ["High", "Mid", "Low"]  # plotly draws the first y lowest
    assert list(bars.text)[::-1] == ["9", "4", "1"]


def test_ranked_bars_leave_room_for_the_longest_name_without_a_second_layout_pass():
    short = pd.DataFrame({"name": ["Brent", "Ealing"], "value": [1.0, 2.0]})
    long = pd.DataFrame({"name": ["Brent", "Kensington and Chelsea"], "value": [1.0, 2.0]})
    narrow = crime_charts.ranked_bar_figure(short, "Brent", "Rate").layout
    wide = crime_charts.ranked_bar_figure(long, "Brent", "Rate").layout
    assert narrow.margin.l < wide.margin.l
    assert wide.margin.l >= len("Kensington and Chelsea") * 11 * 0.55  # at least 0.55 em a glyph
    assert wide.yaxis.automargin is False


def test_charts_use_no_plotly_template_and_fixed_margins_except_category_axes():
    counts = pd.Series(range(24), index=pd.date_range("2020-01-01", periods=24, freq="MS"))
    trend = crime_charts.trend_figure(trend_frame(counts), as_month("2021-12-01")).layout
    assert trend.template.to_plotly_json() == {}
    assert trend.xaxis.automargin is False and trend.yaxis.automargin is False
    category = base.make_figure([], {"yaxis": {"type": "category"}}).layout
    assert category.yaxis.automargin is True


def test_ward_labels_by_importance_the_highest_first():
    """Was: the two highest wards unlabelled (their names overflow their wards) while quieter
    ones were. Six thin wards side by side; the two highest have names too long for them."""
    squares = [_square(f"W{i}", x, size=0.01) for i, x in enumerate([0, 1, 0.3, 0.45, 0.6, 0.75])]
    names = ["A very long ward name here", "Another long ward name", "Ab", "Cd", "Ef", "Gh"]
    frame = pd.DataFrame(
        {
            "code": [f"W{i}" for i in range(6)],
            "name": names,
            "value": [90.0, 80.0, 10.0, 20.0, 30.0, 40.0],
            "judged": True,
            "text": names,
        }
    )
    labels = wards_map.wards_map_figure(_outlines(*squares), frame, "Crimes").data[-1]
    shown = [t.replace("<br>", " ") for t in labels.text]
    assert {"A very long ward name here", "Another long ward name"} <= set(shown)


def test_kept_label_points_draw_the_same_map_as_placing_the_names_afresh():
    """``label_points`` (what a page keeps per data version) puts every name where
    ``label_trace`` places it itself: the same figure, for every ward or a few of Barnet's."""
    import json

    from fixtures.extracts import BARNET_BOUNDARIES

    features = json.loads(BARNET_BOUNDARIES.read_text(encoding="utf-8"))["features"]
    outlines = _outlines(
        *({"code": f["properties"]["WD22CD"], "geometry": f["geometry"]} for f in features)
    )
    names = [f["properties"]["WD22NM"] for f in features]
    for count, judged in [(len(names), [True, False] * 20), (5, [False] * 5)]:
        frame = pd.DataFrame(
            {
                "code": outlines["code"][:count],
                "name": names[:count],
                "value": [float((7 * n) % 11) for n in range(count)],
                "judged": judged[:count],
                "text": names[:count],
            }
        )
        points = wards_map.label_points(outlines, zip(frame["code"], frame["name"], strict=True))
        kept = wards_map.wards_map_figure(outlines, frame, "Crimes", False, points)
        afresh = wards_map.wards_map_figure(outlines, frame, "Crimes")
        assert kept.to_dict() == afresh.to_dict()
        with pytest.MonkeyPatch.context() as patch:  # the kept points are used, not placed again
            patch.setattr(wards_map, "label_point", lambda *_: pytest.fail("placed again"))
            again = wards_map.wards_map_figure(outlines, frame, "Crimes", False, points)
        assert again.to_dict() == afresh.to_dict()
        assert len(kept.data[-1].text) >= (4 if count > 5 else 1) and len(points) == count
