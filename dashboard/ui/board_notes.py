"""The officer's commentary and the action plan on a priority page: read by everyone (board
members included), written by the manager (or an analyst the manager permits) in the forms
below them. The commentary is markdown shown by ``dcc.Markdown`` with raw HTML off, so text is
only ever text. No I/O: what to show arrives from the page."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from core.strategy import ACTION_STATUSES as STATUSES
from core.strategy import ACTION_STRANDS as STRANDS
from dashboard.text import date_label, time_label
from dashboard.ui.tables import table_children

NEW_ACTION = "new"
STATUS_MARKS = {"Complete": "✓ Complete", "Off track": "✖ Off track", "At risk": "▲ At risk"}


def commentary_view(record: dict | None, quarter: str, title: str) -> list:
    """The commentary in force for the quarter, with who wrote it and when."""
    if record is None:
        return [html.P(f"No commentary on {title} for {quarter} yet.", className="fst-italic")]
    versions = record["versions"]
    said = (
        f"Commentary for {quarter}, written by {record['written_by'] or 'someone'} on "
        f"{time_label(record['written_at'])}"
        + (f" (version {versions}; every version is kept)." if versions > 1 else ".")
    )
    return [
        dcc.Markdown(record["text"], dangerously_allow_html=False, link_target="_blank"),
        html.P(said, className="small text-body-secondary"),
    ]


def commentary_form(text: str, quarter: str) -> html.Div:
    """A text box holding the commentary in force, and Save."""
    return html.Div(
        [
            dbc.Label(f"Commentary for {quarter}", html_for="notes-text"),
            dbc.Textarea(id="notes-text", value=text, rows=8, className="font-monospace"),
            dbc.FormText(
                "Plain text: a blank line between paragraphs; a line starting '- ' is a bullet. "
                "Saving keeps a new version (the earlier ones are kept)."
            ),
            html.Div(dbc.Button("Save commentary", id="notes-save", className="mt-2")),
            html.Div(id="notes-message", role="status", className="mt-2"),
        ],
        className="mb-3",
    )


def actions_frame(actions: pd.DataFrame) -> pd.DataFrame:
    """The plan as display strings, overdue actions marked in words."""
    rows = []
    for r in actions.to_dict("records"):
        status = STATUS_MARKS.get(r["status"], r["status"])
        if r.get("overdue"):
            status = f"{status} — OVERDUE"
        rows.append(
            {
                "No.": r["number"],
                "Strand": r["strand"],
                "Action": r["action"],
                "Accountable lead": r["lead"],
                "Date of delivery": date_label(r["due"]) if r.get("due") else "",
                "Desired outcome": r.get("outcome") or "",
                "Status": status,
                "Latest update": r.get("latest") or "",
            }
        )
    return pd.DataFrame(rows)


def actions_view(actions: pd.DataFrame, title: str) -> list:
    """The action plan as a table (or a line saying there is none yet)."""
    if actions.empty:
        return [html.P(f"No actions in the {title} plan yet.", className="fst-italic")]
    overdue = int(actions["overdue"].sum())
    plural = "action" if len(actions) == 1 else "actions"
    words = f"{len(actions)} {plural}; {overdue} overdue (past the date of delivery, not complete)."
    table = html.Table(
        table_children(actions_frame(actions), f"Action plan: {title}"),
        className="table table-sm table-striped",
        id="notes-actions-table",
    )
    return [html.P(words), html.Div(table, className="table-responsive")]


def _options(values) -> list[dict]:
    return [{"label": v, "value": v} for v in values]


def _input(label: str, control, md: int = 6) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control.id), control], md=md, className="mb-2")


def action_form(actions: pd.DataFrame) -> html.Div:
    """Add an action, or change one (chosen by its number): every field labelled."""
    choices = [{"label": "A new action", "value": NEW_ACTION}] + [
        {"label": f"{r['number']} {r['action'][:60]}", "value": str(r["id"])}
        for r in actions.to_dict("records")
    ]
    pick = dbc.Select(id="notes-action-id", options=choices, value=NEW_ACTION)
    blank = [{"label": "(as it is)", "value": ""}]
    strand = dbc.Select(id="notes-strand", options=blank + _options(STRANDS), value="")
    status = dbc.Select(id="notes-status", options=blank + _options(STATUSES), value="")
    return html.Div(
        [
            html.H3("Add or update an action", className="h6 mt-3"),
            dbc.Row(
                [
                    _input("Action", pick),
                    _input("Strand", strand, 3),
                    _input("Number", dbc.Input(id="notes-number", placeholder="e.g. 1.2"), 3),
                    _input("What will be done", dbc.Input(id="notes-action")),
                    _input("Accountable lead", dbc.Input(id="notes-lead")),
                    _input("Date of delivery", dbc.Input(id="notes-due", type="date"), 3),
                    _input("Status", status, 3),
                    _input("Desired outcome", dbc.Input(id="notes-outcome")),
                    _input("Latest update", dbc.Textarea(id="notes-latest", rows=2), 12),
                ]
            ),
            dbc.FormText("For an update, fill in only what changes; every change is kept."),
            html.Div(dbc.Button("Save action", id="notes-action-save", className="mt-2")),
            html.Div(id="notes-action-message", role="status", className="mt-2"),
        ]
    )


def writers_form(analysts: list[str], permitted: list[str]) -> html.Div:
    """The manager ticks the analysts who may write the commentary."""
    if not analysts:
        return html.P("No analysts yet: managers write the commentary.", className="small")
    return html.Div(
        [
            html.Fieldset(
                [
                    html.Legend("Analysts who may write the commentary", className="fs-6"),
                    dbc.Checklist(
                        id="notes-writers",
                        options=_options(analysts),
                        value=[n for n in permitted if n in analysts],
                    ),
                ]
            ),
            dbc.Button("Save who may write", id="notes-writers-save", className="mt-2"),
            html.Div(id="notes-writers-message", role="status", className="mt-2"),
        ]
    )
