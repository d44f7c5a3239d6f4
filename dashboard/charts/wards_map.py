"""The ward map: wards drawn as filled outlines (plain SVG: no map tiles or network needed)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from core.values import is_missing
from dashboard.charts.base import (
    DIVERGING,
    GREY,
    NO_DATA_GREY,
    SEQUENTIAL,
    empty_figure,
    make_figure,
)


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
        if not ok or is_missing(value):
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
    map (ui: the ward colour key): a colour bar in the chart would change its scale with each
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
    return make_figure(
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
