"""The guard in front of every route of the server: who the request is from, and whether they
may do what it asks.

``init_auth(server)`` puts one ``before_request`` guard in front of everything Flask serves:
Dash's pages, /_dash-layout, /_dash-dependencies, /_dash-update-component, component scripts,
assets and any download route. Only the sign-in page, sign-out, the health check and the one
stylesheet the sign-in page uses are served without a session.

Sign-in is required whenever a user exists, REQUIRE_LOGIN=1, HOST is not a loopback address, or
the request itself comes from another machine. Otherwise (a fresh install used on one computer)
the dashboard is open, read-only: the visitor is a viewer.

Decisions, for a reviewer:
- Sessions are rows in the database, named by Flask's signed cookie (``sessions``). The row,
  the user's role and whether they are disabled are read on every request (one SELECT), so
  signing out, disabling a user or changing their password ends their sessions at once, on
  every server, and replaying a saved cookie afterwards gets nothing.
- CSRF: every POST must carry the session's token in an ``X-CSRFToken`` header (Dash's renderer
  copies it there from the cookie). An Origin of another scheme, host or port, or a cross-site
  Sec-Fetch-Site, is refused as well.
- Roles on callbacks: ``@requires("analyst")`` marks a callback; the guard looks up the callback
  Dash would run for the request's ``output`` and refuses (403) before any of it runs. The
  decorator checks again inside the callback.
"""

from __future__ import annotations

import functools
import ipaddress
from datetime import timedelta
from html import escape

import flask
from flask import Flask, g, jsonify, request, session
from werkzeug.serving import WSGIRequestHandler

from core import config, db, queries
from dashboard.auth import sessions
from dashboard.auth.roles import OPEN_USER, ROLES, User

