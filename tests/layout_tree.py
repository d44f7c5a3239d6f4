"""Reading a Dash layout tree in tests: the text it shows and the component with an id."""

from __future__ import annotations


def text(component) -> str:
    """All the text a Dash component tree shows, in order, with runs of spaces made one."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(" ".join(text(c) for c in component).split())
    return text(getattr(component, "children", None))


def find(component, component_id):
    """The component with an id in a tree, or None."""
    if isinstance(component, list | tuple):
        return next((f for c in component if (f := find(c, component_id)) is not None), None)
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    return None if children is None or isinstance(children, str) else find(children, component_id)
