"""Driving the dashboard's server over HTTP in tests: users, sign-in, callback requests."""

from __future__ import annotations

import re

from dash._utils import split_callback_id

PASSWORD = "correct horse battery"


def the_app():
    """The one Dash app of this process (app.py), imported on first use."""
    import app

    return app.app


def add_user(engine, name: str, role: str, password: str = PASSWORD) -> None:
    """A user with a cheap hash (scrypt takes a good part of a second; tests add many)."""
    from datetime import datetime

    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from core import db

    with engine.begin() as conn:
        conn.execute(
            insert(db.users).values(
                name=name,
                role=role,
                disabled=False,
                created_at=datetime.now(),
                password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
            )
        )


def form_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, name: str, password: str = PASSWORD, next_path: str = "/"):
    token = form_token(client)
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token, "next": next_path},
    )


def csrf(client) -> str | None:
    cookie = client.get_cookie("_csrf_token")
    return cookie.value if cookie else None


def callback_map() -> dict:
    """Every callback the app has registered, by its output key."""
    from dash import _callback

    return {**_callback.GLOBAL_CALLBACK_MAP, **the_app().callback_map}


def callback_body(output: str, inputs: list[dict] | None = None, state=None) -> dict:
    """A /_dash-update-component body for the callback with this output key."""
    entry = callback_map().get(output, {})
    outputs = split_callback_id(output)
    if inputs is None:
        inputs = [{**i, "value": None} for i in entry.get("inputs", [])]
    if state is None:
        state = [{**s, "value": None} for s in entry.get("state", [])]
    return {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [],
    }


def fire(client, output: str, inputs=None, state=None, token: str | None = "cookie"):
    """POST a callback request as the browser would (the CSRF header from the cookie)."""
    headers = {}
    if token == "cookie":
        token = csrf(client)
    if token:
        headers["X-CSRFToken"] = token
    return client.post(
        "/_dash-update-component", json=callback_body(output, inputs, state), headers=headers
    )


def output_key(prefix: str) -> str:
    """The output key of the one callback whose key contains ``prefix`` as an output id."""
    keys = [k for k in callback_map() if f"{prefix}." in k]
    assert len(keys) == 1, f"{prefix}: {keys}"
    return keys[0]
