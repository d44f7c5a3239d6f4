"""The Exempt items page (/exempt) by keyboard alone: the manager tabs to the labelled Kind and
Name pickers, chooses the MPS dashboard offences, tabs to "Mark exempt" and presses Enter; a
viewer who saw the hate crime figures is then told they are not shown to this role (never that
they are not loaded), with no chart drawn from them. axe checks the page as the manager uses it.

Served from test_keyboard_and_roles' signed-in copy of the seeded database (its own, for this
module), with a viewer added.
"""

from __future__ import annotations

import harness
import pytest
from playwright.sync_api import expect
from test_keyboard_and_roles import person, sign_in_by_keyboard, site, tab_to  # noqa: F401
from test_upload_flow import PASSWORD

pytestmark = pytest.mark.browser

DATASET = "mps_dashboard_offences"


def choose_by_typing(page, select: str, text: str, value: str) -> None:
    """Focus a native <select> by Tab and pick an option by typing its first letters, as a
    keyboard user does; wait until it shows ``value``."""
    tab_to(page, select)
    page.keyboard.type(text)
    expect(page.locator(select)).to_have_value(value)


def test_the_manager_marks_a_dataset_exempt_by_keyboard_and_a_viewer_no_longer_sees_it(
    person,  # noqa: F811
    site,  # noqa: F811
    axe_available,
):
    from core import db
    from dashboard.auth import exempt
    from dashboard.auth.users import add_user

    engine = db.get_engine()  # the module's server's database (serving() points at it)
    add_user(engine, "vera", PASSWORD, "viewer")
    viewer = person()
    sign_in_by_keyboard(viewer, "vera", "/hate-crime")
    expect(viewer.locator("#hate-summary")).to_contain_text("the MPS recorded")
    try:
        manager = person()
        sign_in_by_keyboard(manager, "max", "/exempt")
        # every control named by its label
        expect(manager.get_by_label("Kind")).to_have_id("exempt-kind")
        expect(manager.get_by_label("Name")).to_have_id("exempt-name")
        assert harness.blocking_violations(manager) == ""
        choose_by_typing(manager, "#exempt-kind", "Dataset", "dataset")
        names = manager.locator(f"#exempt-name option[value='{DATASET}']")
        expect(names).to_have_count(1)  # the datasets' names, once the kind is chosen
        choose_by_typing(manager, "#exempt-name", "mps_dashboard_o", DATASET)
        tab_to(manager, "#exempt-add")
        manager.keyboard.press("Enter")
        message = manager.locator("#exempt-message")
        expect(message).to_contain_text(f"{DATASET} is now exempt")
        expect(manager.locator("#exempt-items-box")).to_contain_text(DATASET)
        assert harness.blocking_violations(manager) == ""

        viewer.goto("/hate-crime")
        harness.wait_drawn(viewer)
        summary = viewer.locator("#hate-summary")
        expect(summary).to_contain_text("are not shown to your role")
        assert "loaded" not in summary.inner_text()
        assert not harness.figure_data(viewer, "hate-trend-graph")
    finally:
        exempt.unmark(engine, "dataset", DATASET)
