"""Shared widgets: RAG badge, empty state, source line, chart blocks with their tables, cards."""

from __future__ import annotations

from html import escape

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html

from core import reference
from core.months import as_month
from core.values import is_missing
from dashboard.charts.wards_map import css_gradient
from dashboard.prose.words import (
    RAG_WORDS,
    arrow,
    baseline_words,
    previous_year_words,
    rank_words,
    significance_text,
)
from dashboard.text import fmt_int, fmt_number, fmt_pct, month_label
from domain.crime import is_small

RAG_COLOURS = {"Green": "success", "Amber": "warning", "Red": "danger"}
RAG_TEXT = {
    "Green": "Green: at or better than target",
    "Amber": "Amber: better than baseline, not yet at target",
    "Red": "Red: at or worse than baseline",
}


def rag_badge(rag: str | None) -> html.Span:
    """RAG as a coloured badge that also says its meaning in words (never colour alone)."""
    if not rag:
        return html.Span("No target", className="badge text-bg-secondary")
    text_class = "text-dark" if rag == "Amber" else ""
    return dbc.Badge(rag, color=RAG_COLOURS[rag], className=text_class, title=RAG_TEXT[rag])


def empty_state(what: str) -> dbc.Alert:
    """What to load, and how, when a page has no data."""
    return dbc.Alert(
        [
            html.H2("No figures loaded yet", className="h5"),
            html.P(f"This page needs {what}."),
            html.P(
                [
                    "Download it from the London Datastore (MPS borough or ward level crime, "
                    "CSV or XLSX) and load it on the ",
                    dcc.Link("Upload", href="/upload"),
                    " page or with ",
                    html.Code("python -m etl load PATH"),
                    ", then reload this page.",
                ]
            ),
        ],
        color="info",
    )


# --- crime types and their addresses --------------------------------------------------------

INDICATORS = [*reference.MOPAC7_TYPES, reference.MOPAC7_TOTAL]


def slug_for(indicator: str) -> str:
    """'Theft from the person' -> 'theft-from-the-person' (the /crime/<slug> address)."""
    return indicator.lower().replace(" ", "-")


SLUGS = {slug_for(name): name for name in INDICATORS}
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
ATTRIBUTION_OS = (
    "Ward boundaries: Office for National Statistics licensed under the Open Government Licence "
    "v3.0; contains OS data © Crown copyright and database right 2022."
)


def indicator_order(series: pd.Series) -> pd.Series:
    """Sort key putting the seven types in DOMAIN.md's order, then the total."""
    return series.map({name: i for i, name in enumerate(INDICATORS)})


def period_options(months) -> list[dict]:
    """Period picker options, newest first: label 'February 2025', value 'YYYY-MM'."""
    return [{"label": f"{m:%B %Y}", "value": f"{m:%Y-%m}"} for m in reversed(list(months))]


def chosen_month(period: str | None, months) -> pd.Timestamp | None:
    """The picked month if it is loaded, else the latest loaded (None when nothing is)."""
    months = list(months)
    if not months:
        return None
    if period:
        try:
            wanted = as_month(period)
        except ValueError:
            wanted = None
        if wanted in months:
            return wanted
    return months[-1]


# --- charts with their words and tables -----------------------------------------------------


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
            heading_tag(heading, id=f"{base}-heading", className="h5 mt-3"),
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
                            html_slot(f"{base}-table", TABLE_WRAP_CLASS),
                        ],
                        className="mt-1",
                    ),
                ],
                className="mb-2",
            ),
        ],
        className="chart-block",
    )


TABLE_WRAP_CLASS = "table-responsive chart-table"


def register_navigation(store_id: str) -> None:
    """Opening the path a callback writes to ``store_id`` as a Dash Pages navigation that keeps
    the address's ?period= (a dcc.Location would put back the query it saw when it mounted)."""
    dash.clientside_callback(
        ClientsideFunction(namespace="dashboard", function_name="navigateTo"),
        Output(store_id, "clear_data"),
        Input(store_id, "data"),
        prevent_initial_call=True,
    )


