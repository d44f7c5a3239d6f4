"""What the server answers beside the pages: no script it does not serve is a server error, and
no response carrying a user's name, CSRF token or figures may be kept by a cache."""

from __future__ import annotations

import pytest

import webclient


@pytest.fixture
def client(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.delenv("REQUIRE_LOGIN", raising=False)
    webclient.add_user(sqlite_engine, "vera", "viewer")
    client = webclient.the_app().server.test_client()
    assert webclient.sign_in(client, "vera").status_code == 302
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/dcc/nope.v1.js",
    ],
)
def test_a_script_dash_does_not_serve_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_per_user_answers_are_never_cached(client):
    client.get("/")
    for response in [
        client.get("/", headers={"Accept": "text/html"}),
        client.get("/_dash-layout"),
        client.get("/_dash-dependencies"),
        webclient.fire(client, webclient.output_key("overview-summary")),
    ]:
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_static_files_keep_their_own_caching(client):
    response = client.get("/assets/bootstrap.min.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
