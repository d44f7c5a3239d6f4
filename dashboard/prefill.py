"""Pages that arrive drawn: the layout carries its figures, so a page costs one request.

A page whose charts came from a callback after the layout took two round trips and drew every
chart twice (empty, then filled). Instead the layout function runs the page's own update
function for the period in the address and puts its values in place (``prefill``); the update
callback then runs only when something changes. The shell's period picker can differ from the
address (after a navbar link, say): a browser-side callback copies the picker's month into the
page's ``<page>-period`` Store only when it differs from the month drawn, and the page's update
callback listens to that Store.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash
from dash import ClientsideFunction, Input, Output, State, dcc
from dash.development.base_component import Component

from dashboard import components, service


def period_id(page: str) -> str:
    return f"{page}-period"


def period_store(page: str, period: str | None) -> dcc.Store:
    """The Store holding the month the page is drawn for, as the picker's value ('YYYY-MM'):
    ``period`` if it is loaded, else the latest (the month every update function picks)."""
    month = components.chosen_month(period, service.period_months())
    return dcc.Store(id=period_id(page), data=None if month is None else f"{month:%Y-%m}")


def register_period_follower(page: str) -> Input:
    """Copy the picker's month into ``<page>-period`` when it differs from the month drawn.

    Returns the Input the page's update callback should listen to (with
    ``prevent_initial_call=True``: the layout already holds the first drawing).
    """
    dash.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="followPeriod"),
        Output(period_id(page), "data"),
        Input("period-select", "value"),
        State(period_id(page), "data"),
    )
    return Input(period_id(page), "data")


def prefill(tree: Component, outputs: Sequence[tuple[str, str]], values: Sequence) -> Component:
    """Set each (id, property) of ``outputs`` in ``tree`` to the matching value; returns tree.

    Raises if an output's id is missing from the tree, so a renamed component cannot silently
    leave a chart empty.
    """
    if len(outputs) != len(values):
        raise ValueError(f"{len(outputs)} outputs but {len(values)} values")
    by_id = {getattr(c, "id", None): c for c in tree._traverse()}
    by_id[getattr(tree, "id", None)] = tree
    for (component_id, prop), value in zip(outputs, values, strict=True):
        if component_id not in by_id:
            raise KeyError(f"no component with id {component_id!r} in the layout")
        setattr(by_id[component_id], prop, value)
    return tree
