"""Browser fixtures: one seeded database, one app server and one Chromium for the whole session.

The database is seeded once with the real extracts in data/seed (about 15 s), the app is served
from a thread on 127.0.0.1, and each test gets a fresh browser context whose console errors and
page errors fail the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import harness
import pytest


def _require(path: Path, how: str) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: {how}", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, headless, with no network look-ups (never `playwright install`)."""
    _require(Path(harness.CHROMIUM), "install the Debian package chromium (scripts/test.sh does)")
    return {**browser_type_launch_args, **harness.launch_args()}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A SQLite database with every seed file loaded, shared by the session."""
    return harness.seed_database(tmp_path_factory.mktemp("browser-db"))


@pytest.fixture(scope="session")
def base_url(database_url: str) -> Iterator[str]:
    """The dashboard served from a thread (pytest-playwright resolves page.goto paths on it)."""
    with harness.serving(database_url) as url:
        yield url


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors and uncaught page errors seen by this test's page."""
    return []


@pytest.fixture
def page(context, browser_errors: list[str]) -> Iterator:
    """A page whose console errors and page errors fail the test (checked again at teardown)."""
    harness.block_outside_requests(context)
    page = context.new_page()

    def on_console(message) -> None:
        if message.type == "error":
            location = message.location or {}
            browser_errors.append(f"console: {message.text} ({location.get('url', '?')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_errors.append(f"page error: {error}"))
    yield page
    if browser_errors:
        pytest.fail("browser errors:\n" + "\n".join(browser_errors), pytrace=False)


@pytest.fixture
def visit(page, browser_errors: list[str]) -> Callable[[str], object]:
    """Go to a path, wait until every chart is drawn, and fail on any browser error so far."""

    def go(path: str):
        page.goto(path)
        harness.wait_drawn(page)
        assert not browser_errors, "browser errors on " + path + ":\n" + "\n".join(browser_errors)
        return page

    return go


@pytest.fixture(scope="session")
def axe_available() -> None:
    _require(harness.AXE_JS, "run `npm ci` in the project folder (scripts/test.sh does)")
