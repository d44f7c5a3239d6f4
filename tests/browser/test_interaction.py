"""The period picker, the "show as table" alternative to each chart, and keyboard reach."""

from __future__ import annotations

import math
import re
from datetime import datetime

import harness
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

CHARTS = {
    "/crime/burglary": ["crime-trend", "crime-london", "crime-rank"],
    "/wards": ["wards-map"],
    f"/ward/{harness.SAMPLE_WARD}": ["ward-trend", "ward-compare"],
}
NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_period_change_updates_overview(visit, page):
    """The overview shows its figures as cards, not charts: a new period rewrites the summary
    and every card for the 12 months to the chosen month."""
    visit("/")
    before = harness.page_snapshot(page)
    assert before["graphs"] == {}, "the overview has cards, no charts"
    values, selected = harness.period_options(page)
    assert len(values) > 1, "the period picker offers one period"
    assert selected is not None, "no period is selected"
    chosen = harness.other_period(values, selected)
    harness.watch_busy(page)
    harness.choose_period(page, chosen)
    harness.wait_redrawn(page)
    after = harness.page_snapshot(page)
    assert after["text"] != before["text"], f"overview text unchanged after {selected} -> {chosen}"
    window = f"in the 12 months to {_month_words(chosen)}"
    summary = page.locator("#overview-summary").inner_text()
    assert summary.startswith(f"In the 12 months to {_month_words(chosen)} Barnet had "), summary
    for slug in harness.CRIME_SLUGS:
        card = page.locator(f"#overview-card-{slug}").inner_text()
        assert re.search(rf"^[\d,]+ crimes {window}$", card, re.MULTILINE), (slug, card)


def test_overview_cards_link_to_their_crime_pages(visit, page):
    visit("/")
    for slug in harness.CRIME_SLUGS:
        links = page.locator(f"#overview-card-{slug} a[href='/crime/{slug}']")
        assert links.count() >= 1, f"#overview-card-{slug} has no link to /crime/{slug}"
    page.locator("#overview-card-robbery a[href='/crime/robbery']").first.click()
    page.wait_for_url(re.compile(r"/crime/robbery(\?|$)"))
    harness.wait_drawn(page)
    assert "robbery" in page.locator("#crime-summary").inner_text().lower()


def _month_words(value: str) -> str:
    return datetime.strptime(value, "%Y-%m").strftime("%B %Y")


def test_chosen_period_follows_to_the_next_page(visit, page):
    """A period picked on the overview holds on the page a card opens and on the page a
    navbar link opens: each is drawn for that period, and the address says so."""
    visit("/")
    chosen = harness.pick_another_period(page, 3)
    hrefs = page.eval_on_selector_all("header a.nav-link", "a => a.map((l) => l.href)")
    assert all(href.endswith(f"?period={chosen}") for href in hrefs), hrefs  # new tabs too
    page.locator("#overview-card-burglary a").first.click()
    page.wait_for_url(re.compile(rf"/crime/burglary\?period={chosen}$"))
    harness.wait_drawn(page)
    assert _month_words(chosen) in page.locator("#crime-summary").inner_text()
    page.get_by_role("link", name="Wards", exact=True).click()
    page.wait_for_url(re.compile(rf"/wards\?period={chosen}$"))
    harness.wait_drawn(page)
    assert _month_words(chosen) in page.locator("#wards-summary").inner_text()
    assert harness.period_shown(page) == _month_words(chosen)


def test_a_bare_address_opened_in_the_app_follows_the_picker(visit, page):
    """A page opened without ?period= is drawn for the latest month, then for the picked one."""
    visit("/")
    chosen = harness.pick_another_period(page, 2)
    harness.watch_busy(page)
    page.evaluate(
        """() => {
          window.history.pushState({}, '', '/crime/theft-of-motor-vehicle');
          window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        }"""
    )
    page.wait_for_function(
        "(words) => (document.querySelector('#crime-summary') || {}).textContent?.includes(words)",
        arg=_month_words(chosen),
    )
    harness.wait_drawn(page)
    assert harness.period_shown(page) == _month_words(chosen)


def test_a_page_opened_with_a_period_arrives_drawn_for_it(visit, page):
    """/crime/<type>?period=YYYY-MM is drawn by the page itself: no chart callback runs."""
    visit("/")
    values, selected = harness.period_options(page)
    chosen = harness.other_period(values, selected, 5)
    visit(f"/crime/robbery?period={chosen}")
    calls = page.evaluate(
        """() => performance.getEntriesByType('resource')
             .filter((e) => e.name.includes('/_dash-update-component')).length"""
    )
    assert _month_words(chosen) in page.locator("#crime-summary").inner_text()
    assert calls == 1, f"{calls} callback requests: the page should come in the first one"


