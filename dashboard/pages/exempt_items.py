"""Exempt items (/exempt, managers): mark a dataset or indicator exempt (only managers then see
it, with every figure that includes it) or make it visible again, and every change with who and
when. The same as ``python -m dashboard exempt add|remove|list``; linked from the Targets page.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import cache
from dashboard.auth import exempt, guard
from dashboard.text import time_label
from dashboard.ui import uploads as views
from dashboard.ui.targets import table_or_note

dash.register_page(
    __name__, path="/exempt", name="Exempt items", order=53, title="Exempt items", nav=False
)
HELP = (
    "An exempt dataset or indicator is shown to managers only. Viewers and analysts (and the "
    "default board pack) see no figure that includes it either: with Burglary exempt, no MOPAC7 "
    "total, no TNO Victim Based and no Overall crime, so nothing exempt can be worked out by "
    "subtraction."
)


def layout(**_query) -> html.Div:
    refusal = views.who_may("manager", guard.current_user())
    if refusal is not None:
        return html.Div([html.H1("Exempt items"), refusal])
    kinds = [{"label": k.capitalize(), "value": k} for k in exempt.KINDS]
    return html.Div(
        [
            html.H1("Exempt items"),
            html.P(HELP, className="small"),
            html.Div(id="exempt-items-box"),
            html.Div(
                [
                    _labelled(
                        "Kind", dbc.Select(id="exempt-kind", options=kinds, value="indicator")
                    ),
                    _labelled("Name", dbc.Select(id="exempt-name", options=_names("indicator"))),
                ],
                className="row g-2 mb-2",
            ),
            dbc.Button("Mark exempt", id="exempt-add", color="primary", className="me-2"),
            dbc.Button("Make visible again", id="exempt-remove", color="secondary"),
            html.Div(id="exempt-message", className="mt-3", **{"aria-live": "polite"}),
            html.H2("Every change", className="h4 mt-4"),
            html.Div(id="exempt-history-box"),
            dcc.Store(id="exempt-refresh", data=0),
        ]
    )


def _labelled(label: str, control) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control.id), control], className="col-md-4")


def _names(kind: str | None) -> list[dict]:
    if kind not in exempt.KINDS:
        return []
    return [{"label": n, "value": n} for n in exempt.known(cache.engine(), kind)]


@callback(Output("exempt-name", "options"), Input("exempt-kind", "value"))
@guard.requires("manager")
def names(kind):
    """The names of the kind chosen: only names that exist can be marked."""
    return _names(kind)


@callback(
    Output("exempt-items-box", "children"),
    Output("exempt-history-box", "children"),
    Input("exempt-refresh", "data"),
)
@guard.requires("manager")
def show(_refresh):
    """The items exempt now, and every marking and unmarking."""
    engine = cache.engine()
    items = exempt.items(engine)
    now = pd.DataFrame(
        {
            "Kind": items["kind"],
            "Name": items["name"],
            "Marked by": items["marked_by"].fillna(""),
            "Marked": [time_label(v) for v in pd.to_datetime(items["marked_at"])],
        }
    )
    log = exempt.history(engine)
    changes = pd.DataFrame(
        {
            "When": [time_label(v) for v in pd.to_datetime(log["changed_at"])],
            "Who": log["changed_by"].fillna(""),
            "Change": log["action"].map({"add": "marked exempt", "remove": "made visible"}),
            "Kind": log["kind"],
            "Name": log["name"],
        }
    )
    return (
        table_or_note(now, "exempt-items", "Exempt now", "Nothing is exempt: everyone sees all."),
        table_or_note(changes, "exempt-history", "Every change", "No changes yet."),
    )


@callback(
    Output("exempt-refresh", "data"),
    Output("exempt-message", "children"),
    Input("exempt-add", "n_clicks"),
    Input("exempt-remove", "n_clicks"),
    State("exempt-kind", "value"),
    State("exempt-name", "value"),
    State("exempt-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def change(add_clicks, remove_clicks, kind, name, n):
    """Mark the item chosen exempt, or make it visible again; say what viewers lose."""
    if not (add_clicks or remove_clicks) or not isinstance(name, str) or not name:
        return no_update, no_update
    engine, who = cache.engine(), guard.current_user().name
    try:
        name = exempt.canonical(engine, kind, name)
    except (exempt.UnknownName, ValueError) as error:
        return no_update, dbc.Alert(str(error), color="warning")
    if dash.ctx.triggered_id == "exempt-remove":
        found = exempt.unmark(engine, kind, name, who)
        text = f"{name} is visible again." if found else f"{name} was not exempt."
        return (n or 0) + 1, dbc.Alert(text, color="success" if found else "info")
    exempt.mark(engine, kind, name, who)
    lost = exempt.no_longer_seen(kind, name)
    text = f"{name} is now exempt. Viewers and analysts no longer see: {', '.join(lost)}."
    return (n or 0) + 1, dbc.Alert(text, color="success")
