"""The sign-in and sign-out pages (plain server-rendered HTML, so they work before Dash loads),
the health check, and the navbar's "signed in as" menu.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import flask
from dash import dcc, html
from flask import Blueprint, request
from werkzeug.security import check_password_hash, generate_password_hash

from core import config, db, queries
from dashboard import memo
from dashboard.auth import guard, sessions, throttle

blueprint = Blueprint("signin", __name__)

# Compared against when the user name is unknown, so a wrong name takes as long as a wrong
# password (no telling which names exist from the time taken).
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }}: community safety dashboard</title>
  <link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body class="bg-body-tertiary">
<main class="container py-5" style="max-width: 28rem">
  <h1 class="h3 mb-3">{{ borough }} community safety</h1>
  {% if message %}
  <div class="alert alert-{{ tone }}" role="{{ 'alert' if tone == 'danger' else 'status' }}"
       id="signin-message">{{ message }}</div>
  {% endif %}
  {% if form == 'login' %}
  <form method="post" action="/login" class="card card-body">
    <h2 class="h5">Sign in</h2>
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <input type="hidden" name="next" value="{{ next }}">
    <div class="mb-3">
      <label for="signin-name" class="form-label">User name</label>
      <input id="signin-name" name="username" class="form-control" autocomplete="username"
             required autofocus value="{{ username }}">
    </div>
    <div class="mb-3">
      <label for="signin-password" class="form-label">Password</label>
      <input id="signin-password" name="password" type="password" class="form-control"
             autocomplete="current-password" required>
    </div>
    <button type="submit" class="btn btn-primary" id="signin-submit">Sign in</button>
  </form>
  {% elif form == 'logout' %}
  <form method="post" action="/logout" class="card card-body">
    <p>Signed in as <strong>{{ username }}</strong>.</p>
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <button type="submit" class="btn btn-primary" id="signout-submit">Sign out</button>
  </form>
  {% endif %}
  {% if hint %}<p class="mt-3 small text-body-secondary">{{ hint }}</p>{% endif %}
</main>
</body>
</html>"""

NO_USERS_HINT = (
    "No users exist yet. Whoever runs the server adds one with: "
    "python -m dashboard users add NAME --role manager"
)


def _render(status: int = 200, **values) -> flask.Response:
    values = {
        "message": "",
        "tone": "info",
        "form": "login",
        "next": "/",
        "username": "",
        "hint": "",
        "title": "Sign in",
        "borough": config.home_borough(),
        "csrf": sessions.csrf_token(),
        **values,
    }
    response = flask.make_response(flask.render_template_string(PAGE, **values), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


@blueprint.route("/healthz")
def healthz():
    """200 when this worker can read the database, 503 otherwise (a load balancer then sends
    visitors elsewhere), with a line for the database and one for Redis: "ok", "unavailable" or
    (no REDIS_URL) "not used". Redis down is "degraded", still 200: pages are then drawn from
    the database, only the board packs wait. Says nothing about the data or the users."""
    try:
        answered = queries.ping(db.get_engine())
    except Exception:  # any failure to reach the database is "not healthy", never a 500
        flask.current_app.logger.warning("health check: the database did not answer", exc_info=True)
        answered = False
    shared = memo.redis_answers()
    lines = [
        "database: " + ("ok" if answered else "unavailable"),
        "redis: " + {None: "not used", True: "ok", False: "unavailable"}[shared],
    ]
    if not answered:
        return flask.Response("\n".join(["unavailable", *lines, ""]), 503, mimetype="text/plain")
    first = "degraded" if shared is False else "ok"
    return flask.Response("\n".join([first, *lines, ""]), mimetype="text/plain")


@blueprint.route("/login", methods=["GET"])
def login():
    user = guard.current_user()
    target = safe_next(request.args.get("next"))
    if user is not None and user.signed_in:
        return flask.redirect(target)
    hint = "" if queries.users_exist(db.get_engine()) else NO_USERS_HINT
    message = "You have signed out." if request.args.get("signed_out") else ""
    return _render(next=target, hint=hint, message=message)


def _client() -> str:
    return request.remote_addr or "unknown"


@blueprint.route("/login", methods=["POST"])
def login_post():
    target = safe_next(request.form.get("next"))
    name = request.form.get("username", "").strip()[:200]
    password = request.form.get("password", "")
    if not sessions.csrf_valid(request.form.get(sessions.CSRF_FIELD)):
        return _render(
            400,
            next=target,
            username=name,
            tone="danger",
            message="The sign-in form had expired. Please try again.",
        )
    engine = db.get_engine()
    allowed = throttle.attempt(engine, _client(), name)
    if allowed.wait > 0:
        return _render(
            429,
            next=target,
            username=name,
            tone="danger",
            message=f"Too many failed sign-ins. Try again in {int(allowed.wait) + 1} seconds.",
        )
    row = queries.user_row(engine, name) if name else None
    ok = check_password_hash(row.password_hash if row else _DUMMY_HASH, password)
    if not (row and ok):  # the name's failure is noted already (throttle.attempt)
        throttle.address_failed(engine, _client())
        return _render(
            401, next=target, username=name, tone="danger", message="Wrong user name or password."
        )
    if row.disabled:
        throttle.release(engine, allowed)
        return _render(
            403,
            next=target,
            username=name,
            tone="danger",
            message="This account is disabled. Ask a manager to enable it.",
        )
    throttle.succeeded(engine, _client(), name, allowed)
    sessions.sign_in(row.name, row.password_hash)
    return flask.redirect(target)


@blueprint.route("/logout", methods=["GET"])
def logout():
    user = guard.current_user()
    if user is None or not user.signed_in:
        return flask.redirect("/login")
    return _render(form="logout", username=user.name, title="Sign out")


@blueprint.route("/logout", methods=["POST"])
def logout_post():
    if sessions.csrf_valid(request.form.get(sessions.CSRF_FIELD)):
        sessions.sign_out()
        return flask.redirect("/login?signed_out=1")
    return flask.redirect("/logout")


def user_menu() -> html.Div:
    """'Signed in as NAME (role)' and a sign-out button, for the navbar (empty when open)."""
    user = guard.current_user()
    if user is None or not user.signed_in:
        return html.Div(id="user-menu")
    return html.Div(
        html.Form(
            [
                html.Span(
                    user.label,
                    className="text-light small me-2",
                    id="user-menu-name",
                ),
                dcc.Input(type="hidden", name=sessions.CSRF_FIELD, value=sessions.csrf_token()),
                html.Button(
                    "Sign out",
                    type="submit",
                    id="user-menu-signout",
                    className="btn btn-outline-light btn-sm",
                ),
            ],
            method="post",
            action="/logout",
            className="d-flex align-items-center mb-0",
        ),
        id="user-menu",
        className="ms-auto",
    )
