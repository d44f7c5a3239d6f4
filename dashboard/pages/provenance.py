"""Where a figure came from (/provenance?dataset=&area=&month=YYYY-MM): for a dataset (every
one the dashboard shows: ``dashboard.reports.sources.SOURCES``) and a choice of area and period,
each figure with the upload, file, sheet and Excel row it was read from, who loaded it and when.

Any page can link a figure here with ``ui.addresses.provenance_href(dataset, area_code, month)``.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from core import db
from core.values import is_missing
from dashboard.auth import exempt, guard
from dashboard.reports.sources import SOURCES, exempt_name
from dashboard.text import fmt_int, fmt_number, time_label
from dashboard.ui import uploads as views

dash.register_page(
    __name__, path="/provenance", name="Sources", order=52, title="Where a figure came from"
)
# the first area and month option: nothing chosen (a value of its own, so it is the one shown)
CHOOSE = {"label": "Choose…", "value": "choose"}


def _datasets() -> list[dict]:
    hidden = exempt.hidden("dataset")
    return [
        {"label": source.label, "value": key}
        for key, source in SOURCES.items()
        if exempt_name(key) not in hidden
    ]


def _shown(dataset: str | None) -> bool:
    return dataset in SOURCES and exempt_name(dataset) not in exempt.hidden("dataset")


def layout(
    dataset: str | None = None, area: str | None = None, month: str | None = None, **_query
) -> html.Div:
    refusal = views.who_may("viewer", guard.current_user())
    if refusal is not None:
        return html.Div([html.H1("Where a figure came from"), refusal])
    options = _datasets()
    values = [o["value"] for o in options]
    dataset = dataset if dataset in values else (values[0] if values else None)
    area_options, month_options = _choices(dataset)  # in the layout: a value needs its options
    labels = SOURCES[dataset].pickers if dataset in SOURCES else ("Area", "Month")
    return html.Div(
        [
            html.H1("Where a figure came from"),
            html.P(
                "Every figure on the dashboard comes from a row of an uploaded file. Choose a "
                "dataset, then an area (or item) and a period to see, for each figure, the file, "
                "sheet, row and upload it came from, who loaded it and when.",
                className="lead",
            ),
            html.Div(
                [
                    _picker("Dataset", "provenance-dataset", options, dataset, "col-md-3"),
                    _picker(labels[0], "provenance-area", area_options, area, "col-md-5"),
                    _picker(labels[1], "provenance-month", month_options, month, "col-md-4"),
                ],
                className="row g-2 mb-3",
            ),
            html.Div(id="provenance-result", **{"aria-live": "polite"}),
        ]
    )


def _picker(label: str, picker_id: str, options: list, value, width: str) -> html.Div:
    """A labelled native <select>; area and month start at "Choose…" (no choice)."""
    if picker_id != "provenance-dataset":
        value = value if value in {o["value"] for o in options} else CHOOSE["value"]
    select = dbc.Select(id=picker_id, options=options, value=value)
    text = html.Label(label, htmlFor=picker_id, id=f"{picker_id}-label")
    return html.Div([text, select], className=width)


@callback(
    Output("provenance-area", "options"),
    Output("provenance-month", "options"),
    Output("provenance-area", "value"),
    Output("provenance-month", "value"),
    Output("provenance-area-label", "children"),
    Output("provenance-month-label", "children"),
    Input("provenance-dataset", "value"),
    State("provenance-area", "value"),
    State("provenance-month", "value"),
    prevent_initial_call=True,
)
def choices(dataset: str | None, area: str | None, month: str | None):
    """Areas and months loaded for the dataset, newest month first; a chosen area or month
    stays chosen if the dataset has it."""
    area_options, month_options = _choices(dataset)
    kept = [
        v if v in {o["value"] for o in opts} else CHOOSE["value"]
        for v, opts in ((area, area_options), (month, month_options))
    ]
    labels = SOURCES[dataset].pickers if dataset in SOURCES else ("Area", "Month")
    return area_options, month_options, *kept, *labels


def _choices(dataset: str | None) -> tuple[list, list]:
    if not _shown(dataset):
        return [CHOOSE], [CHOOSE]
    area_options, month_options = SOURCES[dataset].choices(db.get_engine())
    return [CHOOSE, *area_options], [CHOOSE, *month_options]


@callback(
    Output("provenance-result", "children"),
    Input("provenance-dataset", "value"),
    Input("provenance-area", "value"),
    Input("provenance-month", "value"),
)
def show(dataset: str | None, area: str | None, month: str | None):
    """Each figure of the choice, with where it was read from, who loaded it and when."""
    chosen = dataset and area and month and CHOOSE["value"] not in (area, month)
    if not chosen or not _shown(dataset):
        return html.P("Choose a dataset, an area and a month.")
    source = SOURCES[dataset]
    rows = source.figures(db.get_engine(), area, month)
    rows = rows[~rows["indicator"].isin(exempt.hidden("indicator"))]
    if rows.empty:
        return html.P(f"Nothing is loaded for that {' and '.join(source.pickers).lower()}.")
    frame = pd.DataFrame(
        {
            "Figure": rows["figure"].astype(str),
            "Value": [_value(v) for v in rows["count"]],
            "Upload": rows["upload_id"].astype(str),
            "File": rows["filename"].astype(str),
            "Sheet": rows["sheet"].fillna("").astype(str),
            "Row": [", ".join(map(str, found)) or "not in the file" for found in rows["rows"]],
            "Loaded by": rows["uploaded_by"].fillna("").astype(str),
            "Loaded": [time_label(v) for v in pd.to_datetime(rows["uploaded_at"])],
        }
    )
    upload_ids = sorted(set(rows["upload_id"]))
    links = [
        dcc.Link(f"upload {u}", href=f"/history?upload={u}", className="me-2") for u in upload_ids
    ]
    return html.Div(
        [
            html.P([_summary(source, rows), " From ", *links]),
            views.simple_table(frame, "provenance-table", label="Where each count came from"),
        ]
    )


def _value(value) -> str:
    """A count as the page prints it; a rate to two places; a blank cell said so."""
    if is_missing(value):
        return "blank"
    return fmt_int(value) if float(value).is_integer() else fmt_number(float(value), 2)


def _summary(source, rows: pd.DataFrame) -> str:
    """'17 categories, 2,345 crimes in all.' for a crime file; '4 figures.' for a template."""
    if source.noun == "categories":
        return f"{len(rows)} categories, {fmt_int(int(rows['count'].sum()))} crimes in all."
    noun = source.noun if len(rows) != 1 else source.noun.removesuffix("s")
    return f"{len(rows)} {noun}."