def test_crime_type_picker_opens_that_types_page(visit, page):
    visit("/crime/burglary")
    page.select_option("#crime-type-select", "robbery")
    page.wait_for_url(re.compile(r"/crime/robbery(\?|$)"))
    harness.wait_drawn(page)
    assert page.locator("h1").inner_text() == "Robbery in Barnet"
    assert "robbery" in page.locator("#crime-summary").inner_text().lower()


def test_wards_measure_recolours_the_map(visit, page):
    visit("/wards")
    before = harness.page_snapshot(page)["graphs"]["wards-map-graph"]
    harness.watch_busy(page)
    page.select_option("#wards-measure", "change_p12")  # a change measure: a diverging scale
    harness.wait_redrawn(page)
    after = harness.page_snapshot(page)["graphs"]["wards-map-graph"]
    assert after != before, "the map did not change with the measure"


# ------------------------------------------------------------- chart vs table


def numbers_in(text: str) -> list[tuple[float, float]]:
    """Each number shown in a cell: (value, half a unit of its last shown digit)."""
    found = []
    for match in NUMBER.finditer(text.replace("\u2212", "-")):
        digits = match.group().rstrip("%").replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.append((float(digits), 0.5 * 10**-decimals + 1e-9))
    return found


def label_text(label) -> str:
    """A point's label as the table writes it: tags dropped, dates as 'January 2024'."""
    text = re.sub(r"<[^>]+>", "", str(label)).strip()
    if ISO_DATE.match(text):
        return f"{datetime.fromisoformat(text[:10]):%B %Y}"
    return text


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def chart_points(traces: list[dict]) -> list[tuple[str, list[float]]]:
    """(label, values the chart shows for it) for every drawn point.

    Bars and lines: the category or date axis gives the label, the other axis the value, and a
    numeric customdata (shown in the hover, as the R12 is) is a second value. Map regions
    (filled outlines): the trace name is the label and the hover text holds the value. Text
    alone (the wards' names written on the map) shows no figure.
    """
    points = []
    for trace in traces:
        if trace.get("visible") in (False, "legendonly") or trace.get("mode") == "text":
            continue
        if trace.get("fill") == "toself":
            text = str(trace.get("hovertext") or trace.get("text") or "")
            values = [v for v, _ in numbers_in(text.split(": ", 1)[-1])][:1]
            points.append((label_text(trace.get("name")), values))
            continue
        horizontal = trace.get("orientation") == "h"
        labels = trace.get("y" if horizontal else "x") or []
        values = trace.get("x" if horizontal else "y") or []
        custom = trace.get("customdata") or []
        for i, (label, value) in enumerate(zip(labels, values, strict=False)):
            if not is_number(value):
                continue
            extra = custom[i] if i < len(custom) else None
            if horizontal and isinstance(extra, str):
                label = extra  # the plain name behind a bold tick label
            points.append((label_text(label), [value, *([extra] if is_number(extra) else [])]))
    return points


def mismatches(points, rows: list[list[str]]) -> list[str]:
    """Points whose label has no table row, or whose row shows none of the point's values."""
    by_label = {row[0]: [n for cell in row[1:] for n in numbers_in(cell)] for row in rows if row}
    problems = []
    for label, values in points:
        if label not in by_label:
            problems.append(f"{label!r}: no row")
        elif not any(abs(n - v) <= tol for v in values for n, tol in by_label[label]):
            problems.append(f"{label!r}: chart {values}, table {[n for n, _ in by_label[label]]}")
    return problems


def test_chart_table_check_catches_differences():
    """The comparison itself (no browser): a wrong, missing or rounded-away number is caught."""
    traces = [
        {"type": "bar", "x": ["2024-01-01", "2024-02-01"], "y": [1234, 56]},
        {"type": "scatter", "x": ["2024-02-01"], "y": [10.5], "customdata": [126]},
        {"type": "bar", "orientation": "h", "x": [2.94], "y": ["<b>Barnet</b>"]},
        {"type": "scatter", "fill": "toself", "name": "Burnt Oak", "text": "Burnt Oak: 1,001"},
    ]
    points = chart_points(traces)
    good = [
        ["January 2024", "1,234"],
        ["February 2024", "56", "126"],
        ["Barnet", "3", "2.9"],
        ["Burnt Oak", "1,001 (crimes)"],
    ]
    assert mismatches(points, good) == []
    bad = [["January 2024", "1,235"], ["Barnet", "3.0"], ["Burnt Oak", "1,000"]]
    # wrong, no row (two points), 2.94 shown as 3.0, wrong
    assert len(mismatches(points, bad)) == 5


