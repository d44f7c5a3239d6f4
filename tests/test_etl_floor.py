"""The etl floor's own rules, checked on its source: imports at the top of modules and no import
cycles between its modules. (Which floors it may import is `lint-imports`' job; where SQL runs
and how big a module grows, tests/test_architecture.py's.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[1] / "etl"
MODULES = sorted(ETL.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(ETL.parent))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_imports_are_at_the_top_of_the_module(path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert not inner, f"{node.name} imports inside the function"


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
