"""The floors import only downward (docs/STYLE.md): checked on the source, as import contracts.

An AST walk rather than import-linter: the same contracts, no extra tool to install in CI.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
# floor -> (the files, the top-level packages and modules it may import)
PURE = {
    "domain": (["domain"], {"core.months", "core.reference", "core.values", "domain"}),
    "text": (["dashboard/text.py"], {"core.values"}),
    "prose": (["dashboard/prose"], {"core", "dashboard.prose", "dashboard.text", "domain"}),
    "charts": (
        ["dashboard/charts"],
        {"core.months", "core.reference", "core.values", "dashboard.charts", "dashboard.text"}
        | {"domain"},
    ),
    "ui": (
        ["dashboard/ui"],
        {"core.months", "core.reference", "core.values", "dashboard.charts", "dashboard.prose"}
        | {"dashboard.text", "dashboard.ui", "domain", "dash", "dash_bootstrap_components"},
    ),
}
THIRD_PARTY = {"pandas", "numpy", "scipy", "plotly"}
PARSERS = {"as_month", "as_month_or_none"}  # a month is parsed at the pages and cache only


def _files(paths: list[str]) -> list[Path]:
    out = []
    for path in paths:
        found = ROOT / path
        out += sorted(found.rglob("*.py")) if found.is_dir() else [found]
    return out


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _allowed(name: str, allowed: set[str]) -> bool:
    top = name.split(".")[0]
    if top in STDLIB or top in THIRD_PARTY:
        return True
    return any(name == a or name.startswith(a + ".") for a in allowed)


@pytest.mark.parametrize("floor", list(PURE))
def test_pure_floors_import_only_downward(floor):
    paths, allowed = PURE[floor]
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files(paths)
        for name in _imports(path)
        if not _allowed(name, allowed)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("floor", list(PURE))
def test_no_month_is_parsed_below_the_pages(floor):
    calls = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _files(PURE[floor][0])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) in PARSERS
    ]
    assert not calls, calls


def test_pages_read_figures_through_the_cache():
    """No SQL in a page; only the Sources and Data history pages read the upload records."""
    readers = {"provenance.py", "history.py"}
    wrong = [
        f"{path.name}: {name}"
        for path in _files(["dashboard/pages", "app.py"])
        for name in _imports(path)
        if name.startswith("sqlalchemy")
        or (name.startswith("core.queries") and path.name not in readers)
    ]
    assert not wrong, wrong


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_pages_are_thin_and_no_module_is_large():
    pages = {p.name: _lines(p) for p in _files(["dashboard/pages"]) if _lines(p) > 200}
    assert not pages, pages
    modules = _files(["domain", "dashboard", "app.py"])
    large = {str(p.relative_to(ROOT)): _lines(p) for p in modules if _lines(p) > 500}
    assert not large, large
