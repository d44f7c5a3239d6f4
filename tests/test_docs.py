"""The docs describe the code as it is: the README's layout block is made from the tree."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_layout_script():
    spec = importlib.util.spec_from_file_location("layout", ROOT / "scripts" / "layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_layout_is_the_tree():
    layout = load_layout_script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == layout.with_layout(readme), (
        "README.md's layout is stale: run .venv/bin/python scripts/layout.py --write"
    )


def test_every_module_of_the_floors_is_in_the_layout():
    block = load_layout_script().layout()
    for floor in ("core", "domain", "etl", "dashboard"):
        for path in (ROOT / floor).rglob("*.py"):
            if path.name not in ("__init__.py", "__main__.py"):
                assert f" {path.name} " in f"{block} ".replace("\n", " \n"), path


def test_the_architecture_guide_names_every_floor():
    guide = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for floor in ("core/", "domain/", "etl/", "dashboard/"):
        assert floor in guide


def test_the_readme_gives_every_setting_its_default():
    """Each row of the README's settings table shows the default core.config declares (paths
    under the project shown from it), and every setting has a row."""
    import re

    from core import config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`[A-Z_0-9]+`(?:, `[A-Z_0-9]+`)*) \| (.*?) \|", readme, re.M)
    shown = {}
    for names, defaults in rows:
        values = re.findall(r"`([^`]*)`", defaults) or ([""] if defaults == "none" else [])
        shown.update(zip(re.findall(r"`(\w+)`", names), values, strict=False))
    wrong = [
        (setting.name, shown.get(setting.name), setting.default)
        for setting in config.ALL_SETTINGS
        if setting.name not in ("SECRET_KEY", "PENDING_DIR")  # in words: generated, system temp
        and shown.get(setting.name) != setting.default.replace(f"{config.PROJECT_ROOT}/", "")
    ]
    assert wrong == []
