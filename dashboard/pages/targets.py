"""Targets (/targets): the targets RAG is judged against, with every change, and the comparator
groups of London boroughs (the most similar group's rank shows beside the London rank), read by
every role; managers set and clear targets and edit groups here or with ``python -m dashboard
targets|groups``.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from core.reference import LONDON_AUTHORITIES, LONDON_BOROUGH_CODES
from dashboard import cache
from dashboard import targets as changes
from dashboard.auth import guard, inputs
from dashboard.ui import targets as ui
from dashboard.ui import uploads as views
from domain.periods import financial_year
from domain.targets import financial_year_label

dash.register_page(__name__, path="/targets", name="Targets", order=52, title="Targets")
inputs.expect("targets-group-boroughs", "value", inputs.SCALARS)


def _areas() -> dict[str, str]:
    """Every borough, then the home borough's wards: the areas a target can be set for."""
    boroughs = {c: LONDON_AUTHORITIES[c] for c in sorted(LONDON_BOROUGH_CODES, key=_name)}
    home = cache.home_area()
    areas = cache.reference()[0]
    wards = areas[
        (areas["parent_code"] == (home or {}).get("code")) & (areas["area_type"] == "ward")
    ]
    return {
        **boroughs,
        **{c: f"{n} (ward)" for c, n in zip(wards["code"], wards["name"], strict=True)},
    }


def _groups():
    return changes.groups_table(cache.engine(), cache.comparator_group()[0])


def _name(code: str) -> str:
    return LONDON_AUTHORITIES[code]


def _years() -> tuple[list[str], str]:
    months = cache.period_months()
    current = financial_year(months[-1]) if months else "2025/26"
    last = int(current[:4]) + 1
    return [financial_year_label(y) for y in range(2011, last + 1)], current


def layout(**_query) -> html.Div:
    user = guard.current_user()
    refusal = views.who_may("viewer", user)
    if refusal is not None:
        return html.Div([html.H1("Targets"), refusal])
    if not user.can("manager"):  # read only: the tables, no forms
        return html.Div([html.H1("Targets and comparator groups"), *ui.read_only(tables())])
    years, current = _years()
    group_names = sorted(_groups()["Group"])
    return html.Div(
        [
            html.H1("Targets and comparator groups"),
            html.P(dcc.Link("Exempt items: what only managers see", href="/exempt")),
            ui.targets_section(
                ui.target_form(changes.target_indicators(cache.engine()), _areas(), years, current)
            ),
            ui.groups_section(
                {c: _name(c) for c in _areas() if c in LONDON_BOROUGH_CODES}, group_names
            ),
            dcc.Store(id="targets-refresh", data=0),
        ]
    )


@callback(
    Output("targets-table-box", "children"),
    Output("targets-history-box", "children"),
    Output("targets-groups-box", "children"),
    Input("targets-refresh", "data"),
)
@guard.requires("manager")
def show(_refresh):
    """The targets set, every change, and the groups."""
    return tables()


def tables() -> tuple:
    """What every role may read: the targets set, every change and the groups."""
    eng = cache.engine()
    targets = changes.targets_table(eng).drop(columns=["from_year", "area_code"])
    return ui.tables_of(targets, changes.history_table(eng), _groups())


@callback(
    Output("targets-refresh", "data"),
    Output("targets-message", "children"),
    Input("targets-set", "n_clicks"),
    Input("targets-clear", "n_clicks"),
    State("targets-indicator", "value"),
    State("targets-area", "value"),
    State("targets-kind", "value"),
    State("targets-value", "value"),
    State("targets-direction", "value"),
    State("targets-from", "value"),
    State("targets-refresh", "data"),
    prevent_initial_call=True,
)
@guard.requires("manager")
def change_target(set_clicks, clear_clicks, indicator, area, kind, value, direction, year, n):
    """Set or clear the target the form describes."""
    if not (set_clicks or clear_clicks):
        return no_update, no_update
    who, engine = guard.current_user().name, cache.engine()
    try:
        if dash.ctx.triggered_id == "targets-clear":
            message = changes.clear_target(engine, indicator, area=area, from_year=year, by=who)
        else:
            text = changes.set_target(
                engine,
                indicator,
                area=area,
                kind=kind,
                value=value,
                direction=direction,
                from_year=year,
                by=who,
            )
            message = f"Set: {text}"
    except changes.ChangeRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning")
    return (n or 0) + 1, dbc.Alert(message, color="success")


GROUP_FORM = [
    State("targets-group-action", "value"),
    State("targets-group-name", "value"),
    State("targets-group-boroughs", "value"),
    State("targets-refresh", "data"),
]


@callback(
    Output("targets-group-confirm", "displayed"),
    Output("targets-group-confirm", "message"),
    Output("targets-refresh", "data", allow_duplicate=True),
    Output("targets-group-message", "children"),
    Input("targets-group-apply", "n_clicks"),
    *GROUP_FORM,
    prevent_initial_call=True,
)
@guard.requires("manager")
def change_group(clicks, action, name, boroughs, n):
    """Create, change, delete, restore or choose the group the form names; a change that takes
    boroughs out of a group is asked about first (targets-group-confirm)."""
    if not clicks:
        return False, no_update, no_update, no_update
    question = changes.group_question(cache.engine(), action, name, boroughs or [])
    if question:
        return True, question, no_update, no_update
    return False, no_update, *apply_group(action, name, boroughs, n)


@callback(
    Output("targets-refresh", "data", allow_duplicate=True),
    Output("targets-group-message", "children", allow_duplicate=True),
    Input("targets-group-confirm", "submit_n_clicks"),
    *GROUP_FORM,
    prevent_initial_call=True,
)
@guard.requires("manager")
def confirmed_group(submitted, action, name, boroughs, n):
    """The change asked about, once the manager says OK."""
    return apply_group(action, name, boroughs, n) if submitted else (no_update, no_update)


def apply_group(action, name, boroughs, n) -> tuple:
    try:
        message = changes.change_group(
            cache.engine(), action, name, boroughs or [], guard.current_user().name
        )
    except changes.ChangeRefused as exc:
        return no_update, dbc.Alert(str(exc), color="warning")
    return (n or 0) + 1, dbc.Alert(message, color="success")


@callback(
    Output("targets-group-boroughs", "value"),
    Input("targets-group-name", "value"),
    Input("targets-refresh", "data"),
)
@guard.requires("manager")
def tick_members(name, _refresh):
    """The boroughs of the group named are ticked, ready to change."""
    return changes.members_of(cache.engine(), name)
