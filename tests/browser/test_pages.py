"""Every page in the contract loads, draws, has no browser errors and passes axe."""

from __future__ import annotations

import harness
import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "overview-summary"),
    *[(f"/crime/{slug}", "crime-summary") for slug in harness.CRIME_SLUGS],
    ("/wards", "wards-summary"),
    (f"/ward/{harness.SAMPLE_WARD}", "ward-summary"),
]
BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page) -> None:
    violations = harness.without_known_library_issues(harness.run_axe(page))
    violations = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not violations, (
        f"axe: serious or critical violations on {page.url}:\n"
        + harness.describe_violations(violations)
    )


@pytest.mark.parametrize(("path", "summary_id"), PAGES, ids=[p for p, _ in PAGES])
def test_page_loads_and_is_accessible(visit, axe_available, path, summary_id):
    page = visit(path)
    summary = page.locator(f"#{summary_id}")
    assert summary.count() == 1, f"{path}: no #{summary_id}"
    assert summary.inner_text().strip(), f"{path}: #{summary_id} is empty"
    assert "not found" not in page.locator("main").inner_text().lower()
    assert_accessible(page)


def test_unknown_path_says_not_found(visit, axe_available):
    page = visit("/no-such-page")
    assert "not found" in page.locator("main").inner_text().lower()
    assert_accessible(page)


def test_unknown_ward_says_not_found(visit):
    page = visit("/ward/E05999999")
    assert "not found" in page.locator("main").inner_text().lower()
