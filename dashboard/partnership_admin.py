"""Partnership indicators, commentary and action plans as people change them (the Partnership
indicators page, the priority pages and ``python -m dashboard indicators|commentary|actions``):
the input checked, the change written through ``core.partnership`` / ``core.board_notes`` (a
typed value through ``etl.partnership_entry``, as an upload) and a sentence saying what was done.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import board_notes, partnership, queries, strategy
from core.reporting_periods import FREQUENCIES
from dashboard.reports.pack.quarter import QuarterError, quarter_end, quarter_label
from dashboard.text import time_label
from etl.partnership_entry import enter_value

HEADINGS = {
    "indicator": "Indicator",
    "priority": "Priority",
    "unit": "Unit",
    "frequency": "Frequency",
    "direction": "Better when",
    "additive": "Adds up over a year",
    "owner": "Owner",
    "source": "Source",
    "retired": "Retired",
    "changed_by": "Last changed by",
    "changed_at": "When",
    "action": "Change",
    "upload_id": "Upload",
    "source_row": "Row",
}


class ChangeRefused(ValueError):
    """A change that cannot be made, with the reason in plain words."""


def _one_of(name: str, value: object, allowed) -> str:
    text = str(value or "").strip().lower()
    for choice in allowed:
        if text == choice.lower():
            return choice
    raise ChangeRefused(f"The {name} must be one of {', '.join(allowed)}, not {value!r}.")


def check_definition(fields: dict) -> dict:
    """A definition's fields checked and written as stored (priority as the strategy names it)."""
    name = " ".join(str(fields.get("indicator") or "").split())
    if not name:
        raise ChangeRefused("Give the indicator a name.")
    slug = strategy.priority_slug(fields.get("priority"))
    if slug is None:
        names = "; ".join(strategy.STRATEGY_PRIORITIES.values())
        raise ChangeRefused(f"The priority must be one of the strategy's five: {names}.")
    owner = " ".join(str(fields.get("owner") or "").split())
    if not owner:
        raise ChangeRefused("Name the partner agency that owns the indicator.")
    return {
        "indicator": name,
        "priority": strategy.STRATEGY_PRIORITIES[slug],
        "unit": _one_of("unit", fields.get("unit"), partnership.UNITS),
        "frequency": _one_of("frequency", fields.get("frequency"), FREQUENCIES),
        "direction": _one_of("direction", fields.get("direction"), partnership.DIRECTIONS),
        "additive": _one_of("additive", fields.get("additive"), partnership.ADDITIVE),
        "owner": owner,
        "source": " ".join(str(fields.get("source") or "").split()) or None,
    }


def define_indicator(engine: Engine, fields: dict, by: str | None) -> str:
    """Add or change a definition; what was done, in words."""
    definition = check_definition(fields)
    done = partnership.define(engine, definition, by)
    return {
        "added": f"Added '{definition['indicator']}'.",
        "changed": f"Changed the definition of '{definition['indicator']}'.",
        "unchanged": f"'{definition['indicator']}' is already defined so: nothing changed.",
    }[done]


def retire_indicator(engine: Engine, name: str, by: str | None, restore: bool = False) -> str:
    """Retire an indicator (or bring it back); what was done, in words."""
    if not partnership.set_retired(engine, name, not restore, by):
        raise ChangeRefused(
            f"No indicator called {name!r}"
            + (" is retired." if restore else " is in use (see indicators list).")
        )
    return f"{'Brought back' if restore else 'Retired'} '{name}'."


def type_value(engine: Engine, indicator, period, value, note, by: str | None) -> str:
    """Load a value an analyst typed in; what happened, in words (ChangeRefused with every
    problem when it was not loaded)."""
    result = enter_value(engine, indicator or "", period or "", value, note or None, by)
    if result.status == "rejected":
        raise ChangeRefused(" ".join(p.message for p in result.errors))
    if result.status == "unchanged":
        return "That value is already held: nothing changed."
    return f"Saved {value} for '{indicator}', {period} (upload {result.upload_id})."


def definitions_table(engine: Engine, include_retired: bool = True) -> pd.DataFrame:
    """The definitions as the page and the command line list them."""
    table = queries.partnership_indicators(engine, include_retired)
    if table.empty:
        return table
    table = table.assign(retired=table["retired"].astype(bool).map({True: "retired", False: ""}))
    columns = ["indicator", "priority", "unit", "frequency", "direction", "additive", "owner"]
    return table[[*columns, "source", "retired", "changed_by"]].rename(columns=HEADINGS)


