"""What a council's IT team relies on when running the dashboard for real: the security headers,
honest status codes, the health check, proxy headers, the log format and the gunicorn command."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import socket
from types import SimpleNamespace

import pytest
from flask import Flask, request

import webclient
from core import config
from dashboard import serving


@pytest.fixture
def site(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.delenv("REQUIRE_LOGIN", raising=False)
    app = webclient.the_app()
    return SimpleNamespace(engine=sqlite_engine, client=app.server.test_client())


HTML = {"Accept": "text/html"}


# ---------------------------------------------------------------- content security policy


def directives(header: str) -> dict[str, list[str]]:
    parts = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in parts}


def test_the_policy_allows_only_this_site_and_dashs_own_inline_scripts(site):
    response = site.client.get("/", headers=HTML)
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    scripts = policy["script-src"]
    assert scripts[0] == "'self'"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    # every inline script the page carries is allowed by its hash (else the browser blocks it)
    page = response.get_data(as_text=True)
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S
    )
    assert inline, "Dash's page starts its renderer with an inline script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts, body[:80]


def test_the_policy_follows_inline_scripts_dash_adds_after_a_first_response(site):
    """Dash adds inline scripts when it sets itself up on its first page; a signed-out visitor's
    redirect may be answered before that, and a policy kept from then blocked them."""
    import dash

    site.client.get("/healthz")
    added = "function(n) { return n; /* added after the first response */ }"
    app = dash.get_app()
    before = list(app._inline_scripts)
    app._inline_scripts.append(added)
    try:
        header = site.client.get("/healthz").headers["Content-Security-Policy"]
    finally:
        app._inline_scripts[:] = before
    digest = base64.b64encode(hashlib.sha256(added.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives(header)["script-src"]


def test_every_response_carries_the_policy(site):
    for path in ("/healthz", "/login", "/_dash-layout"):
        assert "default-src 'self'" in site.client.get(path).headers["Content-Security-Policy"]


# ---------------------------------------------------------------- status codes


@pytest.mark.parametrize("path", ["/no-such-page", "/nothing/here", "/wardz"])
def test_an_address_that_is_no_page_answers_404(site, path):
    response = site.client.get(path, headers=HTML)
    assert response.status_code == 404
    assert "_dash-renderer" in response.get_data(as_text=True)  # the page still says "not found"


@pytest.mark.parametrize("path", ["/", "/crime/burglary", "/wards", "/history"])
def test_the_pages_answer_200(site, path):
    assert site.client.get(path, headers=HTML).status_code == 200


@pytest.fixture
def site_with_wards(site):
    from etl.load import load_bytes
    from test_crime_pages import ward_csv

    assert load_bytes("wards.csv", ward_csv(), site.engine, user="test").status == "loaded"
    return site


@pytest.mark.parametrize("path", ["/crime/x", "/crime/x/y", "/crime/", "/ward/E05999999"])
def test_a_crime_type_or_ward_that_does_not_exist_answers_404(site_with_wards, path):
    response = site_with_wards.client.get(path, headers=HTML)
    assert response.status_code == 404
    assert "_dash-renderer" in response.get_data(as_text=True)  # the page still says "not found"


@pytest.mark.parametrize("path", ["/crime/burglary", "/crime/mopac7-total", "/ward/E05013628"])
def test_a_crime_type_or_ward_that_exists_answers_200(site_with_wards, path):
    assert site_with_wards.client.get(path, headers=HTML).status_code == 200


@pytest.mark.parametrize("chosen", ["abc", "1e3", "-1", "١٢", 1.5, [1], {"a": 1}, True, "9" * 40])
def test_a_history_choice_that_is_no_upload_number_shows_nothing(site, chosen):
    site.client.get("/")
    inputs = [
        {"id": {"type": "history-details", "id": 1}, "property": "n_clicks", "value": None},
        {"id": "history-chosen", "property": "data", "value": chosen},
    ]
    key = webclient.output_key("history-detail")
    body = webclient.callback_body(key, [[inputs[0]], inputs[1]])
    headers = {"X-CSRFToken": webclient.csrf(site.client)}
    response = site.client.post("/_dash-update-component", json=body, headers=headers)
    assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]


# ---------------------------------------------------------------- health check


def test_the_health_check_reads_the_database(site, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    response = site.client.get("/healthz")
    said = "ok\ndatabase: ok\nredis: not used\n"
    assert (response.status_code, response.get_data(as_text=True)) == (200, said)


def test_the_health_check_reports_redis(site, redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    response = site.client.get("/healthz")
    assert response.get_data(as_text=True) == "ok\ndatabase: ok\nredis: ok\n"
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{sock.getsockname()[1]}/0")
    response = site.client.get("/healthz")  # the pages still work: degraded, not down
    said = "degraded\ndatabase: ok\nredis: unavailable\n"
    assert (response.status_code, response.get_data(as_text=True)) == (200, said)


def test_the_health_check_answers_503_when_the_database_is_down(site, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@127.0.0.1:1/nowhere")
    response = site.client.get("/healthz")
    assert response.status_code == 503
    assert "database: unavailable" in response.get_data(as_text=True)


# ---------------------------------------------------------------- proxy headers and logs


def echo_server() -> Flask:
    server = Flask("echo")

    @server.route("/")
    def echo():
        return {"addr": request.remote_addr, "scheme": request.scheme, "host": request.host}

    serving.configure(server)
    return server


FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "safety.example.gov.uk",
}


def test_proxy_headers_are_ignored_unless_a_proxy_is_trusted(monkeypatch):
    monkeypatch.delenv("TRUST_PROXY", raising=False)
    seen = echo_server().test_client().get("/", headers=FORWARDED).json
    assert seen == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_a_trusted_proxy_gives_the_visitors_address_scheme_and_host(monkeypatch):
    monkeypatch.setenv("TRUST_PROXY", "1")
    seen = echo_server().test_client().get("/", headers=FORWARDED).json
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "safety.example.gov.uk"}


def test_one_trusted_proxy_takes_only_the_address_it_added(monkeypatch):
    monkeypatch.setenv("TRUST_PROXY", "1")
    headers = {"X-Forwarded-For": "10.9.9.9, 203.0.113.7"}  # the first one the visitor forged
    assert echo_server().test_client().get("/", headers=headers).json["addr"] == "203.0.113.7"


def test_json_logs_are_one_object_a_line(monkeypatch, capsys):
    monkeypatch.setenv("LOG_FORMAT", "json")
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        serving.configure(Flask("logs"))
        logging.getLogger("dashboard.test").warning("disk %s full", "nearly")
    finally:
        root.handlers, root.level = handlers, level
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    entry = json.loads(lines[-1])
    assert entry["message"] == "disk nearly full"
    assert (entry["level"], entry["logger"]) == ("warning", "dashboard.test")


# ---------------------------------------------------------------- the production command


def test_the_gunicorn_command_follows_the_settings(monkeypatch):
    monkeypatch.setenv("WORKERS", "5")
    monkeypatch.setenv("THREADS", "3")
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("LOG_FORMAT", "json")
    command = serving.gunicorn_command("gunicorn")
    assert command[:2] == ["gunicorn", "app:server"]
    text = " ".join(command)
    for part in ("--workers 5", "--threads 3", "--bind 0.0.0.0:9000", "--no-control-socket"):
        assert part in text
    access = json.loads(command[command.index("--access-logformat") + 1])
    assert {"status", "path", "ms"} <= set(access)


def test_celery_workers_are_started_only_with_redis(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("CELERY_WORKERS", "3")
    assert serving.celery_command("celery") is None  # jobs run beside the server (diskcache)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    command = " ".join(serving.celery_command("celery"))
    assert "--app app:celery_app" in command and "worker --concurrency 3" in command
    monkeypatch.setenv("CELERY_WORKERS", "0")  # run on other machines
    assert serving.celery_command("celery") is None


def test_the_key_is_made_before_the_workers_start(site, monkeypatch, tmp_path):
    """Workers starting together must not each make a different key (sessions would break)."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setattr("etl.seed.seed_if_empty", lambda: None)
    serving.prepare()
    assert len((tmp_path / "key").read_text().strip()) == 64


def test_every_setting_is_listed_and_documented():
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    declared = [v for v in vars(config).values() if isinstance(v, config.Setting)]
    for setting in declared:
        assert f"`{setting.name}`" in readme, setting.name
        assert setting in config.ALL_SETTINGS, setting.name
