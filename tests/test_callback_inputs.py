"""Callback inputs are checked for type in one place: a list or an object where a page sends
a string, a count or a plain value is answered 400, never a server error."""

from __future__ import annotations

import logging

import pytest

import webclient
from dashboard.auth import inputs

WRONG = [["x"], {"a": 1}, [[1]], [{"a": 1}]]


@pytest.fixture
def client(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.delenv("REQUIRE_LOGIN", raising=False)
    webclient.add_user(sqlite_engine, "max", "manager")
    client = webclient.the_app().server.test_client()
    assert webclient.sign_in(client, "max").status_code == 302
    client.get("/")
    return client


def _cases():
    """(output key, 'inputs' or 'state', position) of every plain input and state."""
    for key, entry in webclient.callback_map().items():
        if entry.get("callback") is None:
            continue
        for part in ("inputs", "state"):
            for position, item in enumerate(entry.get(part, [])):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    yield key, part, position


def test_no_callback_fails_on_a_value_of_the_wrong_kind(client, caplog):
    caplog.set_level(logging.CRITICAL)
    failures = []
    for key, part, position in _cases():
        entry = webclient.callback_map()[key]
        for wrong in WRONG:
            body = {
                p: [{**i, "value": None} for i in entry.get(p, [])] for p in ("inputs", "state")
            }
            body[part][position]["value"] = wrong
            response = webclient.fire(client, key, body["inputs"], body["state"])
            if response.status_code >= 500:
                item = entry[part][position]
                failures.append((item["id"], item["property"], wrong))
    assert failures == [], "\n".join(map(str, failures))


def test_a_list_where_the_period_is_text_is_answered_400(client):
    key = webclient.output_key("_pages_content")
    entry = webclient.callback_map()[key]
    body = [{**i, "value": ["/"] if i["property"] == "pathname" else None} for i in entry["inputs"]]
    response = webclient.fire(client, key, body)
    assert response.status_code == 400
    assert "pathname is not the kind of value it holds" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (inputs.TEXT, ["", "2025-02", None], [["2025-02"], {"a": "b"}, 3]),
        (inputs.COUNT, [0, 3, None], [True, "3", 1.5, [1]]),
        (inputs.SCALAR, ["burglary", 2, 1.5, False, None], [["burglary"], {"a": 1}]),
        (inputs.SCALARS, [[], ["E09000003", 2], None], ["E09000003", [["x"]], [{"a": 1}]]),
        (inputs.FILES, ["data:,", ["data:,", "data:,"], None], [[1], {"a": 1}, [["x"]]]),
    ],
)
def test_each_kind(kind, good, bad):
    assert all(kind(v) for v in good)
    assert not any(kind(v) for v in bad)