def chart_table_problems(page, chart: str) -> list[str]:
    """Open the chart's "Show as table" and compare each drawn point with the table's row."""
    points = chart_points(harness.figure_data(page, f"{chart}-graph") or [])
    if not points:
        return [f"{chart}-graph drew no points"]
    page.locator(f"#{chart}-table-toggle").click()
    try:
        page.locator(f"#{chart}-table").wait_for(state="visible", timeout=5_000)
    except PlaywrightTimeout:
        return [f"#{chart}-table not shown after clicking #{chart}-table-toggle"]
    problems = mismatches(points, harness.table_rows(page, f"{chart}-table"))
    if not problems:
        return []
    return [f"{chart}: {len(problems)} of {len(points)} points differ from the table"] + [
        "    " + p for p in problems[:10]
    ]


@pytest.mark.parametrize("path", list(CHARTS))
def test_table_alternative_matches_chart(visit, page, path):
    visit(path)
    problems = [p for chart in CHARTS[path] for p in chart_table_problems(page, chart)]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ keyboard


def test_period_picker_and_nav_links_reachable_with_tab(visit, page):
    visit("/")
    nav = page.eval_on_selector_all("header a.nav-link", "links => links.map(a => a.href)")
    assert nav, "no nav links"
    reached_links, reached_picker = set(), False
    for _ in range(len(nav) + 15):
        page.keyboard.press("Tab")
        href, in_picker = page.evaluate(
            "() => [document.activeElement.href || null, document.activeElement.id === 'period-select']"
        )
        reached_links.add(href)
        reached_picker |= in_picker
    assert reached_picker, "Tab never reached the period picker"
    assert not set(nav) - reached_links, f"Tab never reached {sorted(set(nav) - reached_links)}"


def test_period_picker_works_from_keyboard(visit, page):
    """Arrow keys on the focused picker choose the next month, and the page follows."""
    visit("/")
    harness.pick_another_period(page)  # a month: the first option is each page's latest
    values, selected = harness.period_options(page)
    before = page.locator("#overview-summary").inner_text()
    page.locator("#period-select").focus()
    harness.watch_busy(page)
    page.keyboard.press("ArrowDown")  # the next option: the month before
    harness.wait_redrawn(page)
    expected = values[values.index(selected) + 1]
    assert harness.period_options(page)[1] == expected
    assert _month_words(expected) in page.locator("#overview-summary").inner_text() != before


def _rank_marker(page) -> dict | None:
    """The crime page's "you are here" dot on the London rank chart, as Plotly drew it."""
    return page.evaluate(
        """() => {
          const gd = document.querySelector('#crime-rank-graph .js-plotly-plot');
          const dot = (gd && gd._fullLayout.shapes || []).find((s) => s.type === 'circle');
          const paths = gd ? [...gd.querySelectorAll('.shapelayer path')] : [];
          const drawn = paths.filter((p) => {
            const box = p.getBBox();
            return !(p.getAttribute('d') || 'NaN').includes('NaN') && box.width > 0;
          }).length;
          const label = [...(gd ? gd.querySelectorAll('.annotation-text') : [])]
            .some((t) => / of 32$/.test(t.textContent));
          return dot ? {x: String(dot.xanchor).slice(0, 7), drawn: drawn, label: label} : null;
        }"""
    )


@pytest.mark.parametrize("query", ["", "?period=2024-06"])
def test_rank_chart_keeps_its_marker_after_a_period_change(visit, page, query):
    """The dot marking the chosen month on the London rank chart moves with the period (the
    address opened with or without a period, then the period changed twice)."""
    visit(f"/crime/burglary{query}")
    harness.wait_drawn(page)
    first = _rank_marker(page)
    assert first and first["drawn"] >= 1, first
    for offset in (3, 5):
        chosen = harness.pick_another_period(page, offset)
        after = _rank_marker(page)
        assert after == {"x": chosen, "drawn": first["drawn"], "label": True}, (first, after)


def test_sources_page_choices_work_from_keyboard(visit, page):
    """The Sources page's area and month are native <select>s starting at "Choose…": the arrow
    keys choose an area and a month and show where each count came from; back to "Choose…"
    clears the choice."""
    visit("/provenance")
    for picker in ("#provenance-dataset", "#provenance-area", "#provenance-month"):
        label = page.locator(f"label[for='{picker[1:]}']").inner_text()
        assert label in ("Dataset", "Area", "Month"), picker
    result = page.locator("#provenance-result")
    assert result.inner_text() == "Choose a dataset, an area and a month."
    page.locator("#provenance-area").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#provenance-month").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#provenance-table").wait_for()
    assert "categories" in result.inner_text()
    page.keyboard.press("ArrowUp")  # back to "Choose…"
    page.get_by_text("Choose a dataset, an area and a month.").wait_for()
