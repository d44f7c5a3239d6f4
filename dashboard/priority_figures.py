"""Charts for the other priorities (youth violence, reoffending, Prevent, hate crime), as pure
functions: DataFrames and numbers in, a ``go.Figure`` out (no I/O).

The house style, colours and reference lines come from ``dashboard.figures``. Hate crime charts
with a time axis carry the MPS recording-system break (end of February 2024) as a labelled
vertical line; charts of one window that spans the break say so in a note.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core import reference
from dashboard import figures

# The line drawn between the last month of the old MPS recording system and the first new one.
BREAK_X = pd.Timestamp(2024, 2, 15)
BREAK_LABEL = "MPS recording system changed"
BREAK_NOTE = "Spans the MPS recording system change (end of February 2024): not like-for-like"

# Lines that must be told apart: Okabe-Ito and darker neighbours, each at least 3:1 on white,
# with a dash pattern and a marker of their own (never colour alone).
LINE_STYLES = [
    ("#000000", "solid", "circle"),
    ("#0072B2", "dash", "square"),
    ("#D55E00", "dot", "diamond"),
    ("#009E73", "dashdot", "triangle-up"),
    ("#5E3C99", "longdash", "x"),
    ("#B35806", "longdashdot", "triangle-down"),
    ("#CC79A7", "solid", "star"),
    ("#8C8C8C", "dash", "cross"),
]
PERCENT_AXIS = {"ticksuffix": "%", "rangemode": "tozero"}


def break_marker() -> tuple[dict, dict]:
    """The break's vertical line (between February and March 2024) and its label."""
    line = {
        "type": "line",
        "xref": "x",
        "x0": BREAK_X,
        "x1": BREAK_X,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": figures.OKABE_ITO["black"], "width": 2, "dash": "dashdot"},
    }
    label = {
        "xref": "x",
        "x": BREAK_X,
        "xanchor": "left",
        "yref": "paper",
        "y": 1,
        "yanchor": "top",
        "showarrow": False,
        "text": BREAK_LABEL,
        "font": {"size": 11, "color": "#212529"},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    return line, label


def with_break(figure: go.Figure) -> go.Figure:
    """``figure`` with the recording-system break marked (blank charts stay blank)."""
    if not figure.data:
        return figure
    line, label = break_marker()
    figure.add_shape(line)
    figure.add_annotation(label)
    return figure


def with_window_note(figure: go.Figure, note: str) -> go.Figure:
    """``figure`` with a one-line note above its plot (a window that spans the break)."""
    if not figure.data:
        return figure
    figure.add_annotation(
        {
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "yshift": 14,
            "showarrow": False,
            "text": note,
            "font": {"size": 11, "color": "#212529"},
        }
    )
    figure.update_layout(margin={"t": 52})
    return figure


def break_trend_figure(frame: pd.DataFrame, end_month, noun: str = "offences") -> go.Figure:
    """figures.trend_figure (monthly bars, R12 line, R12 and P12 windows) with the break."""
    return with_break(figures.trend_figure(frame, end_month, noun=noun))


def _line(x, y, name: str, style: int, hover: str, width: int = 2) -> dict:
    colour, dash, symbol = LINE_STYLES[style % len(LINE_STYLES)]
    return {
        "type": "scatter",
        "x": list(x),
        "y": list(y),
        "name": name,
        "mode": "lines+markers",
        "line": {"color": colour, "width": width, "dash": dash},
        "marker": {"color": colour, "symbol": symbol, "size": 6},
        "hovertemplate": hover + "<extra></extra>",
    }


def month_lines_figure(
    frame: pd.DataFrame,
    value_label: str,
    value_format: str = ",.0f",
    empty: str = "No figures for this period",
) -> go.Figure:
    """One line per series (hate crime strands, the borough and London) over months, each
    labelled at its end, with the recording-system break marked.

    ``frame``: month, series, value (NaN where the window is not available: left out).
    """
    data = frame.dropna(subset=["value"])
    if data.empty:
        return figures.empty_figure(empty)
    traces, notes = [], []
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.sort_values("month")
        colour = LINE_STYLES[i % len(LINE_STYLES)][0]
        hover = f"{name}, " + "%{x|%B %Y}: %{y:" + value_format + "}"
        traces.append(_line(part["month"], part["value"], name, i, hover))
        notes.append(
            {
                "xref": "x",
                "x": part["month"].iloc[-1],
                "yref": "y",
                "y": float(part["value"].iloc[-1]),
                "xanchor": "left",
                "showarrow": False,
                "text": f" {name}",
                "font": {"size": 10, "color": colour},
            }
        )
    figure = figures._figure(
        traces,
        {
            "annotations": notes,
            "showlegend": True,
            "margin": {"r": 170},
            "legend": {"orientation": "h", "y": -0.18, "yanchor": "top"},
            "yaxis": {"title": {"text": value_label}, "rangemode": "tozero"},
            "xaxis": {"type": "date"},
        },
    )
    return with_break(figure)


def comparison_lines_figure(
    frame: pd.DataFrame,
    value_label: str,
    highlight: str | None = None,
    percent: bool = True,
    x_title: str = "",
    empty: str = "No figures to compare",
) -> go.Figure:
    """A line per series over an ordered x (quarters, cohorts or months), ``highlight`` drawn
    thicker. ``frame``: x, series, value (NaN: not available, left out)."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return figures.empty_figure(empty)
    order = list(dict.fromkeys(frame["x"]))
    traces = []
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.set_index("x").reindex([x for x in order if x in set(part["x"])])
        suffix = "%" if percent else ""
        hover = name + ", %{x}: %{y:,.1f}" + suffix
        traces.append(
            _line(part.index, part["value"], name, i, hover, width=4 if name == highlight else 2)
        )
    axis = {
        **(PERCENT_AXIS if percent else {"rangemode": "tozero"}),
        "title": {"text": value_label},
    }
    return figures._figure(
        traces,
        {
            "showlegend": True,
            "yaxis": axis,
            "xaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": order,
                "title": {"text": x_title},
            },
        },
    )


def bars_figure(
    frame: pd.DataFrame,
    value_label: str,
    value_format: str = ",.0f",
    reference: float | None = None,
    reference_label: str = "",
    x_max: float | None = None,
) -> go.Figure:
    """Horizontal bars in the frame's order (first at the top), with an optional reference line
    (a target). ``frame``: name, value, and optionally judged (False: hatched grey, "too small
    to judge") and text (shown at the bar's end)."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return figures.empty_figure("No figures for this period")
    data = data.iloc[::-1]
    judged = data["judged"].astype(bool).tolist() if "judged" in data else [True] * len(data)
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": data["value"].tolist(),
        "y": data["name"].tolist(),
        "customdata": data["name"].tolist(),
        "marker": {
            "color": [figures.BLUE if j else figures.NO_DATA_GREY for j in judged],
            "line": {"color": [figures.BLUE if j else figures.GREY for j in judged], "width": 1},
            "pattern": {"shape": ["" if j else "/" for j in judged], "fgcolor": figures.GREY},
        },
        "hovertemplate": "%{customdata}: %{x:" + value_format + "}<extra></extra>",
    }
    if "text" in data:
        bar.update({"text": data["text"].tolist(), "textposition": "outside", "cliponaxis": False})
    shapes, notes = [], []
    if reference is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "x0": reference,
                "x1": reference,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": figures.GREEN, "width": 2, "dash": "dot"},
            }
        )
        notes.append(
            {
                "xref": "x",
                "x": reference,
                "yref": "paper",
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11},
                "text": f"{reference_label}: {reference:{value_format}}",
            }
        )
    xaxis = {"title": {"text": value_label}, "rangemode": "tozero"}
    if x_max is not None:
        xaxis.update({"range": [0, x_max], "autorange": False})
    return figures._figure(
        [bar],
        {
            "showlegend": False,
            "bargap": 0.25,
            "shapes": shapes,
            "annotations": notes,
            "margin": {"l": 8, "r": 48, "t": 28, "b": 40},
            "xaxis": xaxis,
            "yaxis": {"type": "category", "tickfont": {"size": 11}},
        },
    )


