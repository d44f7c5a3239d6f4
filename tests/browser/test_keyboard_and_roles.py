"""The signed-in views: axe on every page as a manager sees it (an upload report showing, a
chart's table open), and the whole journey by keyboard alone: overview -> a ward's page ->
another period -> a chart's table -> (analyst) upload, read the preview, confirm -> (manager)
revert. No clicks: only Tab, Shift+Tab, Enter, Space and the arrow keys (and typing into
fields); each step asserts what it shows.

The seeded session database is copied and given users (so sign-in is on) and served on its own.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import harness
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_upload_flow import PASSWORD, revised_barnet_file

pytestmark = pytest.mark.browser

BAD_FILE = b"MajorText,MinorText,BoroughName,202401\nBURGLARY,BURGLARY - RESIDENTIAL,Barnet,-4\n"


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory) -> Iterator[str]:
    """The seeded database with an analyst and a manager, served on its own; its URL."""
    from core import db
    from dashboard.auth.users import add_user

    folder = tmp_path_factory.mktemp("signed-in")
    path = folder / "signed-in.db"
    # SQLite's backup copies what is committed, write-ahead log included (a file copy may not)
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as source:
        with sqlite3.connect(path) as target:
            source.backup(target)
    url = f"sqlite:///{path}"
    for name, role in [("anna", "analyst"), ("max", "manager")]:
        add_user(db.get_engine(url), name, PASSWORD, role)
    previous = os.environ.get("PENDING_DIR")
    os.environ["PENDING_DIR"] = str(folder / "pending")
    try:
        with harness.serving(url) as base:
            yield base
    finally:
        if previous is None:
            os.environ.pop("PENDING_DIR", None)
        else:
            os.environ["PENDING_DIR"] = previous


@pytest.fixture
def person(browser, site):
    """A new page in its own context (one person) on this module's server; browser errors
    fail the test."""
    errors: list[str] = []
    contexts = []

    def new_page():
        context = browser.new_context(base_url=site)
        harness.block_outside_requests(context)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert not errors, "browser errors:\n" + "\n".join(errors)


def tab_to(page, what, key: str = "Tab", limit: int = 200) -> None:
    """Press ``key`` until the focused element matches ``what``: a CSS selector, or a
    Playwright locator (for the element it finds first)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if isinstance(what, str):
            reached = page.evaluate("(s) => !!document.activeElement?.matches(s)", what)
        else:
            reached = what.first.evaluate("(el) => el === document.activeElement")
        if reached:
            return
    raise AssertionError(f"{key} pressed {limit} times never reached {what} on {page.url}")


def press_and_wait(page, key: str, path: str) -> None:
    """Press ``key`` on the focused link or button and wait for a page whose path matches
    the pattern ``path`` to be drawn."""
    page.keyboard.press(key)
    page.wait_for_url(lambda url: re.fullmatch(path, urlparse(url).path) is not None)
    harness.wait_drawn(page)


def open_file_chooser_by_keyboard(page, tries: int = 3):
    """Press Enter on the focused file input until the browser's file chooser opens.

    Headless Chromium now and then drops the first activation while Dash is still
    settling the upload widget; a person would press again, so the test does too."""
    for attempt in range(tries):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Enter")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 60)")
            assert focused.startswith('<input accept="'), f"focus moved to {focused}"


def sign_in_by_keyboard(page, name: str, then: str) -> None:
    page.goto(then)
    assert "/login" in page.url
    tab_to(page, "#signin-name")
    page.keyboard.type(name)
    tab_to(page, "#signin-password")
    page.keyboard.type(PASSWORD)
    press_and_wait(page, "Enter", then)


