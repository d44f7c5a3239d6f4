"""Ward boundaries are data: ONS GeoJSON loads through the same detect/preview/load as every
file, is checked (outlines, WGS84, wards of a London borough, no borough half-covered), kept with
its upload, replaced by a newer file for the same borough and reverted like any upload."""

from __future__ import annotations

import copy
import functools
import json

import numpy as np
import pandas as pd
import pytest

from core import queries
from etl.load import load_bytes
from etl.preview import preview_bytes
from etl.revert import revert_upload
from etl.store.areas import ward_reference
from fixtures.extracts import (
    CAMDEN,
    CAMDEN_BOUNDARIES,
    boundary_wards,
    table_counts,
    upload_log,
    ward_crime_file,
)

CAMDEN_WARDS = boundary_wards(CAMDEN_BOUNDARIES)
DOCUMENT = json.loads(CAMDEN_BOUNDARIES.read_text(encoding="utf-8"))


def geojson(document: dict) -> bytes:
    return json.dumps(document).encode("utf-8")


@pytest.fixture
def camden(engine):
    """A database whose ward list (an MPS ward crime file) has Camden's wards."""
    result = load_bytes("wards.csv", ward_crime_file(CAMDEN_WARDS, "Camden"), engine)
    assert result.status == "loaded", result.message
    return engine


def _outlines(engine) -> dict[str, dict]:
    frame = queries.ward_boundaries(engine, CAMDEN)
    return dict(zip(frame["code"], frame["geometry"], strict=True))


def test_camden_boundaries_load_with_their_upload(camden):
    assert len(CAMDEN_WARDS) == 20
    result = load_bytes("camden_wards_2022.geojson", geojson(DOCUMENT), camden, user="ana")
    assert result.status == "loaded", [p.message for p in result.problems]
    assert result.dataset == "ward_boundaries" and result.figures_added == 20
    outlines = _outlines(camden)
    assert set(outlines) == set(CAMDEN_WARDS)
    first = DOCUMENT["features"][0]
    assert outlines[first["properties"]["WD22CD"]] == first["geometry"]
    frame = queries.ward_boundaries(camden, CAMDEN)
    assert dict(zip(frame["code"], frame["name"], strict=True)) == CAMDEN_WARDS
    log = upload_log(camden).iloc[-1]
    assert (log["status"], log["uploaded_by"], log["rows_read"]) == ("loaded", "ana", 20)
    held = queries.upload_log(camden).set_index("id").loc[result.upload_id]
    assert (held["held"], held["shown_status"]) == (20, "loaded")
    again = load_bytes("copy.geojson", geojson(DOCUMENT), camden)
    assert again.status == "unchanged"


def test_a_newer_file_replaces_the_borough_and_a_revert_brings_the_old_back(camden):
    first = load_bytes("old.geojson", geojson(DOCUMENT), camden)
    newer = copy.deepcopy(DOCUMENT)
    moved = newer["features"][0]
    ring = moved["geometry"]["coordinates"][0]
    moved["geometry"]["coordinates"][0] = [[x + 0.001, y] for x, y in ring]
    preview = preview_bytes("new.geojson", geojson(newer), camden)
    assert preview.status == "ready", preview.message
    change = preview.changes.iloc[0]
    assert (change["area_code"], change["added"], change["replaced"], change["changed"]) == (
        CAMDEN,
        0,
        20,
        1,
    )
    second = load_bytes("new.geojson", geojson(newer), camden)
    assert second.status == "loaded" and second.figures_replaced == 20
    code = moved["properties"]["WD22CD"]
    assert _outlines(camden)[code] == moved["geometry"]
    log = queries.upload_log(camden).set_index("id")
    assert log.loc[first.upload_id, "shown_status"] == "superseded"
    assert table_counts(camden)["ward_boundaries"] == 40  # the old outlines are kept
    replaced = queries.upload_replacements(camden, second.upload_id)
    assert replaced[["direction", "other_upload", "dataset", "places"]].values.tolist() == [
        ["replaced", first.upload_id, "ward_boundaries", 20]
    ]
    revert_upload(second.upload_id, camden, "max")
    assert _outlines(camden)[code] == DOCUMENT["features"][0]["geometry"]
    assert len(_outlines(camden)) == 20


def test_any_year_of_ward_properties_loads(camden):
    """The WDyyCD/WDyyNM of another year (here 2019's names for the same codes)."""
    document = copy.deepcopy(DOCUMENT)
    for feature in document["features"]:
        p = feature["properties"]
        feature["properties"] = {"WD19CD": p["WD22CD"], "WD19NM": p["WD22NM"]}
    result = load_bytes("wards_2019.geojson", geojson(document), camden)
    assert result.status == "loaded", [p.message for p in result.problems]
    assert set(_outlines(camden)) == set(CAMDEN_WARDS)


