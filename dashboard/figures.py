"""Charts as pure functions: DataFrames and numbers in, a ``go.Figure`` out (no I/O).

Figures are built as plain dicts and wrapped without Plotly's per-property validation (it
costs 30-60 ms a chart, most of a period change's budget); tests check the structure instead.
Colours are Okabe-Ito (safe for the common colour-vision deficiencies) and every graphic that
carries meaning has at least 3:1 contrast with the white background; nothing relies on colour
alone (lines differ in dash pattern, the highlighted bar is also named in bold).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from core.months import as_month

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


# Margins are fixed (see _figure's margin) except beside a category axis, whose labels (borough
# and ward names) vary: automargin costs Plotly a second layout pass, so only those pay it.
AXIS = {
    "gridcolor": "#E5E5E5",
    "linecolor": "#BDBDBD",
    "zerolinecolor": "#BDBDBD",
    "automargin": False,
    "ticks": "",
}


def _figure(data: list[dict], layout: dict) -> go.Figure:
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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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
    return _figure(
        [], {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "annotations": [note]}
    )


# --- borough and ward trends ----------------------------------------------------------------


def _window(end: pd.Timestamp, colour: str) -> dict:
    start = end - pd.DateOffset(months=11)
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


def _hline(total: float, label: str, dash: str, colour: str, anchor: str) -> tuple[dict, dict]:
    """A reference line at total/12 a month and its label, right-aligned above or below it."""
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
    note = {
        "xref": "paper",
        "x": 1,
        "xanchor": "right",
        "yref": "y",
        "y": y,
        "yanchor": anchor,
        "showarrow": False,
        "font": {"size": 11, "color": "#212529"},
        "bgcolor": "rgba(255,255,255,0.85)",
        "text": f"{label}: {total:,.0f} a year ({y:,.0f} a month)",
    }
    return line, note


def trend_figure(
    frame: pd.DataFrame,
    end_month,
    baseline: float | None = None,
    target: float | None = None,
    noun: str = "crimes",
) -> go.Figure:
    """Monthly counts since 2010 (bars), the R12 as a monthly average (line), the 2011/12
    baseline and the target as monthly averages (reference lines), the R12 and P12 windows."""
    data = frame[pd.to_datetime(frame["month"]) >= TREND_START] if len(frame) else frame
    if data["count"].notna().sum() == 0:
        return empty_figure("No monthly figures loaded for this area")
    end = as_month(end_month)
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
            "name": "Rolling 12 months (monthly average)",
            "mode": "lines",
            "line": {"color": BLUE, "width": 3},
            "hovertemplate": "12 months to %{x|%B %Y}: %{customdata:,.0f} "
            + noun
            + " (%{y:,.0f} a month)<extra></extra>",
        },
        _window_key("Previous 12 months", GREY),
        _window_key("Last 12 months", ORANGE),
    ]
    shapes = [_window(end - pd.DateOffset(months=12), GREY), _window(end, ORANGE)]
    notes = []
    for total, label, dash, colour, anchor in [
        (baseline, "2011/12 baseline", "dash", OKABE_ITO["black"], "bottom"),
        (target, "Target", "dot", GREEN, "top"),
    ]:
        if not _missing(total):
            line, note = _hline(total, label, dash, colour, anchor)
            shapes.append(line)
            notes.append(note)
    first, last = data["month"].min(), data["month"].max()
    return _figure(
        traces,
        {
            "shapes": shapes,
            "annotations": notes,
            "bargap": 0.1,
            "yaxis": {"title": {"text": f"{noun.capitalize()} per month"}, "rangemode": "tozero"},
            "xaxis": {
                "type": "date",
                "range": [first - pd.Timedelta(days=20), last + pd.Timedelta(days=20)],
            },
        },
    )


# --- rankings -------------------------------------------------------------------------------


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
    if not _missing(reference):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "x0": reference,
                "x1": reference,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": OKABE_ITO["black"], "width": 2, "dash": "dash"},
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
    return _figure(
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


def rank_figure(frame: pd.DataFrame, end_month, area_name: str, of: int = 32) -> go.Figure:
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
    end = as_month(end_month)
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
        notes.append(
            {
                "xref": "x",
                "x": end,
                "yref": "y",
                "y": rank,
                "text": f"{rank} of {of}",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "xshift": -4,
                "yshift": 4,
                "font": {"size": 12},
            }
        )
    return _figure(
        traces,
        {
            "showlegend": False,
            "shapes": shapes,
            "annotations": notes,
            "xaxis": {"type": "date"},
            "yaxis": {
                "autorange": False,
                "range": [of + 0.5, 0.5],
                "tickvals": [1, 8, 16, 24, of],
                "title": {"text": "London rank (1 = lowest rate)"},
            },
        },
    )


# --- ward map -------------------------------------------------------------------------------


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _outline(geometry: dict) -> tuple[list, list]:
    xs, ys = [], []
    for ring in _rings(geometry):
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def colour_range(values: pd.Series, diverging: bool) -> tuple[float, float]:
    """(low, high) of the colour scale: symmetric around 0 for changes, from 0 for counts."""
    finite = pd.to_numeric(values, errors="coerce").dropna()
    if finite.empty:
        return (-1.0, 1.0) if diverging else (0.0, 1.0)
    if diverging:
        top = float(finite.abs().max()) or 1.0
        return -top, top
    return 0.0, float(finite.max()) or 1.0


def ward_colours(values: pd.Series, judged: pd.Series, diverging: bool) -> list[str]:
    """Fill colour per ward: the scale's colour, or light grey where there is nothing to judge."""
    low, high = colour_range(values[judged.astype(bool)], diverging)
    scale = DIVERGING if diverging else SEQUENTIAL
    out = []
    for value, ok in zip(values, judged, strict=True):
        if not ok or pd.isna(value):
            out.append(NO_DATA_GREY)
            continue
        position = min(1.0, max(0.0, (float(value) - low) / (high - low)))
        out.append(sample_colorscale(scale, [position])[0])
    return out