def test_every_page_signed_in_as_a_manager_passes_axe(person, axe_available):
    """Each navbar page with its first chart's table open, and the upload page showing a
    rejected file's report."""
    page = person()
    sign_in_by_keyboard(page, "max", "/")
    paths = page.eval_on_selector_all(
        "header a.nav-link", "links => links.map(a => new URL(a.href).pathname)"
    )
    problems = []
    for path in [*dict.fromkeys(paths), f"/ward/{harness.SAMPLE_WARD}", "/accessibility"]:
        page.goto(path)
        harness.wait_drawn(page)
        tables = page.locator("details:has(summary[id$='-table-toggle']):has(table)")
        if tables.count():
            tables.first.locator("summary").click()
            tables.first.locator("table").wait_for()
        problems.append(harness.blocking_violations(page))
    page.goto("/upload")
    harness.wait_drawn(page)
    page.locator("#upload-files input[type=file]").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD_FILE}]
    )
    page.locator("#upload-file-0").get_by_text("Rejected").wait_for()
    problems.append(harness.blocking_violations(page))
    assert not any(problems), "\n".join(p for p in problems if p)


def test_the_pages_anyone_can_open_signed_out_pass_axe(person, axe_available):
    """The sign-in form and the accessibility statement (public, as the regulations ask), as
    someone not signed in sees them."""
    page = person()
    problems = []
    for path, heading in [("/login", "community safety"), ("/accessibility", "Accessibility")]:
        page.goto(path)
        assert urlparse(page.url).path == path
        expect(page.locator("h1")).to_contain_text(heading)
        problems.append(harness.blocking_violations(page))
    assert not any(problems), "\n".join(p for p in problems if p)


def test_the_whole_journey_by_keyboard(person, tmp_path: Path):
    data, new_total = revised_barnet_file()
    upload = tmp_path / "barnet-revised.csv"
    upload.write_bytes(data)

    # overview -> Wards (navbar) -> a ward's page (the wards table's link)
    page = person()
    sign_in_by_keyboard(page, "anna", "/")
    assert page.locator("#overview-summary").inner_text().startswith("In the 12 months to")
    tab_to(page, "header a.nav-link[href*='/wards']")
    press_and_wait(page, "Enter", "/wards")
    tab_to(page, "#wards-table-wrap a[href^='/ward/']")
    ward = page.evaluate("() => document.activeElement.textContent")
    press_and_wait(page, "Enter", "/ward/.+")
    assert ward in page.locator("h1").inner_text()

    # another period: Shift+Tab back to the picker, the arrow key chooses the month before
    summary = page.locator("#ward-summary").inner_text()
    values, selected = harness.period_options(page)
    tab_to(page, "#period-select", key="Shift+Tab")
    harness.watch_busy(page)
    page.keyboard.press("ArrowDown")
    harness.wait_redrawn(page)
    chosen = values[values.index(selected) + 1]
    assert harness.period_options(page)[1] == chosen
    assert page.locator("#ward-summary").inner_text() != summary

    # a chart's table: its "Show as table" opens with Enter
    tab_to(page, "#ward-trend-table-toggle")
    page.keyboard.press("Enter")
    page.locator("#ward-trend-table").wait_for(state="visible")
    assert harness.table_rows(page, "ward-trend-table")[0][0]

    # upload (analyst): choose the file, read the preview, confirm
    tab_to(page, "header a.nav-link[href*='/upload']", key="Shift+Tab")
    press_and_wait(page, "Enter", "/upload")
    tab_to(page, "#upload-files, #upload-files *")
    outline = page.eval_on_selector(".upload-drop", "(z) => getComputedStyle(z).outlineStyle")
    assert outline == "solid", "the focused drop zone shows no focus outline"
    harness.wait_drawn(page, quiet_ms=500)
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 60)")
    assert focused.startswith('<input accept="'), f"focus moved to {focused}"
    open_file_chooser_by_keyboard(page).set_files(str(upload))
    card = page.locator("#upload-file-0")
    card.get_by_text("Ready to load").wait_for(timeout=30_000)
    barnet = next(r for r in harness.table_rows(page, "upload-changes-0") if r[1] == "Barnet")
    old, new = (int(x.replace(",", "")) for x in barnet[5].split(" → "))
    assert (new - old, new) == (100, new_total)
    tab_to(page, "#upload-confirm")
    page.keyboard.press("Enter")
    card.get_by_text("Loaded.", exact=True).wait_for(timeout=30_000)

    # revert (manager): the upload's Revert button, then the question's confirm button
    manager = person()
    sign_in_by_keyboard(manager, "max", "/history")
    row = manager.locator("#history-table tr", has_text="barnet-revised.csv").first
    tab_to(manager, row.get_by_role("button", name="Revert"))
    manager.keyboard.press("Enter")
    manager.locator("#history-revert-modal").wait_for(state="visible")
    tab_to(manager, "#history-revert-confirm")
    manager.keyboard.press("Enter")
    manager.locator("#history-message").get_by_text("Reverted upload").wait_for()
    expect(row).to_contain_text("reverted")


