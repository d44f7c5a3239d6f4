"""Wards (/wards): the home borough's wards on a map and in a sortable table, coloured by the
chosen measure; a ward (on the map or in the table) opens its page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import components, figures, metrics, service, summaries

dash.register_page(
    __name__, path="/wards", name="Wards", order=2, title="Wards", nav_match=["/wards", "/ward/"]
)

SOURCE = "MPS ward level crime on May-2022 wards (London Datastore)"
OUTPUTS = ["wards-summary", "wards-map-graph", "wards-map-caption", "wards-map-table",
           "wards-table-body", "wards-map-codes", "wards-source"]  # fmt: skip


def has_ward_rates(borough_code: str) -> bool:
    """True when populations are loaded for the borough's wards (rates can be shown)."""
    areas, pops = service.reference()
    wards = areas[(areas["parent_code"] == borough_code) & (areas["area_type"] == "ward")]
    return bool(len(wards)) and pops["area_code"].isin(wards["code"]).any()


def controls(has_rates: bool) -> dbc.Row:
    measures = [{"label": label, "value": key, "disabled": key == "rate" and not has_rates}
                for key, (label, _, _) in components.WARD_MEASURES.items()]  # fmt: skip
    if not has_rates:
        measures[1]["label"] += " (needs ward populations)"
    crimes = [{"label": n, "value": s} for s, n in components.SLUGS.items()]
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.Label("Crime type", htmlFor="wards-crime"),
                    dcc.Dropdown(
                        id="wards-crime",
                        options=crimes,
                        value="mopac7-total",
                        clearable=False,
                        searchable=False,
                    ),
                ],
                md=6,
            ),
            dbc.Col(
                [
                    html.Label("Colour the map by", htmlFor="wards-measure"),
                    dcc.Dropdown(
                        id="wards-measure",
                        options=measures,
                        value="r12",
                        clearable=False,
                        searchable=False,
                    ),
                ],
                md=6,
            ),
        ],  # fmt: skip
        className="mb-2",
    )


def ward_table(has_rates: bool) -> html.Div:
    head = html.Thead(html.Tr([
        html.Th(html.Button(header, id={"type": "wards-sort-button", "column": key},
                            className="sort-button"), scope="col")
        for key, header, _ in components.ward_columns(has_rates)
    ]))  # fmt: skip
    return html.Div(
        html.Table(
            [head, html.Tbody(id="wards-table-body")],
            id="wards-table",
            className="table table-sm table-hover align-middle",
        ),  # fmt: skip
        className="table-responsive ward-table",
    )


def layout(**_query) -> html.Div:
    home = service.home_area()
    if home is None:
        return html.Div([html.H1("Wards"), components.empty_state("MPS ward crime figures")])
    has_rates = has_ward_rates(home["code"])
    return html.Div(
        [
            dcc.Location(id="wards-location", refresh="callback-nav"),
            dcc.Store(id="wards-sort", data={"column": "r12", "descending": True}),
            dcc.Store(id="wards-map-codes"),
            html.H1(f"Wards in {home['name']}"),
            controls(has_rates),
            html.Div(id="wards-summary", className="lead mb-2"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            components.chart_block("wards-map", "Map", height=460),
                            html.P(
                                components.ATTRIBUTION_OS, className="small text-body-secondary"
                            ),
                        ],
                        lg=6,
                    ),  # fmt: skip
                    dbc.Col(
                        [
                            html.H2("All wards", className="h5 mt-3"),
                            html.P(
                                "Select a ward for its trends. Select a column heading to sort.",
                                className="small mb-1",
                            ),
                            ward_table(has_rates),
                        ],
                        lg=6,
                    ),  # fmt: skip
                ]
            ),
            html.P(id="wards-source", className="text-body-secondary small mt-3"),
        ]
    )


@callback(
    Output("wards-sort", "data"),
    Input({"type": "wards-sort-button", "column": ALL}, "n_clicks"),
    Input("wards-measure", "value"),
    State("wards-sort", "data"),
    prevent_initial_call=True,
)
def sort_by(_clicks, measure: str | None, sort: dict | None):
    """A column heading sorts by it (again: reverses); a new measure sorts by that, highest first."""
    trigger = ctx.triggered_id
    if trigger == "wards-measure":
        return {"column": measure or "r12", "descending": True}
    if not isinstance(trigger, dict) or not any(c for c in _clicks or [] if c):
        return no_update
    column, sort = trigger["column"], sort or {}
    if sort.get("column") == column:
        return {"column": column, "descending": not sort.get("descending", False)}
    return {"column": column, "descending": column != "name"}