def changes_table(engine: Engine) -> pd.DataFrame:
    """Every change to the definitions, newest first, as the page and command line list them."""
    table = queries.partnership_indicator_changes(engine)
    if table.empty:
        return table
    columns = ["changed_at", "changed_by", "action", "indicator", "priority", "frequency"]
    table = table[[*columns, "upload_id", "source_row"]].assign(
        changed_at=[time_label(t) for t in table["changed_at"]],
        upload_id=table["upload_id"].astype("Int64"),
        source_row=table["source_row"].astype("Int64"),
    )
    return table.rename(columns=HEADINGS)


# ---------------------------------------------------------------- commentary and actions


def section_slug(text: str | None) -> str:
    """A board section's slug from its slug or title ('crime', 'Hate crime')."""
    slug = strategy.board_section(text)
    if slug is not None:
        return slug
    raise ChangeRefused(
        f"No priority called {text!r}: one of {', '.join(strategy.BOARD_SECTIONS)}."
    )


def quarter_text(text: str | None) -> str:
    """A quarter as the commentary is kept under ('2025/26-Q3')."""
    try:
        return quarter_label(quarter_end(str(text or "")))
    except QuarterError as exc:
        raise ChangeRefused(str(exc)) from exc


def may_write_commentary(engine: Engine, user) -> bool:
    """Managers may; an analyst the manager permits may."""
    if user is None or not getattr(user, "signed_in", True):
        return False
    if user.can("manager"):
        return True
    writers = set(queries.commentary_writers(engine)["user_name"])
    return user.can("analyst") and user.name in writers


def set_commentary(engine: Engine, section, quarter, text: str, by: str | None) -> str:
    """Keep a new version of the commentary; what was done, in words."""
    slug, label = section_slug(section), quarter_text(quarter)
    if not (text or "").strip():
        raise ChangeRefused("The commentary is empty: write what the figures mean.")
    board_notes.write_commentary(engine, slug, label, text.strip(), by)
    return f"Saved the commentary on {strategy.BOARD_SECTIONS[slug][0]} for {label}."


def permit_writer(engine: Engine, user_name: str, allowed: bool, by: str | None) -> str:
    """Let an analyst write the commentary (or stop them)."""
    board_notes.permit_writer(engine, user_name, allowed, by)
    return f"{user_name} {'may' if allowed else 'may no longer'} write the commentary."


def writers(engine: Engine) -> tuple[list[str], list[str]]:
    """(every analyst able to sign in, those the manager lets write the commentary)."""
    analysts = [
        u["name"] for u in queries.user_list(engine) if u["role"] == "analyst" and not u["disabled"]
    ]
    return analysts, list(queries.commentary_writers(engine)["user_name"])


def set_writers(engine: Engine, names: list[str], by: str | None) -> str:
    """Let exactly these analysts write the commentary; what was done, in words."""
    analysts, permitted = writers(engine)
    for name in analysts:
        if (name in names) != (name in permitted):
            board_notes.permit_writer(engine, name, name in names, by)
    chosen = [n for n in analysts if n in names]
    return "Analysts who may write the commentary: " + (", ".join(chosen) or "none") + "."


def check_action(fields: dict, partial: bool = False) -> dict:
    """An action's fields checked (``partial``: only those given, for an update)."""
    out = {}
    given = {k: v for k, v in fields.items() if v is not None and str(v).strip() != ""}
    for key, allowed in (("strand", board_notes.STRANDS), ("status", board_notes.STATUSES)):
        if key in given:
            out[key] = _one_of(key, given[key], allowed)
    if "due" in given:
        try:
            out["due"] = board_notes.due_date(str(given["due"])[:10])
        except ValueError as exc:
            raise ChangeRefused(
                f"The date of delivery is written 2025-12-31, not {given['due']!r}."
            ) from exc
    for key in ("number", "action", "lead", "outcome", "latest"):
        if key in given:
            out[key] = str(given[key]).strip()
    if not partial:
        for key, words in (("strand", "a strand"), ("action", "the action"), ("lead", "a lead")):
            if key not in out:
                raise ChangeRefused(f"Give {words}.")
        out.setdefault("status", "Not started")
    return out


def add_action(engine: Engine, section, fields: dict, by: str | None) -> str:
    """Add an action to a section's plan; what was done, in words."""
    slug, action = section_slug(section), check_action(fields)
    action.setdefault("number", board_notes.next_number(engine, slug, action["strand"]))
    new_id = board_notes.add_action(engine, slug, action, by)
    return f"Added action {action['number']} ({action['strand']}) as id {new_id}."


def update_action(engine: Engine, action_id, fields: dict, by: str | None) -> str:
    """Change an action; what was done, in words."""
    changes = check_action(fields, partial=True)
    if not changes:
        raise ChangeRefused("Nothing to change: give a status, an update or another field.")
    try:
        done = board_notes.update_action(engine, int(action_id), changes, by)
    except (TypeError, ValueError):
        done = None
    if done is None:
        raise ChangeRefused(f"No action with id {action_id!r}.")
    return f"Updated action {done['number']}: {', '.join(changes)}."
