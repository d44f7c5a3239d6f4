"""Ward boundaries are data: ONS GeoJSON loads through the same detect/preview/load as every
file, is checked (outlines, WGS84, wards of a London borough, no borough half-covered), kept with
its upload, replaced by a newer file for the same borough and reverted like any upload."""

from __future__ import annotations

import copy
import json

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
