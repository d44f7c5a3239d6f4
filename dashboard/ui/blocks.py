"""Page furniture: a chart with its words and its "Show as table", places for server-made HTML
and the browser-side callbacks that fill them, two columns."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.charts.base import empty_figure

GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
TABLE_WRAP_CLASS = "table-responsive chart-table"


def chart_block(
    base: str, heading: str, height: int = 360, level: int = 2, key: bool = False
) -> html.Section:
    """Heading, summary sentence (figcaption, above the chart), the chart and a "Show as
    table" alternative. Ids: <base>-graph, <base>-caption, <base>-table-toggle, and
    <base>-table-html: the Store a callback fills with ``table_html`` (whose <table> has the id
    <base>-table); call ``register_chart_table(base)`` once per chart. With ``key``, an empty
    <base>-key below the chart for a callback to fill (the ward map's colour key).
    """
    heading_tag = html.H2 if level == 2 else html.H3
    return html.Section(
        [
            heading_tag(
                [heading, html.Span(id=f"{base}-mark")], id=f"{base}-heading", className="h5 mt-3"
            ),
            html.Figure(
                [
                    html.Figcaption(id=f"{base}-caption", className="chart-caption"),
                    html.Div(
                        dcc.Graph(
                            id=f"{base}-graph", config=GRAPH_CONFIG, style={"height": f"{height}px"}
                        ),
                        role="img",
                        **{
                            "aria-labelledby": f"{base}-heading",
                            "aria-describedby": f"{base}-caption",
                        },
                    ),
                    *([html.Div(id=f"{base}-key")] if key else []),
                    html.Details(
                        [
                            html.Summary("Show as table", id=f"{base}-table-toggle"),
                            # the table arrives as HTML in a Store and is put in place by the
                            # browser (assets/dashboard.js): a 200-row table of Dash components
                            # takes seconds to render, the browser's own parser milliseconds
                            # a tall table scrolls in its box: focusable, so the arrow
                            # keys scroll it, and named for screen readers
                            html_slot(
                                f"{base}-table",
                                TABLE_WRAP_CLASS,
                                tabIndex="0",
                                role="region",
                                **{"aria-label": f"{heading}: table"},
                            ),
                        ],
                        className="mt-1",
                    ),
                ],
                className="mb-2",
            ),
        ],
        className="chart-block",
    )


def register_navigation(store_id: str) -> None:
    """Opening the path a callback writes to ``store_id`` as a Dash Pages navigation that keeps
    the address's ?period= (a dcc.Location would put back the query it saw when it mounted)."""
    dash.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="navigateTo"),
        Output(store_id, "clear_data"),
        Input(store_id, "data"),
        prevent_initial_call=True,
    )


def html_slot(base: str, class_name: str = "", **wrap) -> html.Div:
    """A place for server-made HTML: the Store <base>-html holds it, the browser puts it in the
    Div <base>-wrap (assets/dashboard.js). Register it once with ``register_html_slot(base)``.

    Tables of hundreds of cells are sent this way: as Dash components they take seconds to
    render, the browser's own HTML parser takes milliseconds. Links in it marked
    data-app-link navigate within the app as dcc.Link does. ``wrap``: more attributes of the
    Div (a scrolling box's tabIndex, role and name).
    """
    return html.Div(
        [html.Div(id=f"{base}-wrap", className=class_name, **wrap), dcc.Store(id=f"{base}-html")]
    )


def register_html_slot(base: str) -> None:
    """The browser-side callback that puts <base>-html's HTML in <base>-wrap."""
    dash.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="fillTable"),
        Output(f"{base}-wrap", "className"),
        Input(f"{base}-html", "data"),
        State(f"{base}-wrap", "id"),
    )


def register_chart_table(base: str) -> None:
    """The browser-side callback that puts a chart's table HTML (<base>-table-html) in place."""
    register_html_slot(f"{base}-table")


def register_chart_tables(charts: list[str]) -> None:
    """``register_chart_table`` for each chart of a page."""
    for chart in charts:
        register_chart_table(chart)


def chart_ids(charts: list[str]) -> list[tuple[str, str]]:
    """(id, property) of chart_block charts: figure, caption and table HTML of each, in order."""
    return [
        (f"{c}-{p}", prop)
        for c in charts
        for p, prop in [("graph", "figure"), ("caption", "children"), ("table-html", "data")]
    ]


def chart_outputs(charts: list[str]) -> list[Output]:
    """The Outputs of ``chart_ids``."""
    return [Output(component, prop) for component, prop in chart_ids(charts)]


def blank_charts(message: str, count: int = 1, caption: str | None = None) -> list:
    """``count`` charts' outputs that say why they are blank (figure, caption, no table)."""
    return [empty_figure(message), message if caption is None else caption, ""] * count


def heading_with_picker(heading, label: str, picker) -> dbc.Row:
    """A page's heading with its picker (and the picker's label) beside it on a laptop."""
    control = dbc.Col([html.Label(label, htmlFor=picker.id), picker], lg=4)
    return dbc.Row([dbc.Col(heading, lg=8), control], className="align-items-end")


def picker_options(names: dict[str, str]) -> list[dict]:
    """Options of a picker from {value: label}."""
    return [{"label": label, "value": value} for value, label in names.items()]


def chart_section(heading: str, notice_id: str, left, right, *below) -> list:
    """A section's heading, a place for its notice (what to load) and two charts side by side
    (and any ``below`` them), in a Div whose id is the notice's with "-charts" for "-notice" (a
    callback hides it when nothing is loaded: no empty chart frames). The heading's
    "-section-mark" Span and the "-illustrative" Div are where the page says its figures are
    illustrative."""
    charts = html.Div(
        [two_columns(left, right), *below], id=notice_id.replace("-notice", "-charts")
    )
    marks = [notice_id.replace("-notice", end) for end in ("-section-mark", "-illustrative")]
    return [
        html.H2([heading, html.Span(id=marks[0])], className="h4 mt-3"),
        html.Div(id=marks[1]),  # the notice when its figures are illustrative (made up)
        html.Div(id=notice_id),
        charts,
    ]


def two_columns(left, right) -> dbc.Row:
    """Two blocks side by side on a laptop, stacked on a tablet."""
    return dbc.Row([dbc.Col(left, lg=6), dbc.Col(right, lg=6)])
