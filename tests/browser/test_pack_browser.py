"""The Board pack page in a browser: a manager chooses a quarter and PDF by keyboard, watches the
build's progress and gets the file; axe finds nothing blocking on the page."""

from __future__ import annotations

import io

import harness
import pytest
from pypdf import PdfReader
from test_keyboard_and_roles import person, sign_in_by_keyboard, site, tab_to  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_manager_builds_and_downloads_the_pdf_by_keyboard(person, axe_available):  # noqa: F811
    page = person()
    sign_in_by_keyboard(page, "max", "/board-pack")
    assert harness.blocking_violations(page) == ""
    # offered first: the latest quarter the main crime data (the MPS borough file, to February
    # 2025) reaches the last month of: October-December 2024
    assert page.locator("#pack-quarter").input_value() == "2024/25-Q3"
    tab_to(page, "#pack-build")
    with page.expect_download(timeout=120_000) as download:
        page.keyboard.press("Enter")
        page.locator("#pack-progress").get_by_text("Building").wait_for()
    data = open(download.value.path(), "rb").read()
    assert download.value.suggested_filename.endswith(".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Neighbourhood crime (MOPAC7)" in text
    page.locator("#pack-status").get_by_text("Ready").wait_for()
