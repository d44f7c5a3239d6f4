"""Sessions kept in the database: signing out, disabling a user or a new password ends them on
the server, so a saved copy of the cookie gets nothing afterwards; they expire; on SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

import webclient
from core import db
from dashboard.auth import sessions, users

COOKIE = sessions.SESSION_COOKIE


@pytest.fixture
def site(use_database, monkeypatch, tmp_path):
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.delenv("REQUIRE_LOGIN", raising=False)
    for name, role in [("anna", "analyst"), ("max", "manager")]:
        webclient.add_user(use_database, name, role)
    return SimpleNamespace(engine=use_database, server=webclient.the_app().server)


def signed_in(site, name: str = "anna"):
    client = site.server.test_client()
    assert webclient.sign_in(client, name).status_code == 302
    return client


def replay(site, cookie: str):
    """A new browser holding a saved copy of a session cookie."""
    client = site.server.test_client()
    client.set_cookie(COOKIE, cookie)
    return client


def session_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(db.sessions)).mappings()]


def test_a_cookie_saved_before_signing_out_gets_nothing_after(site):
    client = signed_in(site)
    saved = client.get_cookie(COOKIE).value
    assert replay(site, saved).get("/_dash-layout").status_code == 200
    token = webclient.form_token(client, "/logout")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    attacker = replay(site, saved)
    assert attacker.get("/_dash-layout").status_code == 401
    assert attacker.get("/upload", headers={"Accept": "text/html"}).status_code == 302
    response = webclient.fire(attacker, webclient.output_key("overview-summary"), token="copied")
    assert response.status_code == 401


def test_the_database_keeps_only_a_hash_of_the_session_id(site):
    client = signed_in(site)
    cookie = client.get_cookie(COOKIE).value
    session_id = site.server.session_interface.get_signing_serializer(site.server).loads(cookie)[
        "sid"
    ]
    (row,) = session_rows(site.engine)
    assert row["id_hash"] == hashlib.sha256(session_id.encode()).hexdigest()
    assert row["user_name"] == "anna" and row["revoked_at"] is None
    assert session_id not in str(row)
    assert row["expires_at"] - row["created_at"] == timedelta(hours=12)


def test_a_signed_cookie_naming_a_user_without_a_session_row_is_refused(site):
    # what cookies carried before sessions were kept on the server: a user and a fingerprint
    with site.engine.connect() as conn:
        password_hash = conn.scalar(
            select(db.users.c.password_hash).where(db.users.c.name == "max")
        )
    key = sessions.fingerprint(password_hash)
    serializer = site.server.session_interface.get_signing_serializer(site.server)
    old_style = serializer.dumps({"user": "max", "key": key, "csrf": "t"})
    assert replay(site, old_style).get("/_dash-layout").status_code == 401
    made_up = serializer.dumps({"sid": "not-a-session", "key": key})
    assert replay(site, made_up).get("/_dash-layout").status_code == 401


@pytest.mark.parametrize("change", ["disable then enable", "password"])
def test_disabling_or_a_new_password_ends_sessions_for_good(site, change):
    saved = signed_in(site).get_cookie(COOKIE).value
    other = signed_in(site, "max").get_cookie(COOKIE).value
    if change == "password":
        users.set_password(site.engine, "anna", "another long password")
    else:
        users.set_disabled(site.engine, "anna", True)
        users.set_disabled(site.engine, "anna", False)  # enabling again revives no session
    assert replay(site, saved).get("/_dash-layout").status_code == 401
    assert replay(site, other).get("/_dash-layout").status_code == 200
    revoked = {r["user_name"]: r["revoked_at"] is not None for r in session_rows(site.engine)}
    assert revoked == {"anna": True, "max": False}


def test_a_session_ends_after_session_hours_and_is_cleaned_up(site, monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "2")
    saved = signed_in(site).get_cookie(COOKIE).value
    later = db.utc_now() + timedelta(hours=2, minutes=1)
    monkeypatch.setattr(db, "utc_now", lambda: later)
    assert replay(site, saved).get("/_dash-layout").status_code == 401
    signed_in(site, "max")  # a new sign-in clears out expired sessions
    assert [r["user_name"] for r in session_rows(site.engine)] == ["max"]


def test_signing_in_again_ends_the_browsers_earlier_session(site):
    client = signed_in(site)
    first = client.get_cookie(COOKIE).value
    client.get("/")  # the CSRF cookie
    form = {"username": "max", "password": webclient.PASSWORD, "csrf_token": webclient.csrf(client)}
    assert client.post("/login", data=form).status_code == 302
    assert replay(site, first).get("/_dash-layout").status_code == 401
    assert client.get("/_dash-layout").status_code == 200


def test_last_seen_is_written_only_now_and_then(site, monkeypatch):
    client = signed_in(site)
    (before,) = session_rows(site.engine)
    client.get("/_dash-layout")
    assert session_rows(site.engine)[0]["last_seen"] == before["last_seen"]
    later = before["last_seen"] + sessions.SEEN_EVERY + timedelta(seconds=1)
    monkeypatch.setattr(db, "utc_now", lambda: later)
    assert client.get("/_dash-layout").status_code == 200
    assert session_rows(site.engine)[0]["last_seen"] == later


def test_last_seen_does_not_wait_for_a_load_holding_sqlite(sqlite_engine, tmp_path):
    from dashboard.auth import store

    url = sqlite_engine.url.render_as_string(hide_password=False)
    store.start_session(sqlite_engine, "h", "anna", timedelta(hours=1))
    writer = db.make_engine(url)  # another connection pool: like another process loading
    holding, release = threading.Event(), threading.Event()

    def load():
        with writer.begin() as conn:
            conn.execute(text("DELETE FROM exempt_items"))  # takes SQLite's write lock
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=load)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        store.touch_session(sqlite_engine, "h")
        assert time.monotonic() - started < 5  # not SQLite's 30 s wait for the writer
    finally:
        release.set()
        thread.join()
        writer.dispose()
    with sqlite_engine.connect() as conn:
        timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert timeout == db.SQLITE_BUSY_MS  # the connection is back to waiting for writes
