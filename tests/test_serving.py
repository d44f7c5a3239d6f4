"""The production command for real: gunicorn on a free port, more than one process, one database.

Slow (each server imports the whole app, a few seconds): two tests, SQLite only.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests
from dash._utils import split_callback_id
from sqlalchemy import create_engine

import webclient
from core import config, db
from test_load import FILE_A

pytestmark = pytest.mark.skipif(
    not os.path.exists(os.path.join(os.path.dirname(sys.executable), "gunicorn")),
    reason="gunicorn is not installed in this virtualenv (pip install -r requirements.txt)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def production_server(env: dict[str, str], workers: int, log) -> Iterator[str]:
    """``python -m dashboard.serving`` (what scripts/serve.sh runs) until /healthz answers."""
    with production_servers([(env, workers, log)]) as (base,):
        yield base


@contextlib.contextmanager
def production_servers(servers: list[tuple[dict[str, str], int, object]]) -> Iterator[list[str]]:
    """Several production servers (settings, workers, log), started at once, until each
    answers /healthz; their addresses."""
    started = []
    for env, workers, log in servers:
        port = free_port()
        settings = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(port)}
        settings.update(WORKERS=str(workers), THREADS="2", WARM_MONTHS="0")
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard.serving"],
            cwd=config.PROJECT_ROOT,
            env=settings,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, f"http://127.0.0.1:{port}"))
    try:
        for process, base in started:
            _wait_for_health(process, base)
        yield [base for _, base in started]
    finally:
        for process, _ in started:
            process.send_signal(signal.SIGTERM)  # the gunicorn master: it stops its workers
        for process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_health(process: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 240
    while True:
        assert process.poll() is None, "the server stopped; see its log"
        # the socket is open before a worker has imported the app: wait for its answer
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(f"{base}/healthz", timeout=60).status_code == 200:
                return
        assert time.monotonic() < deadline, "no answer from /healthz in 240 s"
        time.sleep(0.3)


@pytest.fixture
def deployment(tmp_path):
    """Settings of a small deployment: one SQLite file, one pending folder, one key."""
    url = f"sqlite:///{tmp_path}/shared.db"
    (tmp_path / "seed").mkdir()
    env = {
        "DATABASE_URL": url,
        "SEED_DIR": str(tmp_path / "seed"),
        "PENDING_DIR": str(tmp_path / "pending"),
        "SECRET_KEY": "k" * 64,
        "REQUIRE_LOGIN": "0",
    }
    engine = create_engine(url)
    db.metadata.create_all(engine)
    yield env, engine
    engine.dispose()


def test_the_production_command_serves_health_and_pages(deployment, tmp_path):
    env, _ = deployment
    with open(tmp_path / "server.log", "wb") as log, production_server(env, 2, log) as base:
        health = requests.get(f"{base}/healthz", timeout=10).text
        assert health == "ok\ndatabase: ok\nredis: not used\n"
        page = requests.get(base, headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and "_dash-renderer" in page.text
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        assert page.headers["Server"] == "dashboard"  # not "gunicorn": no software named
        assert requests.get(f"{base}/nowhere", timeout=30).status_code == 404
        assert requests.get(f"{base}/_dash-layout", timeout=30).status_code == 200
    assert b"Booting worker" in (tmp_path / "server.log").read_bytes()


def signed_in(base: str, name: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    data = {"username": name, "password": webclient.PASSWORD, "csrf_token": token, "next": "/"}
    assert session.post(f"{base}/login", data=data, timeout=30).status_code == 200
    session.get(f"{base}/", timeout=30)  # the CSRF cookie
    return session


def output_key(session: requests.Session, base: str, prefix: str) -> str:
    """The key of the callback whose outputs include ``prefix``, as the server lists it."""
    listed = session.get(f"{base}/_dash-dependencies", timeout=30).json()
    (key,) = [c["output"] for c in listed if f"{prefix}." in c["output"]]
    return key


def fire(session: requests.Session, base: str, output: str, inputs, state=None) -> dict:
    key = output_key(session, base, output)
    body = {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": inputs,
        "state": state or [],
    }
    body["changedPropIds"] = []
    headers = {"X-CSRFToken": session.cookies.get("_csrf_token")}
    response = session.post(
        f"{base}/_dash-update-component", json=body, headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    return response.json()["response"]


def test_an_upload_checked_on_one_server_is_confirmed_on_another_and_shows_on_both(
    deployment, tmp_path
):
    """Two servers (separate processes) share the database and PENDING_DIR: the confirm and the
    progress polls may reach either, and the loaded figures show on both at their next request."""
    env, engine = deployment
    webclient.add_user(engine, "anna", "analyst")
    month = "2024-03"  # FILE_A's latest month
    with (
        open(tmp_path / "a.log", "wb") as log_a,
        open(tmp_path / "b.log", "wb") as log_b,
        production_servers([(env, 1, log_a), (env, 1, log_b)]) as (a, b),
    ):
        for base in (a, b):  # each server computes its figures for the empty database first
            assert month not in requests.get(f"{base}/_dash-layout", timeout=30).text
        session = signed_in(a, "anna")  # one sign-in: the session is a row both servers read

        content = "data:text/csv;base64," + base64.b64encode(FILE_A).decode()
        inputs = [{"id": "upload-files", "property": "contents", "value": [content]}]
        state = [{"id": "upload-files", "property": "filename", "value": ["a.csv"]}]
        tokens = fire(session, a, "upload-batch", inputs, state)["upload-batch"]["data"]
        start_job(session, a, "upload-checked", "upload-to-check", tokens)  # A's check job

        def status(base: str) -> str:
            shown = fire(session, base, "upload-status", poll(tokens))
            return str(shown["upload-status"]["children"])

        def ready(base: str) -> bool:
            shown = fire(session, base, "upload-status", poll(tokens))
            return shown["upload-confirm"]["disabled"] is False

        wait_until(lambda: ready(b))  # checked by server A, seen by server B
        clicked = [{"id": "upload-confirm", "property": "n_clicks", "value": 1}]
        batch = [{"id": "upload-batch", "property": "data", "value": tokens}]
        confirmed = fire(session, b, "upload-confirmed", clicked, batch)
        assert confirmed["upload-confirmed"]["data"] == tokens  # confirmed on server B
        start_job(session, b, "upload-loaded", "upload-confirmed", tokens)  # B's load job
        wait_until(lambda: "Loaded." in status(a))  # loaded by B, seen by A

        for base in (a, b):  # the very next request of each server has the new month
            assert month in session.get(f"{base}/_dash-layout", timeout=30).text


def poll(tokens: list[str]) -> list[dict]:
    """The upload page's poll of its files' records (the inputs of its status callback)."""
    stores = [("upload-batch", tokens), ("upload-confirmed", [])]
    stores += [(f"upload-{name}", []) for name in ("checked", "loaded", "cancelled")]
    return [
        {"id": "upload-poll", "property": "n_intervals", "value": 1},
        *({"id": store, "property": "data", "value": value} for store, value in stores),
    ]


def start_job(session: requests.Session, base: str, output: str, store: str, tokens) -> dict:
    """Start one of the upload page's background callbacks, as the browser does when ``store``
    changes; its handles (the job runs beside the server, or on a Celery worker)."""
    key = output_key(session, base, output)
    body = {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": [{"id": store, "property": "data", "value": tokens}],
        "state": [],
        "changedPropIds": [],
    }
    headers = {"X-CSRFToken": session.cookies.get("_csrf_token")}
    response = session.post(
        f"{base}/_dash-update-component", json=body, headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    return response.json()


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
