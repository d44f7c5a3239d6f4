"""Request bodies are limited by route and role before they are read: only the upload callback,
for the roles that may upload, takes files; anyone else's large body is refused unread."""

from __future__ import annotations

import base64
import io
import json
from types import SimpleNamespace

import pytest

import webclient

MB = 2**20


@pytest.fixture
def site(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.delenv("REQUIRE_LOGIN", raising=False)
    monkeypatch.delenv("MAX_REQUEST_KB", raising=False)
    for name, role in [("vera", "viewer"), ("anna", "analyst")]:
        webclient.add_user(sqlite_engine, name, role)
    return SimpleNamespace(server=webclient.the_app().server)


def signed_in(site, name):
    client = site.server.test_client()
    assert webclient.sign_in(client, name).status_code == 302
    client.get("/")
    return client


class Body(io.RawIOBase):
    """A request body of ``size`` bytes (a callback body, then padding) that counts what the
    server reads of it."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head, self.size, self.position, self.read_bytes = head, size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: 0, 1: self.position, 2: self.size}[whence] + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        count = max(min(len(buffer), self.size - self.position), 0)
        start = self.position
        buffer[:count] = (self.head[start : start + count] + b" " * count)[:count]
        self.position += count
        self.read_bytes += count
        return count


def post(client, output: str, size: int):
    head = json.dumps({"output": output}).encode()[:-1] + b', "inputs": ['
    body = Body(head, size)
    response = client.post(
        "/_dash-update-component",
        input_stream=body,
        content_length=size,
        content_type="application/json",
        headers={"X-CSRFToken": webclient.csrf(client)},
    )
    return response, body


@pytest.mark.parametrize("name", ["vera", "anna"])
def test_a_large_callback_body_is_refused_unread(site, name):
    client = signed_in(site, name)
    response, body = post(client, webclient.output_key("overview-summary"), 20 * MB)
    assert response.status_code == 413
    assert "at most 1.0 MB" in response.get_json()["error"]
    assert body.read_bytes <= 4096  # an analyst's body is looked at to see which callback


def test_a_viewers_large_upload_is_refused_without_reading_any_of_it(site):
    client = signed_in(site, "vera")
    response, body = post(client, webclient.output_key("upload-batch"), 20 * MB)
    assert response.status_code in (403, 413)
    assert body.read_bytes == 0


def test_a_signed_out_large_post_is_refused_unread(site, monkeypatch):
    monkeypatch.setenv("REQUIRE_LOGIN", "1")
    client = site.server.test_client()
    response, body = post(client, webclient.output_key("upload-batch"), 20 * MB)
    assert response.status_code in (401, 403, 413)
    assert body.read_bytes == 0
    form = Body(b"username=anna&password=", 20 * MB)
    response = client.post(
        "/login",
        input_stream=form,
        content_length=20 * MB,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413 and form.read_bytes == 0


def test_an_analysts_upload_may_be_large(site, monkeypatch):
    client = signed_in(site, "anna")
    csv = b"area,count\n" + b"Barnet,1\n" * (MB // 8)  # about 1.1 MB, 1.5 MB as base64
    contents = "data:text/csv;base64," + base64.b64encode(csv).decode()
    key = webclient.output_key("upload-batch")
    entry = webclient.callback_map()[key]
    inputs = [{**entry["inputs"][0], "value": [contents]}]
    state = [{**entry["state"][0], "value": ["big.csv"]}]
    body = json.dumps(webclient.callback_body(key, inputs, state))  # "output" first, as Dash's
    response = client.post(  # renderer writes it (the test client's json= sorts the keys)
        "/_dash-update-component",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": webclient.csrf(client)},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert len(response.get_json()["response"]["upload-batch"]["data"]) == 1
