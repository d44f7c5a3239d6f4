"""``python -m dashboard report|users|exempt|targets|groups|indicators|commentary|actions``: the
dashboard's jobs without the web app.

  report   the indicators export (every area x indicator for one month, as CSV), the monthly
           figures (every dataset's monthly counts: report monthly --out monthly.csv) and the
           quarterly board pack (report pack --quarter 2025/26-Q3 --out pack.pdf|pack.xlsx)
  users    who may sign in: add, passwd, role, disable, enable, list
  exempt   datasets or indicators only managers see: add, remove, list
  targets  the targets RAG is judged against: list, set, clear
  groups   comparator groups of London boroughs: list, show, set, add, remove, delete, choose
  indicators, commentary, actions: partnership indicators, the officer's commentary and the
           action plans (dashboard/cli_partnership.py)

The older paths ``python -m dashboard.report``, ``dashboard.users`` and ``dashboard.exempt``
run the same commands.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from core import db, queries
from core.months import as_month
from dashboard import cli_partnership
from dashboard.auth import exempt, users
from dashboard.auth.roles import ROLE_WORDS, ROLES

# ---------------------------------------------------------------- report


def cmd_report(args) -> int:
    # imported here: the indicators need scipy, a second's start-up users and exempt can skip
    from dashboard.reports import exports
    from dashboard.reports.indicators import crime_indicators

    match = re.fullmatch(r"(\d{4})-(\d{2})", args.month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        args.parser.error(
            f"--month must be a month written YYYY-MM (e.g. 2025-02), not {args.month!r}"
        )
    month = as_month(args.month)  # the edge: parsed once, passed down as a Month
    table = crime_indicators(db.get_engine(), month)
    if table.empty:
        print(
            "No crime figures are loaded yet: run python -m etl load PATH first.", file=sys.stderr
        )
        return 1
    table = exports.safe_frame(table)  # text cells that a spreadsheet would run as formulas
    if args.out == "-":
        table.to_csv(sys.stdout, index=False)
    else:
        table.to_csv(args.out, index=False)
        print(f"Wrote {len(table):,} rows to {args.out}", file=sys.stderr)
    return 0


def cmd_monthly(args) -> int:
    """Every dataset's monthly counts as the pages use them, as CSV."""
    from dashboard.reports import exports
    from dashboard.reports.monthly import monthly_figures

    table = monthly_figures(db.get_engine())
    if table.empty:
        print(
            "No monthly figures are loaded yet: run python -m etl load PATH first.", file=sys.stderr
        )
        return 1
    text = exports.csv_text(table)  # text cells that a spreadsheet would run as formulas
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        print(f"Wrote {len(table):,} rows to {args.out}", file=sys.stderr)
    return 0


