"""The period picker, and pages that arrive drawn: the layout carries its figures, so a page
costs one request.

A page whose charts came from a callback after the layout took two round trips and drew every
chart twice (empty, then filled). Instead the layout function runs the page's own update
function for the period in the address and puts its values in place (``prefill``); the update
callback then runs only when something changes: it listens to the shell's period picker
directly (``PICKED``, with ``prevent_initial_call=True``), so a change costs one round of Dash
callbacks. The picker can hold another month than the page was drawn for (a bare address opened
within the app): a browser-side follower then puts the picker's month in the page's
``<page>-follow`` Store once, as the page opens, and the update callback listens to that too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.development.base_component import Component

from core.months import Month
from dashboard.text import month_label, month_value

PICKED = Input("period-select", "value")  # the shell's period picker (app.py)
LATEST = {"label": "Latest loaded for each page", "value": "latest"}  # no ?period= in addresses


def period_options(months: Iterable[Month]) -> list[dict]:
    """Period picker options, newest first: label 'February 2025', value 'YYYY-MM'."""
    return [{"label": month_label(m), "value": month_value(m)} for m in reversed(list(months))]


def period_bar(options: list[dict]) -> dbc.Container:
    """The one period picker (``options``: ``period_options`` of the months any dataset has,
    newest first), with "Latest loaded for each page" first and chosen: each page then shows
    its own data's latest month."""
    return dbc.Container(
        html.Div(
            [
                html.Label("Period: the 12 months to", htmlFor="period-select", className="mb-0"),
                # A native <select>: the browser draws its list, keyboard and screen-reader
                # handling are the platform's own, and a choice costs the page no re-rendering
                # (a dcc.Dropdown of 180 months took 20-30 ms to close on every choice).
                dbc.Select(
                    id="period-select",
                    options=[LATEST, *options] if options else [],
                    value=LATEST["value"] if options else None,
                    disabled=not options,
                    placeholder="No figures loaded",
                    className="period-select",
                ),
            ],
            className="d-flex align-items-center flex-wrap gap-2",
            role="group",
            **{"aria-label": "Reporting period"},
        ),
        fluid=True,
        className="mb-2",
    )


def period_id(page: str) -> str:
    return f"{page}-period"


def follow_id(page: str) -> str:
    return f"{page}-follow"


def period_store(page: str, month: Month | None) -> html.Div:
    """The Stores a prefilled page needs: ``<page>-period`` holds the month the page is drawn for
    (``month``: the one its update function picks) as the picker's value, 'YYYY-MM';
    ``<page>-follow`` receives the picker's month if it differs."""
    drawn = None if month is None else month_value(month)
    return html.Div([dcc.Store(id=period_id(page), data=drawn), dcc.Store(id=follow_id(page))])


def register_period_follower(page: str) -> Input:
    """As the page opens, copy the picker's month into ``<page>-follow`` if it is not the month
    drawn. Returns that Store's Input: the page's update callback lists it after ``PICKED``
    (both with ``prevent_initial_call=True``) and takes the month from ``PICKED``.
    """
    dash.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="followPeriod"),
        Output(follow_id(page), "data"),
        Input(period_id(page), "data"),
        State("period-select", "value"),
    )
    return Input(follow_id(page), "data")


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
