"""Exempt items: datasets or indicators only managers may see.

``python -m dashboard exempt add|remove|list``. A dataset (``ward_crime``, ``iom``, ...) or an
indicator (``Burglary``, ``Violence with injury``, ...) marked exempt is left out, for viewers
and analysts, of what ``dashboard.cache`` hands to pages and exports, and of the history,
upload and provenance pages. A total that includes an exempt indicator (the MOPAC7 total) is
exempt with it (``domain.exemptions``). Managers see everything. Outside a web request (the CLI, reports
run on the server) nothing is hidden: those are run by whoever runs the server.
"""

from __future__ import annotations

import flask
import pandas as pd
from sqlalchemy import Engine

from core import db, queries
from dashboard.auth import guard, store
from domain.exemptions import withheld

KINDS = ("dataset", "indicator")


def items(engine: Engine | None = None) -> pd.DataFrame:
    """Every exempt item: kind, name, marked_by, marked_at."""
    return queries.exempt_items(engine or db.get_engine())


def mark(engine: Engine, kind: str, name: str, user: str | None = None) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    store.mark_exempt(engine, kind, name, user)


def unmark(engine: Engine, kind: str, name: str) -> bool:
    return store.unmark_exempt(engine, kind, name)


def sees_exempt(user) -> bool:
    """Whether ``user`` may see exempt items (and the Part 2 board pack): managers."""
    return user is not None and user.can("manager")


def hidden(kind: str) -> set[str]:
    """Names of this kind hidden from the current user (empty for managers and off the web);
    indicators include every total that includes a hidden one."""
    if not flask.has_request_context():
        return set()
    if sees_exempt(guard.current_user()):
        return set()
    found = flask.g.setdefault("exempt_hidden", {})  # read once per request, asked many times
    if kind not in found:
        cache = flask.g.setdefault("exempt_items", None)
        if cache is None:
            cache = flask.g.exempt_items = items()
        names = {name for k, name in zip(cache["kind"], cache["name"], strict=True) if k == kind}
        found[kind] = withheld(names) if kind == "indicator" else names
    return set(found[kind])


def visible(frame: pd.DataFrame, dataset: str | None = None, column: str = "indicator"):
    """``frame`` without exempt indicators (in ``column``); empty when ``dataset`` is exempt."""
    if dataset is not None and dataset in hidden("dataset"):
        return frame.iloc[0:0]
    names = hidden("indicator")
    if names and column in frame.columns:
        return frame[~frame[column].isin(names)]
    return frame
