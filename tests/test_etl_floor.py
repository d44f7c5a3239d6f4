"""The etl floor's rules, checked on its source: it imports only core, domain and itself (never
dashboard), imports at the top of modules, runs SQL only in etl/store, and keeps modules small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[1] / "etl"
MODULES = sorted(ETL.rglob("*.py"))
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "literal", "bindparam"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(ETL.parent))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_etl_never_imports_dashboard(path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "dashboard" for a in node.names)
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "dashboard"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_imports_are_at_the_top_of_the_module(path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert not inner, f"{node.name} imports inside the function"


@pytest.mark.parametrize("path", [p for p in MODULES if "store" not in p.parts], ids=_name)
def test_sql_runs_only_in_the_store(path):
    tree = _tree(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
            assert not {a.name for a in node.names} & SQL_BUILDERS
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"execute", "bulk_insert"}, f"line {node.lineno}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_stay_under_500_lines(path):
    assert len(path.read_text().splitlines()) <= 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ETL.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The etl modules a module imports (``from pkg import sub`` counts as importing ``sub``)."""
    found = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module in known:
            subs = {f"{node.module}.{a.name}" for a in node.names} & known
            found |= subs or {node.module}
    return found


def test_etl_modules_do_not_import_each_other_in_a_circle():
    names = {_module_name(p): p for p in MODULES}
    graph = {name: _imports(path, set(names)) for name, path in names.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        assert name not in trail, " -> ".join([*trail[trail.index(name) :], name])
        if name not in done:
            for imported in sorted(graph[name]):
                visit(imported, [*trail, name])
            done.add(name)

    for name in sorted(graph):
        visit(name, [])
