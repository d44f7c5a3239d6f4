"""The ward map: wards drawn as filled outlines (plain SVG: no map tiles or network needed)."""

from __future__ import annotations

import math

import numpy as np
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
from dashboard.charts.priorities import bars_figure
from dashboard.text import fmt_number, fmt_pct

CHARS_ACROSS = 70  # about how many label characters fit across the map (10px text, ~460px)


MOST_POINTS = 2000  # points drawn of a ward's outline (loads simplify to fewer; see below)


def _clean_ring(ring) -> list[list[float]] | None:
    """A ring as [x, y] points, thinned to MOST_POINTS; None when it is not a ring of finite
    numbers (an outline stored before the loader checked shapes strictly)."""
    try:
        points = np.asarray(ring, dtype=float)
    except (TypeError, ValueError):
        return None
    if points.ndim != 2 or points.shape[1] < 2 or len(points) < 3:
        return None
    points = points[:, :2]
    if not np.isfinite(points).all():
        return None
    if len(points) > MOST_POINTS:  # every k-th point, the first kept last too (still closed)
        step = -(-len(points) // MOST_POINTS)
        points = np.vstack([points[::step], points[:1]])
    return points.tolist()


def _polygons(geometry) -> list[list[list[list[float]]]]:
    """The outline's polygons, each its rings (outer first); whatever of a malformed geometry
    cannot be drawn is left out, so one odd ward never stops the map being drawn."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if kind else None
    if not isinstance(coordinates, list):
        return []
    parts = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    out = []
    for polygon in parts:
        rings = [_clean_ring(r) for r in polygon] if isinstance(polygon, list) else []
        if rings and rings[0] is not None:
            out.append([r for r in rings if r is not None])
    return out


def _rings(geometry: dict) -> list[list[list[float]]]:
    return [ring for polygon in _polygons(geometry) for ring in polygon]


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


def _area(ring: list) -> float:
    """A ring's area by the shoelace formula (in squared degrees: only compared)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return abs(sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(ring)))) / 2


def _crossings(rings: list, y: float) -> list[float]:
    """Where the horizontal line at ``y`` crosses the rings' edges, left to right."""
    xs = []
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y):
                xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    return sorted(xs)


def _largest(geometry: dict) -> list[list]:
    """The rings (outline, then holes) of the ward's largest polygon, as (x, y) points (none
    for an outline that cannot be drawn)."""
    polygons = _polygons(geometry)
    return max(polygons, key=lambda p: _area(p[0])) if polygons else []


def _room(rings: list, x: float, y: float) -> float:
    """How wide a label centred on (x, y) may be on the line at ``y`` and stay inside the
    rings (0 where the point is outside them)."""
    xs = _crossings(rings, y)
    for left, right in zip(xs[::2], xs[1::2], strict=False):
        if left <= x <= right:
            return 2 * min(x - left, right - x)
    return 0.0


def label_point(geometry: dict, half: float = 0.0) -> tuple[float, float, float]:
    """(x, y, room): where a label ``2 * half`` tall has the most room inside the ward's
    largest polygon, and that room (the width it may take). Tried at the middle of each stretch
    inside the polygon along a few horizontal lines, so the point is inside the outline even
    where the shape is concave (a centroid may not be)."""
    rings = _largest(geometry)
    if not rings:
        return math.nan, math.nan, 0.0
    ys = [p[1] for p in rings[0]]
    low, high = min(ys), max(ys)
    best = (sum(p[0] for p in rings[0]) / len(rings[0]), (low + high) / 2, 0.0)
    for step in range(2, 9):
        y = low + (high - low) * step / 10
        xs = _crossings(rings, y)
        for left, right in zip(xs[::2], xs[1::2], strict=False):
            x = (left + right) / 2
            room = min(_room(rings, x, y + dy) for dy in (-half, 0.0, half))
            if room > best[2]:
                best = (x, y, room)
    return best


