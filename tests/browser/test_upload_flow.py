"""Upload in the browser: sign in, drop a real file, see the preview, confirm, see the figure
change and where it came from; a rejected file shows its report and changes nothing; a manager
reverts the upload and the figure comes back.

These tests serve their own database (with users, so sign-in is on) from their own server, so
the session's open, seeded dashboard that the other browser tests use is not touched.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Iterator

import harness
import pandas as pd
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
BARNET = "E09000003"
XSS = "<img src=x onerror=alert(1)>"


def revised_barnet_file() -> tuple[bytes, int]:
    """Barnet's rows of the real borough file for its latest month, burglary raised by 100."""
    with gzip.open(harness.SEED_DIR / "mps-borough-recent.csv.gz", "rt", encoding="utf-8") as f:
        frame = pd.read_csv(f)
    latest = frame.columns[-1]
    rows = frame.loc[
        frame["BoroughName"] == "Barnet", ["MajorText", "MinorText", "BoroughName", latest]
    ].copy()
    burglary = rows.index[rows["MajorText"].str.upper() == "BURGLARY"][0]
    rows.loc[burglary, latest] += 100
    return rows.to_csv(index=False).encode(), int(rows[latest].sum())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    """A database with the real recent borough file and three users, served on its own."""
    from core import db
    from dashboard.auth.users import add_user
    from etl.load import load_path

    folder = tmp_path_factory.mktemp("upload-flow")
    url = f"sqlite:///{folder / 'upload.db'}"
    engine = db.get_engine(url)
    load_path(harness.SEED_DIR / "mps-borough-recent.csv.gz", engine, user="seed")
    for name, role in [("vera", "viewer"), ("anna", "analyst"), ("max", "manager")]:
        add_user(engine, name, PASSWORD, role)
    previous = os.environ.get("PENDING_DIR")
    os.environ["PENDING_DIR"] = str(folder / "pending")
    try:
        with harness.serving(url) as base:
            yield {"url": base, "engine": engine}
    finally:
        if previous is None:
            os.environ.pop("PENDING_DIR", None)
        else:
            os.environ["PENDING_DIR"] = previous


@pytest.fixture
def open_page(browser, site):
    """A page in a fresh context (its own cookies: one person) on this module's server;
    browser errors, and any alert() a file's text might smuggle in, fail the test."""
    errors: list[str] = []
    contexts = []

    def new_page():
        context = browser.new_context(base_url=site["url"], accept_downloads=True)
        harness.serve_cdn_locally(context)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert not errors, "browser errors:\n" + "\n".join(errors)


def sign_in(page, name: str, then: str) -> None:
    page.goto(then)
    assert "/login" in page.url  # every page needs sign-in once users exist
    page.fill("#signin-name", name)
    page.fill("#signin-password", PASSWORD)
    page.click("#signin-submit")
    page.wait_for_url(re.compile(re.escape(then) + "$"))
    harness.wait_drawn(page)