def test_a_manager_sets_and_clears_a_target_by_keyboard(person):
    """Targets page: indicator, kind (arrow keys in the radio group), value, Set; the overview
    card then names the target and is Green; Clear puts the default back."""
    page = person()
    sign_in_by_keyboard(page, "max", "/targets")
    tab_to(page, "#targets-indicator")
    page.keyboard.type("Criminal")
    assert page.eval_on_selector("#targets-indicator", "s => s.value") == "Criminal damage"
    tab_to(page, "#targets-kind input:checked")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#targets-kind input:checked", "r => r.value") == "absolute"
    tab_to(page, "#targets-value")
    page.keyboard.press("Control+A")
    page.keyboard.type("1000000")
    tab_to(page, "#targets-set")
    page.keyboard.press("Enter")
    page.locator("#targets-message").get_by_text("Set: Criminal damage").wait_for()
    page.locator("#targets-table").get_by_text("1,000,000 or fewer").wait_for()

    page.goto("/")
    harness.wait_drawn(page)
    card = page.locator("#overview-card-criminal-damage")
    expect(card).to_contain_text("target: 1,000,000 or fewer in 12 months")
    expect(card).to_contain_text("Green")

    page.goto("/targets")
    harness.wait_drawn(page)
    tab_to(page, "#targets-indicator")
    page.keyboard.type("Criminal")
    tab_to(page, "#targets-clear")
    page.keyboard.press("Enter")
    page.locator("#targets-message").get_by_text("Cleared the target").wait_for()
    page.locator("#targets-history").get_by_text("cleared the target").wait_for()


def test_the_manager_writes_the_commentary_and_an_action_an_analyst_reads_them(person):
    """Prevent page: the manager saves the officer's words (markdown, shown as text) and adds an
    action already past its date; an analyst not permitted to write reads both, with no forms."""
    page = person()
    sign_in_by_keyboard(page, "max", "/prevent")
    page.locator("#notes-text").fill("Training is **behind**.\n\n- two more sessions\n- <b>x</b>")
    page.locator("#notes-save").click()
    page.locator("#notes-message").get_by_text("Saved the commentary on Prevent").wait_for()
    commentary = page.locator("#notes-commentary")
    expect(commentary.locator("strong")).to_have_text("behind")
    expect(commentary.locator("li")).to_have_count(2)
    expect(commentary.locator("b")).to_have_count(0)  # raw HTML is shown as text, never run
    page.locator("#notes-strand").select_option("Prevention")
    page.locator("#notes-action").fill("Train every school's staff")
    page.locator("#notes-lead").fill("Prevent coordinator")
    page.locator("#notes-due").fill("2020-03-31")
    page.locator("#notes-action-save").click()
    page.locator("#notes-action-message").get_by_text("Added action 1").wait_for()
    expect(page.locator("#notes-actions-table")).to_contain_text("Not started — OVERDUE")

    reader = person()
    sign_in_by_keyboard(reader, "anna", "/prevent")
    expect(reader.locator("#notes-commentary strong")).to_have_text("behind")
    expect(reader.locator("#notes-actions-table")).to_contain_text("Train every school's staff")
    expect(reader.locator("#notes-text")).to_have_count(0)
    expect(reader.locator("#notes-action-save")).to_have_count(0)