def stacked_bars_figure(frame: pd.DataFrame, value_label: str) -> go.Figure:
    """Horizontal bars split into parts (crimes and incidents), largest total at the top.

    ``frame``: name, part, value. Parts differ in colour and in pattern.
    """
    if frame.empty or frame["value"].sum() == 0:
        return figures.empty_figure("No reports in this period")
    totals = frame.groupby("name")["value"].sum().sort_values(kind="stable")
    styles = [(figures.BLUE, ""), (figures.UP_ORANGE, "/"), (figures.GREY, "x")]
    traces = []
    for i, (part, rows) in enumerate(frame.groupby("part", sort=True)):
        values = rows.groupby("name")["value"].sum().reindex(totals.index).fillna(0)
        colour, pattern = styles[i % len(styles)]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(part),
                "x": values.tolist(),
                "y": list(values.index),
                "marker": {"color": colour, "pattern": {"shape": pattern, "fgcolor": "#FFFFFF"}},
                "hovertemplate": "%{y}: %{x:,.0f} " + str(part).lower() + "<extra></extra>",
            }
        )
    return figures._figure(
        traces,
        {
            "barmode": "stack",
            "showlegend": True,
            "bargap": 0.25,
            "margin": {"l": 8, "r": 16, "t": 36, "b": 40},
            "xaxis": {"title": {"text": value_label}, "rangemode": "tozero"},
            "yaxis": {"type": "category", "tickfont": {"size": 11}},
        },
    )


