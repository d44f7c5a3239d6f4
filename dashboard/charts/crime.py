"""Crime charts as pure functions: the monthly trend against the baseline and target, the
boroughs (or wards) ranked, and a borough's London rank month by month."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.months import Month, months_before
from core.values import is_missing
from dashboard.charts.base import (
    BLUE,
    GREEN,
    GREY,
    OKABE_ITO,
    ORANGE,
    TREND_START,
    empty_figure,
    make_figure,
    reference_line,
)
from dashboard.text import fmt_number

DATE_PAD = pd.Timedelta(days=20)  # room beside the first and last month of a time axis


def _window(end: Month, colour: str) -> dict:
    start = months_before(end, 11)
    return {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "layer": "below",
        "x0": start - pd.Timedelta(days=15),
        "x1": end + pd.Timedelta(days=15),
        "fillcolor": colour,
        "opacity": 0.22,
        "line": {"width": 0},
    }


def _window_key(name: str, colour: str) -> dict:
    """A legend entry for a shaded window (a square of its colour)."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": name,
        "marker": {"symbol": "square", "size": 14, "color": colour, "opacity": 0.35},
        "hoverinfo": "skip",
    }


def _hline(total: float, label: str, dash: str, colour: str) -> tuple[dict, dict]:
    """A reference line at total/12 a month across the plot, and its legend entry naming it
    (a label box on the plot covered the rolling line or the bars, whatever its place)."""
    y = total / 12
    line = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y,
        "y1": y,
        "line": {"color": colour, "width": 2, "dash": dash},
    }
    key = {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines",
        "name": f"{label} ({fmt_number(y)} a month)",  # the year's figure: in the caption
        "line": {"color": colour, "width": 2, "dash": dash},
        "hoverinfo": "skip",
    }
    return line, key


def legend_rows(names: list[str]) -> int:
    """Rows a horizontal legend of ``names`` takes at most on a half-width chart (two entries a
    row: each name is short enough for half a 600-pixel chart)."""
    return -(-len(names) // 2)


def trend_figure(
    frame: pd.DataFrame,
    end_month: Month,
    baseline: float | None = None,
    target: float | None = None,
    noun: str = "crimes",
) -> go.Figure:
    """Monthly counts since 2010 (bars), the R12 as a monthly average (line), the 2011/12
    baseline and the target as monthly averages (reference lines), the R12 and P12 windows."""
    data = frame[pd.to_datetime(frame["month"]) >= TREND_START] if len(frame) else frame
    if data["count"].notna().sum() == 0:
        return empty_figure("No monthly figures loaded for this area")
    end = end_month
    traces = [
        {
            "type": "bar",
            "x": data["month"],
            "y": data["count"],
            "name": "Each month",
            "marker": {"color": GREY},
            "hovertemplate": "%{x|%B %Y}: %{y:,.0f} " + noun + "<extra></extra>",
        },
        {
            "type": "scatter",
            "x": data["month"],
            "y": data["r12"] / 12,
            "customdata": data["r12"],
            "name": "Rolling 12 months, a month",
            "mode": "lines",
            "line": {"color": BLUE, "width": 3},
            "hovertemplate": "12 months to %{x|%B %Y}: %{customdata:,.0f} "
            + noun
            + " (%{y:,.0f} a month)<extra></extra>",
        },
        _window_key("Previous 12 months", GREY),
        _window_key("Last 12 months", ORANGE),
    ]
    shapes = [_window(months_before(end, 12), GREY), _window(end, ORANGE)]
    for total, label, dash, colour in [
        (baseline, "2011/12 baseline", "dash", OKABE_ITO["black"]),
        (target, "Target", "dot", GREEN),
    ]:
        if not is_missing(total):
            line, key = _hline(total, label, dash, colour)
            shapes.append(line)
            traces.append(key)
    first, last = data["month"].min(), data["month"].max()
    return make_figure(
        traces,
        {
            "shapes": shapes,
            "annotations": [],
            # under the plot, in a margin with room for its rows: above the plot, a legend
            # wrapped onto a second row covered the tallest bars
            "legend": {
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "entrywidth": 0.5,
                "entrywidthmode": "fraction",
            },
            "margin": {"b": 48 + 24 * legend_rows([t["name"] for t in traces])},
            "bargap": 0.1,
            "yaxis": {"title": {"text": f"{noun.capitalize()} per month"}, "rangemode": "tozero"},
            "xaxis": {
                "type": "date",
                "range": [first - DATE_PAD, last + DATE_PAD],
            },
        },
    )


def ranked_bar_figure(
    frame: pd.DataFrame,
    highlight: str | None,
    value_label: str,
    reference: float | None = None,
    reference_label: str = "",
    value_format: str = ",.1f",
) -> go.Figure:
    """Horizontal bars, lowest value at the top (rank 1 = best), one bar highlighted in blue
    and named in bold, an optional reference line (the London figure, the borough median).

    ``frame`` has columns name and value (NaN values are left out).
    """
    data = frame.dropna(subset=["value"]).sort_values(["value", "name"], ascending=[False, False])
    if data.empty:
        return empty_figure("No figures for this period")
    is_home = (data["name"] == highlight).tolist()
    names = data["name"].tolist()
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": data["value"].tolist(),
        "y": [f"<b>{n}</b>" if h else n for n, h in zip(names, is_home, strict=True)],
        "marker": {"color": [BLUE if h else GREY for h in is_home]},
        "customdata": names,
        "hovertemplate": "%{customdata}: %{x:" + value_format + "}<extra></extra>",
    }
    shapes, notes = [], []
    if not is_missing(reference):
        shape, note = reference_line(
            reference, reference_label, value_format, OKABE_ITO["black"], "dash"
        )
        shapes.append(shape)
        notes.append(note)
    return make_figure(
        [bar],
        {
            "showlegend": False,
            "bargap": 0.2,
            "shapes": shapes,
            "annotations": notes,
            "margin": {"l": label_margin(names, 11), "r": 16, "t": 28, "b": 40},
            "xaxis": {"title": {"text": value_label}, "rangemode": "tozero"},
            "yaxis": {"tickfont": {"size": 11}, "type": "category", "automargin": False},
        },
    )


