"""Sessions and CSRF: the signed session cookie, starting and ending a session, the CSRF token.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure over HTTPS). The session
holds a fingerprint of the password hash, so changing a password ends the user's sessions at
once. CSRF: a random token per session. The sign-in and sign-out forms carry it; for callbacks,
Dash's renderer already copies the cookie ``_csrf_token`` into an ``X-CSRFToken`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import flask
from flask import Flask, g, request, session
from flask.sessions import SecureCookieSessionInterface

from core import config

CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer sends back as X-CSRFToken
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "dashboard_session"


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


def sign_in(name: str, password_hash: str) -> None:
    """Start a new session for ``name`` (a fresh session: nothing carried over from before)."""
    session.clear()
    session.permanent = True
    session["user"] = name
    session["key"] = fingerprint(password_hash)
    session["csrf"] = secrets.token_urlsafe(32)
    g.pop("auth_user", None)


def sign_out() -> None:
    session.clear()
    g.pop("auth_user", None)


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(sent: str | None) -> bool:
    token = session.get("csrf")
    return bool(token and sent) and hmac.compare_digest(token, sent)


def same_origin() -> bool:
    """False for a request another site made (cross-site Sec-Fetch-Site or a foreign Origin)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def cookie_secure() -> bool:
    """Whether cookies are marked Secure: SECURE_COOKIES, or the request came over HTTPS."""
    return config.flag(config.SECURE_COOKIES) or (flask.has_request_context() and request.is_secure)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or cookie_secure()
