"""Who may do what: sessions, roles and the guard in front of every route of the server.

``init_auth(server)`` puts one ``before_request`` guard in front of everything Flask serves:
Dash's pages, /_dash-layout, /_dash-dependencies, /_dash-update-component, component scripts,
assets and any download route. Only the sign-in page, sign-out, the health check and the one
stylesheet the sign-in page uses are served without a session.

Sign-in is required whenever a user exists, REQUIRE_LOGIN=1, HOST is not a loopback address, or
the request itself comes from another machine. Otherwise (a fresh install used on one computer)
the dashboard is open, read-only: the visitor is a viewer.

Decisions, for a reviewer:
- Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure over HTTPS). The user's
  role and whether they are disabled are read from the database on every request, and the
  session holds a fingerprint of the password hash, so disabling a user or changing their
  password ends their sessions at once.
- CSRF: a random token per session. The sign-in and sign-out forms carry it; for callbacks,
  Dash's renderer already copies the cookie ``_csrf_token`` into an ``X-CSRFToken`` header, and
  every POST must carry the session's token there. A cross-site Origin or Sec-Fetch-Site is
  refused as well.
- Roles on callbacks: ``@requires("analyst")`` marks a callback; the guard looks up the callback
  Dash would run for the request's ``output`` and refuses (403) before any of it runs. The
  decorator checks again inside the callback.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import flask
from flask import Flask, g, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import Engine, select

from core import config, db

ROLES = ("viewer", "analyst", "manager")
ROLE_WORDS = {
    "viewer": "browse the dashboard",
    "analyst": "upload data",
    "manager": "revert uploads, manage exempt items and targets",
}
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer sends back as X-CSRFToken
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "dashboard_session"
PUBLIC_PATHS = frozenset(
    {"/login", "/logout", "/healthz", "/assets/bootstrap.min.css", "/_favicon.ico"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class User:
    """The person behind a request (``signed_in`` False: the open, read-only local mode)."""

    name: str
    role: str
    signed_in: bool = True

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


OPEN_USER = User("local", "viewer", signed_in=False)


# ---------------------------------------------------------------- addresses and settings


def is_loopback(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (what only this computer can reach)."""
    if not host:
        return False
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def users_exist(engine: Engine | None = None) -> bool:
    """True once any user has been added (enabled or not)."""
    engine = engine or db.get_engine()
    with engine.connect() as conn:
        return conn.execute(select(db.users.c.id).limit(1)).first() is not None


def login_required() -> bool:
    """Whether this request needs a signed-in user (see the module docstring)."""
    if config.flag(config.REQUIRE_LOGIN) or not is_loopback(config.HOST.get()):
        return True
    if flask.has_request_context() and not is_loopback(request.remote_addr):
        return True
    return users_exist()


def check_startup(host: str) -> None:
    """Refuse to serve an open dashboard on an address other computers can reach."""
    if is_loopback(host) or users_exist():
        return
    raise SystemExit(
        f"Refusing to start: HOST={host} is reachable from other computers and no users exist, "
        "so anyone could use the dashboard. Add a user first:\n"
        "  .venv/bin/python -m dashboard.users add NAME --role manager\n"
        "or listen on this computer only (HOST=127.0.0.1)."
    )


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


# ---------------------------------------------------------------- users and sessions


def user_row(name: str, engine: Engine | None = None):
    """The users row for ``name`` (exact match), or None."""
    engine = engine or db.get_engine()
    with engine.connect() as conn:
        return conn.execute(select(db.users).where(db.users.c.name == name)).first()


def fingerprint(password_hash: str) -> str:
    """A short digest of the password hash: a session ends when the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def _resolve_user() -> User | None:
    name = session.get("user")
    if name:
        row = user_row(name)
        key = session.get("key", "")
        if row and not row.disabled and hmac.compare_digest(key, fingerprint(row.password_hash)):
            return User(row.name, row.role)
        session.pop("user", None)
        session.pop("key", None)
    return None if login_required() else OPEN_USER


def current_user() -> User | None:
    """The user of the current request: None when nobody is signed in and sign-in is needed."""
    if not flask.has_request_context():
        return None
    if "auth_user" not in g:
        g.auth_user = _resolve_user()
    return g.auth_user


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


def _same_origin() -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


# ---------------------------------------------------------------- roles on callbacks


def requires(role: str):
    """Mark a Dash callback (put it under ``@callback``) as needing ``role`` or above.

    The guard refuses the request before the callback runs; the wrapper checks again. Called
    outside a web request (a unit test calling the function) it runs unchecked.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def wrap(func):
        @functools.wraps(func)
        def checked(*args, **kwargs):
            if flask.has_request_context():
                user = current_user()
                if user is None or not user.can(role):
                    flask.abort(403)
            return func(*args, **kwargs)

        checked.min_role = role
        return checked

    return wrap


