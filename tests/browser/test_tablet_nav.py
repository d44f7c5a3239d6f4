"""The navbar at a tablet's width (820 px): one row until "Menu" is pressed (keyboard or
pointer), then every page's link is there and opens its page; the button says whether the menu
is open. At a laptop's width the links show without a button."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1000}
ONE_ROW = 72  # px: the brand and the button (three rows of links took 136 px)


def nav_height(page) -> float:
    return page.evaluate(
        "() => document.querySelector('header nav').getBoundingClientRect().height"
    )


def visible_links(page) -> list[str]:
    return page.eval_on_selector_all(
        "header a.nav-link",
        "links => links.filter(a => a.offsetParent !== null).map(a => new URL(a.href).pathname)",
    )


def test_tablet_nav_is_one_row_until_the_menu_opens(page, visit):
    page.set_viewport_size(TABLET)
    visit("/")
    every = page.eval_on_selector_all(
        "header a.nav-link", "links => links.map(a => new URL(a.href).pathname)"
    )
    assert len(every) >= 12
    assert nav_height(page) <= ONE_ROW, f"nav is {nav_height(page):.0f} px high"
    assert visible_links(page) == []
    toggle = page.locator("#nav-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")  # a native button: the keyboard opens it
    page.wait_for_function(
        "() => document.querySelector('#nav-toggle').getAttribute('aria-expanded') === 'true'"
    )
    page.wait_for_timeout(400)  # Bootstrap's collapse animation
    assert visible_links(page) == every
    page.locator("header a.nav-link[href*='/wards']").click()
    page.wait_for_url(re.compile(r"/wards"))
    page.wait_for_function(
        "() => document.querySelector('#nav-toggle').getAttribute('aria-expanded') === 'false'"
    )


def test_laptop_nav_shows_the_links_without_a_button(page, visit):
    page.set_viewport_size({"width": 1280, "height": 800})
    visit("/")
    assert not page.locator("#nav-toggle").is_visible()
    assert len(visible_links(page)) >= 12
