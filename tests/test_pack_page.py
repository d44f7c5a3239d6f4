"""The Board pack page over HTTP: a manager starts a build, polls its progress and gets the file;
viewers and analysts are refused (the guard answers 403 before the callback runs)."""

from __future__ import annotations

import base64
import io
import time

import flask
import pytest
from openpyxl import load_workbook

import webclient
from dashboard.auth.roles import User
from etl.load import load_path
from fixtures.extracts import BOROUGH_RECENT, ONS_POPULATION
from layout_tree import find
from layout_tree import text as layout_text

START, POLL = "pack-token", "pack-download"


@pytest.fixture
def served(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    for path in (BOROUGH_RECENT, ONS_POPULATION):
        assert load_path(path, sqlite_engine, user="test").status == "loaded"
    for name, role in (
        ("max", "manager"),
        ("meg", "manager"),
        ("anna", "analyst"),
        ("vic", "viewer"),
    ):
        webclient.add_user(sqlite_engine, name, role)
    return sqlite_engine


def signed_in(name: str):
    client = webclient.the_app().server.test_client()
    assert webclient.sign_in(client, name).status_code == 302
    return client


def start(client, quarter="2024/25-Q3", fmt="xlsx", with_exempt=False):
    inputs = [{"id": "pack-build", "property": "n_clicks", "value": 1}]
    state = [
        {"id": "pack-quarter", "property": "value", "value": quarter},
        {"id": "pack-format", "property": "value", "value": fmt},
        {"id": "pack-exempt", "property": "value", "value": with_exempt},
    ]
    return webclient.fire(client, webclient.output_key(START), inputs, state)


def poll(client, token):
    inputs = [{"id": "pack-poll", "property": "n_intervals", "value": 1}]
    state = [{"id": "pack-token", "property": "data", "value": token}]
    return webclient.fire(client, webclient.output_key(POLL), inputs, state)


def test_a_manager_builds_the_pack_and_downloads_it(served):
    client = signed_in("max")
    response = start(client)
    assert response.status_code == 200, response.get_data(as_text=True)
    token = response.json["response"]["pack-token"]["data"]
    deadline = time.monotonic() + 120
    while True:
        answer = poll(client, token).json["response"]
        if "pack-download" in answer:
            break
        assert "Building" in str(answer["pack-status"]["children"])
        assert time.monotonic() < deadline
        time.sleep(0.2)
    sent = answer["pack-download"]["data"]
    assert sent["filename"] == "board-pack-2024-25-Q3.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    assert book.sheetnames[:2] == ["Indicators", "Neighbourhood crime"]
    # another manager cannot fetch it with the token
    other = poll(signed_in("meg"), token).json["response"]
    assert "pack-download" not in other
    assert other["pack-status"]["children"] == "That pack is not available."


@pytest.mark.parametrize("name", ["vic", "anna"])
def test_viewers_and_analysts_are_refused(served, name):
    assert start(signed_in(name)).status_code == 403


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_the_page_tells_others_it_needs_the_manager_role(served, role):
    from dashboard.pages import pack

    with webclient.the_app().server.test_request_context("/board-pack"):
        flask.g.auth_user = User("someone", role)
        shown = layout_text(pack.layout())
    assert "needs the manager role" in shown
    assert "Build the pack" not in shown


def test_the_page_offers_the_complete_quarters_newest_first(served):
    from dashboard.pages import pack

    with webclient.the_app().server.test_request_context("/board-pack"):
        flask.g.auth_user = User("max", "manager")
        page = pack.layout()
    picker = find(page, "pack-quarter")
    # borough crime runs to February 2025: the latest complete quarter ends in December 2024
    assert picker.value == "2024/25-Q3"
    assert [o["value"] for o in picker.options[:2]] == ["2024/25-Q3", "2024/25-Q2"]
