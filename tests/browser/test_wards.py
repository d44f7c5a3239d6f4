"""The wards map draws the home borough's 24 wards, and a ward (map or table) opens its page."""

from __future__ import annotations

import re

import harness
import pytest

pytestmark = pytest.mark.browser

BARNET_WARDS = 24
WARD_PAGE = re.compile(r"/ward/(E05\d{6})(\?|$)")  # the period follows in ?period=
DRAWN_WARD = ".scatterlayer path.js-fill, path.choroplethlocation"


def ward_shapes(traces: list[dict]) -> list[dict]:
    """The map's ward traces: wards are drawn as filled outlines, one trace each (or, should the
    map become a choropleth, one location each)."""
    shapes = [t for t in traces if t.get("fill") == "toself"]
    for trace in traces:
        if "choropleth" in trace.get("type", ""):
            shapes += [{"name": code} for code in trace.get("locations") or []]
    return shapes


def test_map_draws_every_ward(visit):
    page = visit("/wards")
    shapes = ward_shapes(harness.figure_data(page, "wards-map-graph") or [])
    names = [s.get("name") for s in shapes]
    assert len(names) == BARNET_WARDS, f"map has {len(names)} wards: {names}"
    assert len(set(names)) == BARNET_WARDS, f"wards drawn twice: {names}"
    drawn = page.locator("#wards-map-graph").locator(DRAWN_WARD).count()
    assert drawn == BARNET_WARDS, f"{drawn} ward shapes drawn"


def test_table_ward_opens_its_page(visit, page):
    visit("/wards")
    link = page.locator("#wards-table a[href^='/ward/']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(href) + r"(\?|$)"))
    harness.wait_drawn(page)
    assert page.locator("#ward-summary").inner_text().strip()


def test_map_ward_opens_its_page(visit, page):
    visit("/wards")
    box = page.locator("#wards-map-graph").locator(DRAWN_WARD).nth(0).bounding_box()
    # Plotly's drag layer sits over the shapes and works out the ward from the point.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(WARD_PAGE, timeout=10_000)
    harness.wait_drawn(page)
    assert page.locator("#ward-summary").inner_text().strip()
