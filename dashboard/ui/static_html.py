"""Read-only Dash layouts written out as HTML, for blocks the browser puts in place itself.

Dash's renderer spends about a millisecond per component on every update, so a block of a few
hundred components (the overview's cards) costs a board member a visible pause each time the
period changes; the browser parses the same markup as HTML in well under a millisecond.
``render`` covers the components such blocks use (dash.html, dcc.Link, and the Bootstrap
card, row and column) and refuses anything else rather than drop it silently. The HTML goes
through ``ui.blocks.html_slot``, whose links marked data-app-link navigate within the app.
"""

from __future__ import annotations

import re
from html import escape

from dash.development.base_component import Component

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
RENAMED = {
    "className": "class",
    "htmlFor": "for",
    "tabIndex": "tabindex",
    "colSpan": "colspan",
    "rowSpan": "rowspan",
}
PLAIN = {"id", "title", "role", "href", "scope", "lang", "hidden", "target", "rel", "alt", "src"}
BOOTSTRAP_BLOCKS = {"Card": "card", "CardBody": "card-body", "Row": "row"}
COLUMN_SIZES = ["xs", "sm", "md", "lg", "xl", "xxl"]


def render(node) -> str:
    """HTML for a component, a list of them, or text (escaped); None gives ''."""
    if node is None:
        return ""
    if isinstance(node, list | tuple):
        return "".join(render(child) for child in node)
    if isinstance(node, str | int | float):
        return escape(str(node))
    if not isinstance(node, Component):
        raise TypeError(f"cannot write {type(node).__name__} as HTML")
    tag, attributes = _element(node)
    opening = f"<{tag}{''.join(_attribute(k, v) for k, v in sorted(attributes.items()))}>"
    if tag in VOID:
        return opening
    return f"{opening}{render(getattr(node, 'children', None))}</{tag}>"


def _props(node: Component) -> dict:
    return {k: v for k, v in node.to_plotly_json()["props"].items() if k != "children"}


def _element(node: Component) -> tuple[str, dict]:
    """(tag, attributes) for a supported component."""
    props = _props(node)
    namespace, kind = node._namespace, node._type
    if namespace == "dash_html_components":
        return kind.lower(), _html_attributes(props)
    if namespace == "dash_core_components" and kind == "Link":
        attributes = _html_attributes({k: v for k, v in props.items() if k != "refresh"})
        return "a", {**attributes, "data-app-link": True}
    if namespace == "dash_bootstrap_components" and (kind in BOOTSTRAP_BLOCKS or kind == "Col"):
        if kind == "Col":
            sizes = [_column_class(size, props.pop(size)) for size in COLUMN_SIZES if size in props]
            classes = sizes or ["col"]
        else:
            classes = [BOOTSTRAP_BLOCKS[kind]]
        attributes = _html_attributes(props)
        joined = " ".join(c for c in [*classes, attributes.pop("class", "")] if c)
        return "div", {"class": joined, **attributes}
    raise TypeError(f"cannot write {namespace}.{kind} as HTML")


def _column_class(size: str, span) -> str:
    prefix = "col" if size == "xs" else f"col-{size}"
    return prefix if span is True else f"{prefix}-{span}"


def _html_attributes(props: dict) -> dict:
    out = {}
    for key, value in props.items():
        if key in RENAMED:
            out[RENAMED[key]] = value
        elif key in PLAIN or key.startswith(("aria-", "data-")):
            out[key] = value
        elif key == "style":
            out["style"] = "; ".join(f"{_kebab(k)}: {v}" for k, v in value.items())
        else:
            raise TypeError(f"cannot write the property {key!r} as HTML")
    return out


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def _attribute(name: str, value) -> str:
    if value is True:
        return f" {name}"
    if value is False or value is None:
        return ""
    return f' {name}="{escape(str(value), quote=True)}"'
