"""What every priority page shows below its own figures, by the priority's name: the partnership
indicators of its strategy priority (``dashboard.partnership``), the officer's commentary for
the quarter of the month chosen, and the priority's action plan. Everyone reads them; the
manager (or an analyst the manager permits) writes the commentary, the manager keeps the plan.

A page includes them with ``*priority_block.sections("prevent")`` (a board section's slug:
``core.strategy.BOARD_SECTIONS``); the ASB and domestic abuse pages can put
``priority_block.sections("asb")`` in their ``asb-partnership`` / ``da-partnership`` Divs.
One set per page: the ids are fixed.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from core.months import as_month_or_none
from core.strategy import BOARD_SECTIONS, STRATEGY_PRIORITIES
from dashboard import cache
from dashboard import partnership as figures
from dashboard import partnership_admin as admin
from dashboard.auth import exempt, guard, inputs
from dashboard.pages import illustrative_marks  # its notice fills the slot; it registers them all
from dashboard.ui import board_notes as notes
from dashboard.ui import partnership as ui
from domain.periods import financial_quarter

inputs.expect("partnership-priority", "data", inputs.TEXT)
inputs.expect("notes-refresh", "data", inputs.COUNT)


def sections(priority: str) -> list:
    """The partnership indicators, commentary and action plan of a board section."""
    title = BOARD_SECTIONS[priority][0]
    return [
        dcc.Store(id="partnership-priority", data=priority),
        dcc.Store(id="notes-refresh", data=0),
        html.Div(id=illustrative_marks.PARTNERSHIP_SLOT, className="mt-4"),
        html.Section(id="partnership-body", className="mt-4"),
        html.Section(
            [
                html.H2(f"Officer's commentary: {title}", className="h4 mt-4"),
                html.Div(id="notes-commentary"),
                html.Div(id="notes-commentary-form"),
                html.H2(f"Action plan: {title}", className="h4 mt-4"),
                html.Div(id="notes-actions"),
                html.Div(id="notes-actions-form"),
            ],
            id="notes-section",
        ),
    ]


def quarter_of(period: str | None) -> str:
    """The quarter ('2025/26-Q3') holding the month chosen, else the latest month loaded."""
    month = as_month_or_none(period)
    if month is None:
        months = cache.picker_months()
        month = months[-1] if months else None
    if month is None:
        return "not available"
    return financial_quarter(month).replace(" ", "-")


@callback(
    Output("partnership-body", "children"),
    Input("period-select", "value"),
    Input("partnership-priority", "data"),
)
def show_figures(period: str | None, priority: str):
    """The partnership indicators of the priority, as at the end of the month chosen."""
    slug = figures.strategy_priority(priority)
    if figures.DATASET in exempt.hidden("dataset"):
        return ui.figures_block(STRATEGY_PRIORITIES[slug], None, [])
    month = as_month_or_none(period)
    records = figures.partnership_figures(priority, month)
    histories = [figures.partnership_history(name, month) for name in records.get("indicator", [])]
    return ui.figures_block(STRATEGY_PRIORITIES[slug], records, histories)


@callback(
    Output("notes-commentary", "children"),
    Output("notes-commentary-form", "children"),
    Output("notes-actions", "children"),
    Output("notes-actions-form", "children"),
    Input("period-select", "value"),
    Input("partnership-priority", "data"),
    Input("notes-refresh", "data"),
)
def show_notes(period: str | None, priority: str, _refresh):
    """The commentary for the quarter and the plan, with the forms for those who may write."""
    title, quarter = BOARD_SECTIONS[priority][0], quarter_of(period)
    engine, user = cache.engine(), guard.current_user()
    record = figures.commentary_for(quarter, priority)
    actions = figures.actions_for(priority)
    writer = admin.may_write_commentary(engine, user)
    form = notes.commentary_form(record["text"] if record else "", quarter) if writer else None
    manager = user is not None and user.signed_in and user.can("manager")
    return (
        notes.commentary_view(record, quarter, title),
        form,
        notes.actions_view(actions, title),
        notes.action_form(actions) if manager else None,
    )


@callback(
    Output("notes-refresh", "data"),
    Output("notes-message", "children"),
    Input("notes-save", "n_clicks"),
    State("notes-text", "value"),
    State("partnership-priority", "data"),
    State("period-select", "value"),
    State("notes-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("analyst")
def save_commentary(clicks, text, priority, period, n):
    """Keep a new version of the commentary (managers, and analysts the manager permits)."""
    user = guard.current_user()
    if not clicks:
        return no_update, no_update
    if not admin.may_write_commentary(cache.engine(), user):
        return no_update, dbc.Alert(
            "Only the manager, or an analyst the manager permits, may write the commentary.",
            color="warning",
        )
    try:
        message = admin.set_commentary(
            cache.engine(), priority, quarter_of(period), text, user.name
        )
    except admin.ChangeRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning")
    return (n or 0) + 1, dbc.Alert(message, color="success")


@callback(
    Output("notes-refresh", "data", allow_duplicate=True),
    Output("notes-action-message", "children"),
    Input("notes-action-save", "n_clicks"),
    State("notes-action-id", "value"),
    *[State(f"notes-{k}", "value") for k in ("strand", "number", "action", "lead", "due")],
    *[State(f"notes-{k}", "value") for k in ("outcome", "status", "latest")],
    State("partnership-priority", "data"),
    State("notes-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def save_action(
    clicks, action_id, strand, number, action, lead, due, outcome, status, latest, priority, n
):
    """Add an action to the plan, or change the one chosen."""
    if not clicks:
        return no_update, no_update
    fields = {"strand": strand, "number": number, "action": action, "lead": lead, "due": due}
    fields |= {"outcome": outcome, "status": status, "latest": latest}
    who, engine = guard.current_user().name, cache.engine()
    try:
        if action_id in (None, notes.NEW_ACTION):
            message = admin.add_action(engine, priority, fields, who)
        else:
            message = admin.update_action(engine, action_id, fields, who)
    except admin.ChangeRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning")
    return (n or 0) + 1, dbc.Alert(message, color="success")