PUBLIC_PATHS = frozenset(
    {"/login", "/logout", "/healthz", "/assets/bootstrap.min.css", "/_favicon.ico"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Pages anyone may read, signed in or not (``make_public``): a signed-out visitor gets them as
# plain HTML (no Dash, so nothing of the data: no navbar, no months) with a link to sign in.
PUBLIC_PAGES: dict[str, object] = {}


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


def login_required() -> bool:
    """Whether this request needs a signed-in user (see the module docstring)."""
    if config.flag(config.REQUIRE_LOGIN) or not is_loopback(config.HOST.get()):
        return True
    if flask.has_request_context() and not is_loopback(request.remote_addr):
        return True
    return queries.users_exist(db.get_engine())


def check_startup(host: str) -> None:
    """Refuse to serve an open dashboard on an address other computers can reach."""
    if is_loopback(host) or queries.users_exist(db.get_engine()):
        return
    raise SystemExit(
        f"Refusing to start: HOST={host} is reachable from other computers and no users exist, "
        "so anyone could use the dashboard. Add a user first:\n"
        "  .venv/bin/python -m dashboard users add NAME --role manager\n"
        "or listen on this computer only (HOST=127.0.0.1)."
    )


# ---------------------------------------------------------------- the user of a request


def _resolve_user() -> User | None:
    user = sessions.signed_in_user()
    if user is not None:
        return user
    return None if login_required() else OPEN_USER


def current_user() -> User | None:
    """The user of the current request: None when nobody is signed in and sign-in is needed."""
    if not flask.has_request_context():
        return None
    if "auth_user" not in g:
        g.auth_user = _resolve_user()
    return g.auth_user


# ---------------------------------------------------------------- roles on callbacks


def requires(role: str, *, files: bool = False):
    """Mark a Dash callback (put it under ``@callback``) as needing ``role`` or above;
    ``files``: it receives dropped files, so its requests may be large (``bodies``).

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
        checked.accepts_files = files
        return checked

    return wrap


def callback_function(output: object):
    """The server function of the callback with this output key (None: no such callback)."""
    if not isinstance(output, str):
        return None
    try:
        import dash

        callback_map = dash.get_app().callback_map
    except Exception:  # no Dash app on this server
        return None
    entry = callback_map.get(output)
    if entry is None:
        from dash import _callback

        entry = _callback.GLOBAL_CALLBACK_MAP.get(output)
    # clientside callbacks have no server function: Dash refuses them itself
    return (entry or {}).get("callback")


def callback_role(body: dict | None) -> str:
    """The role the callback named by a /_dash-update-component body needs."""
    output = (body or {}).get("output") if isinstance(body, dict) else None
    return getattr(callback_function(output), "min_role", "viewer")


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
    if user is None and request.path in PUBLIC_PAGES and request.method in SAFE_METHODS:
        return public_page()
    if user is None:
        return _refuse(401, "Sign in to use the dashboard.")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(sessions.CSRF_HEADER)
        if not sessions.same_origin() or not sessions.csrf_valid(sent):
            return _refuse(403, "The request was refused (missing or wrong CSRF token).")
    if request.path.endswith("/_dash-update-component"):
        needed = callback_role(request.get_json(silent=True))
        if not user.can(needed):
            return _refuse(403, f"This needs the {needed} role; you are a {user.role}.")
    return None


PUBLIC_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}: community safety dashboard</title>
  <link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body>
<main class="container py-4" id="main">
{body}
<p class="mt-4"><a href="/login">Sign in</a> to use the dashboard.</p>
</main>
</body>
</html>"""


def make_public(path: str, title: str, layout) -> None:
    """Let anyone read the page at ``path`` (the accessibility statement: the regulations ask
    that anyone can); ``layout()`` must draw it from no data (it is written out as HTML)."""
    PUBLIC_PAGES[path] = (title, layout)


def public_page():
    """A public page for a visitor who is not signed in, written out as HTML from its layout."""
    from dashboard.ui.static_html import render

    title, layout = PUBLIC_PAGES[request.path]
    page = PUBLIC_PAGE.format(title=escape(title), body=render(layout()))
    response = flask.make_response(page, 200)
    response.headers["Cache-Control"] = "no-store"
    return response


def _after(response):
    # The CSRF cookie is readable by the page's own script (Dash sends it back as a header);
    # other sites cannot read it, and SameSite keeps it off their requests.
    token = session.get("csrf") if request.path not in {"/healthz"} else None
    if token and request.cookies.get(sessions.CSRF_COOKIE) != token:
        response.set_cookie(
            sessions.CSRF_COOKIE,
            token,
            samesite="Lax",
            secure=sessions.cookie_secure(),
            httponly=False,
            path="/",
        )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    return response


# Scripts only from this server, plus Dash's own inline scripts (its renderer's start and the
# clientside callbacks written as strings) by their hashes; styles may be inline (Plotly and the
# React components set them); charts' images may be data: URLs. No other site is ever asked.
CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy() -> str:
    """The policy a response carries, worked out for each response: Dash adds inline scripts
    when it sets itself up on its first request, which may come after responses that were
    refused (a signed-out visitor's redirect to sign in), so a policy kept from then would
    block them."""
    try:
        import dash

        hashes = " ".join(dash.get_app().csp_hashes())
    except Exception:  # no Dash app on this server: no inline script is allowed
        hashes = ""
    return CSP.format(hashes=hashes).replace("'self' ;", "'self';")


class RequestHandler(WSGIRequestHandler):
    """The built-in server's request handler (``python app.py``), its Server header naming no
    software or versions (Werkzeug's says ``Werkzeug/3.1.9 Python/3.11.7``)."""

    def version_string(self) -> str:
        return "dashboard"


def _ensure_csrf():
    # Every visitor gets a token on their first page, so Dash's first callback carries one.
    if request.method in SAFE_METHODS and request.path not in PUBLIC_PATHS:
        sessions.csrf_token()


def init_auth(server: Flask) -> None:
    """Put the guard, the sign-in pages and the cookie settings on the Flask server."""
    from dashboard.auth import bodies, signin

    server.secret_key = sessions.secret_key()
    server.session_interface = sessions.SessionInterface()
    server.config.update(
        SESSION_COOKIE_NAME=sessions.SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.flag(config.SECURE_COOKIES),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=float(config.SESSION_HOURS.get())),
        MAX_CONTENT_LENGTH=bodies.small_body_bytes(),  # raised per request for uploads
    )
    # First in line, before Dash's own before_request hooks: the body's size, then who it is.
    server.before_request_funcs.setdefault(None, []).insert(0, guard)
    server.before_request_funcs[None].insert(0, bodies.limit_body)
    server.before_request(_ensure_csrf)
    server.after_request(_after)
    server.register_blueprint(signin.blueprint)
