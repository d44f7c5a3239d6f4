"""Partnership indicators (/partnership-indicators): every figure a partner reports, as the
manager defined it (name, priority, unit, frequency, direction, additive, owner, source), with
every change. Managers define and retire them here (or ``python -m dashboard indicators``);
analysts give a value in the form (many values: the partnership template on the Upload page).
Each indicator's figures show on its priority's page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import MissingCallbackContextException

from core.reporting_periods import FREQUENCIES
from core.strategy import (
    INDICATOR_ADDITIVE,
    INDICATOR_DIRECTIONS,
    INDICATOR_UNITS,
    STRATEGY_PRIORITIES,
)
from dashboard import cache
from dashboard import partnership_admin as admin
from dashboard.auth import guard
from dashboard.ui import board_notes as notes
from dashboard.ui import partnership as ui
from dashboard.ui.targets import table_or_note

dash.register_page(
    __name__,
    path="/partnership-indicators",
    name="Partnership indicators",
    order=51,
    title="Partnership indicators",
)

LISTS = {
    "unit": list(INDICATOR_UNITS),
    "frequency": list(FREQUENCIES),
    "direction": list(INDICATOR_DIRECTIONS),
    "additive": list(INDICATOR_ADDITIVE),
}
FIELDS = ["name", "priority", *LISTS, "owner", "source"]


def layout(**_query) -> html.Div:
    user = guard.current_user()
    manager = user is not None and user.signed_in and user.can("manager")
    analyst = user is not None and user.signed_in and user.can("analyst")
    names = list(
        admin.definitions_table(cache.engine(), include_retired=False).get("indicator", [])
    )
    return html.Div(
        [
            html.H1("Partnership indicators"),
            html.P(
                "Figures partners report that no public file carries: each shows on its "
                "priority's page with the period before, a year before, the financial year to "
                "date (counts that add up) and RAG where the manager has set a target (page "
                "Targets).",
                className="text-body-secondary",
            ),
            html.Div(id="indicators-table-box"),
            ui.definition_form(list(STRATEGY_PRIORITIES.values()), LISTS) if manager else None,
            ui.value_form(names) if analyst else None,
            notes.writers_form(*admin.writers(cache.engine())) if manager else None,
            html.H2("Every change", className="h5 mt-4"),
            html.Div(id="indicators-history-box"),
            dcc.Store(id="indicators-refresh", data=0),
        ]
    )


def _retiring(save, retire) -> bool:
    """Which button was pressed (outside a callback, as a test calls it: Retire alone)."""
    try:
        return dash.ctx.triggered_id == "indicators-retire"
    except MissingCallbackContextException:
        return bool(retire) and not save


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), "").astype(str)


@callback(
    Output("indicators-table-box", "children"),
    Output("indicators-history-box", "children"),
    Input("indicators-refresh", "data"),
)
def show(_refresh):
    """The definitions (retired ones marked) and every change to them."""
    engine = cache.engine()
    return (
        table_or_note(
            _shown(admin.definitions_table(engine)),
            "indicators-table",
            "Partnership indicators",
            "No partnership indicators defined yet.",
        ),
        table_or_note(
            _shown(admin.changes_table(engine)), "indicators-history", "Every change", "None yet."
        ),
    )


@callback(
    Output("indicators-refresh", "data"),
    Output("indicators-message", "children"),
    Input("indicators-save", "n_clicks"),
    Input("indicators-retire", "n_clicks"),
    *[State(f"indicators-{k}", "value") for k in FIELDS],
    State("indicators-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def change_definition(save, retire, name, priority, unit, frequency, direction, additive, *rest):
    """Save or retire the definition the form describes."""
    owner, source, n = rest
    if not (save or retire):
        return no_update, no_update
    who, engine = guard.current_user().name, cache.engine()
    fields = {"indicator": name, "priority": priority, "unit": unit, "frequency": frequency}
    fields |= {"direction": direction, "additive": additive, "owner": owner, "source": source}
    try:
        if _retiring(save, retire):
            message = admin.retire_indicator(engine, (name or "").strip(), who)
        else:
            message = admin.define_indicator(engine, fields, who)
    except admin.ChangeRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning")
    return (n or 0) + 1, dbc.Alert(message, color="success")


@callback(
    Output("indicators-refresh", "data", allow_duplicate=True),
    Output("indicators-value-message", "children"),
    Input("indicators-value-save", "n_clicks"),
    State("indicators-value-name", "value"),
    State("indicators-period", "value"),
    State("indicators-value", "value"),
    State("indicators-note", "value"),
    State("indicators-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("analyst")
def give_value(clicks, name, period, value, note, n):
    """Load the value the analyst typed in (checked as an upload is)."""
    if not clicks:
        return no_update, no_update
    try:
        message = admin.type_value(
            cache.engine(), name, period, value, note, guard.current_user().name
        )
    except admin.ChangeRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning")
    return (n or 0) + 1, dbc.Alert(message, color="success")


@callback(
    Output("notes-writers-message", "children"),
    Input("notes-writers-save", "n_clicks"),
    State("notes-writers", "value"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def save_writers(clicks, names):
    """Let the analysts ticked write the officer's commentary on the priority pages."""
    if not clicks:
        return no_update
    message = admin.set_writers(cache.engine(), names or [], guard.current_user().name)
    return dbc.Alert(message, color="success")
