"""Who may sign in: ``python -m dashboard users add|passwd|role|disable|enable|list``.

Passwords are read from standard input (a prompt asked twice at a terminal, else the first
line), never from the command line, where other users of the machine could read them.
Stored as werkzeug hashes (scrypt). Roles: viewer browses; analyst also uploads; manager also
reverts uploads and manages exempt items.
"""

from __future__ import annotations

import getpass
import sys

from sqlalchemy import Engine
from werkzeug.security import generate_password_hash

from core import queries
from dashboard.auth import store
from dashboard.auth.roles import ROLES

MIN_PASSWORD = 10


class UserError(Exception):
    """A request the user store refuses, in words for the person at the terminal."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"The password must be at least {MIN_PASSWORD} characters long.")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")


def _existing(engine: Engine, name: str):
    row = queries.user_row(engine, name)
    if row is None:
        raise UserError(f"There is no user called {name!r}.")
    return row


def add_user(engine: Engine, name: str, password: str, role: str) -> None:
    """Add a user with a hashed password."""
    name = name.strip()
    if not name or len(name) > 200 or any(c.isspace() for c in name):
        raise UserError("A user name is 1 to 200 characters with no spaces.")
    _check_role(role)
    _check_password(password)
    if queries.user_row(engine, name) is not None:
        raise UserError(f"A user called {name!r} already exists.")
    store.insert_user(engine, name, generate_password_hash(password), role)


def _set(engine: Engine, name: str, end_sessions: bool = False, **values) -> None:
    _existing(engine, name)
    store.update_user(engine, name, end_sessions=end_sessions, **values)


def set_password(engine: Engine, name: str, password: str) -> None:
    """Change a password (this also ends the user's open sessions)."""
    _check_password(password)
    _set(engine, name, end_sessions=True, password_hash=generate_password_hash(password))


def set_role(engine: Engine, name: str, role: str) -> None:
    _check_role(role)
    _set(engine, name, role=role)


def set_disabled(engine: Engine, name: str, disabled: bool) -> None:
    """Disable (their sessions end at once, for good) or enable a user."""
    _set(engine, name, end_sessions=disabled, disabled=disabled)


def read_password(stream=None, prompt: bool | None = None) -> str:
    """The new password from standard input: asked twice at a terminal, else the first line."""
    stream = stream or sys.stdin
    if prompt is None:
        prompt = stream.isatty()
    if prompt:
        first = getpass.getpass("New password: ")
        if getpass.getpass("Same password again: ") != first:
            raise UserError("The two passwords differ; nothing was changed.")
        return first
    line = stream.readline()
    if not line:
        raise UserError("No password on standard input (pipe it in, e.g. from a file).")
    return line.rstrip("\r\n")