def _mid_latitude(geometries) -> float:
    """Middle latitude: one degree of longitude is cos(latitude) degrees of latitude long."""
    lats = [p[1] for g in geometries for ring in _rings(g) for p in ring]
    return (min(lats) + max(lats)) / 2 if lats else 51.5


def wards_map_figure(
    features: list[dict], frame: pd.DataFrame, measure_label: str, diverging: bool = False
) -> go.Figure:
    """Ward choropleth drawn as filled outlines (plain SVG: no map tiles or network needed).

    ``frame`` has code, name, value, judged (False: too small to judge or no figure, drawn
    grey and hatched) and text (the hover label). One trace per ward, in ``frame`` order: a
    click's curveNumber is the ward's position in ``frame``. The colour key is HTML beside the
    map (components.colour_key): a colour bar in the chart would change its scale with each
    period, and plotly.js redraws a whole chart for that; without it, a new period or measure
    changes only fill colours and hover texts, which it restyles in place.
    """
    shapes = {f["properties"]["WD22CD"]: f["geometry"] for f in features}
    frame = frame[frame["code"].isin(shapes)]
    if frame.empty:
        return empty_figure("No ward boundaries for these wards")
    colours = ward_colours(frame["value"], frame["judged"], diverging)
    traces = []
    for row, colour in zip(frame.itertuples(), colours, strict=True):
        xs, ys = _outline(shapes[row.code])
        trace = {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": colour,
            "mode": "lines",
            "line": {"color": "#4D4D4D", "width": 1},
            "hoveron": "fills",
            "hoverinfo": "text",
            "hovertext": row.text,
            "name": row.name,
            "showlegend": False,
        }
        if not row.judged:
            trace["fillpattern"] = {
                "shape": "/",
                "fgcolor": GREY,
                "bgcolor": NO_DATA_GREY,
                "size": 8,
            }
        traces.append(trace)
    ratio = 1 / math.cos(math.radians(_mid_latitude(shapes.values())))
    hidden = {"visible": False, "fixedrange": True, "showgrid": False, "zeroline": False}
    return _figure(
        traces,
        {
            "margin": {"l": 0, "r": 0, "t": 8, "b": 0},
            "dragmode": False,
            "showlegend": False,
            "xaxis": hidden,
            "yaxis": {**hidden, "scaleanchor": "x", "scaleratio": ratio},
        },
    )


def css_gradient(diverging: bool) -> str:
    """The map's colour scale as a CSS gradient, for the HTML colour key."""
    scale = DIVERGING if diverging else SEQUENTIAL
    stops = ", ".join(f"{colour} {position * 100:.0f}%" for position, colour in scale)
    return f"linear-gradient(to right, {stops})"