def callback_role(body: dict | None) -> str:
    """The role the callback named by a /_dash-update-component body needs."""
    output = (body or {}).get("output")
    if not isinstance(output, str):
        return "viewer"
    try:
        import dash

        callback_map = dash.get_app().callback_map
    except Exception:  # no Dash app on this server
        return "viewer"
    entry = callback_map.get(output)
    if entry is None:
        from dash import _callback

        entry = _callback.GLOBAL_CALLBACK_MAP.get(output)
    # clientside callbacks have no server function: Dash refuses them itself
    return getattr((entry or {}).get("callback"), "min_role", "viewer")


# ---------------------------------------------------------------- sign-in throttle


class LoginThrottle:
    """Failed sign-ins per key (address and user name); too many in a row lock the key out."""

    def __init__(self) -> None:
        self._failures: dict[tuple, deque] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _limits() -> tuple[int, float]:
        return int(config.LOGIN_RATE_LIMIT.get()), float(config.LOGIN_LOCKOUT_SECONDS.get())

    def wait(self, *keys: tuple) -> float:
        """Seconds until any of ``keys`` may try again (0: now)."""
        limit, window = self._limits()
        now = time.monotonic()
        longest = 0.0
        with self._lock:
            for key in keys:
                times = self._failures.get(key)
                if not times:
                    continue
                while times and now - times[0] > window:
                    times.popleft()
                cap = limit * 4 if key[-1] == "*" else limit  # per address: any user name
                if len(times) >= cap:
                    longest = max(longest, window - (now - times[-1]))
        return max(longest, 0.0)

    def failed(self, *keys: tuple) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=1000)).append(now)

    def succeeded(self, key: tuple) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()


THROTTLE = LoginThrottle()


# ---------------------------------------------------------------- the guard


def _wants_html() -> bool:
    return (
        request.method == "GET"
        and not request.path.startswith("/_dash")
        and "text/html" in request.headers.get("Accept", "")
    )


def _refuse(status: int, message: str):
    if status == 401 and _wants_html():
        target = request.full_path.rstrip("?")
        return flask.redirect(flask.url_for("signin.login", next=target))
    response = jsonify({"error": message})
    response.status_code = status
    return response


def guard():
    """Runs before every request: authentication, CSRF, then the callback's role."""
    if request.path in PUBLIC_PATHS:
        return None
    user = current_user()
    if user is None:
        return _refuse(401, "Sign in to use the dashboard.")
    if request.method not in SAFE_METHODS:
        if not _same_origin() or not csrf_valid(request.headers.get(CSRF_HEADER)):
            return _refuse(403, "The request was refused (missing or wrong CSRF token).")
    if request.path.endswith("/_dash-update-component"):
        needed = callback_role(request.get_json(silent=True))
        if not user.can(needed):
            return _refuse(403, f"This needs the {needed} role; you are a {user.role}.")
    return None


def _cookie_secure() -> bool:
    return config.flag(config.SECURE_COOKIES) or (flask.has_request_context() and request.is_secure)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or _cookie_secure()


def _after(response):
    # The CSRF cookie is readable by the page's own script (Dash sends it back as a header);
    # other sites cannot read it, and SameSite keeps it off their requests.
    token = session.get("csrf") if request.path not in {"/healthz"} else None
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE, token, samesite="Lax", secure=_cookie_secure(), httponly=False, path="/"
        )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    return response


def _ensure_csrf():
    # Every visitor gets a token on their first page, so Dash's first callback carries one.
    if request.method in SAFE_METHODS and request.path not in PUBLIC_PATHS:
        csrf_token()


def max_request_bytes() -> int:
    """Largest request body: MAX_UPLOAD_FILES files of MAX_UPLOAD_MB, base64 (4/3) in JSON."""
    files = int(config.MAX_UPLOAD_FILES.get())
    return int(config.max_upload_bytes() * files * 4 / 3) + 2**20


def init_auth(server: Flask) -> None:
    """Put the guard, the sign-in pages and the cookie settings on the Flask server."""
    from dashboard import signin

    server.secret_key = secret_key()
    server.session_interface = _SessionInterface()
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.flag(config.SECURE_COOKIES),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=float(config.SESSION_HOURS.get())),
        MAX_CONTENT_LENGTH=max_request_bytes(),
    )
    # First in line, before Dash's own before_request hooks.
    server.before_request_funcs.setdefault(None, []).insert(0, guard)
    server.before_request(_ensure_csrf)
    server.after_request(_after)
    server.register_blueprint(signin.blueprint)
