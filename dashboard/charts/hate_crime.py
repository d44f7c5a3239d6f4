"""Hate crime charts: every chart with a time axis carries the MPS recording-system break (end
of February 2024) as a labelled vertical line; charts of one window that spans the break say so
in a note."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.months import Month
from dashboard.charts import base
from dashboard.charts.crime import trend_figure
from dashboard.charts.priorities import LINE_STYLES, bars_figure, line_trace, rank_dots_figure
from dashboard.text import fmt_int
from domain.crime import is_small

# The line drawn between the last month of the old system and the first of the new.
BREAK_X = pd.Timestamp(2024, 2, 15)
BREAK_LABEL = "MPS recording system changed"
BREAK_NOTE = "Spans the MPS recording system change (end of February 2024): not like-for-like"


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
        "line": {"color": base.OKABE_ITO["black"], "width": 2, "dash": "dashdot"},
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


def break_trend_figure(frame: pd.DataFrame, end_month: Month, noun: str = "offences") -> go.Figure:
    """base.trend_figure (monthly bars, R12 line, R12 and P12 windows) with the break."""
    return with_break(trend_figure(frame, end_month, noun=noun))


def month_lines_figure(
    frame: pd.DataFrame,
    value_label: str,
    value_format: str = ",.0f",
    empty: str = "No figures for this period",
    mark_break: bool = True,
) -> go.Figure:
    """One line per series (hate crime strands, the borough and London) over months, each
    labelled at its end, with the recording-system break marked (unless ``mark_break`` is
    False: figures the hate crime recording change does not touch).

    ``frame``: month, series, value (NaN where the window is not available: left out).
    """
    data = frame.dropna(subset=["value"])
    if data.empty:
        return base.empty_figure(empty)
    top = float(data["value"].max()) * 1.08 or 1.0
    ends = data.sort_values("month").groupby("series", sort=False)["value"].last()
    label_y = spread_labels(ends.to_dict(), gap=top * LABEL_GAP, top=top)
    traces, notes = [], []
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.sort_values("month")
        colour = LINE_STYLES[i % len(LINE_STYLES)][0]
        hover = f"{name}, " + "%{x|%B %Y}: %{y:" + value_format + "}"
        traces.append(line_trace(part["month"], part["value"], name, i, hover))
        notes.append(
            {
                "xref": "x",
                "x": part["month"].iloc[-1],
                "yref": "y",
                "y": label_y[name],
                "xanchor": "left",
                "showarrow": False,
                "text": f" {name}",
                "font": {"size": 10, "color": colour},
            }
        )
    figure = base.make_figure(
        traces,
        {
            "annotations": notes,
            "showlegend": True,
            "margin": {"r": 170},
            "legend": {"orientation": "h", "y": -0.18, "yanchor": "top"},
            # the title's room measured (a fixed margin cut it off); explicit ranges, as the
            # end labels would otherwise stretch the axes to fit their text (to 2027)
            "yaxis": {"title": {"text": value_label}, "range": [0, top], "automargin": True},
            "xaxis": {"type": "date", "range": [data["month"].min(), data["month"].max()]},
        },
    )
    return with_break(figure) if mark_break else figure


LABEL_GAP = 0.045  # of the y axis: a 10-pixel label's height on a 340-pixel plot, with a margin


def spread_labels(ends: dict[str, float], gap: float, top: float) -> dict[str, float]:
    """Heights for the lines' end labels: each at its line's end, moved apart to ``gap`` at
    least (upwards, then down from ``top`` where they would pass it), so none overlap."""
    order = sorted(ends, key=lambda name: ends[name])
    heights = {}
    for name in order:
        below = heights[order[order.index(name) - 1]] if heights else None
        heights[name] = float(ends[name]) if below is None else max(ends[name], below + gap)
    ceiling = top
    for name in reversed(order):
        heights[name] = min(heights[name], ceiling)
        ceiling = heights[name] - gap
    return heights


def outcome_lines_figure(
    home_rates: pd.DataFrame, london_rates: pd.DataFrame, home: str, mark_break: bool = True
):
    """The positive outcome rate over 12 months (``domain.hate_crime.outcome_rates``), the
    borough against London (hate crime's recording break marked unless ``mark_break`` False)."""
    long = pd.concat(
        [
            pd.DataFrame({"month": rates["month"], "series": name, "value": rates["rate"]})
            for name, rates in [(home, home_rates), ("London", london_rates)]
        ],
        ignore_index=True,
    )
    label = "Positive outcomes, % of offences (12 months)"
    return month_lines_figure(long, label, ",.1f", mark_break=mark_break)


def ward_bars_figure(rows: pd.DataFrame, spans_break: bool) -> go.Figure:
    """Offences in each ward (``domain.hate_crime.ward_rows``), most at the top, with a note
    when the window spans the break."""
    frame = pd.DataFrame(
        {
            "name": rows["area_name"],
            "value": rows["r12"].astype(float),
            "text": [fmt_int(v) for v in rows["r12"]],
        }
    )
    figure = bars_figure(frame, "Offences in the 12 months")
    return with_window_note(figure, BREAK_NOTE) if spans_break else figure


def strand_ranks_figure(rows: list[tuple]) -> go.Figure:
    """The borough's London rank per strand (``domain.hate_crime.strand_ranks``), hollow where
    the count is too small to judge."""
    frame = pd.DataFrame(
        {
            "name": [s for s, _, _ in rows],
            "rank": [r.get("london_rank") for _, r, _ in rows],
            "judged": [not is_small(r) for _, r, _ in rows],
        }
    )
    frame["rank"] = pd.to_numeric(frame["rank"], errors="coerce")
    return rank_dots_figure(frame)
