"""At a tablet's width (820 px): the data history's log keeps file names and what each upload
changed readable, and "Details" brings the details into view."""

from __future__ import annotations

import harness
import pytest

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1000}

BOXES_JS = """
(selector) => [...document.querySelectorAll(selector)].map(e => {
  const box = e.getBoundingClientRect();
  return {width: box.width, height: box.height, text: e.textContent};
})
"""


def test_history_log_is_readable_on_a_tablet(page, visit):
    page.set_viewport_size(TABLET)
    visit("/history")
    page.wait_for_selector("#history-table")
    names = page.evaluate(BOXES_JS, "#history-table .history-file")
    assert names, "no file names in the log"
    for name in names:  # was one letter a line: 8 px wide, 40 lines high
        assert name["width"] >= 150 and name["height"] <= 4 * 24, name
    changed = page.evaluate(BOXES_JS, "#history-table .history-changed")
    assert all(box["width"] >= 250 for box in changed), changed


def test_details_come_into_view(page, visit):
    page.set_viewport_size(TABLET)
    visit("/history")
    page.locator("#history-table button:has-text('Details')").last.click()
    heading = page.locator("#history-detail h2")
    heading.wait_for()
    harness.wait_drawn(page)
    top = heading.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < TABLET["height"], f"the details open {top:.0f} px down"
