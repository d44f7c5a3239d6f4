"""Which registered page answers an address, as Dash Pages routes it: its ``path`` or its
``path_template`` with one value for each ``<name>`` part (/crime/<slug>, /ward/<code>).

Read from Dash's public page registry (``dash.page_registry``, ``dash.strip_relative_path``):
Dash has no public function for this match. Used by app.py (an address that is no page's
answers 404) and by the kept answers (``dashboard.answers``: only a data page's are kept).
"""

from __future__ import annotations

import re

import dash


def page_for(path: str | None) -> tuple[dict | None, dict[str, str]]:
    """The registered page that answers ``path`` and the values of its path template's
    ``<name>`` parts; (None, {}) for none."""
    try:
        wanted = dash.strip_relative_path(path or "/") or ""
    except dash.exceptions.UnsupportedRelativePath:  # not under the app's prefix
        return None, {}
    for page in dash.page_registry.values():
        template = page.get("path_template")
        found = _template_values(template, wanted) if template else None
        if found is not None:
            return page, found
        if wanted == page["path"].strip("/"):
            return page, {}
    return None, {}


def _template_values(template: str, wanted: str) -> dict[str, str] | None:
    parts, given = template.strip("/").split("/"), wanted.split("/")
    if len(parts) != len(given):
        return None
    values = {}
    for part, value in zip(parts, given, strict=True):
        name = re.fullmatch(r"<([^<>]+)>", part)
        if name and value:
            values[name[1]] = value
        elif part != value:
            return None
    return values
