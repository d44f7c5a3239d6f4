"""``python -m dashboard indicators|commentary|actions``: partnership indicators, the officer's
commentary and the action plans without the web app.

  indicators  add, list (--history, --all), retire (--restore), value (an analyst's figure)
  commentary  set --quarter 2025/26-Q3 --priority crime --file words.md; show; permit
  actions     add, update, list (--history)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import db, queries
from core.board_notes import STATUSES, STRANDS
from core.partnership import ADDITIVE, DIRECTIONS, UNITS
from core.reporting_periods import FREQUENCIES
from core.strategy import BOARD_SECTIONS


def _run(job) -> int:
    from dashboard.partnership_admin import ChangeRefused

    try:
        print(job())
    except ChangeRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _table(frame, empty: str) -> str:
    return empty if frame.empty else frame.to_string(index=False)


# ---------------------------------------------------------------- indicators


def cmd_indicators(args) -> int:
    from dashboard import partnership_admin as admin

    engine = db.get_engine()
    if args.command == "add":
        fields = {k: getattr(args, k) for k in ("priority", "unit", "frequency", "direction")}
        fields |= {"indicator": args.name, "additive": args.additive, "owner": args.owner}
        return _run(
            lambda: admin.define_indicator(engine, fields | {"source": args.source}, args.by)
        )
    if args.command == "retire":
        return _run(lambda: admin.retire_indicator(engine, args.name, args.by, args.restore))
    if args.command == "value":
        return _run(
            lambda: admin.type_value(engine, args.name, args.period, args.value, args.note, args.by)
        )
    if args.history:
        return _run(lambda: _table(admin.changes_table(engine), "No changes yet."))
    table = admin.definitions_table(engine, include_retired=args.all)
    return _run(lambda: _table(table, "No partnership indicators defined yet."))


def add_indicators_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="the indicators defined (--history: every change)")
    listing.add_argument("--history", action="store_true", help="every change, newest first")
    listing.add_argument("--all", action="store_true", help="retired ones too")
    add = sub.add_parser("add", help="define an indicator (or change its definition)")
    add.add_argument("name")
    add.add_argument("--priority", required=True, help="one of the strategy's five priorities")
    add.add_argument("--unit", choices=UNITS, default="count")
    add.add_argument("--frequency", choices=FREQUENCIES, required=True)
    add.add_argument("--direction", choices=DIRECTIONS, default="neither", help="which is better")
    add.add_argument("--additive", choices=ADDITIVE, default="yes", help="adds up over a year?")
    add.add_argument("--owner", required=True, help="the partner agency")
    add.add_argument("--source", default=None)
    retire = sub.add_parser("retire", help="stop showing an indicator (its values are kept)")
    retire.add_argument("name")
    retire.add_argument("--restore", action="store_true", help="bring a retired one back")
    value = sub.add_parser("value", help="give one value (as an analyst typing it in)")
    value.add_argument("name")
    value.add_argument("--period", required=True, help="2025-03, 2024/25 Q4, 2024/25, 2025-03-14")
    value.add_argument("--value", required=True)
    value.add_argument("--note", default=None)
    for command in (add, retire, value):
        command.add_argument("--by", default=None, help="who is making the change")
    parser.set_defaults(func=cmd_indicators)


# ---------------------------------------------------------------- commentary


def cmd_commentary(args) -> int:
    from dashboard import partnership_admin as admin

    engine = db.get_engine()
    if args.command == "set":
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        return _run(
            lambda: admin.set_commentary(engine, args.priority, args.quarter, text, args.by)
        )
    if args.command == "permit":
        return _run(lambda: admin.permit_writer(engine, args.name, not args.stop, args.by))

    def show() -> str:
        versions = queries.commentary(
            engine, admin.section_slug(args.priority), admin.quarter_text(args.quarter)
        )
        if versions.empty:
            return "No commentary yet."
        if args.history:
            return versions[["written_at", "written_by", "text"]].to_string(index=False)
        newest = versions.iloc[0]
        return f"{newest['text']}\n\n(written by {newest['written_by']}, {newest['written_at']:%d %b %Y %H:%M})"

    return _run(show)


def add_commentary_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("set", help="write a new version of a priority's commentary")
    one.add_argument("--file", required=True, help="plain text or markdown (- : standard input)")
    one.add_argument("--by", default=None, help="who is writing it")
    show = sub.add_parser("show", help="the commentary in force (--history: every version)")
    show.add_argument("--history", action="store_true")
    for command in (one, show):
        command.add_argument("--quarter", required=True, help="e.g. 2025/26-Q3")
        command.add_argument("--priority", required=True, help=", ".join(BOARD_SECTIONS))
    permit = sub.add_parser("permit", help="let an analyst write the commentary (--stop: not)")
    permit.add_argument("name")
    permit.add_argument("--stop", action="store_true")
    permit.add_argument("--by", default=None)
    parser.set_defaults(func=cmd_commentary)


# ---------------------------------------------------------------- actions

ACTION_ARGS = ("strand", "number", "action", "lead", "due", "outcome", "status", "latest")


def cmd_actions(args) -> int:
    from dashboard import partnership_admin as admin
    from dashboard.partnership import actions_for

    engine = db.get_engine()
    fields = {k: getattr(args, k, None) for k in ACTION_ARGS}
    if args.command == "add":
        return _run(lambda: admin.add_action(engine, args.priority, fields, args.by))
    if args.command == "update":
        return _run(lambda: admin.update_action(engine, args.id, fields, args.by))
    if args.history:
        table = queries.action_changes(engine)
        return _run(lambda: _table(table, "No actions yet."))
    section = admin.section_slug(args.priority) if args.priority else None
    return _run(lambda: _table(actions_for(section, engine=engine), "No actions yet."))


def add_actions_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="every action (of a priority), overdue ones marked")
    listing.add_argument("--priority", default=None, help=", ".join(BOARD_SECTIONS))
    listing.add_argument("--history", action="store_true", help="every change, newest first")
    add = sub.add_parser("add", help="add an action to a priority's plan")
    add.add_argument("--priority", required=True, help=", ".join(BOARD_SECTIONS))
    update = sub.add_parser("update", help="change an action (status, latest update, ...)")
    update.add_argument("id", type=int)
    for command in (add, update):
        command.add_argument("--strand", choices=STRANDS)
        command.add_argument("--number", help="as the plan numbers it (default: the next)")
        command.add_argument("--action", help="what will be done")
        command.add_argument("--lead", help="the accountable lead")
        command.add_argument("--due", help="date of delivery, 2025-12-31")
        command.add_argument("--outcome", help="the desired outcome")
        command.add_argument("--status", choices=STATUSES)
        command.add_argument("--latest", help="the latest update")
        command.add_argument("--by", default=None, help="who is making the change")
    parser.set_defaults(func=cmd_actions)
