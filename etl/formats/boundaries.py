"""ONS ward boundaries as GeoJSON: one feature per ward, its code and name in the properties
``WD22CD``/``WD22NM`` (or the ``WDyyCD``/``WDyyNM`` of another year), coordinates in WGS84.

A file is a borough's map (or several boroughs'): every feature an outline (Polygon or
MultiPolygon) in longitude and latitude, every code a ward of a London borough in the ward list
(``etl.wards``), and every ward of each borough it touches present, so a map is never drawn
with holes. Each problem names the feature by its number in the file (1 = the first) and code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core import reference
from etl.errors import ProblemList, problem
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


def _points(coordinates) -> list[tuple[float, float]] | None:
    """Every (x, y) of a Polygon's or MultiPolygon's coordinates; None if malformed."""
    if not isinstance(coordinates, list):
        return None
    if coordinates and all(isinstance(v, int | float) for v in coordinates[:2]):
        return [(float(coordinates[0]), float(coordinates[1]))] if len(coordinates) >= 2 else None
    points: list[tuple[float, float]] = []
    for part in coordinates:
        found = _points(part)
        if found is None:
            return None
        points += found
    return points


def _shape_problem(number: int, code: str, geometry) -> object | None:
    """The problem with a feature's geometry (None: an outline in longitude and latitude)."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    points = _points(geometry.get("coordinates")) if kind in OUTLINES else None
    if kind not in OUTLINES or not points:
        shown = f"a {kind}" if kind and kind not in OUTLINES else "an empty or malformed shape"
        return problem(
            "boundary-not-polygon",
            row=number,
            column="geometry",
            value=code,
            number=number,
            kind=shown,
        )
    for x, y in points:
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            return problem(
                "boundary-not-wgs84",
                row=number,
                column="geometry",
                value=code,
                number=number,
                x=f"{x:g}",
                y=f"{y:g}",
            )
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
    frame["borough"] = frame["code"].map(_borough_of(wards))
    _check_boroughs(frame, wards, problems)
    return BoundaryFile(frame)
