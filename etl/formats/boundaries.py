"""ONS ward boundaries as GeoJSON: one feature per ward, its code and name in the properties
``WD22CD``/``WD22NM`` (or the ``WDyyCD``/``WDyyNM`` of another year), coordinates in WGS84.

A file is a borough's map (or several boroughs'): every feature an outline (Polygon or
MultiPolygon) in longitude and latitude, every code a ward of a London borough in the ward list
(``etl.wards``), and every ward of each borough it touches present, so a map is never drawn
with holes. Each problem names the feature by its number in the file (1 = the first) and code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from core import config, reference
from etl.errors import WARNING, ProblemList, problem
from etl.read import Extract
from etl.wards import WardReference

LAYOUT = "ons-ward-boundaries"
LABEL = "ONS ward boundaries (GeoJSON, WDyyCD/WDyyNM, WGS84)"
DATASET = "ward_boundaries"
OUTLINES = {"Polygon", "MultiPolygon"}
PROPERTY = re.compile(r"^WD(\d\d)CD$", re.IGNORECASE)
COLUMNS = ["feature", "code", "name", "borough", "vintage", "geometry"]


@dataclass
class BoundaryFile:
    """Checked ward outlines: feature, code, name, borough (code), vintage, geometry."""

    frame: pd.DataFrame
    layout: str = LAYOUT
    label: str = LABEL


def is_boundaries(extract: Extract) -> bool:
    """True for a JSON file (the only JSON layout we take is ward boundaries)."""
    return extract.kind == "json"


def _property_names(features: list) -> tuple[str, str, int] | None:
    """The code and name properties (``WD22CD``, ``WD22NM``) and their year."""
    first = features[0].get("properties") if isinstance(features[0], dict) else None
    for key in first or {}:
        found = PROPERTY.match(str(key))
        if found:
            name = next((k for k in first if str(k).upper() == f"WD{found[1]}NM"), None)
            if name:
                return key, name, 2000 + int(found[1])
    return None


NESTING = {"Polygon": 3, "MultiPolygon": 4}  # lists around each number of a well-formed outline
SHAPES = {
    "Polygon": "a list of rings, each a list of [longitude, latitude] points",
    "MultiPolygon": "a list of polygons, each a list of rings of [longitude, latitude] points",
}


def _depth(value) -> int:
    """How many lists deep the first number of ``value`` lies."""
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


def _ring_problem(ring, where: str) -> tuple[str, np.ndarray | None]:
    """What is wrong with a ring (empty: nothing) and its points as an array."""
    try:
        points = np.asarray(ring)
    except ValueError:
        points = None
    if points is None or points.ndim != 2 or points.shape[1] not in (2, 3):
        return f"{where} is not a list of [longitude, latitude] points", None
    if points.dtype.kind not in "fi" or not np.isfinite(points).all():
        return f"{where} has a point that is not two finite numbers", None
    if len(points) < 4:
        return f"{where} has {len(points)} points; a closed ring needs at least 4", None
    if not (points[0, :2] == points[-1, :2]).all():
        return f"{where} is not closed (its last point is not its first)", None
    return "", points


def _polygons(kind: str, coordinates) -> list:
    return [coordinates] if kind == "Polygon" else list(coordinates)


def _shape_detail(kind: str, coordinates) -> tuple[str, list[np.ndarray]]:
    """What is wrong with an outline's coordinates (empty: nothing), and its rings' points."""
    depth = _depth(coordinates)
    if not isinstance(coordinates, list) or not coordinates or depth != NESTING[kind]:
        return (
            f"its coordinates are nested {depth} lists deep where a {kind} has "
            f"{NESTING[kind]} ({SHAPES[kind]})"
        ), []
    rings = []
    for p, polygon in enumerate(_polygons(kind, coordinates), start=1):
        if not isinstance(polygon, list) or not polygon:
            return f"polygon {p} has no rings", []
        for r, ring in enumerate(polygon, start=1):
            where = f"ring {r}" + (f" of polygon {p}" if kind == "MultiPolygon" else "")
            detail, points = _ring_problem(ring, where)
            if detail:
                return detail, []
            rings.append(points)
    return "", rings


def _shape_problem(number: int, code: str, geometry) -> object | None:
    """The problem with a feature's geometry (None: a well-formed outline in longitude and
    latitude: every ring a closed list of at least 4 [longitude, latitude] points)."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    where = {"row": number, "column": "geometry", "value": code, "number": number}
    if kind not in OUTLINES:
        shown = f"a {kind}" if kind else "an empty or malformed shape"
        return problem("boundary-not-polygon", **where, kind=shown)
    detail, rings = _shape_detail(kind, geometry.get("coordinates"))
    if detail:
        return problem("boundary-bad-shape", **where, kind=kind, detail=detail)
    for points in rings:
        outside = (np.abs(points[:, 0]) > 180) | (np.abs(points[:, 1]) > 90)
        if outside.any():
            x, y = points[outside.argmax(), :2]
            return problem("boundary-not-wgs84", **where, x=f"{x:g}", y=f"{y:g}")
    return None


