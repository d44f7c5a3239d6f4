"""The wards page where no ward boundaries are loaded for the home borough: everyone sees the
wards ranked as bars with their sentence and table; board members read one line saying the map
is not available yet, analysts and managers where ONS publishes the boundaries and how to load
them. The figures are test_crime_pages' (Barnet's three wards, burglary, Feb 2025)."""

from __future__ import annotations

import pandas as pd
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import sites
import webclient
from core.months import as_month
from dashboard.pages import wards
from dashboard.prose.hate_crime import wards_caption
from etl.load import load_bytes
from layout_tree import text
from test_crime_pages import LATEST, WARDS, borough_csv, ward_csv
from test_crime_pages import ward_outlines as barnet_outlines
from test_exempt import as_user


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    return sites.database(tmp_path_factory, "nomap", sites.crime_files(), sites.EVERY_ROLE)


@pytest.fixture
def site(loaded_url, monkeypatch):
    yield from sites.with_server(monkeypatch, loaded_url)


def _page_as(site, name: str) -> dict:
    engine, server = site
    context = as_user(server, engine, name)
    try:
        names = [component for component, _ in wards.OUTPUTS]
        return dict(zip(names, wards.update(LATEST, "burglary", "r12"), strict=True))
    finally:
        context.pop()


HOW_TO = ["ONS Open Geography Portal", "Wards (December 2022) Boundaries UK BFC", "GeoJSON"]


@pytest.mark.parametrize(("name", "loads"), [("vera", False), ("anna", True), ("max", True)])
def test_without_boundaries_the_wards_are_ranked_and_each_role_told_its_own(site, name, loads):
    out = _page_as(site, name)
    bars = out["wards-map-graph"].data[0]
    assert bars.type == "bar" and bars.orientation == "h"
    assert list(bars.y)[::-1] == ["Hendon", "Barnet Vale", "Whetstone"]  # most crimes first
    assert "ranked by crimes in the 12 months" in out["wards-map-caption"]
    assert "Highest: Hendon (360)" in out["wards-map-caption"]
    for ward in WARDS.values():
        assert ward in out["wards-map-table-html"]
    assert out["wards-map-heading"].startswith("Wards ranked by")
    assert out["wards-map-key"] is None and out["wards-map-codes"] == []
    notice = text(out["wards-map-notice"])
    assert "Barnet" in notice
    if loads:
        for words in [*HOW_TO, "python -m etl load FILE", "Upload"]:
            assert words in notice
    else:
        assert notice == (
            "The ward map for Barnet is not available yet: the wards are shown ranked instead."
        )
    assert "data/boundaries" not in str(out)


def test_once_boundaries_load_the_map_is_back(site):
    engine, _ = site
    assert load_bytes("barnet.geojson", barnet_outlines(), engine).status == "loaded"
    out = _page_as(site, "vera")
    assert {t.name for t in out["wards-map-graph"].data if t.name} == set(WARDS.values())
    assert out["wards-map-notice"] is None and out["wards-map-heading"] == "Map"
    assert out["wards-map-attribution"].startswith("Ward boundaries: Office for National")


def test_hate_crime_never_speaks_of_0_wards():
    words = wards_caption("Hate crime", "Camden", as_month("2025-07"), pd.DataFrame())
    assert words == (
        "No ward figures for Camden: the MPS crime dashboard's ward rows are not loaded."
    )


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": [[[[-0.2, 51.6], [-0.1, 51.6], [-0.2, 51.6]]]]},
        {"type": "Polygon", "coordinates": [[-0.2, 51.6], [-0.1, 51.6]]},
        {"type": "MultiPolygon", "coordinates": [[["x", "y"]]]},
        {"type": "Polygon", "coordinates": []},
    ],
)
def test_the_wards_page_draws_even_with_an_odd_stored_outline(tmp_path, monkeypatch, geometry):
    """An outline stored before shapes were checked strictly (or edited in the database) never
    fails the page: the other wards are drawn and named."""
    from sqlalchemy import update

    from core import db

    url = f"sqlite:///{tmp_path}/odd.db"
    engine = db.get_engine(url)
    for name, data in [("b.csv", borough_csv()), ("w.csv", ward_csv())]:
        assert load_bytes(name, data, engine).status == "loaded"
    assert load_bytes("barnet.geojson", barnet_outlines(), engine).status == "loaded"
    odd_code, *others = sorted(WARDS)
    table = db.ward_boundaries
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.code == odd_code).values(geometry=geometry))
    webclient.add_user(engine, "vera", "viewer")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    out = _page_as((engine, webclient.the_app().server), "vera")
    drawn = {t.name for t in out["wards-map-graph"].data if t.name and t.x}
    assert drawn == {WARDS[code] for code in others}