@callback(
    Output({"type": "wards-sort-button", "column": ALL}, "children"),
    Input("wards-sort", "data"),
    State({"type": "wards-sort-button", "column": ALL}, "id"),
)
def sort_labels(sort: dict | None, ids: list[dict]):
    headers = {key: header for key, header, _ in components.WARD_COLUMNS}
    return [components.sort_label(headers[i["column"]], i["column"], sort or {}) for i in ids]


@callback(
    Output("wards-location", "pathname"),
    Input("wards-map-graph", "clickData"),
    State("wards-map-codes", "data"),
    prevent_initial_call=True,
)
def open_ward(click: dict | None, codes: list[str] | None):
    """A click on a ward of the map opens the ward's page."""
    points = (click or {}).get("points") or []
    number = points[0].get("curveNumber") if points else None
    if number is None or not codes or number >= len(codes):
        return no_update
    return f"/ward/{codes[number]}"


def map_frame(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """code, name, value, judged, text for the map: change and rate measures hatch small counts."""
    label, column, _ = components.WARD_MEASURES[measure]
    records = table.to_dict("records")
    values = pd.to_numeric(table[column].astype("Float64"), errors="coerce").astype(float)
    small = [summaries.is_small(r) for r in records]
    judged = [
        pd.notna(v) and (measure == "r12" or not s) for v, s in zip(values, small, strict=True)
    ]
    digits = 0 if measure == "r12" else 1
    text = [f"{r['area_name']}: {components.fmt_number(v, digits)} ({label.lower()})"
            + (" — too small to judge" if s else "") for r, v, s in zip(records, values, small, strict=True)]  # fmt: skip
    return pd.DataFrame({"code": table["area_code"].to_numpy(), "name": table["area_name"].to_numpy(),
                         "value": values.to_numpy(), "judged": judged, "text": text})  # fmt: skip


@callback(
    *[
        Output(
            o, "figure" if o.endswith("graph") else "data" if o.endswith("codes") else "children"
        )
        for o in OUTPUTS
    ],  # fmt: skip
    Input("period-select", "value"),
    Input("wards-crime", "value"),
    Input("wards-measure", "value"),
    Input("wards-sort", "data"),
)
def update(period, slug, measure, sort):
    """Sentence, map (figure, words, table), the ward table's rows, and the source line."""
    home = service.home_area()
    month = components.chosen_month(period, service.period_months())
    indicator = components.SLUGS.get(slug or "", metrics.MOPAC7_TOTAL)
    measure = measure if measure in components.WARD_MEASURES else "r12"
    table = (
        service.ward_table(home["code"], month) if home and month is not None else pd.DataFrame()
    )
    if table.empty:
        return (components.empty_state("MPS ward crime figures (the ward level CSV)"),
                figures.empty_figure("No ward figures loaded"), "", [], [], [], "")  # fmt: skip
    rows = table[table["indicator"] == indicator].sort_values("area_name")
    frame = map_frame(rows, measure)
    label, _, diverging = components.WARD_MEASURES[measure]
    features = service.ward_boundaries(frame["code"])
    shown = frame[frame["code"].isin({f["properties"]["WD22CD"] for f in features})]
    figure = figures.wards_map_figure(features, shown, label, diverging)
    caption = summaries.wards_map_caption(home["name"], month, label, frame, diverging)
    map_table = pd.DataFrame(
        {"Ward": frame["name"], label: [t.split(": ", 1)[1] for t in frame["text"]]}
    )
    has_rates = has_ward_rates(home["code"])
    sort = sort or {"column": "r12", "descending": True}
    body = [components.ward_row(r, has_rates)
            for r in components.sort_wards(rows, sort["column"], sort["descending"]).to_dict("records")]  # fmt: skip
    latest = service.dataset_latest_month("ward_crime")
    return (summaries.wards_sentence(home["name"], indicator, month, rows), figure, caption,
            components.table_children(map_table), body, list(shown["code"]),
            components.source_text(latest, SOURCE, "Ward totals do not add up exactly to the "
                                   "borough's: a few crimes cannot be placed in a ward."))  # fmt: skip
