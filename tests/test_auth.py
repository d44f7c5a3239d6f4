"""Sign-in, roles and CSRF over HTTP: every route and every callback refused without a session,
role limits on callbacks, cookies, the sign-in throttle, and the open local mode."""

from __future__ import annotations

import base64
import http.client
import os
import stat
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden
from werkzeug.serving import make_server

import webclient
from core import db, queries
from dashboard.auth import guard, roles, sessions, signin, users

PUBLIC = guard.PUBLIC_PATHS


@pytest.fixture
def site(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.delenv("REQUIRE_LOGIN", raising=False)
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    app = webclient.the_app()
    return SimpleNamespace(engine=sqlite_engine, server=app.server, pending=tmp_path / "pending")


@pytest.fixture
def client(site):
    return site.server.test_client()


@pytest.fixture
def people(site):
    for name, role in [("vera", "viewer"), ("anna", "analyst"), ("max", "manager")]:
        webclient.add_user(site.engine, name, role)
    return site


def signed_in(site, name: str):
    client = site.server.test_client()
    response = webclient.sign_in(client, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def routes(server) -> list[tuple[str, str]]:
    """(method, concrete path) for every URL rule of the server."""
    out = []
    for rule in server.url_map.iter_rules():
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<path:{name}>", "x/y.js").replace(f"<{name}>", "x")
            path = path.replace(f"<string:{name}>", "x")
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        out.append((method, path))
    return sorted(set(out))


# ---------------------------------------------------------------- the open local mode


def test_open_mode_shows_the_dashboard_to_a_local_visitor(client):
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    response = webclient.fire(client, webclient.output_key("overview-summary"))
    assert response.status_code == 200


def test_open_mode_is_read_only(site, client):
    client.get("/")
    response = webclient.fire(client, webclient.output_key("upload-batch"))
    assert response.status_code == 403
    assert webclient.fire(client, webclient.output_key("history-refresh")).status_code == 403


def test_open_mode_needs_sign_in_from_another_machine(site):
    client = site.server.test_client()
    response = client.get("/_dash-layout", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 401


def test_require_login_without_users_says_how_to_add_one(site, client, monkeypatch):
    monkeypatch.setenv("REQUIRE_LOGIN", "1")
    response = client.get("/wards", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert "python -m dashboard users add NAME --role manager" in client.get("/login").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (None, None),
        ("X-CSRFToken", "wrong"),
        ("Origin", "http://evil.example"),
        ("Origin", "https://localhost"),  # this site, but over another scheme
        ("Origin", "http://localhost:8050"),  # another port
        ("Origin", "null"),
        ("Origin", "http://[::1"),
        ("Sec-Fetch-Site", "cross-site"),
    ],
)
def test_callbacks_need_the_csrf_token_and_same_origin(client, header, value):
    client.get("/")
    body = webclient.callback_body(webclient.output_key("overview-summary"))
    headers = {"X-CSRFToken": webclient.csrf(client)}
    if header == "X-CSRFToken":
        headers[header] = value
    elif header:
        headers[header] = value
    else:
        headers = {}
    response = client.post("/_dash-update-component", json=body, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("base", "origin", "secure_cookies"),
    [
        ("http://localhost", "http://localhost", "0"),
        ("http://localhost", "HTTP://LocalHost:80", "0"),
        ("https://localhost", "https://localhost", "0"),
        ("http://127.0.0.1:8050", "http://127.0.0.1:8050", "0"),
        ("http://localhost", "https://localhost", "1"),  # behind an HTTPS proxy
    ],
)
def test_callbacks_from_this_sites_own_origin_are_accepted(
    site, monkeypatch, base, origin, secure_cookies
):
    monkeypatch.setenv("SECURE_COOKIES", secure_cookies)
    client = site.server.test_client()
    client.get(f"{base}/")
    token = client.get_cookie("_csrf_token", domain=base.split("//")[1].split(":")[0]).value
    response = client.post(
        f"{base}/_dash-update-component",
        json=webclient.callback_body(webclient.output_key("overview-summary")),
        headers={"X-CSRFToken": token, "Origin": origin},
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_server_header_names_no_versions(site, monkeypatch):
    import app as app_module

    runs = []
    monkeypatch.setattr(app_module.app, "run", lambda **options: runs.append(options))
    monkeypatch.setattr("etl.seed.seed_if_empty", lambda: None)
    # not the threads and job server it starts beside the server: they would outlive the test
    monkeypatch.setattr("dashboard.warming.watch", lambda: None)
    monkeypatch.setattr("dashboard.jobs.start_job_server", lambda: None)
    app_module.main()  # what `python app.py` serves with
    (options,) = runs
    server = make_server("127.0.0.1", 0, site.server, request_handler=options["request_handler"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        assert response.status == 200
        header = response.getheader("Server")
        connection.close()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert header and not any(c.isdigit() for c in header), header
    assert "werkzeug" not in header.lower() and "python" not in header.lower()


# ---------------------------------------------------------------- nothing without a session


def test_every_route_is_refused_without_a_session(people, client):
    checked = 0
    for method, path in routes(people.server):
        if path in PUBLIC:
            continue
        response = client.open(path, method=method, json={} if method == "POST" else None)
        assert response.status_code in (401, 403), f"{method} {path}: {response.status_code}"
        checked += 1
    assert checked >= 6  # _dash-layout, -dependencies, -update-component, suites, assets, index


def test_the_accessibility_statement_is_public_without_the_dashboard(people, client):
    response = client.get("/accessibility", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Accessibility statement for the" in page
    assert "Feedback and how to report a problem" in page and 'href="/login"' in page
    # plain HTML: no Dash shell (its navbar and period picker), nothing of the data
    assert "_dash-renderer" not in page and "period-select" not in page
    assert client.get("/_dash-layout").status_code == 401


def test_a_signed_in_user_gets_the_accessibility_statement_in_the_dashboard(people):
    page = signed_in(people, "vera").get("/accessibility", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "_dash-renderer" in page.get_data(as_text=True)


def test_pages_redirect_a_browser_to_sign_in(people, client):
    response = client.get("/upload?x=1", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/upload?x%3D1"


def test_every_callback_is_refused_without_a_session(people, client):
    keys = list(webclient.callback_map())
    assert len(keys) >= 10
    for key in keys:
        response = webclient.fire(client, key, token="not-a-session-token")
        assert response.status_code == 401, key
        assert b"response" not in response.data


def test_role_limits_hold_for_every_callback(people):
    signed_in(people, "max").get("/")  # Dash moves callbacks into its map on a first request
    needs = {
        key: getattr(cb["callback"], "min_role", "viewer")
        for key, cb in webclient.callback_map().items()
        if "callback" in cb
    }
    assert needs[webclient.output_key("upload-batch")] == "analyst"
    assert needs[webclient.output_key("history-refresh")] == "manager"
    for name in ("vera", "anna"):
        client = signed_in(people, name)
        user = roles.User(name, queries.user_row(people.engine, name).role)
        for key, role in needs.items():
            if not user.can(role):
                assert webclient.fire(client, key).status_code == 403, (name, key)


def test_a_viewer_firing_the_upload_callback_writes_nothing(people):
    client = signed_in(people, "vera")
    content = "data:text/csv;base64," + base64.b64encode(b"MajorText,MinorText\n").decode()
    inputs = [{"id": "upload-files", "property": "contents", "value": [content]}]
    state = [{"id": "upload-files", "property": "filename", "value": ["x.csv"]}]
    response = webclient.fire(client, webclient.output_key("upload-batch"), inputs, state)
    assert response.status_code == 403
    with people.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.uploads)).scalar() == 0
    assert not people.pending.exists() or not any(people.pending.iterdir())


def test_the_role_is_checked_inside_the_callback_too(people):
    from dashboard.pages import upload

    with people.server.test_request_context("/"):
        sessions.sign_in("vera", queries.user_row(people.engine, "vera").password_hash)
        with pytest.raises(Forbidden):
            upload.receive(["data:text/csv;base64,"], ["x.csv"])


# ---------------------------------------------------------------- signing in and out


def test_sign_in_wrong_password_or_unknown_user_say_the_same(people, client):
    wrong = webclient.sign_in(client, "anna", "not the password")
    unknown = webclient.sign_in(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.get_data(as_text=True)
    assert "Wrong user name or password." in unknown.get_data(as_text=True)


def test_sign_in_needs_the_form_token(people, client):
    client.get("/login")
    response = client.post("/login", data={"username": "anna", "password": webclient.PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_sign_in_is_throttled_after_repeated_failures(people, client, monkeypatch):
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "3")
    now = [datetime(2025, 3, 1, 9, 0)]
    monkeypatch.setattr(db, "utc_now", lambda: now[0])
    for _ in range(3):
        assert webclient.sign_in(client, "anna", "nope").status_code == 401
    locked = webclient.sign_in(client, "anna")  # even the right password waits
    assert locked.status_code == 429
    assert "Try again in" in locked.get_data(as_text=True)
    now[0] += timedelta(seconds=61)
    assert webclient.sign_in(client, "anna").status_code == 302


def test_sign_in_goes_back_only_to_this_site(people, client):
    response = webclient.sign_in(client, "anna", next_path="//evil.example/x")
    assert response.headers["Location"] == "/"
    assert signin.safe_next("/crime/burglary?period=2024-01") == "/crime/burglary?period=2024-01"
    assert signin.safe_next("https://evil.example") == "/"


def test_session_cookies_are_httponly_and_lax(people, client):
    response = webclient.sign_in(client, "anna")
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith(sessions.SESSION_COOKIE + "="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Secure" not in session
    secure = people.server.test_client()
    token = webclient.form_token(secure, "https://localhost/login")
    response = secure.post(
        "https://localhost/login",
        data={"username": "anna", "password": webclient.PASSWORD, "csrf_token": token},
    )
    assert all("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_sign_out_ends_the_session(people):
    client = signed_in(people, "anna")
    assert client.get("/_dash-layout").status_code == 200
    client.post("/logout", data={})  # without the token: still signed in
    assert client.get("/_dash-layout").status_code == 200
    page = client.get("/logout").get_data(as_text=True)
    assert "Sign out" in page
    response = client.post("/logout", data={"csrf_token": webclient.form_token(client, "/logout")})
    assert response.headers["Location"] == "/login?signed_out=1"
    assert client.get("/_dash-layout").status_code == 401


@pytest.mark.parametrize("change", ["disable", "password", "role"])
def test_disabling_or_a_new_password_ends_sessions(people, change):
    client = signed_in(people, "anna")
    key = webclient.output_key("upload-batch")
    assert webclient.fire(client, key).status_code != 403
    if change == "disable":
        users.set_disabled(people.engine, "anna", True)
    elif change == "password":
        users.set_password(people.engine, "anna", "another long password")
    else:
        users.set_role(people.engine, "anna", "viewer")
    status = webclient.fire(client, key).status_code
    assert status == (403 if change == "role" else 401)


def test_a_disabled_user_cannot_sign_in(people, client):
    users.set_disabled(people.engine, "anna", True)
    response = webclient.sign_in(client, "anna")
    assert response.status_code == 403
    assert "disabled" in response.get_data(as_text=True)


def test_sign_in_page_shows_input_as_text(people, client):
    response = webclient.sign_in(client, "<img src=x onerror=alert(1)>", "nope")
    page = response.get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------- start-up and keys


def test_refuses_to_start_open_on_a_public_address(site):
    with pytest.raises(SystemExit, match="Refusing to start"):
        guard.check_startup("0.0.0.0")
    guard.check_startup("127.0.0.1")
    guard.check_startup("localhost")
    webclient.add_user(site.engine, "max", "manager")
    guard.check_startup("0.0.0.0")


def test_a_public_host_setting_requires_sign_in(site, client, monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert client.get("/_dash-layout").status_code == 401


def test_secret_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))
    first = sessions.secret_key()
    assert len(first) == 64 and sessions.secret_key() == first
    assert stat.S_IMODE(os.stat(tmp_path / "key").st_mode) == 0o600
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert sessions.secret_key() == "from-the-environment"


def test_request_size_is_limited(site, client, monkeypatch):
    client.get("/")
    monkeypatch.setenv("MAX_REQUEST_KB", "1")
    body = webclient.callback_body(webclient.output_key("overview-summary"))
    body["padding"] = "x" * 2000
    response = client.post(
        "/_dash-update-component", json=body, headers={"X-CSRFToken": webclient.csrf(client)}
    )
    assert response.status_code == 413