def drop(page, name: str, data: bytes) -> None:
    page.locator("#upload-files input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def assert_accessible(page) -> None:
    problems = harness.blocking_violations(page)
    assert not problems, problems


def burglary_r12(page) -> int:
    page.goto("/")
    harness.wait_drawn(page)
    text = page.locator("#overview-card-burglary .fs-3").inner_text()
    return int(text.replace(",", ""))


def test_upload_preview_confirm_and_provenance(open_page, site):
    from fixtures.extracts import table_counts

    page = open_page()
    sign_in(page, "anna", "/upload")
    before = burglary_r12(page)
    data, new_total = revised_barnet_file()

    page.goto("/upload")
    harness.wait_drawn(page)
    drop(page, "barnet-revised.csv", data)
    card = page.locator("#upload-file-0")
    card.get_by_text("Ready to load").wait_for()
    assert "MPS borough level crime" in card.inner_text()  # the layout, named
    changes = harness.table_rows(page, "upload-changes-0")
    barnet = next(r for r in changes if r[1] == "Barnet")
    old, new = (int(x.replace(",", "")) for x in barnet[5].split(" → "))
    assert (new - old, new) == (100, new_total)
    assert_accessible(page)
    counts = table_counts(site["engine"])  # nothing written before Confirm

    page.click("#upload-confirm")
    card.get_by_text("Loaded.", exact=True).wait_for(timeout=30_000)
    assert table_counts(site["engine"]) != counts
    card.get_by_role("link", name="Overview").click()
    harness.wait_drawn(page)
    assert burglary_r12(page) == before + 100

    month = pd.read_csv(io.BytesIO(data)).columns[-1]
    page.goto(f"/provenance?dataset=borough_crime&area={BARNET}&month={month[:4]}-{month[4:]}")
    page.locator("#provenance-table").wait_for()
    rows = harness.table_rows(page, "provenance-table")
    assert any("barnet-revised.csv" in r for r in rows[1:])
    assert_accessible(page)


def test_a_rejected_file_shows_its_report_and_changes_nothing(open_page, site):
    from fixtures.extracts import table_counts

    page = open_page()
    sign_in(page, "anna", "/upload")
    before = table_counts(site["engine"])
    bad = f"MajorText,MinorText,BoroughName,202401\nBURGLARY,BURGLARY - RESIDENTIAL,{XSS},-4\n"
    drop(page, "bad.csv", bad.encode())
    card = page.locator("#upload-file-0")
    card.get_by_text("Rejected").wait_for()
    rows = harness.table_rows(page, "upload-problems-0")
    assert rows[0] == ["Sheet", "Row", "Column", "Kind", "Problem", "Value"]
    assert any(r[-1] == XSS for r in rows[1:])  # shown as text, never run
    assert page.locator("#upload-problems-0 img").count() == 0
    assert page.locator("#upload-confirm").is_disabled()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("#upload-report")
    report = download.value.path().read_text()
    assert "negative" in report.lower() and "bad.csv" in report
    assert table_counts(site["engine"]) == before


def test_a_viewer_cannot_upload_and_a_manager_can_revert(open_page, site):
    viewer = open_page()
    sign_in(viewer, "vera", "/upload")
    assert "needs the analyst role" in viewer.locator("main").inner_text()
    viewer.click("#user-menu-signout")
    viewer.wait_for_url(re.compile(r"/login\?signed_out=1$"))
    assert "You have signed out." in viewer.locator("#signin-message").inner_text()
    viewer.goto("/history")
    assert "/login" in viewer.url

    page = open_page()
    sign_in(page, "max", "/history")
    before = burglary_r12(page)
    page.goto("/history")
    harness.wait_drawn(page)
    assert_accessible(page)
    row = page.locator("#history-table tr", has_text="barnet-revised.csv").first
    row.get_by_role("button", name="Revert").click()
    page.locator("#history-revert-confirm").click()
    page.locator("#history-message").get_by_text("Reverted upload").wait_for()
    row = page.locator("#history-table tr", has_text="barnet-revised.csv").first
    expect(row).to_contain_text("reverted")
    assert burglary_r12(page) == before - 100


def test_a_check_shows_its_progress_can_be_cancelled_and_survives_a_reload(
    open_page, site, monkeypatch, tmp_path, forked_jobs
):
    """The check runs in the background: the page says each step, the drop zone waits and
    Cancel stops it ("Cancelled."); a page reloaded mid-check shows the file's state from its
    record and follows it until it is checked."""
    import time

    import etl.preview

    release, real = tmp_path / "release", etl.preview.preview_bytes

    def held(*args, **kwargs):  # the job (a process forked from this one) waits for the test
        deadline = time.monotonic() + 60
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(etl.preview, "preview_bytes", held)
    data, _ = revised_barnet_file()
    page = open_page()
    sign_in(page, "anna", "/upload")
    drop(page, "first.csv", data)
    progress = page.locator("#upload-progress")
    expect(progress).to_contain_text("Checking first.csv: reading and checking the file")
    expect(page.locator("#upload-files input[type=file]")).to_be_disabled()
    page.click("#upload-cancel")
    card = page.locator("#upload-file-0")
    expect(card).to_contain_text("Cancelled.")
    expect(card).to_contain_text("You cancelled checking this file, so nothing was written.")
    expect(progress).to_be_hidden()
    expect(page.locator("#upload-files input[type=file]")).to_be_enabled()

    drop(page, "second.csv", data)
    expect(progress).to_contain_text("Checking second.csv")
    page.reload()
    harness.wait_drawn(page)
    card = page.locator("#upload-file-0")
    expect(card).to_contain_text("second.csv")
    expect(card).to_contain_text("reading and checking the file")  # from the record
    release.touch()
    card.get_by_text("Ready to load").wait_for(timeout=30_000)
