"""The ward pages' widgets: the measures the map can show and their pickers, what the map draws
for each ward, the map's colour key, the sortable ward table (sorted in the browser,
assets/dashboard.js) and one ward's tables."""

from __future__ import annotations

from html import escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from core.values import is_missing
from dashboard.charts.wards_map import colour_range, css_gradient
from dashboard.prose.words import significance_text
from dashboard.text import NOT_AVAILABLE, fmt_int, fmt_number, fmt_pct, month_label
from dashboard.ui.addresses import SLUGS
from dashboard.ui.blocks import chart_block, html_slot, picker_options
from dashboard.ui.tables import table_html
from domain.crime import is_small

ATTRIBUTION_OS = (
    "Ward boundaries: Office for National Statistics licensed under the Open Government Licence "
    "v3.0; contains OS data © Crown copyright and database right 2022."
)


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


def colour_key(label: str, low: float, high: float, diverging: bool, hatched: bool) -> html.Div:
    """The ward map's colour key in HTML: the measure, the scale from low to high (the bar is
    decoration: the numbers and words say the same), and the hatching for wards not judged."""
    digits = 0 if float(high).is_integer() and float(low).is_integer() else 1

    def shown(value: float) -> str:
        return fmt_pct(value) if diverging else fmt_number(value, digits)

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


# --- the wards page -----------------------------------------------------------------------------


def ward_controls(has_rates: bool, crime: str, measure: str, slugs: dict | None = None) -> dbc.Row:
    """The crime type (``slugs``: those the user may see) and measure pickers (rates only
    offered with ward populations)."""
    measures = [
        {"label": label, "value": key, "disabled": key == "rate" and not has_rates}
        for key, (label, _, _) in WARD_MEASURES.items()
    ]
    if not has_rates:
        measures[1]["label"] += " (needs ward populations)"
    crimes = dbc.Select(
        id="wards-crime", options=picker_options(SLUGS if slugs is None else slugs), value=crime
    )
    shading = dbc.Select(id="wards-measure", options=measures, value=measure)
    return dbc.Row(
        [
            dbc.Col([html.Label("Crime type", htmlFor="wards-crime"), crimes], md=6),
            dbc.Col([html.Label("Colour the map by", htmlFor="wards-measure"), shading], md=6),
        ],
        className="mb-2",
    )


BOUNDARIES_SOURCE = [
    "Download the borough's ward boundaries from the ",
    html.A("ONS Open Geography Portal", href="https://geoportal.statistics.gov.uk/"),
    ': search for "Wards (December 2022) Boundaries UK BFC" (or BGC, smaller), filter it to '
    "the borough's wards if you like, and download it as GeoJSON. Load the file on the ",
    dcc.Link("Upload", href="/upload", className="alert-link"),
    " page or with ",
    html.Code("python -m etl load FILE", className="text-reset"),
    ", then reload this page.",
]


def boundaries_notice(borough: str, can_load: bool) -> dbc.Alert:
    """Where no ward boundaries are loaded for the borough: a board member's one line; for
    those who can load them, where ONS publishes them and how to load them."""
    line = f"The ward map for {borough} is not available yet: the wards are shown ranked instead."
    if not can_load:
        return dbc.Alert(line, color="info", className="mb-2")
    return dbc.Alert(
        [
            html.P(f"No ward boundaries are loaded for {borough}, so there is no map yet."),
            html.P(BOUNDARIES_SOURCE, className="mb-0"),
        ],
        color="info",
        className="mb-2",
    )


def ward_columns_layout() -> dbc.Row:
    """The map (with its colour key and attribution; where no boundaries are loaded, a notice
    and the wards ranked as bars) beside the sortable table of all wards."""
    map_column = [
        html.Div(id="wards-map-notice"),
        chart_block("wards-map", "Map", height=460, key=True),
        html.P(ATTRIBUTION_OS, id="wards-map-attribution", className="small text-body-secondary"),
    ]
    table_column = [
        html.H2("All wards", className="h5 mt-3"),
        html.P(
            "Select a ward for its trends. Select a column heading to sort.", className="small mb-1"
        ),
        html_slot("wards-table", "table-responsive ward-table"),
    ]
    return dbc.Row([dbc.Col(map_column, lg=6), dbc.Col(table_column, lg=6)])