def _point(document: dict) -> str:
    feature = document["features"][2]
    feature["geometry"] = {"type": "Point", "coordinates": [-0.14, 51.54]}
    return feature["properties"]["WD22CD"]


def _unknown(document: dict) -> str:
    document["features"][4]["properties"]["WD22CD"] = "E05099999"
    return "E05099999"


def _half(document: dict) -> str:
    gone = document["features"][5:15]
    del document["features"][5:15]
    return ", ".join(
        sorted(f"{f['properties']['WD22NM']} ({f['properties']['WD22CD']})" for f in gone)
    )


def _eastings(document: dict) -> str:
    feature = document["features"][1]
    ring = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"][0] = [[527000 + x, 184000 + y] for x, y in ring]
    return feature["properties"]["WD22CD"]


def _no_ward_properties(document: dict) -> str:
    for feature in document["features"]:
        feature["properties"] = {"NAME": feature["properties"]["WD22NM"]}
    return "WD22CD"


BAD = [  # (what is wrong, how, problem code, the words the message must hold)
    ("not an outline", _point, "boundary-not-polygon", ["Feature 3", "a Point"]),
    ("unknown ward", _unknown, "boundary-unknown-ward", ["Feature 5", "E05099999"]),
    ("half a borough", _half, "boundary-missing-wards", ["10 of Camden's 20 wards"]),
    ("eastings", _eastings, "boundary-not-wgs84", ["Feature 2", "not a longitude"]),
    ("no ward code", _no_ward_properties, "not-boundaries", ["WD22CD"]),
]


@pytest.mark.parametrize(("case", "spoil", "code", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_rejected_whole_with_a_clear_error(camden, case, spoil, code, words):
    document = copy.deepcopy(DOCUMENT)
    named = spoil(document)
    before = table_counts(camden)
    result = load_bytes(f"{case}.geojson", geojson(document), camden)
    assert result.status == "rejected"
    errors = [p for p in result.errors if p.code == code]
    assert errors, [p.message for p in result.problems]
    message = errors[0].message
    for word in [*words, named]:
        assert word in message, message
    assert table_counts(camden) == before
    assert upload_log(camden).iloc[-1]["status"] == "rejected"
    preview = preview_bytes(f"{case}.geojson", geojson(document), camden)
    assert preview.status == "rejected" and code in {p.code for p in preview.errors}


def test_without_the_borough_s_ward_list_every_ward_is_unknown(engine):
    result = load_bytes("camden.geojson", geojson(DOCUMENT), engine)
    assert result.status == "rejected"
    assert {p.code for p in result.errors} == {"boundary-unknown-ward"}
    assert len(result.errors) == 20


def test_loaded_boundaries_join_the_ward_list(camden):
    load_bytes("camden.geojson", geojson(DOCUMENT), camden)
    wards = ward_reference(camden)
    assert wards.wards_of(CAMDEN) == frozenset(CAMDEN_WARDS)
    assert "ward boundaries" in wards.source


def test_invalid_json_is_unreadable(sqlite_engine):
    result = load_bytes(
        "broken.geojson", b'{"type": "FeatureCollection", "features": [', sqlite_engine
    )
    assert result.status == "rejected"
    assert result.problems[0].code == "file-unreadable"


def test_status_lists_the_ward_outlines_in_force(camden):
    """``python -m etl status`` (queries.dataset_status): the outlines loaded, as many wards as
    are in force (a newer file replaces, it does not add), their boundaries' year and when."""
    assert "ward_boundaries" not in set(queries.dataset_status(camden)["dataset"])
    assert load_bytes("old.geojson", geojson(DOCUMENT), camden).status == "loaded"
    newer = copy.deepcopy(DOCUMENT)
    ring = newer["features"][0]["geometry"]["coordinates"][0]
    newer["features"][0]["geometry"]["coordinates"][0] = [[x + 0.001, y] for x, y in ring]
    assert load_bytes("new.geojson", geojson(newer), camden).status == "loaded"
    row = queries.dataset_status(camden).set_index("dataset").loc["ward_boundaries"]
    assert (row["areas"], row["first_month"], row["latest_month"]) == (20, 2022, 2022)
    assert row["last_load"] is not None and row["last_load"] == row["last_load"]


def _with_geometry(geometry: dict) -> dict:
    document = copy.deepcopy(DOCUMENT)
    document["features"][2]["geometry"] = geometry
    return document


SQUARE = [[-0.15, 51.55], [-0.14, 51.55], [-0.14, 51.56], [-0.15, 51.56], [-0.15, 51.55]]


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        (
            {"type": "Polygon", "coordinates": [[SQUARE]]},
            "nested 4 lists deep where a Polygon has 3",
        ),
        ({"type": "Polygon", "coordinates": SQUARE}, "nested 2 lists deep where a Polygon has 3"),
        ({"type": "MultiPolygon", "coordinates": [SQUARE]}, "nested 3 lists deep where a Multi"),
        ({"type": "MultiPolygon", "coordinates": [[[SQUARE]]]}, "nested 5 lists deep"),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "ring 1 is not closed"),
        ({"type": "Polygon", "coordinates": [[*SQUARE[:2], SQUARE[0]]]}, "has 3 points"),
        ({"type": "Polygon", "coordinates": [[["-0.15", "51.55"]] * 4]}, "not two finite"),
        ({"type": "Polygon", "coordinates": [[[float("nan"), 51.5]] * 4]}, "not two finite"),
        ({"type": "Polygon", "coordinates": [SQUARE, [[0, 1, 2, 3]]]}, "ring 2 is not a list"),
        ({"type": "Polygon", "coordinates": [SQUARE, [[0, 1], [0]]]}, "ring 2 is not a list"),
    ],
)
def test_a_malformed_outline_is_refused_naming_its_feature_and_ward(camden_sqlite, geometry, words):
    preview = preview_bytes("odd.geojson", geojson(_with_geometry(geometry)), camden_sqlite)
    assert preview.status == "rejected"
    (found,) = [p for p in preview.problems if p.code == "boundary-bad-shape"]
    code = DOCUMENT["features"][2]["properties"]["WD22CD"]
    assert (found.row, found.value) == (3, code)
    assert found.message.startswith(f"Feature 3 ({code}) is not a well-formed")
    assert words in found.message