def _label_text(name: str) -> str:
    """A ward's name on up to two lines (split at the space nearest the middle)."""
    if len(name) <= 12 or " " not in name:
        return name
    spaces = [i for i, c in enumerate(name) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + "<br>" + name[cut + 1 :]


def _text_colour(fill: str) -> str:
    """Dark text on light fills, white on dark ones (contrast for the ward labels)."""
    if fill.startswith("#"):
        r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (float(v) for v in fill[fill.index("(") + 1 : -1].split(",")[:3])
    return "#1A1A1A" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#FFFFFF"


IMPORTANT = 3  # the wards with the most are labelled even where their names overflow the ward


def _per_char(shapes: dict, ratio: float) -> float:
    """A letter's width (in degrees of longitude) on a map of ``shapes``."""
    xs = [p[0] for g in shapes.values() for ring in _rings(g) for p in ring] or [0.0]
    ys = [p[1] for g in shapes.values() for ring in _rings(g) for p in ring] or [0.0]
    span = max(max(xs) - min(xs), (max(ys) - min(ys)) * ratio) or 1.0
    return span / CHARS_ACROSS


def _half(name: str, per_char: float, ratio: float) -> float:
    # a line is about two and a half letters' widths tall, with room to spare (in degrees
    # of latitude, each ``ratio`` times longer on screen than one of longitude)
    return 1.2 * len(_label_text(name).split("<br>")) * per_char / ratio


def _ratio(shapes: dict) -> float:
    return 1 / math.cos(math.radians(_mid_latitude(shapes.values())))


def label_points(outlines: pd.DataFrame, wards) -> dict:
    """{(code, name): (x, y, room)} for ``wards`` ((code, name) pairs) on the map
    ``wards_map_figure`` draws of them from ``outlines``: where ``label_trace`` puts each name.
    The same for every month and measure, so a page may keep them (``points``)."""
    shapes = dict(zip(outlines["code"], outlines["geometry"], strict=True))
    wards = [(code, str(name)) for code, name in wards if code in shapes]
    ratio = _ratio(shapes)
    drawn = {code: shapes[code] for code, _ in wards}
    per_char = _per_char(drawn, ratio)
    return {
        (code, name): label_point(drawn[code], _half(name, per_char, ratio)) for code, name in wards
    }


def label_trace(
    shapes: dict, frame: pd.DataFrame, colours: list[str], ratio: float, places=None
) -> dict:
    """The wards' names as text at a point inside each ward, by importance: the wards with the
    highest values first (labelled even where the name overflows the ward), then every other
    ward whose name fits inside it and covers no label already placed (longitude degrees are
    ``ratio`` times narrower than latitude degrees on screen). ``places``: ``label_points`` of
    these wards, when kept."""
    per_char = _per_char(shapes, ratio)
    points = {"x": [], "y": [], "text": [], "colour": []}
    boxes: list[tuple[float, float, float, float]] = []
    rows = list(zip(frame.itertuples(), colours, strict=True))
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy()
    judged = frame["judged"].astype(bool).to_numpy()
    order = sorted(range(len(rows)), key=lambda i: (not judged[i], -_or_low(values[i])))
    for place, i in enumerate(order):
        row, colour = rows[i]
        text = _label_text(str(row.name))
        lines = text.split("<br>")
        half = _half(str(row.name), per_char, ratio)
        found = (places or {}).get((row.code, str(row.name)))
        x, y, room = found if found is not None else label_point(shapes[row.code], half)
        wide = max(len(line) for line in lines) * per_char
        box = (x - wide / 2, x + wide / 2, y - half, y + half)
        fits = room >= wide or (place < IMPORTANT and judged[i])
        if fits and not any(_overlap(box, other) for other in boxes):
            boxes.append(box)
            for key, value in zip(points, (x, y, text, _text_colour(colour)), strict=True):
                points[key].append(value)
    return {
        "type": "scatter",
        "mode": "text",
        "x": points["x"],
        "y": points["y"],
        "text": points["text"],
        "textfont": {"size": 10, "color": points["colour"]},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _or_low(value: float) -> float:
    return float("-inf") if math.isnan(value) else float(value)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def wards_map_figure(
    outlines: pd.DataFrame,
    frame: pd.DataFrame,
    measure_label: str,
    diverging: bool = False,
    points: dict | None = None,
) -> go.Figure:
    """Ward choropleth drawn as filled outlines (plain SVG: no map tiles or network needed).

    ``outlines``: code and geometry (GeoJSON, WGS84) of the wards loaded. ``frame`` has code,
    name, value, judged (False: too small to judge or no figure, drawn grey and hatched) and
    text (the hover label). One trace per ward, in ``frame`` order: a click's curveNumber is
    the ward's position in ``frame``; the names of the wards they fit in follow as one text
    trace. The colour key is HTML beside the map (ui: the ward colour key): a colour bar in the
    chart would change its scale with each period, and plotly.js redraws a whole chart for
    that; without it, a new period or measure changes only fill colours and hover texts, which
    it restyles in place. ``points``: ``label_points`` of these wards, when a page keeps them.
    """
    shapes = dict(zip(outlines["code"], outlines["geometry"], strict=True))
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
    ratio = _ratio(shapes)
    drawn = {code: shapes[code] for code in frame["code"]}
    traces.append(label_trace(drawn, frame, colours, ratio, points))
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


def ranked_wards_figure(frame: pd.DataFrame, measure_label: str, diverging: bool) -> go.Figure:
    """The wards as ranked horizontal bars (highest at the top), where no outlines are loaded.
    ``frame``: map_frame's code, name, value, judged."""
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    shown = [
        fmt_pct(v) if diverging else fmt_number(v, 0 if float(v).is_integer() else 1)
        for v in data["value"]
    ]
    return bars_figure(data.assign(text=shown), measure_label)


def css_gradient(diverging: bool) -> str:
    """The map's colour scale as a CSS gradient, for the HTML colour key."""
    scale = DIVERGING if diverging else SEQUENTIAL
    stops = ", ".join(f"{colour} {position * 100:.0f}%" for position, colour in scale)
    return f"linear-gradient(to right, {stops})"
