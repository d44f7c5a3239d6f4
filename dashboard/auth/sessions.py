"""Sessions and CSRF: the signed session cookie, starting and ending a session, the CSRF token.

A session is a row in the database (``core.db.sessions``) and Flask's signed cookie (HttpOnly,
SameSite=Lax, Secure over HTTPS) carrying its random id; the row keeps only the id's SHA-256.
Every request looks the row up (once: ``guard.current_user`` keeps the answer), so signing out,
disabling a user or changing their password ends a session on every server at once, and a saved
copy of the cookie is refused afterwards. A session lasts SESSION_HOURS from sign-in. The cookie
also holds a fingerprint of the password hash, so a password changed by any other means still
ends the sessions made with the old one.

CSRF: a random token per session. The sign-in and sign-out forms carry it; for callbacks, Dash's
renderer already copies the cookie ``_csrf_token`` into an ``X-CSRFToken`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import flask
from flask import Flask, g, request, session
from flask.sessions import SecureCookieSessionInterface

from core import config, db, queries
from dashboard.auth import store
from dashboard.auth.roles import User

CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer sends back as X-CSRFToken
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "dashboard_session"
SEEN_EVERY = timedelta(minutes=5)  # a session's last_seen is written at most this often


def secret_key() -> str:
    """SECRET_KEY, or a key generated once and kept in SECRET_KEY_FILE (mode 0600)."""
    if config.SECRET_KEY.get():
        return config.SECRET_KEY.get()
    path = Path(config.SECRET_KEY_FILE.get())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        path.unlink()  # an empty file left by a crash: make a new key
        return secret_key()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def fingerprint(password_hash: str) -> str:
    """A short digest of the password hash: a session ends when the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def id_hash(session_id: str) -> str:
    """What the database keeps of a session id (a stolen copy of it is no cookie)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def sign_in(name: str, password_hash: str) -> None:
    """Start a new session for ``name`` (a fresh session: this browser's earlier one ends)."""
    sign_out()
    session_id = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=float(config.SESSION_HOURS.get()))
    store.start_session(db.get_engine(), id_hash(session_id), name, lifetime)
    session.permanent = True
    session["sid"] = session_id
    session["key"] = fingerprint(password_hash)
    session["csrf"] = secrets.token_urlsafe(32)


def sign_out() -> None:
    """End this browser's session: its row is revoked, so no copy of the cookie works again."""
    session_id = session.get("sid")
    if isinstance(session_id, str):
        store.end_session(db.get_engine(), id_hash(session_id))
    session.clear()
    g.pop("auth_user", None)


def signed_in_user() -> User | None:
    """The user of this request's session; None when there is none or it has ended (signed out,
    expired, the user disabled, or their password changed)."""
    session_id = session.get("sid")
    if not isinstance(session_id, str):
        return None
    engine = db.get_engine()
    row = queries.session_user(engine, id_hash(session_id))
    now = db.utc_now()
    if row is None or not _current(row, now):
        session.pop("sid", None)
        session.pop("key", None)
        return None
    if now - row.last_seen > SEEN_EVERY:
        store.touch_session(engine, id_hash(session_id))
    return User(row.name, row.role)


def _current(row, now) -> bool:
    key = session.get("key")
    return (
        row.revoked_at is None
        and row.expires_at > now
        and not row.disabled
        and isinstance(key, str)
        and hmac.compare_digest(key, fingerprint(row.password_hash))
    )


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(sent: str | None) -> bool:
    token = session.get("csrf")
    return bool(token and sent) and hmac.compare_digest(token, sent)


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a URL, the port filled in from the scheme; None if malformed."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is not a number, a broken [IPv6] address
        return None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def same_origin() -> bool:
    """False for a request another site made (cross-site Sec-Fetch-Site, or an Origin whose
    scheme, host or port differ from this site's). Behind an HTTPS proxy (SECURE_COOKIES=1) this
    site's scheme is https even though the proxy's request to us is plain HTTP."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    ours = _origin(f"{'https' if cookie_secure() else request.scheme}://{request.host}")
    return ours is not None and _origin(origin) == ours


def cookie_secure() -> bool:
    """Whether cookies are marked Secure: SECURE_COOKIES, or the request came over HTTPS."""
    return config.flag(config.SECURE_COOKIES) or (flask.has_request_context() and request.is_secure)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or cookie_secure()
