"""How large a request body may be, by route and role, decided before any of it is read.

Every request may carry at most MAX_REQUEST_KB (a callback's inputs, the sign-in form). Only
files dropped on the Upload page by the roles that may upload (the Dash callback marked
``guard.requires(..., files=True)``, or a Flask route named in ``UPLOAD_ROUTES``) may carry
up to MAX_UPLOAD_FILES files of MAX_UPLOAD_MB. The request's Content-Length is compared before
the body is touched: a larger body from anyone else is answered 413 (403 for a role that may
not upload, to the upload callback itself) unread, so a viewer's 300 MB POST costs the server
nothing. For the Dash callback route, which callback a body is for is read from its first
few kilobytes (Dash's renderer writes ``{"output": ...`` first), and only by a role that may
upload; those bytes are then handed back to Dash untouched. A body sent without a length is
cut off at the cap as it is read (Flask's per-request ``max_content_length``).
"""

from __future__ import annotations

import io
import json
import re

from flask import jsonify, request

from core import config
from dashboard.auth import guard

UPLOAD_ROLE = "analyst"  # the lowest role any large-body route accepts
UPLOAD_ROUTES: set[str] = set()  # Flask routes that take files (none yet besides the callback)
PEEK_BYTES = 4096
OUTPUT = re.compile(rb'^\s*\{\s*"output"\s*:\s*"((?:[^"\\]|\\.)*)"')


def small_body_bytes() -> int:
    return int(float(config.MAX_REQUEST_KB.get()) * 1024)


def upload_body_bytes() -> int:
    """Largest upload body: MAX_UPLOAD_FILES files of MAX_UPLOAD_MB, base64 (4/3) in JSON."""
    files = int(config.MAX_UPLOAD_FILES.get())
    return int(config.max_upload_bytes() * files * 4 / 3) + 2**20


class _Replayed(io.RawIOBase):
    """The request body with its first bytes (already read, to see which callback it is for)
    given back first."""

    def __init__(self, head: bytes, rest) -> None:
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _peek_output(length: int) -> str | None:
    """The output key a /_dash-update-component body names first, reading at most PEEK_BYTES."""
    stream = request.environ["wsgi.input"]
    head = b""
    while len(head) < min(PEEK_BYTES, length):
        part = stream.read(min(PEEK_BYTES, length) - len(head))
        if not part:
            break
        head += part
    request.environ["wsgi.input"] = io.BufferedReader(_Replayed(head, stream))
    found = OUTPUT.match(head)
    try:
        return json.loads(b'"' + found.group(1) + b'"') if found else None
    except ValueError:
        return None


def _upload_role(length: int) -> str | None:
    """The role this request's route takes a large body from, or None when it takes none."""
    if request.path in UPLOAD_ROUTES:
        return UPLOAD_ROLE
    if request.method == "POST" and request.path.endswith("/_dash-update-component"):
        func = guard.callback_function(_peek_output(length))
        if getattr(func, "accepts_files", False):
            return getattr(func, "min_role", UPLOAD_ROLE)
    return None


def _refuse(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    response.headers["Connection"] = "close"  # the unread body is not waited for
    return response


def _too_large(length: int, limit: int):
    return _refuse(
        413,
        f"The request is too large ({length / 2**20:.1f} MB): this address accepts at most "
        f"{limit / 2**20:.1f} MB. Only files dropped on the Upload page may be larger.",
    )


def limit_body():
    """Runs before every request, ahead of the guard: refuse a body too large for the route and
    the user's role, unread."""
    small = small_body_bytes()
    request.max_content_length = small
    length = request.content_length
    if not length or length <= small:
        return None  # small, or sent without a length: then cut off at the cap as it is read
    if request.path in guard.PUBLIC_PATHS:
        return _too_large(length, small)
    user = guard.current_user()
    if user is None:
        return None  # the guard answers 401 without reading it
    if not user.can(UPLOAD_ROLE):
        return _too_large(length, small)
    needed = _upload_role(length)
    if needed is None:
        return _too_large(length, small)
    if not user.can(needed):
        return _refuse(403, f"Uploading needs the {needed} role; you are a {user.role}.")
    if length > upload_body_bytes():
        return _too_large(length, upload_body_bytes())
    request.max_content_length = upload_body_bytes()
    return None