def html_slot(base: str, class_name: str = "") -> html.Div:
    """A place for server-made HTML: the Store <base>-html holds it, the browser puts it in the
    Div <base>-wrap (assets/dashboard.js). Register it once with ``register_html_slot(base)``.

    Tables of hundreds of cells are sent this way: as Dash components they take seconds to
    render, the browser's own HTML parser takes milliseconds. Links in it marked
    data-app-link navigate within the app as dcc.Link does.
    """
    return html.Div(
        [html.Div(id=f"{base}-wrap", className=class_name), dcc.Store(id=f"{base}-html")]
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


def table_children(frame: pd.DataFrame, caption: str | None = None) -> list:
    """Caption, header and body of an html.Table from a frame of display strings.

    The first column is the row header (th scope=row) so screen readers announce it.
    """
    head = html.Thead(html.Tr([html.Th(str(c), scope="col") for c in frame.columns]))
    rows = [
        html.Tr([html.Th(str(values[0]), scope="row")] + [html.Td(str(v)) for v in values[1:]])
        for values in frame.itertuples(index=False)
    ]
    parts = [html.Caption(caption)] if caption else []
    return [*parts, head, html.Tbody(rows)]


def table_html(frame: pd.DataFrame, table_id: str, caption: str | None = None) -> str:
    """The same table as ``table_children`` as one escaped HTML string."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        f'<tr><th scope="row">{escape(str(values[0]))}</th>'
        + "".join(f"<td>{escape(str(v))}</td>" for v in values[1:])
        + "</tr>"
        for values in frame.itertuples(index=False)
    )
    parts = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'<table id="{escape(table_id)}" class="table table-sm table-striped">{parts}'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def colour_key(label: str, low: float, high: float, diverging: bool, hatched: bool) -> html.Div:
    """The ward map's colour key in HTML: the measure, the scale from low to high (the bar is
    decoration: the numbers and words say the same), and the hatching for wards not judged."""
    digits = 0 if float(high).is_integer() and float(low).is_integer() else 1

    def shown(value: float) -> str:
        return fmt_pct(value) if diverging else f"{value:,.{digits}f}"

    ends = [html.Span(shown(low)), html.Span(shown(high))]
    if diverging:
        ends = [
            html.Span(f"{shown(low)} (fewer)"),
            html.Span("no change"),
            html.Span(f"{shown(high)} (more)"),
        ]
    parts = [
        html.Div(f"Colour key: {label.lower()}", className="fw-semibold"),
        html.Div(
            className="colour-key-bar",
            style={"background": css_gradient(diverging)},
            **{"aria-hidden": "true"},
        ),
        html.Div(ends, className="d-flex justify-content-between"),
    ]
    if hatched:
        parts.append(
            html.Div(
                [
                    html.Span(className="colour-key-hatch", **{"aria-hidden": "true"}),
                    " grey hatched: too few crimes to judge, or no figure",
                ]
            )
        )
    return html.Div(parts, className="colour-key small")


# --- overview cards -------------------------------------------------------------------------

RAG_ICONS = {"Green": "✓", "Amber": "●", "Red": "✕"}


def rag_label(record: dict) -> html.Span:
    """RAG badge with its meaning in words; small counts get a neutral badge, never red."""
    if is_small(record):
        return html.Span("Too small to judge", className="badge text-bg-secondary rag-badge")
    rag = record.get("rag")
    if not rag:
        return html.Span("No target", className="badge text-bg-secondary rag-badge")
    return html.Span(
        [
            html.Span(f"{RAG_ICONS[rag]} {rag}", className=f"badge rag-badge rag-{rag.lower()}"),
            html.Span(" " + RAG_WORDS[rag].split(": ", 1)[1], className="small"),
        ]
    )


def indicator_card(indicator: str, record: dict, month, rank_before=None) -> dbc.Card:
    """One MOPAC7 type: R12, change vs baseline, vs previous 12 months, London rank, RAG.

    The whole card links to the type's trend page (Bootstrap stretched-link).
    """
    slug = slug_for(indicator)
    moved = arrow(record)
    facts = [
        ("Against 2011/12", baseline_words(record)),
        (
            "Against the previous 12 months",
            f"{moved + ' ' if moved else ''}{previous_year_words(record, False)}",
        ),
        (
            "London rank (1 = lowest rate)",
            rank_words(record.get("london_rank"), rank_before, what="", explain=False),
        ),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(
                    dcc.Link(indicator, href=f"/crime/{slug}", className="stretched-link"),
                    className="h6 card-title mb-1",
                ),
                html.P(
                    [
                        html.Span(fmt_int(record.get("r12")), className="fs-3 fw-bold"),
                        html.Span(
                            f" crimes in the 12 months to {month_label(month)}",
                            className="small",
                        ),
                    ],
                    className="mb-1",
                ),
                html.Div(rag_label(record), className="mb-2"),
                html.Dl(
                    [
                        part
                        for term, text in facts
                        for part in (
                            html.Dt(term, className="small mb-0"),
                            html.Dd(text, className="small"),
                        )
                    ],
                    className="mb-0",
                ),
            ]
        ),
        id=f"overview-card-{slug}",
        className="h-100 indicator-card"
        + (" border-primary" if indicator == reference.MOPAC7_TOTAL else ""),
    )


def not_found(message: str = "There is no page at this address.") -> html.Div:
    """The 404 content, also used for an unknown crime type or ward code."""
    return html.Div(
        [
            html.H1("Page not found"),
            html.P(message),
            html.P(
                [
                    "Try the ",
                    dcc.Link("overview", href="/"),
                    ", the ",
                    dcc.Link("crime trends", href="/crime/mopac7-total"),
                    " or the ",
                    dcc.Link("wards", href="/wards"),
                    ".",
                ]
            ),
        ],
        id="not-found",
    )


# --- ward table -----------------------------------------------------------------------------

# measure value -> (label, indicator-table column, diverging colour scale)
WARD_MEASURES = {
    "r12": ("Crimes in the 12 months", "r12", False),
    "rate": ("Crimes per 1,000 residents", "rate_per_1000", False),
    "change_p12": ("% change on the previous 12 months", "change_vs_previous_pct", True),
    "change_baseline": ("% change on 2011/12", "change_vs_baseline_pct", True),
}
# sortable columns of the ward table: (key, header, indicator-table column)
WARD_COLUMNS = [
    ("name", "Ward", "area_name"),
    ("r12", "Crimes (12 months)", "r12"),
    ("rate", "Rate per 1,000", "rate_per_1000"),
    ("change_p12", "Change on previous 12 months", "change_vs_previous_pct"),
    ("change_baseline", "Change on 2011/12", "change_vs_baseline_pct"),
    ("rank", "Ward rank", "ward_rank"),
]


def ward_columns(has_rates: bool) -> list[tuple[str, str, str]]:
    return [c for c in WARD_COLUMNS if has_rates or c[0] != "rate"]


def sort_wards(table: pd.DataFrame, column: str, descending: bool) -> pd.DataFrame:
    """Ward rows sorted by a WARD_COLUMNS key; rows without a value go last."""
    field = dict((key, col) for key, _, col in WARD_COLUMNS).get(column, "area_name")
    if field == "area_name":
        return table.sort_values("area_name", ascending=not descending)
    values = pd.to_numeric(table[field].astype("Float64"), errors="coerce").astype(float)
    order = values.sort_values(ascending=not descending, na_position="last", kind="stable")
    return table.loc[order.index]


def _cell(text: str, key: str, value) -> str:
    sort_value = "" if is_missing(value) else escape(str(value))
    return f'<td data-{key}="{sort_value}">{text}</td>'


def ward_row_html(record: dict, has_rates: bool) -> str:
    """One ward: its name linking to its page, R12, rate, changes with significance, rank.
    Each cell carries its sortable value (data-<column>) for the browser-side sort."""
    small = is_small(record)
    note = f'<span class="small{" too-small" if small else ""}">{significance_text(record)}</span>'
    name = escape(str(record["area_name"]))
    cells = [
        f'<th scope="row" data-name="{name}"><a href="/ward/{escape(record["area_code"])}" '
        f"data-app-link>{name}</a></th>",
        _cell(fmt_int(record.get("r12")), "r12", record.get("r12")),
    ]
    if has_rates:
        rate = record.get("rate_per_1000")
        cells.append(_cell(fmt_number(rate, 1), "rate", rate))
    change = record.get("change_vs_previous_pct")
    cells += [
        _cell(f"{fmt_pct(change)}<br>{note}", "change_p12", change),
        _cell(
            fmt_pct(record.get("change_vs_baseline_pct")),
            "change_baseline",
            record.get("change_vs_baseline_pct"),
        ),
        _cell(fmt_int(record.get("ward_rank")), "rank", record.get("ward_rank")),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def ward_table_html(
    table: pd.DataFrame, has_rates: bool, column: str = "r12", descending: bool = True
) -> str:
    """The sortable ward table (id wards-table), sorted by ``column``: each heading is a button
    that sorts the rows in the browser (assets/dashboard.js) and aria-sort says the order."""
    heads = []
    for key, header, _ in ward_columns(has_rates):
        order = ("descending" if descending else "ascending") if key == column else "none"
        arrow = {"descending": "▼", "ascending": "▲"}.get(order, "")
        heads.append(
            f'<th scope="col" aria-sort="{order}"><button type="button" class="sort-button" '
            f'data-sort="{key}">{escape(header)} <span aria-hidden="true">{arrow}</span>'
            "</button></th>"
        )
    rows = sort_wards(table, column, descending).to_dict("records")
    body = "".join(ward_row_html(r, has_rates) for r in rows)
    return (
        '<table id="wards-table" class="table table-sm table-hover align-middle" data-sortable>'
        f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{body}</tbody></table>"
    )


# --- the other priorities' pages ------------------------------------------------------------

LOAD_HOW = [  # alert-link and text-reset: the alert's own dark text colour (4.5:1 on its fill)
    "Load it on the ",
    dcc.Link("Upload", href="/upload", className="alert-link"),
    " page or with ",
    html.Code("python -m etl load PATH", className="text-reset"),
    ", then reload this page.",
]


def priority_empty_state(what: str, where: str, heading: str = "No figures loaded yet"):
    """What to load (``what``), where it comes from (``where``) and how to load it."""
    return dbc.Alert(
        [
            html.H2(heading, className="h5"),
            html.P(f"This needs {what}."),
            html.P(where),
            html.P(LOAD_HOW),
        ],
        color="info",
    )


def dataset_month(period: str | None, months) -> pd.Timestamp | None:
    """The month a dataset's page shows for the picked period: the picked month, or the dataset's
    latest month when the pick is later or not a month (None when nothing is loaded). A pick
    before the dataset's first month stays: its windows are then "not available"."""
    months = list(months)
    if not months:
        return None
    latest = max(months)
    try:
        wanted = as_month(period) if period else latest
    except ValueError:
        wanted = latest
    return min(wanted, latest)


def chart_outputs(charts: list[str]) -> list[Output]:
    """Outputs of chart_block charts: figure, caption and table HTML of each, in order."""
    return [
        Output(f"{c}-{p}", prop)
        for c in charts
        for p, prop in [("graph", "figure"), ("caption", "children"), ("table-html", "data")]
    ]


def provenance_link(dataset: str, area_code: str | None, what: str) -> html.P:
    """'Where do these figures come from?': the file, row and upload behind an area's latest
    month (the Sources page has a month picker for any other)."""
    if not area_code:
        return html.P()
    from core.queries import latest_month
    from dashboard import cache
    from dashboard.pages.provenance import provenance_href

    month = latest_month(cache.engine(), dataset, area_code)
    if month is None:
        return html.P()
    return html.P(
        dcc.Link(
            f"Where do {what} come from? The file, row and upload behind each figure",
            href=provenance_href(dataset, area_code, month),
        ),
        className="small",
    )


def two_columns(left, right) -> dbc.Row:
    """Two blocks side by side on a laptop, stacked on a tablet."""
    return dbc.Row([dbc.Col(left, lg=6), dbc.Col(right, lg=6)])
