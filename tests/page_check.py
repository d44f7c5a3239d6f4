"""Opening a page as the browser does (Dash Pages' router, then the page's period callbacks)
and reading what a reader would see: the components not hidden, their text, their charts."""

from __future__ import annotations

import inspect
import json
import re

import dash

import webclient

ROUTER = "_pages_content"
PICKER = {"id": "period-select", "property": "value"}
MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
MONTH_LABEL = re.compile(rf"\b({MONTH_NAMES}) (\d{{4}})\b")
TRACE_DATA = ("x", "y", "z", "values", "locations", "lat", "lon")


def page_addresses(example: dict[str, str]) -> list[tuple[str, str]]:
    """(module, address) of every page in dash.page_registry but the "not found" page; a path
    template's variables are filled from ``example`` (e.g. {"ward_code": "E05013628"})."""
    found = []
    for page in dash.page_registry.values():
        if page["module"].endswith("not_found_404"):
            continue
        path = page.get("path_template") or page["path"]
        for name, value in example.items():
            path = path.replace(f"<{name}>", value)
        found.append((page["module"], path))
    return found


def open_page(client, path: str, search: str = "") -> dict:
    """The page's layout tree (as JSON) as the router callback answers it."""
    inputs = [
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": search},
    ]
    response = webclient.fire(client, webclient.output_key(ROUTER), inputs)
    assert response.status_code == 200, (path, search, response.status_code)
    return response.get_json()["response"][ROUTER]["children"]


def components(tree):
    """Every component of a layout tree (JSON), depth first."""
    if isinstance(tree, list):
        for item in tree:
            yield from components(item)
    elif isinstance(tree, dict) and "props" in tree:
        yield tree
        for value in tree["props"].values():
            yield from components(value)


def period_callbacks(tree) -> list[tuple[str, dict]]:
    """(output key, entry) of every callback listening to the period picker whose outputs are
    all in this page's tree."""
    ids = {i for c in components(tree) if isinstance(i := c["props"].get("id"), str)}
    found = []
    for key, entry in webclient.callback_map().items():
        if PICKER not in [{"id": i["id"], "property": i["property"]} for i in entry["inputs"]]:
            continue
        outputs = key.strip(".").split("...")
        if all(o.rsplit(".", 1)[0] in ids for o in outputs):
            found.append((key, entry))
    return found


def open_directly(module: str, period: str, user) -> dict:
    """The page's tree as ``open_page`` then ``pick(..., opening=True)`` give it, from its
    layout and callback functions called in a request of ``user`` (no HTTP: ten times quicker)."""
    import flask
    from plotly.io.json import to_json_plotly

    page = next(p for p in dash.page_registry.values() if p["module"] == module)
    with webclient.the_app().server.test_request_context():
        flask.g.auth_user = user
        query = {} if period == "latest" else {"period": period}
        tree = json.loads(to_json_plotly(page["layout"](**query)))
        by_id = {c["props"].get("id"): c for c in components(tree)}
        for key, entry in period_callbacks(tree):
            if _waits(key):
                continue
            values = [
                period if i["id"] == "period-select" else _value(tree, i)
                for i in [*entry["inputs"], *entry.get("state", [])]
            ]
            result = inspect.unwrap(entry["callback"])(*values)
            outputs = entry["output"]
            if not isinstance(outputs, list | tuple):  # a callback of one output returns it alone
                outputs, result = [outputs], [result]
            result = json.loads(to_json_plotly(list(result)))
            for output, value in zip(outputs, result, strict=True):
                by_id[output.component_id]["props"][output.component_property] = value
    return tree


def _value(tree, spec: dict):
    for c in components(tree):
        if c["props"].get("id") == spec["id"]:
            return c["props"].get(spec["property"])
    return None


def pick(client, tree, period: str, opening: bool = False) -> dict:
    """The page's tree after the period picker is set to ``period`` (each callback listening to
    the picker fired as the browser would, its outputs put in place); ``opening``: as the page
    opens (only the callbacks that run at once: a page drawn by its layout has none)."""
    by_id = {c["props"].get("id"): c for c in components(tree)}
    for key, entry in period_callbacks(tree):
        if opening and _waits(key):
            continue
        inputs = [
            {**i, "value": period if i["id"] == "period-select" else _value(tree, i)}
            for i in entry["inputs"]
        ]
        state = [{**s, "value": _value(tree, s)} for s in entry.get("state", [])]
        response = webclient.fire(client, key, inputs, state)
        assert response.status_code == 200, (key, period, response.status_code)
        for component_id, props in response.get_json()["response"].items():
            # a Patch (only what moved, e.g. the trend's shaded windows) keeps the figure drawn
            whole = {k: v for k, v in props.items() if not _is_patch(v)}
            by_id[component_id]["props"].update(whole)
    return tree


def _waits(key: str) -> bool:
    """Whether a callback waits for a change (``prevent_initial_call``) instead of running as
    its page opens."""
    from dash import _callback

    specs = [*_callback.GLOBAL_CALLBACK_LIST, *webclient.the_app()._callback_list]
    return any(s["output"] == key and s.get("prevent_initial_call") for s in specs)


def waits_for_the_picker(tree) -> bool:
    """Whether some of the page's period callbacks run only when the picker changes."""
    return any(_waits(key) for key, _ in period_callbacks(tree))


def _is_patch(value) -> bool:
    return isinstance(value, dict) and "__dash_patch_update" in value


def shows_a_month(tree) -> bool:
    """Whether the page listens to the period picker (its figures are for a month)."""
    return bool(period_callbacks(tree))


def shown(tree):
    """The components a reader sees: none inside a hidden one."""
    if isinstance(tree, list):
        for item in tree:
            yield from shown(item)
    elif isinstance(tree, dict) and "props" in tree:
        if tree["props"].get("hidden"):
            return
        yield tree
        for value in tree["props"].values():
            yield from shown(value)


def text(tree) -> str:
    """The words a reader sees, with the HTML the browser puts in place (tables, cards)."""
    words = []
    for c in shown(tree):
        for name in ("children", "data"):
            value = c["props"].get(name)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                words.append(re.sub(r"<[^>]+>", " ", str(value)))
    return " ".join(" ".join(words).split())


def empty_frames(tree) -> list[str]:
    """Ids of the charts a reader sees that would be drawn as an empty frame: no figure at all
    (Plotly's bare axes from -1 to 6), or axes with no data and no message why."""
    empty = []
    for c in shown(tree):
        if c.get("type") != "Graph":
            continue
        figure = c["props"].get("figure")
        if not figure or not _has_data(figure) and not _says_why(figure):
            empty.append(c["props"].get("id"))
    return empty


def _has_data(figure: dict) -> bool:
    return any(
        isinstance(trace.get(k), list) and len(trace[k]) > 0 or isinstance(trace.get(k), dict)
        for trace in figure.get("data", [])
        for k in TRACE_DATA
    )


def _says_why(figure: dict) -> bool:
    layout = figure.get("layout", {})
    hidden_axes = all(layout.get(axis, {}).get("visible") is False for axis in ("xaxis", "yaxis"))
    return hidden_axes and bool(layout.get("annotations"))


def months_named(tree) -> set[tuple[str, int]]:
    return {(m, int(y)) for m, y in MONTH_LABEL.findall(text(tree))}


def as_json(tree) -> str:
    return json.dumps(tree)