def label_margin(labels: list[str], font_size: int) -> int:
    """A left margin wide enough for the longest label (set here, not measured by Plotly's
    automargin, which would lay the chart out twice on every redraw). Bold, wide glyphs
    average under 0.62 em in the system sans-serif fonts; 12 px for the tick gap."""
    longest = max((len(label) for label in labels), default=0)
    return int(longest * font_size * 0.62) + 12


def rank_figure(frame: pd.DataFrame, end_month: Month, area_name: str, of: int = 32) -> go.Figure:
    """An area's London rank month by month (1 at the top = lowest rate), the chosen month
    marked. ``frame`` has columns month and london_rank."""
    data = frame.dropna(subset=["london_rank"])
    data = data[data["month"] >= TREND_START]
    if data.empty:
        return empty_figure("No London rank: it needs all 32 boroughs' figures")
    traces = [
        {
            "type": "scatter",
            "x": data["month"],
            "y": data["london_rank"].astype(float),
            "mode": "lines",
            "name": area_name,
            "line": {"color": BLUE, "width": 2, "shape": "hv"},
            "hovertemplate": "12 months to %{x|%B %Y}: %{y:.0f} of " + str(of) + "<extra></extra>",
        }
    ]
    end = end_month
    chosen = data[data["month"] == end]
    shapes, notes = [], []
    if not chosen.empty:
        # The chosen month is marked in the layout (a dot and its label), not as a trace: a
        # period change then moves two layout items and leaves the line's data untouched, which
        # plotly.js redraws without recalculating the chart.
        rank = int(chosen["london_rank"].iloc[0])
        shapes.append(
            {
                "type": "circle",
                "xref": "x",
                "yref": "y",
                "xsizemode": "pixel",
                "ysizemode": "pixel",
                "xanchor": end,
                "yanchor": rank,
                "x0": -5,
                "x1": 5,
                "y0": -5,
                "y1": 5,
                "fillcolor": OKABE_ITO["black"],
                "line": {"width": 0},
            }
        )
        # the label above the plot, over a dotted line down to the dot: beside the dot it
        # covered the line wherever the rank had moved
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": end,
                "x1": end,
                "y0": 0,
                "y1": 1,
                "line": {"color": GREY, "width": 1, "dash": "dot"},
                "layer": "below",
            }
        )
        notes.append(
            {
                "xref": "x",
                "x": end,
                "yref": "paper",
                "y": 1,
                "text": f"{rank} of {of}",
                "showarrow": False,
                "xanchor": "center",
                "yanchor": "bottom",
                "font": {"size": 12},
            }
        )
    return make_figure(
        traces,
        {
            "showlegend": False,
            "shapes": shapes,
            "annotations": notes,
            # an explicit range: a period change keeps the line (same datarevision), and
            # plotly.js then lost the autorange (2000 to 2001) and with it the chosen month's label
            "xaxis": {
                "type": "date",
                "range": [data["month"].min() - DATE_PAD, data["month"].max() + DATE_PAD],
            },
            "yaxis": {
                "autorange": False,
                "range": [of + 0.5, 0.5],
                "tickvals": [1, 8, 16, 24, of],
                "title": {"text": "London rank (1 = lowest rate)"},
            },
        },
    )