def cmd_pack(args) -> int:
    """The quarterly board pack, as a PDF or a workbook (the format from --out's suffix)."""
    from pathlib import Path

    from dashboard.reports.pack.build import FORMATS, build
    from dashboard.reports.pack.quarter import QuarterError, quarter_end

    fmt = Path(args.out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        args.parser.error(f"--out must end in .pdf or .xlsx, not {args.out!r}")
    try:
        data = build(quarter_end(args.quarter), fmt, args.exempt, ward_table=args.ward_table)
    except QuarterError as exc:
        print(exc, file=sys.stderr)
        return 1
    Path(args.out).write_bytes(data)
    kind = "exempt board pack" if args.exempt else "board pack"
    print(f"Wrote the {kind} for {args.quarter} to {args.out}", file=sys.stderr)
    return 0


def cmd_publish(args) -> int:
    """Publish the quarter's board pack (PDF and workbook) for the Board."""
    from dashboard.reports.pack.published import publish_pack
    from dashboard.reports.pack.quarter import QuarterError, quarter_end

    try:
        version = publish_pack(quarter_end(args.quarter), args.exempt, args.by)
    except QuarterError as exc:
        print(exc, file=sys.stderr)
        return 1
    kind = "Part 2 (exempt) board pack" if args.exempt else "board pack"
    print(f"Published the {kind} for {args.quarter}, version {version}", file=sys.stderr)
    return 0


def add_report_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    ind = sub.add_parser("indicators", help="CSV of every area x indicator for one month")
    ind.add_argument("--month", required=True, help="the R12 window's last month, YYYY-MM")
    ind.add_argument("--out", default="-", help="file to write, or - for standard output")
    ind.set_defaults(func=cmd_report, parser=parser)
    monthly = sub.add_parser("monthly", help="CSV of every dataset's monthly counts")
    monthly.add_argument("--out", default="-", help="file to write, or - for standard output")
    monthly.set_defaults(func=cmd_monthly, parser=parser)
    pack = sub.add_parser("pack", help="the quarterly board pack, PDF or Excel workbook")
    pack.add_argument("--quarter", required=True, help="the meeting quarter, e.g. 2025/26-Q3")
    pack.add_argument("--out", required=True, help="file to write: NAME.pdf or NAME.xlsx")
    pack.add_argument(
        "--exempt", action="store_true", help="include exempt items (marked on every page)"
    )
    pack.add_argument(
        "--ward-table",
        action="store_true",
        help="print the full ward table as an appendix of the PDF (always in the workbook)",
    )
    pack.set_defaults(func=cmd_pack, parser=parser)
    pub = sub.add_parser("publish", help="publish the quarter's board pack for the Board")
    pub.add_argument("--quarter", required=True, help="the meeting quarter, e.g. 2025/26-Q3")
    pub.add_argument("--exempt", action="store_true", help="the Part 2 pack (managers only)")
    pub.add_argument("--by", default="server", help="who publishes it (shown with the pack)")
    pub.set_defaults(func=cmd_publish, parser=parser)


# ---------------------------------------------------------------- users


def cmd_users(args) -> int:
    engine = db.get_engine()
    try:
        if args.command == "add":
            users.add_user(engine, args.name, users.read_password(), args.role)
            print(f"Added {args.name} ({args.role}: can {ROLE_WORDS[args.role]}).")
        elif args.command == "passwd":
            users.set_password(engine, args.name, users.read_password())
            print(f"Changed the password of {args.name}; their open sessions have ended.")
        elif args.command == "role":
            users.set_role(engine, args.name, args.role)
            print(f"{args.name} is now {args.role}.")
        elif args.command in ("disable", "enable"):
            users.set_disabled(engine, args.name, args.command == "disable")
            print(f"{args.name} is {args.command}d.")
        else:
            rows = queries.user_list(engine)
            if not rows:
                print("No users yet: the dashboard is open on this computer only.")
            for r in rows:
                state = "disabled" if r["disabled"] else "active"
                print(f"{r['name']:<24} {r['role']:<8} {state:<8} added {r['created_at']:%Y-%m-%d}")
    except users.UserError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def add_users_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a user (password from standard input)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    sub.add_parser("passwd", help="change a password (from standard input)").add_argument("name")
    role = sub.add_parser("role", help="change a user's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    sub.add_parser("disable", help="stop a user signing in").add_argument("name")
    sub.add_parser("enable", help="let a disabled user sign in again").add_argument("name")
    sub.add_parser("list", help="every user, role and state")
    parser.set_defaults(func=cmd_users)


# ---------------------------------------------------------------- exempt


def cmd_exempt(args) -> int:
    engine = db.get_engine()
    if args.command == "list":
        table = exempt.items(engine)
        print("No exempt items." if table.empty else table.to_string(index=False))
        return 0
    try:
        name = exempt.canonical(engine, args.kind, args.name)
    except exempt.UnknownName as error:
        # an item marked under a name that no longer exists can still be removed
        if args.command == "remove" and exempt.unmark(engine, args.kind, args.name, args.user):
            print(f"{args.kind} {args.name!r} is visible again.")
            return 0
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 2
    if args.command == "add":
        exempt.mark(engine, args.kind, name, args.user)
        print(f"{args.kind} {name!r} is now exempt: only managers see it.")
        print(exempt_words(args.kind, name))
    else:
        found = exempt.unmark(engine, args.kind, name, args.user)
        print(f"{args.kind} {name!r} " + ("is visible again." if found else "was not exempt."))
    return 0


def exempt_words(kind: str, name: str) -> str:
    """What viewers and analysts no longer see, in one sentence."""
    if kind == "dataset":
        return f"Viewers and analysts no longer see any figure from {name}."
    lost = exempt.no_longer_seen(kind, name)
    return "Viewers and analysts no longer see: " + ", ".join(lost) + "."


def add_exempt_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("add", "remove"):
        one = sub.add_parser(command, help=f"{command} an exempt dataset or indicator")
        one.add_argument("kind", choices=exempt.KINDS)
        one.add_argument("name")
        one.add_argument("--user", default=None, help="who is marking or unmarking it")
    sub.add_parser("list", help="every exempt item")
    parser.set_defaults(func=cmd_exempt)


# ---------------------------------------------------------------- targets and groups


def cmd_targets(args) -> int:
    from dashboard import targets  # imported here: it needs pandas, which users can skip

    engine = db.get_engine()
    try:
        if args.command == "set":
            message = targets.set_target(
                engine,
                args.indicator,
                area=args.area,
                kind=args.kind,
                value=args.value,
                direction=args.direction,
                from_year=args.from_year,
                by=args.by,
            )
            print(f"Set: {message}")
        elif args.command == "clear":
            print(
                targets.clear_target(
                    engine, args.indicator, area=args.area, from_year=args.from_year, by=args.by
                )
            )
        else:
            table = targets.history_table(engine) if args.history else targets.targets_table(engine)
            table = table.drop(columns=["from_year", "area_code"], errors="ignore")
            print(
                (
                    "No targets set: every MOPAC7 type and the total are judged against 20% "
                    "below 2011/12."
                )
                if table.empty and not args.history
                else table.to_string(index=False)
            )
    except targets.ChangeRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def add_targets_commands(parser: argparse.ArgumentParser) -> None:
    from domain.targets import DIRECTIONS, KINDS

    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="the targets set (--history: every change)")
    listing.add_argument("--history", action="store_true", help="every change, newest first")
    one = sub.add_parser("set", help="set a target for an indicator (and area) from a year on")
    one.add_argument("indicator", help='e.g. "Burglary", "MOPAC7 total", "Knife Crime"')
    one.add_argument("--kind", choices=KINDS, default="baseline")
    one.add_argument("--value", required=True, type=float, help="percent, or the 12 months' count")
    one.add_argument("--direction", choices=DIRECTIONS, default="lower")
    clear = sub.add_parser("clear", help="clear a target (back to the default, if any)")
    clear.add_argument("indicator")
    for command in (one, clear):
        command.add_argument("--area", default=None, help="borough name or area code (none: all)")
        command.add_argument("--from", dest="from_year", default="2011/12", help="e.g. 2025/26")
        command.add_argument("--by", default=None, help="who is making the change")
    parser.set_defaults(func=cmd_targets)


def cmd_groups(args) -> int:
    from dashboard import cache, targets

    engine = db.get_engine()
    try:
        if args.command in ("list", "show"):
            chosen = cache.comparator_group(engine)[0]
            table = targets.groups_table(engine, chosen)
            if args.command == "show":
                table = table[table["Group"] == args.name]
                if table.empty:
                    raise targets.ChangeRefused(f"No group called {args.name!r}.")
                row = table.iloc[0]
                print(f"{row['Group']} ({row['Boroughs']} boroughs): {row['Members']}")
            else:
                print(table.drop(columns=["Members"]).to_string(index=False))
        else:
            boroughs = getattr(args, "boroughs", [])
            print(targets.change_group(engine, args.command, args.name, boroughs, args.by))
    except targets.ChangeRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def add_groups_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every group, its size, and the most similar group")
    sub.add_parser("show", help="one group's boroughs").add_argument("name")
    for command, text in (
        ("set", "create a group, or replace its boroughs"),
        ("add", "add boroughs to a group"),
        ("remove", "remove boroughs from a group"),
    ):
        one = sub.add_parser(command, help=text)
        one.add_argument("name")
        one.add_argument("boroughs", nargs="+", help="borough names (quoted) or codes")
        one.add_argument("--by", default=None, help="who is making the change")
    for command, text in (
        ("delete", "delete a group"),
        ("choose", "make a group the home borough's most similar group"),
        ("restore", "make a shipped group (London, Inner or Outer London) as shipped again"),
    ):
        one = sub.add_parser(command, help=text)
        one.add_argument("name")
        one.add_argument("--by", default=None, help="who is making the change")
    parser.set_defaults(func=cmd_groups)


# ---------------------------------------------------------------- entry points

GROUPS: dict[str, tuple[str, str | None, Callable[[argparse.ArgumentParser], None]]] = {
    "report": ("files built from the loaded figures", None, add_report_commands),
    "users": ("who may sign in", users.__doc__, add_users_commands),
    "exempt": ("datasets or indicators only managers see", exempt.__doc__, add_exempt_commands),
    "targets": ("the targets RAG is judged against", None, add_targets_commands),
    "groups": ("comparator groups of London boroughs", None, add_groups_commands),
    "indicators": ("partnership indicators", None, cli_partnership.add_indicators_commands),
    "commentary": ("the officer's commentary", None, cli_partnership.add_commentary_commands),
    "actions": ("the priorities' action plans", None, cli_partnership.add_actions_commands),
}


def _parser(prog: str, description: str | None) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard GROUP COMMAND ...``: run one command, return its exit status."""
    parser = _parser("python -m dashboard", __doc__)
    sub = parser.add_subparsers(dest="group", required=True)
    for group, (help_text, description, add_commands) in GROUPS.items():
        add_commands(
            sub.add_parser(
                group,
                help=help_text,
                description=description,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    args = parser.parse_args(argv)
    return args.func(args)


def _group_main(group: str, argv: list[str] | None) -> int:
    """One group under its old path (``python -m dashboard.users ...``)."""
    _, description, add_commands = GROUPS[group]
    parser = _parser(f"python -m dashboard.{group}", description)
    add_commands(parser)
    args = parser.parse_args(argv)
    return args.func(args)


def report_main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.report ...``, the old path of ``python -m dashboard report``."""
    return _group_main("report", argv)


def users_main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.users ...``, the old path of ``python -m dashboard users``."""
    return _group_main("users", argv)


def exempt_main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.exempt ...``, the old path of ``python -m dashboard exempt``."""
    return _group_main("exempt", argv)