def _rows(features: list, names: tuple[str, str, int], problems: ProblemList) -> list[dict]:
    code_key, name_key, vintage = names
    rows, first = [], {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        code = str(properties.get(code_key) or "").strip()
        if not code:
            problems.add(problem("boundary-no-code", row=number, column=code_key, number=number))
            continue
        if code in first:
            problems.add(
                problem(
                    "boundary-duplicate",
                    row=number,
                    column=code_key,
                    value=code,
                    number=number,
                    first=first[code],
                )
            )
            continue
        first[code] = number
        found = _shape_problem(number, code, feature.get("geometry"))
        if found is not None:
            problems.add(found)
            continue
        name = str(properties.get(name_key) or code).strip()
        rows.append(
            {
                "feature": number,
                "code": code,
                "name": name,
                "vintage": vintage,
                "geometry": feature["geometry"],
            }
        )
    return rows


def point_count(geometry: dict) -> int:
    """How many points a checked outline has."""
    polygons = _polygons(geometry["type"], geometry["coordinates"])
    return sum(len(ring) for polygon in polygons for ring in polygon)


def _shape(geometry: dict, most: int) -> shapely.Geometry:
    """A checked outline as a shapely shape, each ring first thinned to at most ``most`` points
    (every k-th: a ring of a million points is far denser than any map draws it)."""

    def ring(points) -> np.ndarray:
        points = np.asarray(points, dtype=float)[:, :2]
        if len(points) > most:
            step = -(-len(points) // most)
            points = np.vstack([points[:-1:step], points[-1:]])
        return points

    polygons = [
        shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])
        for rings in _polygons(geometry["type"], geometry["coordinates"])
    ]
    return polygons[0] if geometry["type"] == "Polygon" else shapely.MultiPolygon(polygons)


def simplified(geometry: dict, limit: int) -> dict | None:
    """The outline with at most ``limit`` points, simplified by shapely keeping its topology (no
    ring crosses another or vanishes) at the least tolerance tried that fits; None when even a
    coarse one has more (thousands of separate parts)."""
    shape = _shape(geometry, 20 * limit)
    low_x, low_y, high_x, high_y = shape.bounds
    tolerance = max(high_x - low_x, high_y - low_y, 1e-9) * 1e-4
    for _ in range(20):  # up to 2**20 times the first tolerance: far past the ward's own size
        simpler = shape.simplify(tolerance, preserve_topology=True)
        if shapely.get_num_coordinates(simpler) <= limit:
            return json.loads(json.dumps(shapely.geometry.mapping(simpler)))  # tuples -> lists
        tolerance *= 2
    return None


def _fit_to_caps(frame: pd.DataFrame, problems: ProblemList) -> None:
    """Simplify outlines to what a borough map needs: at most MAX_WARD_POINTS a ward and
    MAX_BOUNDARY_POINTS a file (a file of a million points would take minutes to draw)."""
    if frame.empty:
        return
    ward_limit, file_limit = config.max_ward_points(), config.max_boundary_points()
    counts = frame["geometry"].map(point_count)
    limit = ward_limit
    if counts.clip(upper=ward_limit).sum() > file_limit:
        limit = min(ward_limit, max(file_limit // len(frame), 16))
    over = frame.index[counts > limit]
    for index in over:
        simpler = simplified(frame.at[index, "geometry"], limit)
        if simpler is None:
            row = frame.loc[index]
            where = {"row": int(row["feature"]), "column": "geometry", "value": row["code"]}
            problems.add(
                problem(
                    "boundary-too-detailed",
                    **where,
                    number=int(row["feature"]),
                    points=int(counts[index]),
                    limit=limit,
                )
            )
        else:
            frame.at[index, "geometry"] = simpler
    if len(over):
        after = int(frame["geometry"].map(point_count).sum())
        problems.add(
            problem(
                "boundary-simplified",
                severity=WARNING,
                wards=len(over),
                before=f"{int(counts.sum()):,}",
                after=f"{after:,}",
                ward_limit=f"{ward_limit:,}",
                file_limit=f"{file_limit:,}",
            )
        )


def _borough_of(wards: WardReference) -> dict[str, str]:
    """Ward code -> the London borough the ward list puts it in."""
    return {
        code: borough
        for borough, codes in wards.by_borough.items()
        if reference.is_london_borough(borough)
        for code in codes
    }


def _check_boroughs(frame: pd.DataFrame, wards: WardReference, problems: ProblemList) -> None:
    """Every code a ward of a London borough; every ward of each borough present."""
    for row in frame[frame["borough"].isna()].itertuples():
        problems.add(
            problem(
                "boundary-unknown-ward",
                row=row.feature,
                column="code",
                value=row.code,
                number=row.feature,
                name=row.name,
                source=wards.source,
            )
        )
    for borough, part in frame.dropna(subset=["borough"]).groupby("borough"):
        listed = wards.wards_of(borough) or frozenset()
        missing = sorted(listed - set(part["code"]), key=lambda c: wards.names.get(c, c))
        if missing:
            problems.add(
                problem(
                    "boundary-missing-wards",
                    value=reference.LONDON_AUTHORITIES.get(borough, borough),
                    found=len(listed) - len(missing),
                    borough=reference.LONDON_AUTHORITIES.get(borough, borough),
                    total=len(listed),
                    missing=", ".join(f"{wards.names.get(c, c)} ({c})" for c in missing),
                )
            )


def parse(extract: Extract, problems: ProblemList, wards: WardReference) -> BoundaryFile:
    """The file's ward outlines, checked (problems go in ``problems``)."""
    document = extract.document
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        detail = "it has no list of features (a GeoJSON FeatureCollection)"
        problems.add(problem("not-boundaries", detail=detail))
        return BoundaryFile(pd.DataFrame(columns=COLUMNS))
    names = _property_names(features)
    if names is None:
        detail = (
            "its features have no ward code and name properties (WD22CD and WD22NM, or the "
            "WDyyCD and WDyyNM of another year)"
        )
        problems.add(problem("not-boundaries", detail=detail))
        return BoundaryFile(pd.DataFrame(columns=COLUMNS))
    frame = pd.DataFrame(_rows(features, names, problems), columns=COLUMNS)
    _fit_to_caps(frame, problems)
    frame["borough"] = frame["code"].map(_borough_of(wards))
    _check_boroughs(frame, wards, problems)
    return BoundaryFile(frame)
