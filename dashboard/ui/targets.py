"""The Targets page's widgets: the targets and groups as tables, and the forms a manager changes
them with (every field labelled, each set of choices a fieldset with its question)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.ui.uploads import simple_table

KIND_LABELS = {
    "baseline": "Percent better than the 2011/12 baseline",
    "previous": (
        "Percent better than the previous 12 months (a partnership indicator: than the same "
        "period a year before)"
    ),
    "absolute": "A number for the 12 months (a partnership indicator: for its own period)",
}
DIRECTION_LABELS = {
    "lower": "Lower is better (crime)",
    "higher": "Higher is better (training coverage, positive outcomes)",
}
ACTION_LABELS = {
    "set": "Create the group, or replace its boroughs, with those ticked",
    "add": "Add the ticked boroughs",
    "remove": "Remove the ticked boroughs",
    "choose": "Make it the most similar group",
    "delete": "Delete the group",
    "restore": "Restore a shipped group as shipped (London, Inner or Outer London)",
}
HELP = [
    "Each crime type is Green when its 12 months are at or better than its target, Amber when "
    "they are better than what the target is measured from (2011/12, or the previous 12 "
    "months) but not at target, and Red when they are no better. A target set as a number for "
    "the 12 months is measured from the previous 12 months: Amber means better than last year "
    "but not there yet.",
    "With no target set, the MOPAC7 types and their total are judged against 20% below "
    "2011/12. A target applies from the financial year chosen on, until a later one; one set "
    "for a ward or borough beats one for every area. Every change is kept below, with who made "
    "it and when.",
]


def _field(label: str, control, help_text: str | None = None) -> dbc.Col:
    parts = [dbc.Label(label, html_for=control.id), control]
    if help_text:
        parts.append(dbc.FormText(help_text))
    return dbc.Col(parts, md=6, className="mb-2")


def _choices(legend: str, control) -> dbc.Col:
    return dbc.Col(
        html.Fieldset([html.Legend(legend, className="fs-6 mb-1"), control]), md=6, className="mb-2"
    )


def options(labels: dict[str, str]) -> list[dict]:
    return [{"label": text, "value": value} for value, text in labels.items()]


def target_form(indicators, areas: dict[str, str], years: list[str], current: str) -> html.Form:
    """Indicator, area, kind, value, direction and first year; Set and Clear buttons."""
    return html.Div(
        [
            dbc.Row(
                [
                    _field(
                        "Indicator",
                        dbc.Select(id="targets-indicator", options=indicators, value=indicators[0]),
                    ),
                    _field(
                        "Area",
                        dbc.Select(
                            id="targets-area",
                            value="all",
                            options=options({"all": "Every area", **areas}),
                        ),
                    ),
                    _choices(
                        "What kind of target",
                        dbc.RadioItems(
                            id="targets-kind", options=options(KIND_LABELS), value="baseline"
                        ),
                    ),
                    _choices(
                        "Which way is better",
                        dbc.RadioItems(
                            id="targets-direction", options=options(DIRECTION_LABELS), value="lower"
                        ),
                    ),
                    _field(
                        "Value",
                        dbc.Input(id="targets-value", type="number", min=0, step="any", value=20),
                        "A percent (20 = 20% better), or the number for the 12 months (a partnership "
                        "indicator: for its own period).",
                    ),
                    _field(
                        "Applies from the financial year",
                        dbc.Select(id="targets-from", options=years, value=current),
                    ),
                ]
            ),
            dbc.Button("Set target", id="targets-set", color="primary", className="me-2"),
            dbc.Button("Clear this target", id="targets-clear", color="secondary", outline=True),
            html.Div(id="targets-message", className="mt-2", **{"aria-live": "polite"}),
        ],
        id="targets-form",
    )


NO_TARGETS = (
    "No targets set: the MOPAC7 types and their total are judged against 20% below 2011/12."
)


def targets_section(form) -> html.Section:
    """The targets: how RAG is judged, the table and the history (callbacks fill), the form."""
    return html.Section(
        [
            html.H2("Targets", className="h4 mt-3"),
            *[html.P(text, className="small") for text in HELP],
            html.Div(id="targets-table-box"),
            form,
            html.H3("Every change", className="h5 mt-4"),
            html.Div(id="targets-history-box"),
        ],
        id="targets-section",
    )


def groups_section(boroughs: dict[str, str], names: list[str]) -> html.Section:
    """The comparator groups: what they are for, the table (filled by a callback), the form."""
    return html.Section(
        [
            html.H2("Comparator groups", className="h4 mt-4"),
            html.P(
                "Each crime page and card shows the home borough's rank within its most "
                "similar group beside its London rank (1 = lowest rate; a rank needs "
                "every member's figures). Without a choice, the most similar group is "
                "the ONS grouping (Inner or Outer London) the home borough is in.",
                className="small",
            ),
            html.Div(id="targets-groups-box"),
            group_form(boroughs, names),
        ],
        id="targets-groups-section",
    )


def group_form(boroughs: dict[str, str], names: list[str]) -> html.Div:
    """Group name, the boroughs ticked, what to do; an Apply button."""
    return html.Div(
        [
            dbc.Row(
                [
                    _field(
                        "Group name",
                        dbc.Input(
                            id="targets-group-name",
                            type="text",
                            debounce=True,
                            value=names[0] if names else "",
                        ),
                    ),
                    _choices(
                        "What to do",
                        dbc.RadioItems(
                            id="targets-group-action", options=options(ACTION_LABELS), value="set"
                        ),
                    ),
                ]
            ),
            html.Fieldset(
                [
                    html.Legend("Boroughs", className="fs-6 mb-1"),
                    dbc.Checklist(
                        id="targets-group-boroughs",
                        options=options(boroughs),
                        value=[],
                        inline=True,
                    ),
                ],
                className="mb-2",
            ),
            dbc.Button("Apply", id="targets-group-apply", color="primary"),
            dcc.ConfirmDialog(id="targets-group-confirm"),
            html.Div(id="targets-group-message", className="mt-2", **{"aria-live": "polite"}),
        ]
    )


def table_or_note(frame: pd.DataFrame, table_id: str, label: str, empty: str):
    """A table of display strings, or a sentence when there are no rows."""
    if frame.empty:
        return html.P(empty)
    return simple_table(frame, table_id, label=label)


def tables_of(targets: pd.DataFrame, history: pd.DataFrame, groups: pd.DataFrame) -> tuple:
    """The targets set, every change and the groups, as tables (or a sentence when empty)."""
    return (
        table_or_note(targets, "targets-table", "Targets set", NO_TARGETS),
        table_or_note(history, "targets-history", "Every change", "No changes."),
        table_or_note(groups, "targets-groups", "Comparator groups", "No groups."),
    )


def read_only(tables: tuple) -> list:
    """How RAG is judged, then the targets, every change and the groups under their headings,
    for those who read them (no forms)."""
    headings = ("Targets", "Every change", "Comparator groups")
    sections = [
        html.Section([html.H2(h, className="h4 mt-3"), t])
        for h, t in zip(headings, tables, strict=True)
    ]
    return [*[html.P(text, className="small") for text in HELP], *sections]
