"""No chart hides its data: no legend or label box over a bar or a line, no labels over each
other, no axis title cut (tests/browser/chart_boxes.py reads the boxes Plotly drew), at a
laptop's width, a laptop's half-width columns (1000 px) and a tablet's (820 px). Each chart named
in issue 18 is checked: the crime trend (baseline and target labels), the London rank (its end
label), youth violence and knife crime, hate crime's strands and outcomes, the ward map's
labels."""

from __future__ import annotations

import chart_boxes
import pytest

pytestmark = pytest.mark.browser

CHARTS = {
    "/crime/mopac7-total": ["crime-trend-graph", "crime-rank-graph"],
    "/youth-violence": ["syv-trend-graph", "syv-knife-trend-graph", "syv-knife-rank-graph"],
    "/hate-crime": ["hate-trend-graph", "hate-strands-graph", "hate-outcomes-graph"],
    "/wards": ["wards-map-graph"],
}
WIDTHS = [1000, 820]  # half-width columns on a laptop, and a tablet


@pytest.mark.parametrize("path", CHARTS)
def test_no_chart_hides_its_data(page, visit, path):
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit(path)
        for graph in CHARTS[path]:
            found += [f"{width} px {graph}: {p}" for p in chart_boxes.what_hides_data(page, graph)]
    assert found == []