def map_frame(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """code, name, value, judged, text for the map: change and rate measures hatch small counts."""
    label, column, _ = WARD_MEASURES[measure]
    records = table.to_dict("records")
    values = pd.to_numeric(table[column].astype("Float64"), errors="coerce").astype(float)
    small = [is_small(r) for r in records]
    judged = [
        not is_missing(v) and (measure == "r12" or not s)
        for v, s in zip(values, small, strict=True)
    ]
    digits = 0 if measure == "r12" else 1
    text = [
        f"{r['area_name']}: {fmt_number(v, digits)} ({label.lower()})"
        + (" — too small to judge" if s else "")
        for r, v, s in zip(records, values, small, strict=True)
    ]
    return pd.DataFrame(
        {
            "code": table["area_code"].to_numpy(),
            "name": table["area_name"].to_numpy(),
            "value": values.to_numpy(),
            "judged": judged,
            "text": text,
        }
    )


def map_table(frame: pd.DataFrame, label: str) -> str:
    """The map's "Show as table": each ward and its value as the hover label says it."""
    shown = pd.DataFrame(
        {"Ward": frame["name"], label: [t.split(": ", 1)[1] for t in frame["text"]]}
    )
    return table_html(shown, "wards-map-table")


def map_key(shown: pd.DataFrame, label: str, diverging: bool) -> html.Div | None:
    """The colour key for the wards drawn (``shown``: map_frame rows with a boundary)."""
    if not len(shown):
        return None
    judged = shown["judged"].astype(bool)
    low, high = colour_range(shown.loc[judged, "value"], diverging)
    return colour_key(label, low, high, diverging, hatched=not judged.all())


# --- one ward -----------------------------------------------------------------------------------


def ward_figures_table(
    ward_rows: pd.DataFrame, borough_rows: pd.DataFrame, wards: int, borough_month=None
) -> str:
    """Per crime type: R12, baseline, both changes (with significance), ward rank and the
    borough's change on the previous 12 months for comparison (in the 12 months to
    ``borough_month``, named in the heading: the borough file may end before the ward file)."""
    borough = borough_rows.set_index("indicator") if len(borough_rows) else borough_rows
    to = f" (to {month_label(borough_month)})" if borough_month is not None else ""
    shown = pd.DataFrame(
        {
            "Crime type": ward_rows["indicator"],
            "Crimes (12 months)": [fmt_int(v) for v in ward_rows["r12"]],
            "2011/12": [fmt_int(v) for v in ward_rows["baseline"]],
            "Change on 2011/12": [fmt_pct(v) for v in ward_rows["change_vs_baseline_pct"]],
            "Change on previous 12 months": [
                f"{fmt_pct(r['change_vs_previous_pct'])} ({significance_text(r)})"
                for r in ward_rows.to_dict("records")
            ],
            f"Ward rank (of {wards})": [fmt_int(v) for v in ward_rows["ward_rank"]],
            f"Borough: change on previous 12 months{to}": [
                fmt_pct(borough["change_vs_previous_pct"].get(i))
                if i in borough.index
                else NOT_AVAILABLE
                for i in ward_rows["indicator"]
            ],
        }
    )
    return table_html(shown, "ward-figures-table")


def ward_compare_table(rows: pd.DataFrame) -> str:
    """The borough's wards for one crime type by ward rank: crimes in the 12 months."""
    shown = rows.sort_values(["ward_rank", "area_name"])
    listing = pd.DataFrame(
        {
            "Ward": shown["area_name"],
            "Crimes (12 months)": [fmt_int(v) for v in shown["r12"]],
            "Ward rank": [fmt_int(v) for v in shown["ward_rank"]],
        }
    )
    return table_html(listing, "ward-compare-table")
