"""The other priorities' pages in Chromium: each loads with no browser errors, passes axe, draws
its charts; the hate crime chart marks the MPS recording-system break.

The browser database is seeded from data/seed: the MPS Monthly Crime Dashboard extracts are
there, the council templates (illustrative samples) are not, so serious youth violence, IOM,
proven reoffending, WRAP and the reporting centres show their empty states here; their filled
states are tested in tests/test_priority_pages.py.
"""

from __future__ import annotations

import harness
import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("/youth-violence", "syv-summary"),
    ("/reoffending", "reoffending-summary"),
    ("/prevent", "prevent-summary"),
    ("/hate-crime", "hate-summary"),
]
BREAK_LABEL = "MPS recording system changed"


def assert_accessible(page) -> None:
    problems = harness.blocking_violations(page)
    assert not problems, problems


def graph_layout(page, graph_id: str) -> dict | None:
    """The shapes and annotation texts Plotly drew in dcc.Graph ``graph_id``."""
    return page.evaluate(
        """(id) => {
          const gd = document.querySelector('#' + CSS.escape(id) + ' .js-plotly-plot');
          if (!gd || !gd._fullLayout) return null;
          const l = gd._fullLayout;
          return {
            shapes: (l.shapes || []).map((s) => ({type: s.type, x0: s.x0, x1: s.x1})),
            annotations: (l.annotations || []).map((a) => a.text),
          };
        }""",
        graph_id,
    )


@pytest.mark.parametrize(("path", "summary_id"), PAGES, ids=[p for p, _ in PAGES])
def test_page_loads_draws_and_is_accessible(visit, axe_available, path, summary_id):
    page = visit(path)
    summary = page.locator(f"#{summary_id}")
    assert summary.count() == 1, f"{path}: no #{summary_id}"
    assert summary.inner_text().strip(), f"{path}: #{summary_id} is empty"
    assert "not found" not in page.locator("main").inner_text().lower()
    graphs = page.locator(".dash-graph")
    assert graphs.count() >= 4, f"{path}: {graphs.count()} charts"
    assert page.locator(".dash-graph .main-svg").count() >= graphs.count()
    assert_accessible(page)


def test_navbar_links_to_the_four_pages(visit):
    page = visit("/")
    links = page.eval_on_selector_all("header a.nav-link", "a => a.map((l) => l.pathname)")
    order = [links.index(p) for p, _ in PAGES]
    assert order == sorted(order), links
    assert links.index("/wards") < order[0]


def test_hate_crime_chart_marks_the_break(visit):
    page = visit("/hate-crime")
    for graph in ("hate-trend-graph", "hate-strands-graph", "hate-outcomes-graph"):
        layout = graph_layout(page, graph)
        assert layout is not None, f"{graph} not drawn"
        lines = [s for s in layout["shapes"] if s["type"] == "line" and "2024-02" in str(s["x0"])]
        assert lines, f"{graph}: no line between February and March 2024: {layout['shapes']}"
        # named in the legend (a label box on the plot covered the lines under it)
        legend = page.locator(f"#{graph} .legend .legendtext", has_text=BREAK_LABEL)
        assert legend.count() == 1, graph
    assert "not like-for-like" in page.locator("#hate-break-note").inner_text()


def test_hate_crime_strand_and_period_change_the_page(visit, page):
    visit("/hate-crime")
    before = page.locator("#hate-summary").inner_text()
    harness.watch_busy(page)
    page.select_option("#hate-strand-select", label="Racist Crime")
    harness.wait_redrawn(page)
    after = page.locator("#hate-summary").inner_text()
    assert after != before and "Racist Crime offences" in after
    harness.pick_another_period(page, offset=12)
    assert page.locator("#hate-summary").inner_text() != after


def test_hate_crime_table_alternative(visit, page):
    visit("/hate-crime")
    page.locator("#hate-wards-table-toggle").click()
    rows = harness.table_rows(page, "hate-wards-table")
    assert rows and rows[0][0] == "Ward"
    assert len(rows) == 25, f"{len(rows) - 1} wards in the table"


@pytest.mark.parametrize(
    ("path", "what", "charts"),
    [
        ("/youth-violence", "serious youth violence figures", None),
        ("/hate-crime", "Hate Crime Reporting Centre reports", None),
        ("/reoffending", "IOM cohort figures", "#reoffending-iom-charts"),
        ("/reoffending", "Ministry of Justice proven reoffending", "#reoffending-moj-charts"),
        ("/prevent", "Prevent WRAP training figures", "#prevent-charts"),
    ],
)
def test_board_member_sees_whom_to_ask_and_no_empty_chart_frames(visit, path, what, charts):
    """The open dashboard's reader is a viewer: one line per missing dataset, whom to ask, no
    file paths or commands, and no empty chart boxes."""
    page = visit(path)
    text = page.locator("main").inner_text()
    assert f"Not yet loaded for this borough: {what}" in text
    assert "python -m etl" not in text and ".xlsx" not in text
    assert charts is None or not page.locator(charts).is_visible()
