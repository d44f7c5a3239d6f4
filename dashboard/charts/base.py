"""The house style of every chart: Okabe-Ito colours, fonts, margins, and figures built as plain
dicts and wrapped without Plotly's per-property validation (it costs 30-60 ms a chart, most of a
period change's budget); tests check the structure instead.

Colours are Okabe-Ito (safe for the common colour-vision deficiencies) and every graphic that
carries meaning has at least 3:1 contrast with the white background; nothing relies on colour
alone (lines differ in dash pattern, the highlighted bar is also named in bold).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
BLUE = OKABE_ITO["blue"]
GREEN = OKABE_ITO["bluish_green"]
ORANGE = OKABE_ITO["orange"]
GREY = "#8C8C8C"  # 3.4:1 on white: the least contrast a meaningful graphic may have
NO_DATA_GREY = "#E0E0E0"
UP_ORANGE = "#B35806"  # dark orange for "up" (worse) in diverging maps: never red
# ColorBrewer Blues without its two near-white steps (a ward must stand out from the page)
_BLUES = ["#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B"]
SEQUENTIAL = [[i / (len(_BLUES) - 1), c] for i, c in enumerate(_BLUES)]
DIVERGING = [[0.0, BLUE], [0.5, "#F7F7F7"], [1.0, UP_ORANGE]]
TREND_START = pd.Timestamp(2010, 1, 1)  # the charts show the years since 2010
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13}


# Margins are fixed (see make_figure's margin) except beside a category axis, whose labels (borough
# and ward names) vary: automargin costs Plotly a second layout pass, so only those pay it.
AXIS = {
    "gridcolor": "#E5E5E5",
    "linecolor": "#BDBDBD",
    "zerolinecolor": "#BDBDBD",
    "automargin": False,
    "ticks": "",
}


def make_figure(data: list[dict], layout: dict) -> go.Figure:
    """A go.Figure from dicts, with the house style (a light plotly_white) under ``layout``."""
    base = {
        # no plotly.py template: 8 KB of defaults per chart that plotly.js would read and apply
        # (set to {} here so plotly.py does not add its default, then unset below)
        "template": {},
        "font": FONT,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "margin": {"l": 56, "r": 16, "t": 36, "b": 40},
        "hoverlabel": {"font": {"size": 13}},
        "hovermode": "closest",
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "xaxis": dict(AXIS),
        "yaxis": dict(AXIS),
    }
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    for axis in ("xaxis", "yaxis"):
        if base[axis].get("type") == "category" and "automargin" not in layout.get(axis, {}):
            base[axis]["automargin"] = True
    base["datarevision"] = data_revision(data)
    data = [{key: _plain(value) for key, value in trace.items()} for trace in data]
    figure = go.Figure({"data": data, "layout": base}, _validate=False)
    # Unset, not {}: plotly.js compares a layout's template by identity, so an empty one arriving
    # in every update made each chart recalculate and redraw in full (60-100 ms for the trend).
    figure.layout.template = None
    return figure


def _plain(value):
    """Numbers as a JSON list, not plotly.py's base64 typed array: plotly.js compares typed
    arrays by identity alone, so they made every update recalculate the chart."""
    if (
        isinstance(value, (pd.Series, pd.Index, np.ndarray))
        and np.asarray(value).dtype.kind in "fiub"
    ):
        return np.asarray(value).tolist()
    return value


def data_revision(data: list[dict]) -> str:
    """A fingerprint of the arrays in the traces (values, colours per bar, hover texts).

    With ``layout.datarevision`` set, plotly.js compares arrays only through it, and the
    other properties one by one: a period change that moves the trend's shaded windows but not
    its 180 bars then redraws the windows alone, instead of recalculating the whole chart.
    """
    digest = hashlib.blake2b(digest_size=8)

    def add(path: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                add(f"{path}.{key}", item)
        elif isinstance(value, (pd.Series, pd.Index, np.ndarray)):
            array = np.asarray(value)
            digest.update(path.encode() + str(array.dtype).encode())
            digest.update(
                repr(array.tolist()).encode() if array.dtype.kind == "O" else array.tobytes()
            )
        elif isinstance(value, (list, tuple)):
            digest.update(path.encode() + repr(value).encode())

    for index, trace in enumerate(data):
        add(str(index), trace)
    return digest.hexdigest()


def reference_line(
    value: float, label: str, value_format: str, colour: str, dash: str
) -> tuple[dict, dict]:
    """A vertical line across a horizontal bar chart at ``value`` (London's rate, a target),
    and its label above the plot: (shape, annotation)."""
    shape = {
        "type": "line",
        "xref": "x",
        "x0": value,
        "x1": value,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 2, "dash": dash},
    }
    note = {
        "xref": "x",
        "x": value,
        "yref": "paper",
        "y": 1,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11},
        "text": f"{label}: {value:{value_format}}",
    }
    return shape, note


def empty_figure(message: str = "No figures loaded") -> go.Figure:
    """A blank chart that says why it is blank (Plotly still draws it, so pages settle)."""
    note = {
        "text": message,
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 15},
    }
    return make_figure(
        [], {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "annotations": [note]}
    )
