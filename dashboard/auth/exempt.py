"""Exempt items: datasets or indicators only managers may see.

``python -m dashboard exempt add|remove|list``. A dataset (``ward_crime``, ``iom``, ...) or an
indicator (``Burglary``, ``Violence with injury``, ...) marked exempt is left out, for viewers
and analysts, of what ``dashboard.cache`` hands to pages and exports, and of the history,
upload and provenance pages. What an exempt indicator includes, and every figure that includes
either (the MOPAC7 total, TNO, the hate crime total, ...), is withheld with it
(``domain.exemptions``). Each table names the columns that hold indicators (``visible``'s
``items``): filtered by what a column means, not by what it is called. Managers see everything. Outside a web request (the CLI, reports
run on the server) nothing is hidden: those are run by whoever runs the server.
"""

from __future__ import annotations

import difflib

import flask
import pandas as pd
from sqlalchemy import Engine

from core import db, queries
from core.reference import EXEMPTIBLE_DATASETS, INDICATOR_NAMES
from dashboard.auth import guard, store
from domain.exemptions import category_withheld, covered, datasets_withheld, withheld

KINDS = ("dataset", "indicator")
CATEGORY_DATASETS = ("borough_crime", "ward_crime")  # rows: the MPS files' major and minor


def items(engine: Engine | None = None) -> pd.DataFrame:
    """Every exempt item: kind, name, marked_by, marked_at."""
    return queries.exempt_items(engine or db.get_engine())


class UnknownName(ValueError):
    """A name no dataset or indicator has: ``nearest`` are the names it is closest to."""

    def __init__(self, kind: str, name: str, nearest: list[str]):
        self.nearest = nearest
        hint = f" Did you mean {' or '.join(repr(n) for n in nearest)}?" if nearest else ""
        super().__init__(f"No {kind} is called {name!r}.{hint}")


def known(engine: Engine, kind: str) -> list[str]:
    """Every name of this kind an exemption may name: the datasets pages show; the indicators
    of the reference data and the MPS dashboard subgroups loaded."""
    if kind == "dataset":
        return list(EXEMPTIBLE_DATASETS)
    return sorted(INDICATOR_NAMES | set(queries.subgroup_names(engine)))


def canonical(engine: Engine, kind: str, name: str) -> str:
    """``name`` as the dashboard spells it (any letter case and spacing); ``UnknownName``, with
    the nearest names, when nothing is called that."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    names = {" ".join(n.split()).casefold(): n for n in known(engine, kind)}
    key = " ".join(str(name).split()).casefold()
    if key in names:
        return names[key]
    nearest = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    raise UnknownName(kind, name, [names[n] for n in nearest])


def mark(engine: Engine, kind: str, name: str, user: str | None = None) -> str:
    """Mark the item exempt under its canonical name (returned); ``UnknownName`` if none."""
    name = canonical(engine, kind, name)
    store.mark_exempt(engine, kind, name, user)
    return name


def unmark(engine: Engine, kind: str, name: str, user: str | None = None) -> bool:
    return store.unmark_exempt(engine, kind, name, user)


def sees_exempt(user) -> bool:
    """Whether ``user`` may see exempt items (and the Part 2 board pack): managers."""
    return user is not None and user.can("manager")


def history(engine: Engine | None = None) -> pd.DataFrame:
    """Every marking and unmarking, newest first: kind, name, action, changed_by, changed_at."""
    return queries.exempt_history(engine or db.get_engine())


def no_longer_seen(kind: str, name: str) -> list[str]:
    """What viewers and analysts no longer see with this item exempt: the dataset, or the
    indicator with what it includes and every figure that includes either."""
    return [name] if kind == "dataset" else sorted(withheld({name}))


def _marked(kind: str) -> set[str]:
    """Names of this kind marked exempt, read once per request (empty for managers, off the web)."""
    if not flask.has_request_context():
        return set()
    if sees_exempt(guard.current_user()):
        return set()
    cache = flask.g.setdefault("exempt_items", None)
    if cache is None:
        cache = flask.g.exempt_items = items()
    return {name for k, name in zip(cache["kind"], cache["name"], strict=True) if k == kind}


def hidden(kind: str) -> set[str]:
    """Names of this kind hidden from the current user (empty for managers and off the web);
    indicators include what an exempt one includes and every figure that includes either."""
    found = flask.g.setdefault("exempt_hidden", {}) if flask.has_request_context() else {}
    if kind not in found:
        names = _marked(kind)
        found[kind] = withheld(names) if kind == "indicator" else datasets_withheld(names)
    return set(found[kind])


def within() -> set[str]:
    """The indicators exempt from the current user and everything they include."""
    return covered(_marked("indicator"))


def shown(dataset: str | None, indicator: str | None) -> bool:
    """Whether the user may see ``indicator``'s figures from ``dataset``."""
    return dataset not in hidden("dataset") and indicator not in hidden("indicator")


def none_shown(dataset: str, indicators=()) -> bool:
    """Whether the user may see nothing of ``dataset``: it is exempt, or every one of
    ``indicators`` (all its rows are of) is withheld. Then its pages say its figures are not
    shown to the reader, never that none are loaded."""
    if dataset in hidden("dataset"):
        return True
    return bool(indicators) and set(indicators) <= hidden("indicator")


def visible(frame: pd.DataFrame, dataset: str | None = None, items=("indicator",)):
    """``frame`` without the rows of withheld indicators; empty when ``dataset`` is exempt.

    ``items``: the columns of ``frame`` that name an indicator (a MOPAC7 type, an MPS dashboard
    subgroup, a hate crime strand), whatever they are called; a frame with columns but not one
    of these is an error, not a frame let through unfiltered. Names compare in any letter case.
    """
    if dataset is not None and dataset in hidden("dataset"):
        return frame.iloc[0:0]
    names = {n.casefold() for n in hidden("indicator")}
    if not len(frame.columns):
        return frame
    missing = [c for c in items if c not in frame.columns]
    if missing:
        raise KeyError(f"no indicator column {missing} to withhold exempt figures by")
    for column in items if names else ():
        values = frame[column]
        kinds = values.cat.categories if isinstance(values.dtype, pd.CategoricalDtype) else None
        found = [v for v in (values.unique() if kinds is None else kinds) if _key(v) in names]
        if found:
            frame = frame[~values.isin(found)]
    return frame


def _key(value) -> str:
    return str(value).casefold()


def visible_categories(rows: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Rows of a file's categories (``major``, ``minor``) the user may see. An MPS dashboard
    row is its subgroup (``minor``); a borough or ward file's row is hidden when named or typed
    as a withheld indicator or within an exempt total (``domain.exemptions``)."""
    if dataset not in CATEGORY_DATASETS:
        return visible(rows, dataset, items=("minor",))
    exempt = _marked("indicator")
    if dataset in hidden("dataset"):
        return rows.iloc[0:0]
    if rows.empty or not exempt:
        return rows
    names = hidden("indicator")
    keep = [
        not category_withheld(major, minor, exempt, names)
        for major, minor in zip(rows["major"], rows["minor"], strict=True)
    ]
    return rows[keep]