def rank_dots_figure(frame: pd.DataFrame, of: int = reference.LONDON_BOROUGH_COUNT) -> go.Figure:
    """The home borough's London rank for each strand on a 1 to 32 scale (1 = lowest rate).

    ``frame``: name, rank (NaN: no rank), judged (False: hollow marker, too small to judge).
    """
    data = frame.dropna(subset=["rank"])
    if data.empty:
        return figures.empty_figure("No London rank: it needs all 32 boroughs' figures")
    data = data.iloc[::-1]
    judged = data["judged"].astype(bool).tolist()
    ranks = [int(r) for r in data["rank"]]
    dots = {
        "type": "scatter",
        "mode": "markers+text",
        "x": ranks,
        "y": data["name"].tolist(),
        "text": [
            f"{r}" if j else f"{r} (too small to judge)" for r, j in zip(ranks, judged, strict=True)
        ],
        "textposition": "middle right",
        "marker": {
            "size": 12,
            "color": figures.BLUE,
            "symbol": ["circle" if j else "circle-open" for j in judged],
            "line": {"color": figures.BLUE, "width": 2},
        },
        "hovertemplate": "%{y}: rank %{x} of " + str(of) + "<extra></extra>",
    }
    middle = (of + 1) / 2
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "x0": middle,
            "x1": middle,
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": {"color": figures.GREY, "width": 1, "dash": "dash"},
        }
    ]
    return figures._figure(
        [dots],
        {
            "showlegend": False,
            "shapes": shapes,
            "margin": {"l": 8, "r": 16, "t": 16, "b": 48},
            "xaxis": {
                "range": [0.5, of + 4],
                "autorange": False,
                "tickvals": [1, 8, 16, 24, of],
                "title": {"text": f"London rank (1 = lowest rate per 10,000, {of} = highest)"},
            },
            "yaxis": {"type": "category", "tickfont": {"size": 11}},
        },
    )


def rate_windows_figure(frame: pd.DataFrame, home: str) -> go.Figure:
    """A published rate per 10,000 over 12-month windows against the London average.

    ``frame``: window_end, rate, london (either may be NaN).
    """
    data = frame.sort_values("window_end")
    if data["rate"].notna().sum() == 0:
        return figures.empty_figure("No published rates loaded")
    x = [f"12 months to {m:%b %Y}" for m in data["window_end"]]
    long = pd.concat(
        [
            pd.DataFrame({"x": x, "series": home, "value": data["rate"].astype(float).to_numpy()}),
            pd.DataFrame(
                {
                    "x": x,
                    "series": "London average",
                    "value": data["london"].astype(float).to_numpy(),
                }
            ),
        ],
        ignore_index=True,
    )
    return comparison_lines_figure(long, "Victims per 10,000 residents", home, percent=False)


def bar_series_figure(frame: pd.DataFrame, value_label: str) -> go.Figure:
    """Vertical bars over an ordered x (quarters): ``frame`` has x and value."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return figures.empty_figure("No figures loaded")
    bar = {
        "type": "bar",
        "x": data["x"].tolist(),
        "y": data["value"].astype(float).tolist(),
        "marker": {"color": figures.BLUE},
        "text": [f"{v:,.0f}" for v in data["value"]],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>",
    }
    return figures._figure(
        [bar],
        {
            "showlegend": False,
            "bargap": 0.3,
            "xaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": data["x"].tolist(),
            },
            "yaxis": {"title": {"text": value_label}, "rangemode": "tozero"},
        },
    )
