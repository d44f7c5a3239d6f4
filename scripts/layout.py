"""Print the code layout for README.md: every package and module of the four floors with the
first line of its docstring, so the README's map is made from the tree and cannot drift from it.

    .venv/bin/python scripts/layout.py           # print the block
    .venv/bin/python scripts/layout.py --write   # replace the block in README.md

tests/test_docs.py checks that README.md holds exactly what this prints.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ("core", "domain", "etl", "dashboard")
START, END = "<!-- layout:start -->", "<!-- layout:end -->"
WIDTH = 100


def summary(path: Path) -> str:
    """The first line of a module's docstring ('' when it has none)."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def entries(folder: Path, depth: int) -> list[str]:
    """One line per module and sub-package of a folder, sub-packages expanded beneath."""
    lines = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "__pycache__")) or path.name == "__main__.py":
            continue
        if path.is_dir() and any(path.glob("*.py")):
            init = path / "__init__.py"
            label = f"{'  ' * depth}{path.name}/"
            lines.append(line(label, summary(init) if init.exists() else ""))
            lines += entries(path, depth + 1)
        elif path.suffix == ".py" and path.name != "__init__.py":
            lines.append(line(f"{'  ' * depth}{path.name}", summary(path)))
    return lines


def line(label: str, text: str) -> str:
    text = f"{label:<26} {text}".rstrip()
    if len(text) <= WIDTH:
        return text
    return text[: WIDTH - 1].rsplit(" ", 1)[0].rstrip(",:;(") + " …"


def layout() -> str:
    """The whole block: app.py, then each floor from the top down."""
    lines = [line("app.py", summary(ROOT / "app.py"))]
    for floor in reversed(FLOORS):
        lines.append(line(f"{floor}/", summary(ROOT / floor / "__init__.py")))
        lines += entries(ROOT / floor, 1)
    return "\n".join(["```", *lines, "```"])


def with_layout(readme: str) -> str:
    """README text with the block between the layout markers replaced."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{layout()}\n{END}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the block in README.md")
    args = parser.parse_args()
    if args.write:
        readme = ROOT / "README.md"
        readme.write_text(with_layout(readme.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(layout())


if __name__ == "__main__":
    main()
