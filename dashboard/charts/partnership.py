"""A partnership indicator's small trend chart: bars for counts that add up over a year (cases
opened), a line for the others (a caseload, a percentage). Pure: values in, a figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import base


def trend_figure(history: pd.DataFrame, name: str, labels: list[str], bars: bool) -> go.Figure:
    """``history``: period, value (oldest first); ``labels``: each period in words."""
    if history.empty:
        return base.empty_figure("No figures given yet")
    trace = {
        "x": labels,
        "y": history["value"].astype(float).tolist(),
        "name": name,
        "hovertemplate": "%{x}: %{y:,}<extra></extra>",
    }
    if bars:
        trace |= {"type": "bar", "marker": {"color": base.BLUE}}
    else:
        trace |= {
            "type": "scatter",
            "mode": "lines+markers",
            "line": {"color": base.BLUE, "width": 2},
            "marker": {"color": base.BLUE, "size": 7},
        }
    layout = {
        "showlegend": False,
        "margin": {"l": 48, "r": 8, "t": 8, "b": 48},
        "xaxis": {"type": "category", "tickangle": -30},
        "yaxis": {"rangemode": "tozero", "tickformat": ","},
    }
    return base.make_figure([trace], layout)
