"""dashboard.charts.priorities and .hate_crime: the other priorities' charts (tiny inline data)."""

from __future__ import annotations

import pandas as pd

from core.months import as_month
from dashboard.charts import base
from dashboard.charts import hate_crime as hate_charts
from dashboard.charts import priorities as priority_charts
from dashboard.charts.hate_crime import BREAK_LABEL, BREAK_NOTE, BREAK_X
from domain.crime import trend_frame

MONTHS = pd.date_range("2023-01-01", "2025-06-01", freq="MS")


def _contrast(colour: str) -> float:
    """WCAG contrast ratio of a colour against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def _breaks(figure) -> list:
    return [s for s in figure.layout.shapes if s.type == "line" and pd.Timestamp(s.x0) == BREAK_X]


def test_break_marker_sits_between_february_and_march_2024():
    line, key = hate_charts.break_marker()
    assert pd.Timestamp("2024-02-01") < line["x0"] == line["x1"] < pd.Timestamp("2024-03-01")
    assert (line["yref"], line["y0"], line["y1"]) == ("paper", 0, 1)
    # named in the legend: a label box at the plot's top covered the lines under it
    assert key["name"] == BREAK_LABEL == "MPS recording system changed"
    assert key["line"]["dash"] == line["line"]["dash"] == "dashdot"


def test_break_trend_figure_has_bars_line_windows_and_the_break():
    counts = pd.Series(range(len(MONTHS)), index=MONTHS, dtype=float)
    figure = hate_charts.break_trend_figure(trend_frame(counts), as_month("2025-02"))
    assert [t.type for t in figure.data[:2]] == ["bar", "scatter"]
    assert len(_breaks(figure)) == 1
    assert BREAK_LABEL in [t.name for t in figure.data]
    assert len([s for s in figure.layout.shapes if s.type == "rect"]) == 2  # R12 and P12


def test_blank_charts_stay_blank():
    empty = base.empty_figure("nothing")
    assert not hate_charts.with_break(empty).layout.shapes
    assert hate_charts.with_window_note(empty, BREAK_NOTE).layout.annotations[-1].text == "nothing"


def _strands(names: list[str]) -> pd.DataFrame:
    return pd.concat(
        [
            pd.DataFrame(
                {"month": MONTHS, "series": n, "value": [float(i + k) for k in range(len(MONTHS))]}
            )
            for i, n in enumerate(names)
        ],
        ignore_index=True,
    )


def test_month_lines_tell_series_apart_without_colour_and_mark_the_break():
    names = [f"Strand {i}" for i in range(8)]
    figure = hate_charts.month_lines_figure(_strands(names), "Offences")
    *lines, key = figure.data
    assert [t.name for t in lines] == names and key.name == BREAK_LABEL
    assert [t.showlegend for t in figure.data] == [False] * 8 + [True]  # the break alone
    styles = {(t.line.dash, t.marker.symbol) for t in lines}
    assert len(styles) == 8  # each line has its own dash and marker
    assert all(_contrast(t.line.color) >= 3 for t in lines)
    labels = [a.text.strip() for a in figure.layout.annotations]
    assert set(names) <= set(labels)  # each line is named at its end
    assert len(_breaks(figure)) == 1


def test_month_lines_leave_out_windows_without_a_value():
    frame = _strands(["A"])
    frame.loc[:10, "value"] = None
    figure = hate_charts.month_lines_figure(frame, "Offences")
    assert len(figure.data[0].x) == len(MONTHS) - 11
    blank = hate_charts.month_lines_figure(frame.assign(value=None), "x", empty="Nothing")
    assert blank.layout.annotations[0].text == "Nothing"


def test_comparison_lines_keep_the_x_order_and_highlight_one_series():
    frame = pd.DataFrame(
        {
            "x": ["2022/23 Q4", "2023/24 Q1"] * 2,
            "series": ["Barnet", "Barnet", "London", "London"],
            "value": [20.0, 22.5, 25.0, None],
        }
    )
    figure = priority_charts.comparison_lines_figure(frame, "Rate", "Barnet")
    barnet, london = figure.data
    assert list(barnet.x) == ["2022/23 Q4", "2023/24 Q1"] and list(london.x) == ["2022/23 Q4"]
    assert barnet.line.width > london.line.width
    assert figure.layout.yaxis.ticksuffix == "%"
    assert list(figure.layout.xaxis.categoryarray) == ["2022/23 Q4", "2023/24 Q1"]


def test_bars_keep_order_hatch_small_counts_and_draw_the_target():
    frame = pd.DataFrame(
        {"name": ["All", "A", "B"], "value": [60.0, 80.0, 0.0], "judged": [True, True, False]}
    )
    figure = priority_charts.bars_figure(frame, "Coverage", reference=100, reference_label="Target")
    bar = figure.data[0]
    assert list(bar.y) == ["B", "A", "All"]  # drawn bottom-up: the first row at the top
    assert list(bar.marker.pattern.shape) == ["/", "", ""]
    assert bar.marker.color[0] == base.NO_DATA_GREY  # never red: grey and hatched
    assert figure.layout.shapes[0].x0 == 100
    assert figure.layout.annotations[0].text == "Target: 100"


def test_stacked_bars_parts_differ_in_colour_and_pattern_largest_on_top():
    frame = pd.DataFrame(
        {
            "name": ["X", "X", "Y", "Z"],
            "part": ["Crime", "Incident", "Crime", "Incident"],
            "value": [3.0, 4.0, 5.0, 1.0],
        }
    )
    figure = priority_charts.stacked_bars_figure(frame, "Reports")
    crime, incident = figure.data
    assert (crime.name, incident.name) == ("Crime", "Incident")
    assert list(crime.y) == ["Z", "Y", "X"]  # totals 1, 5, 7: the largest at the top
    assert list(crime.x) == [0, 5, 3] and list(incident.x) == [1, 0, 4]
    assert crime.marker.color != incident.marker.color
    assert crime.marker.pattern.shape != incident.marker.pattern.shape
    assert figure.layout.barmode == "stack"
    empty = priority_charts.stacked_bars_figure(frame.iloc[0:0], "Reports")
    assert empty.layout.annotations[0].text == "No reports in this period"


def test_rank_dots_hollow_for_small_counts_and_blank_without_ranks():
    frame = pd.DataFrame(
        {
            "name": ["Hate crime", "Transphobic Crime", "Faith Crime"],
            "rank": [15, 13, None],
            "judged": [True, False, True],
        }
    )
    figure = priority_charts.rank_dots_figure(frame)
    dots = figure.data[0]
    assert list(dots.y) == ["Transphobic Crime", "Hate crime"]
    assert list(dots.marker.symbol) == ["circle-open", "circle"]
    assert list(dots.text) == ["13 (too small to judge)", "15"]
    assert figure.layout.xaxis.range[0] == 0.5
    blank = priority_charts.rank_dots_figure(frame.assign(rank=None))
    assert "32 boroughs" in blank.layout.annotations[0].text


def test_rate_windows_against_the_london_average():
    frame = pd.DataFrame(
        {
            "window_end": pd.to_datetime(["2024-03-01", "2023-03-01"]),
            "rate": [11.1, 10.0],
            "london": [8.2, None],
        }
    )
    figure = priority_charts.rate_windows_figure(frame, "Barnet")
    barnet, london = figure.data
    assert list(barnet.x) == ["12 months to Mar 2023", "12 months to Mar 2024"]
    assert list(barnet.y) == [10.0, 11.1] and list(london.y) == [8.2]
    assert london.name == "London average"


def test_bar_series_in_quarter_order():
    frame = pd.DataFrame({"x": ["2022/23 Q3", "2022/23 Q4"], "value": [101, 105]})
    bar = priority_charts.bar_series_figure(frame, "People").data[0]
    assert list(bar.x) == ["2022/23 Q3", "2022/23 Q4"] and list(bar.y) == [101.0, 105.0]
    assert list(bar.text) == ["101", "105"]


def test_window_note_adds_a_line_above_the_plot():
    frame = pd.DataFrame({"name": ["A"], "value": [3.0]})
    figure = hate_charts.with_window_note(priority_charts.bars_figure(frame, "x"), BREAK_NOTE)
    assert figure.layout.annotations[-1].text == BREAK_NOTE
    assert figure.layout.margin.t >= 40


def test_month_lines_end_labels_do_not_overlap_nor_stretch_the_axes():
    """Strands ending close together: their end labels are moved apart, and the time axis ends
    at the last month (the labels' text had stretched it to 2027)."""
    frame = _strands([f"Strand {i}" for i in range(8)])
    frame["value"] = frame["value"] / 100 + 50  # every line ends between 50.1 and 50.2
    figure = hate_charts.month_lines_figure(frame, "Offences")
    ends = sorted(a.y for a in figure.layout.annotations if a.yref == "y")
    top = figure.layout.yaxis.range[1]
    assert len(ends) == 8
    assert min(b - a for a, b in zip(ends, ends[1:], strict=False)) >= 0.04 * top
    assert max(ends) <= top
    assert pd.Timestamp(figure.layout.xaxis.range[1]) == MONTHS[-1]
    assert figure.layout.yaxis.automargin  # the axis title is given its room, not cut off
