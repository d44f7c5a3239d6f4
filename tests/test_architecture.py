"""The house rules that the import contracts (pyproject.toml, `lint-imports`) cannot see:
where SQL may run, how big a module may grow, where a month is parsed, when the formatter may
be switched off. See docs/ARCHITECTURE.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "domain", "etl", "dashboard")
# Where SQL may run: the read queries, the schema and engine, and the stores that write.
SQL_MODULES = (
    "core/db.py",
    "core/bulk.py",  # the fast many-row INSERT/COPY every store writes through
    "core/queries/",
    "etl/store",
    "dashboard/auth/store.py",
)
# core/reference_data.py: the schema, shipped rows and writes of the targets and comparator groups
# the manager edits, kept out of core/db.py only because that module is at its size limit.
SQL_MODULES += ("core/reference_data.py",)
# core/published.py: the published board packs' table and writes, for the same reason.
SQL_MODULES += ("core/published.py",)
# core/partnership.py and core/board_notes.py likewise: the partnership indicators' definitions and
# the commentary and action plans people edit, with their histories.
SQL_MODULES += ("core/partnership.py", "core/board_notes.py")
# core/pending_uploads.py: the schema, reads and writes of the uploads waiting for confirmation,
# kept apart because on SQLite they live in a database file of their own.
SQL_MODULES += ("core/pending_uploads.py",)
# What builds or runs a statement; any other SQLAlchemy name (Engine, Connection, Table, a column
# type) is a type for annotations and checks.
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "literal", "bindparam"}
SQL_BUILDERS |= {"cast", "case", "exists", "union", "union_all", "and_", "or_", "not_", "tuple_"}
RUNNING_CALLS = {"execute", "exec_driver_sql", "scalar", "scalars", "bulk_insert"}
# The loaders open the one transaction a file is written in and hand it to the store.
TRANSACTION_CALLS = {"connect", "begin"}
TRANSACTION_OWNERS = ("etl/",)
# Below the edge (pages, cache, the CLIs) a month arrives as a core.months.Month.
NO_MONTH_PARSING = (
    "domain/",
    "dashboard/charts/",
    "dashboard/prose/",
    "dashboard/ui/",
    "dashboard/text",
)
MAX_LINES, MAX_PAGE_LINES, MAX_FMT_SKIPS = 500, 200, 10


def modules() -> list[Path]:
    found = [ROOT / "app.py"]
    for package in PACKAGES:
        found += sorted((ROOT / package).rglob("*.py"))
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def may_run_sql(path: Path) -> bool:
    return relative(path).startswith(SQL_MODULES)


def sql_uses(source: str, where: str) -> list[str]:
    """Statements built or run in one module's source (and, outside the ETL, connections
    opened); ``where`` is its path from the project root."""
    calls = RUNNING_CALLS
    if not where.startswith(TRANSACTION_OWNERS):
        calls = calls | TRANSACTION_CALLS
    found = []
    for node in ast.walk(ast.parse(source)):
        module = getattr(node, "module", None) or ""
        if isinstance(node, ast.ImportFrom) and module == "sqlalchemy.exc":
            continue  # catching a database error is not running SQL
        if isinstance(node, ast.ImportFrom) and module.startswith("sqlalchemy"):
            extra = {alias.name for alias in node.names} & SQL_BUILDERS
            if extra:
                found.append(f"line {node.lineno}: from {node.module} import {sorted(extra)}")
        elif isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith("sqlalchemy")
            ]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in calls and not isinstance(node.func.value, ast.Constant):
                found.append(f"line {node.lineno}: .{node.func.attr}(…)")
    return found


@pytest.mark.parametrize("path", [p for p in modules() if not may_run_sql(p)], ids=relative)
def test_sql_runs_only_in_the_query_and_store_modules(path):
    source = path.read_text(encoding="utf-8")
    assert sql_uses(source, relative(path)) == [], f"{relative(path)} runs SQL: see core/queries"


PLANTED = (
    "from sqlalchemy import Engine, select\n\n"
    "def read(engine: Engine):\n"
    "    with engine.connect() as conn:\n"
    "        return conn.execute(select(1))\n"
)


def test_the_sql_check_sees_a_query_in_a_page():
    assert sql_uses(PLANTED, "dashboard/pages/planted.py") == [
        "line 1: from sqlalchemy import ['select']",
        "line 4: .connect(…)",
        "line 5: .execute(…)",
    ]


def test_a_loader_may_open_its_transaction_but_not_write_sql():
    assert sql_uses(PLANTED, "etl/load_planted.py") == [
        "line 1: from sqlalchemy import ['select']",
        "line 5: .execute(…)",
    ]


def formatted_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_no_module_grows_past_its_size(path):
    limit = MAX_PAGE_LINES if relative(path).startswith("dashboard/pages/") else MAX_LINES
    assert formatted_lines(path) <= limit, f"{relative(path)}: split it by job (limit {limit})"


def month_parsing(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None))
        in {"as_month", "as_month_or_none"}
    ]


@pytest.mark.parametrize(
    "path",
    [p for p in modules() if relative(p).startswith(NO_MONTH_PARSING)],
    ids=relative,
)
def test_a_month_is_parsed_at_the_edge_only(path):
    assert month_parsing(path) == [], (
        f"{relative(path)} parses a month: take a core.months.Month from the caller instead"
    )


def test_the_formatter_owns_the_layout():
    """At most ten `# fmt: skip`, each for an aligned table of literals and saying so."""
    skips = []
    for path in modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#\s*fmt:\s*(skip|off)", line):
                skips.append((relative(path), number, line))
    assert len(skips) <= MAX_FMT_SKIPS, skips
    unexplained = [s for s in skips if "aligned" not in s[2]]
    assert unexplained == [], "say why the table reads better aligned, on the same line"
