"""Comparator groups on the Targets page: a change that takes boroughs out of a group is asked
about first, every group change is in "Every change" (with the boroughs, so it can be undone),
and a shipped group can be restored as shipped."""

from __future__ import annotations

import flask
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from core import queries
from core.reference import OUTER_LONDON_CODES
from dashboard import targets as changes
from dashboard.auth.roles import User
from dashboard.pages import targets as page

OUTER = "Outer London"


@pytest.fixture
def manager(sqlite_engine, monkeypatch):
    """Page callbacks called in a request of the manager "max"."""
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    with webclient.the_app().server.test_request_context():
        flask.g.auth_user = User("max", "manager")
        yield sqlite_engine


def members(engine, name: str) -> set[str]:
    rows = queries.group_members(engine)
    return set(rows.loc[rows["group_name"] == name, "area_code"])


def test_deleting_a_group_is_asked_about_first(manager):
    shown, question, refresh, message = page.change_group(1, "delete", OUTER, [], 0)
    assert shown is True and question.startswith("Delete the group Outer London: 19 boroughs (")
    assert "Restore as shipped brings it back" in question
    assert members(manager, OUTER) == OUTER_LONDON_CODES  # nothing done yet
    page.confirmed_group(1, "delete", OUTER, [], 0)
    assert OUTER not in set(queries.comparator_groups(manager)["name"])


def test_taking_boroughs_out_is_asked_adding_them_is_not(manager):
    barnet, camden = "E09000003", "E09000007"
    assert page.change_group(1, "remove", OUTER, ["Barnet"], 0)[0] is True
    assert members(manager, OUTER) == OUTER_LONDON_CODES
    shown, _, refresh, _ = page.change_group(1, "add", OUTER, ["Camden"], 0)
    assert shown is False and refresh == 1 and camden in members(manager, OUTER)
    assert page.change_group(1, "set", "Pair", ["Barnet", "Camden"], 0)[0] is False  # new group
    assert members(manager, "Pair") == {barnet, camden}


def test_group_changes_are_in_every_change_and_a_shipped_group_comes_back(manager):
    page.confirmed_group(1, "delete", OUTER, [], 0)
    page.change_group(1, "restore", OUTER, [], 0)
    assert members(manager, OUTER) == OUTER_LONDON_CODES
    history = changes.history_table(manager)
    rows = history[history["Area"] == OUTER]
    assert rows["Change"].str.split(" the comparator group").str[0].tolist() == [
        "restored as shipped",
        "deleted",
    ]
    assert rows["Who"].tolist() == ["max", "max"]
    deleted = rows["Change"].iloc[1]
    assert "(19 boroughs before: Barking and Dagenham, Barnet, Bexley, Brent," in deleted


def test_only_a_shipped_group_is_restored(manager):
    with pytest.raises(changes.ChangeRefused, match="not a group the dashboard ships"):
        changes.change_group(manager, "restore", "Pair", [], "max")
