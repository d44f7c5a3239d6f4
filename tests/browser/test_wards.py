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


# A point inside the i-th ward's outline and inside no other ward's, in page coordinates:
# found by the browser's own hit test of each filled outline (SVG isPointInFill), so the click
# lands on that ward whatever its shape.
POINT_IN_WARD_JS = """
(i) => {
  const wards = [...document.querySelectorAll('#wards-map-graph .scatterlayer path.js-fill')];
  const inside = (path, x, y) =>
      path.isPointInFill(new DOMPoint(x, y).matrixTransform(path.getScreenCTM().inverse()));
  const box = wards[i].getBoundingClientRect();
  const steps = 40;
  let best = null;
  for (let a = 1; a < steps; a++) {
    for (let b = 1; b < steps; b++) {
      const x = box.left + (box.width * a) / steps, y = box.top + (box.height * b) / steps;
      if (!inside(wards[i], x, y) || wards.some((w, j) => j !== i && inside(w, x, y))) continue;
      const off = Math.abs(a - steps / 2) + Math.abs(b - steps / 2);  // nearest the middle
      if (best === null || off < best[2]) best = [x, y, off];
    }
  }
  return best && [best[0], best[1]];
}
"""


def test_map_ward_opens_the_ward_clicked(visit, page):
    """Clicking a ward on the map opens that ward's page: not the first ward, not a neighbour."""
    visit("/wards")
    shapes = ward_shapes(harness.figure_data(page, "wards-map-graph") or [])
    links = page.locator("#wards-table a[href^='/ward/']")
    code_of = {
        links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href").split("/")[-1]
        for i in range(links.count())
    }
    clicked = 5  # a ward in the middle of the map's traces
    page.locator("#wards-map-graph").scroll_into_view_if_needed()  # a click must be on screen
    name = shapes[clicked]["name"]
    point = page.evaluate(POINT_IN_WARD_JS, clicked)
    assert point, f"no point found inside {name}'s outline"
    # Plotly's drag layer sits over the shapes and works out the ward from the point.
    page.mouse.click(*point)
    page.wait_for_url(WARD_PAGE, timeout=10_000)
    harness.wait_drawn(page)
    assert WARD_PAGE.search(page.url).group(1) == code_of[name], (name, page.url)
    assert page.locator("h1").inner_text() == f"{name} ward, Barnet"


def test_table_shows_every_ward_without_a_scrolling_box(visit, page):
    """All 24 wards are on the page, none hidden in a scrolling box (a printout or screenshot
    missed 16 of them)."""
    visit("/wards")
    harness.wait_drawn(page)
    rows = harness.table_rows(page, "wards-table")
    assert len(rows) == 25, f"{len(rows) - 1} wards in the table"
    box = page.eval_on_selector(
        "#wards-table-wrap", "(w) => ({scroll: w.scrollHeight, client: w.clientHeight})"
    )
    assert box["scroll"] <= box["client"] + 1, box
