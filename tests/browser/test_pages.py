"""Every page in the contract loads, draws, has no browser errors and passes axe."""

from __future__ import annotations

import harness
import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "overview-summary"),
    *[(f"/crime/{slug}", "crime-summary") for slug in harness.CRIME_SLUGS],
    ("/wards", "wards-summary"),
    ("/asb", "asb-summary"),
    ("/domestic-abuse", "da-summary"),
    (f"/ward/{harness.SAMPLE_WARD}", "ward-summary"),
    ("/accessibility", "accessibility-statement"),
]


def assert_accessible(page) -> None:
    problems = harness.blocking_violations(page)
    assert not problems, problems


@pytest.mark.parametrize(("path", "summary_id"), PAGES, ids=[p for p, _ in PAGES])
def test_page_loads_and_is_accessible(visit, axe_available, path, summary_id):
    page = visit(path)
    summary = page.locator(f"#{summary_id}")
    assert summary.count() == 1, f"{path}: no #{summary_id}"
    assert summary.inner_text().strip(), f"{path}: #{summary_id} is empty"
    assert "not found" not in page.locator("main").inner_text().lower()
    statement = page.locator("footer").get_by_role("link", name="Accessibility statement")
    assert statement.get_attribute("href") == "/accessibility"
    assert_accessible(page)


def test_unknown_path_says_not_found(page, browser_errors, axe_available):
    response = page.goto("/no-such-page")
    assert response.status == 404  # the address itself answers 404 (and the page says so)
    harness.wait_drawn(page)
    # Chromium reports the document's own 404 as a console error: expected here, nothing else
    expected = [e for e in browser_errors if "status of 404" in e and "/no-such-page)" in e]
    assert len(expected) == 1, browser_errors
    browser_errors.remove(expected[0])
    assert not browser_errors, browser_errors
    assert "not found" in page.locator("main").inner_text().lower()
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/ward/E05999999", "/crime/no-such-type"])
def test_unknown_ward_or_crime_type_says_not_found(page, browser_errors, path):
    response = page.goto(path)
    assert response.status == 404  # the address answers 404, and the page says so
    harness.wait_drawn(page)
    expected = [e for e in browser_errors if "status of 404" in e and f"{path})" in e]
    assert len(expected) == 1, browser_errors
    browser_errors.remove(expected[0])
    assert not browser_errors, browser_errors
    assert "not found" in page.locator("main").inner_text().lower()


def test_every_other_nav_page_loads_and_is_accessible(visit, page, axe_available):
    """Pages added after the contract (upload, history, ...) get the same checks via the navbar."""
    visit("/")
    contract = {path for path, _ in PAGES} | {"/crime/"}
    hrefs = page.eval_on_selector_all(
        "header a.nav-link", "links => links.map(a => new URL(a.href).pathname)"
    )
    others = [h for h in dict.fromkeys(hrefs) if h not in contract and not h.startswith("/crime/")]
    problems = []
    for path in others:
        visit(path)
        if "not found" in page.locator("main").inner_text().lower():
            problems.append(f"{path}: says not found")
        problems.append(harness.blocking_violations(page))
    assert not any(problems), f"checked {others}:\n" + "\n".join(p for p in problems if p)
