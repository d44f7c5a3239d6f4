"""Where a figure came from (/provenance?dataset=&area=&month=YYYY-MM): for an area and month,
each crime category's count with the upload, file, sheet and Excel row it was read from.

Any page can link a figure here with ``ui.addresses.provenance_href(dataset, area_code, month)``.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from core import db, queries
from core.months import as_month_or_none
from dashboard.auth import exempt, guard
from dashboard.text import fmt_int, time_label
from dashboard.ui import uploads as views
from dashboard.ui.prefill import period_options

dash.register_page(
    __name__, path="/provenance", name="Sources", order=52, title="Where a figure came from"
)
# the first area and month option: nothing chosen (a value of its own, so it is the one shown)
CHOOSE = {"label": "Choose…", "value": "choose"}


def _datasets() -> list[dict]:
    hidden = exempt.hidden("dataset")
    return [
        {"label": label, "value": key}
        for key, label in queries.CRIME_DATASETS.items()
        if key not in hidden
    ]


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
    return html.Div(
        [
            html.H1("Where a figure came from"),
            html.P(
                "Every count on the dashboard comes from a row of an uploaded file. Choose an "
                "area and month to see, for each crime category, the file, sheet, row and "
                "upload it came from.",
                className="lead",
            ),
            html.Div(
                [
                    _picker("Dataset", "provenance-dataset", options, dataset, "col-md-3"),
                    _picker("Area", "provenance-area", area_options, area, "col-md-5"),
                    _picker("Month", "provenance-month", month_options, month, "col-md-4"),
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
    return html.Div([html.Label(label, htmlFor=picker_id), select], className=width)


@callback(
    Output("provenance-area", "options"),
    Output("provenance-month", "options"),
    Output("provenance-area", "value"),
    Output("provenance-month", "value"),
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
    return area_options, month_options, *kept


def _choices(dataset: str | None) -> tuple[list, list]:
    if not dataset or dataset in exempt.hidden("dataset"):
        return [CHOOSE], [CHOOSE]
    engine = db.get_engine()
    areas = queries.dataset_areas(engine, dataset)
    area_options = [
        {"label": f"{r.name} ({r.code})", "value": r.code}
        for r in areas.sort_values("name").itertuples()
    ]
    months = queries.loaded_months(engine, dataset)
    return [CHOOSE, *area_options], [CHOOSE, *period_options(months)]


@callback(
    Output("provenance-result", "children"),
    Input("provenance-dataset", "value"),
    Input("provenance-area", "value"),
    Input("provenance-month", "value"),
)
def show(dataset: str | None, area: str | None, month: str | None):
    """Each category's count for the area and month, with where it was read from."""
    chosen = dataset and area and month and CHOOSE["value"] not in (area, month)
    if not chosen or dataset in exempt.hidden("dataset"):
        return html.P("Choose a dataset, an area and a month.")
    when = as_month_or_none(month)
    if when is None:
        return html.P("That is not a month.")
    rows = queries.figure_provenance(db.get_engine(), dataset, area, when.date())
    rows = exempt.visible_categories(rows, dataset)  # and within an exempt total
    if rows.empty:
        return html.P("Nothing is loaded for that area and month.")
    frame = pd.DataFrame(
        {
            "Category": rows["major"].astype(str) + ": " + rows["minor"].astype(str),
            "MOPAC7 type": rows["mopac7"].fillna("").astype(str),
            "Count": [fmt_int(v) for v in rows["count"]],
            "Upload": rows["upload_id"].astype(str),
            "File": rows["filename"].astype(str),
            "Sheet": rows["sheet"].fillna("").astype(str),
            "Row": [", ".join(map(str, found)) or "not in the file" for found in rows["rows"]],
            "Loaded": [time_label(v) for v in pd.to_datetime(rows["uploaded_at"])],
        }
    )
    upload_ids = sorted(set(rows["upload_id"]))
    links = [
        dcc.Link(f"upload {u}", href=f"/history?upload={u}", className="me-2") for u in upload_ids
    ]
    total = int(rows["count"].sum())
    return html.Div(
        [
            html.P([f"{len(rows)} categories, {fmt_int(total)} crimes in all. From ", *links]),
            views.simple_table(frame, "provenance-table", label="Where each count came from"),
        ]
    )
