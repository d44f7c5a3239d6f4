"""Charts for the other priorities (youth violence, reoffending, Prevent, hate crime) as pure
functions: lines that must be told apart without colour, bars with a target, stacked bars, London
ranks as dots. The house style comes from ``charts.base``."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core import reference
from dashboard.charts import base
from dashboard.text import fmt_number, fmt_plain, short_month_label

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


def line_trace(x, y, name: str, style: int, hover: str, width: int = 2) -> dict:
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
        return base.empty_figure(empty)
    order = list(dict.fromkeys(frame["x"]))
    traces = []
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.set_index("x").reindex([x for x in order if x in set(part["x"])])
        suffix = "%" if percent else ""
        hover = name + ", %{x}: %{y:,.1f}" + suffix
        traces.append(
            line_trace(
                part.index, part["value"], name, i, hover, width=4 if name == highlight else 2
            )
        )
    axis = {
        **(PERCENT_AXIS if percent else {"rangemode": "tozero"}),
        "title": {"text": value_label},
    }
    return base.make_figure(
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
        return base.empty_figure("No figures for this period")
    data = data.iloc[::-1]
    judged = data["judged"].astype(bool).tolist() if "judged" in data else [True] * len(data)
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": data["value"].tolist(),
        "y": data["name"].tolist(),
        "customdata": data["name"].tolist(),
        "marker": {
            "color": [base.BLUE if j else base.NO_DATA_GREY for j in judged],
            "line": {"color": [base.BLUE if j else base.GREY for j in judged], "width": 1},
            "pattern": {"shape": ["" if j else "/" for j in judged], "fgcolor": base.GREY},
        },
        "hovertemplate": "%{customdata}: %{x:" + value_format + "}<extra></extra>",
    }
    if "text" in data:
        bar.update({"text": data["text"].tolist(), "textposition": "outside", "cliponaxis": False})
    shapes, notes = [], []
    if reference is not None:
        shape, note = base.reference_line(
            reference, reference_label, value_format, base.GREEN, "dot"
        )
        shapes.append(shape)
        notes.append(note)
    xaxis = {"title": {"text": value_label}, "rangemode": "tozero"}
    if x_max is not None:
        xaxis.update({"range": [0, x_max], "autorange": False})
    return base.make_figure(
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
        return base.empty_figure("No reports in this period")
    totals = frame.groupby("name")["value"].sum().sort_values(kind="stable")
    styles = [(base.BLUE, ""), (base.UP_ORANGE, "/"), (base.GREY, "x")]
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
    return base.make_figure(
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
        return base.empty_figure("No London rank: it needs all 32 boroughs' figures")
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
            "color": base.BLUE,
            "symbol": ["circle" if j else "circle-open" for j in judged],
            "line": {"color": base.BLUE, "width": 2},
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
            "line": {"color": base.GREY, "width": 1, "dash": "dash"},
        }
    ]
    return base.make_figure(
        [dots],
        {
            "showlegend": False,
            "shapes": shapes,
            "margin": {"l": 8, "r": 16, "t": 16, "b": 48},
            "xaxis": {
                "range": [0.5, of + 4],
                "autorange": False,
                "tickvals": [1, 8, 16, 24, of],
                "title": {"text": "London rank (1 = lowest)"},
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
        return base.empty_figure("No published rates loaded")
    x = [f"12 months to {short_month_label(m)}" for m in data["window_end"]]
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


def published_rates_figure(summary: pd.DataFrame, home: str) -> go.Figure:
    """``rate_windows_figure`` of the published SYV summaries (window_end, rate_per_10000,
    london_average_rate)."""
    frame = pd.DataFrame(
        {
            "window_end": summary["window_end"],
            "rate": summary["rate_per_10000"],
            "london": summary["london_average_rate"],
        }
    )
    return rate_windows_figure(frame, home)


def bar_series_figure(frame: pd.DataFrame, value_label: str) -> go.Figure:
    """Vertical bars over an ordered x (quarters): ``frame`` has x and value."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return base.empty_figure("No figures loaded")
    bar = {
        "type": "bar",
        "x": data["x"].tolist(),
        "y": data["value"].astype(float).tolist(),
        "marker": {"color": base.BLUE},
        "text": [fmt_number(v) for v in data["value"]],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>",
    }
    return base.make_figure(
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


def iom_cohort_figure(table) -> go.Figure:
    """The IOM cohort's size each quarter (``domain.priorities.iom_table``)."""
    sizes = pd.DataFrame({"x": table["quarter"], "value": table["cohort_size"].astype("Float64")})
    return bar_series_figure(sizes, "People in the IOM cohort")


def iom_rates_figure(table) -> go.Figure:
    """The cohort's proven reoffending rate and the reduction in its offending, each quarter."""
    long = pd.concat(
        [
            pd.DataFrame(
                {"x": table["quarter"], "series": name, "value": table[column].astype(float)}
            )
            for name, column in [
                ("Cohort proven reoffending rate", "reoffending_rate"),
                ("Reduction in offending after IOM", "reduction_percent"),
            ]
        ],
        ignore_index=True,
    )
    return comparison_lines_figure(long, "Per cent", empty="Not given")


def cohort_lines_figure(rows, borough: str) -> go.Figure:
    """Proven reoffending rate cohort by cohort, one line per area, the borough's thicker."""
    long = pd.DataFrame(
        {
            "x": rows["cohort"],
            "series": rows["geography"],
            "value": rows["reoffending_rate"].astype(float),
        }
    )
    return comparison_lines_figure(long, "Proven reoffending rate", borough, x_title="Cohort")


def coverage_lines_figure(long, total: str, target: float) -> go.Figure:
    """WRAP coverage at each date (``long``: x, series, value), ``total`` thicker, and the
    target as a dotted line."""
    figure = comparison_lines_figure(long, "Coverage", total, x_title="As at")
    figure.add_hline(
        y=target,
        line={"color": base.GREEN, "dash": "dot", "width": 2},
        annotation_text=f"Target {fmt_plain(target)}%",
    )
    return figure