@functools.cache
def _huge_file() -> bytes:
    """The Camden file with its third ward a circle of 1,000,000 points."""
    angles = np.linspace(0, 2 * np.pi, 1_000_000)
    ring = np.column_stack([-0.145 + 0.01 * np.cos(angles), 51.555 + 0.01 * np.sin(angles)])
    ring[-1] = ring[0]
    geometry = {"type": "Polygon", "coordinates": [ring.round(7).tolist()]}
    return geojson(_with_geometry(geometry))


@pytest.fixture
def camden_sqlite(sqlite_engine):
    result = load_bytes("wards.csv", ward_crime_file(CAMDEN_WARDS, "Camden"), sqlite_engine)
    assert result.status == "loaded", result.message
    return sqlite_engine


def test_a_million_points_load_simplified_under_the_caps(camden_sqlite, monkeypatch):
    """One ward of 1,000,000 points and the rest as published: the ward is simplified to at most
    MAX_WARD_POINTS as it loads (a warning says so), the file stays under MAX_BOUNDARY_POINTS,
    and the map draws no more points than that."""
    from dashboard.charts.wards_map import wards_map_figure
    from etl.formats.boundaries import point_count

    monkeypatch.setenv("MAX_WARD_POINTS", "500")
    monkeypatch.setenv("MAX_BOUNDARY_POINTS", "4000")
    camden = camden_sqlite
    result = load_bytes("huge.geojson", _huge_file(), camden)
    assert result.status == "loaded", [p.message for p in result.problems]
    (warning,) = [p for p in result.problems if p.code == "boundary-simplified"]
    assert "1 ward outlines were simplified" in warning.message
    outlines = queries.ward_boundaries(camden, CAMDEN)
    counts = dict(zip(outlines["code"], outlines["geometry"].map(point_count), strict=True))
    huge = DOCUMENT["features"][2]["properties"]["WD22CD"]
    assert 16 <= counts[huge] <= 500
    assert sum(counts.values()) <= 4000
    frame = outlines.assign(value=1.0, judged=True, text="")
    figure = wards_map_figure(outlines, frame, "Crimes")
    drawn = sum(len(t.x) for t in figure.data if t.mode == "lines")
    assert drawn <= 4000 + 2 * len(outlines)  # each ring's points and a gap between rings


def test_the_map_draws_whatever_odd_outlines_it_is_given():
    """Outlines stored before the loader checked shapes strictly (or edited by hand) never stop
    the map: the wards that can be drawn are, the others are left blank."""
    from dashboard.charts.wards_map import label_point, wards_map_figure

    odd = [
        {"type": "Polygon", "coordinates": [[SQUARE]]},
        {"type": "Polygon", "coordinates": SQUARE},
        {"type": "MultiPolygon", "coordinates": [SQUARE]},
        {"type": "Polygon", "coordinates": [[["a", "b"]] * 4]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Point", "coordinates": [0, 0]},
        {"type": "Polygon"},
        None,
        "not a shape",
    ]
    good = {"type": "Polygon", "coordinates": [SQUARE]}
    codes = [f"W{i}" for i in range(len(odd) + 1)]
    outlines = pd.DataFrame({"code": codes, "geometry": [good, *odd]})
    frame = pd.DataFrame({"code": codes, "name": codes, "value": 1.0, "judged": True, "text": ""})
    figure = wards_map_figure(outlines, frame, "Crimes")
    assert len(figure.data[0].x) == 6  # the good ward drawn (its 5 points and a gap)
    assert all(not t.x for t in figure.data[1:-1])
    for geometry in odd:
        assert label_point(geometry)[2] == 0.0
