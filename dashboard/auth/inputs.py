"""Callback inputs checked for type in one place, before any callback runs.

A callback request carries each input's and state's value as JSON, and anyone can send a list or
an object where the page would send a string: a callback then failed with a server error (500).
``check_callback_body`` runs before Dash for every /_dash-update-component request and answers
400 when a value is not of its kind. A property's kind is set here for the properties every page
uses (``PROPERTY_KINDS``: a dropdown's ``value`` is one plain value, an address's ``pathname``
text, a button's ``n_clicks`` a count); a page declares the others it reads with ``expect``
(``expect("crime-slug", "data", TEXT)``: a store holding text). Properties of neither are
passed on unchecked (a store the page fills with its own tables).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify, request

Kind = Callable[[object], bool]


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _count(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _scalars(value: object) -> bool:
    return value is None or (isinstance(value, list) and all(map(_scalar, value)))


def _files(value: object) -> bool:
    return _text(value) or (isinstance(value, list) and all(map(_text, value)))


def _texts(value: object) -> bool:
    return value is None or (isinstance(value, list) and all(map(_text, value)))


def _mapping(value: object) -> bool:
    return value is None or isinstance(value, dict)


TEXT: Kind = _text
COUNT: Kind = _count
SCALAR: Kind = _scalar
SCALARS: Kind = _scalars  # a checklist's values
TEXTS: Kind = _texts
FILES: Kind = _files  # dcc.Upload: one file or several
MAPPING: Kind = _mapping  # a chart's clickData

PROPERTY_KINDS: dict[str, Kind] = {
    "pathname": TEXT,
    "search": TEXT,
    "hash": TEXT,
    "href": TEXT,
    "n_clicks": COUNT,
    "n_intervals": COUNT,
    "n_submit": COUNT,
    "contents": FILES,
    "filename": FILES,
    "value": SCALAR,
    "clickData": MAPPING,
}
_declared: dict[tuple[str, str], Kind] = {}


def expect(component_id: str, prop: str, kind: Kind) -> None:
    """Declare the kind of value a page's component property holds (overrides the default)."""
    _declared[(component_id, prop)] = kind


def _kind(component_id: object, prop: object) -> Kind | None:
    if isinstance(component_id, dict):  # a pattern-matching id: its "type" names the family
        component_id = component_id.get("type")
    if not isinstance(component_id, str) or not isinstance(prop, str):
        return None
    return _declared.get((component_id, prop)) or PROPERTY_KINDS.get(prop)


def _entries(items: object) -> list[object]:
    """A body's inputs or state, flattened: a pattern-matching input is a list of entries."""
    if not isinstance(items, list):
        return [items]
    out: list[object] = []
    for item in items:
        out += item if isinstance(item, list) else [item]
    return out


def wrong_input(body: object) -> str | None:
    """What is wrong with a callback body's inputs and state (None: nothing)."""
    if not isinstance(body, dict):
        return "the request is not a callback request"
    for entry in _entries(body.get("inputs") or []) + _entries(body.get("state") or []):
        if not isinstance(entry, dict):
            return "an input is not an object with an id, a property and a value"
        kind = _kind(entry.get("id"), entry.get("property"))
        if kind is not None and not kind(entry.get("value")):
            return f"{entry.get('id')}.{entry.get('property')} is not the kind of value it holds"
    return None


def check_callback_body():
    """Runs before Dash's callback route: a value of the wrong kind is answered 400 there."""
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    problem = wrong_input(request.get_json(silent=True))
    if problem is None:
        return None
    response = jsonify({"error": f"The request was refused: {problem}."})
    response.status_code = 400
    return response
