"""The partnership indicators block any priority page includes: a table of every indicator of
the priority (latest period, the period before, a year before, the change, the year to date,
RAG, who reports it), then each indicator's sentence, small trend chart and its table. No I/O:
the figures arrive from ``dashboard.partnership``."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from core.values import is_missing
from dashboard.charts.partnership import trend_figure
from dashboard.prose import partnership as words
from dashboard.ui.blocks import GRAPH_CONFIG
from dashboard.ui.tables import table_children

RAG_MARKS = {"Green": "✓ Green", "Amber": "▲ Amber", "Red": "✖ Red"}
MIN_CHART_POINTS = 3  # fewer: the sentence and the table say it all


def _cell(value, unit: str) -> str:
    return words.value_text(value, unit)


def summary_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The priority's indicators as display strings, one row each."""
    rows = []
    for r in records.to_dict("records"):
        unit = r.get("unit") or "count"
        change = words.change_words(r.get("year_change"), r.get("year_change_pct"), unit)
        rag = r.get("rag")
        rows.append(
            {
                "Indicator": r["indicator"],
                "Period": words.period_words(r.get("period")),
                "Figure": _cell(r.get("value"), unit),
                "Period before": _cell(r.get("previous_value"), unit),
                "A year before": _cell(r.get("year_before_value"), unit),
                "Change on a year": change,
                "Year to date": _cell(r.get("fytd"), unit) if r.get("fytd") is not None else "",
                "RAG": RAG_MARKS.get(rag, "no target") if rag or r.get("target") else "no target",
                "Reported by": r.get("owner") or "",
            }
        )
    return pd.DataFrame(rows)


def history_frame(history: pd.DataFrame, unit: str) -> pd.DataFrame:
    """An indicator's values as display strings."""
    return pd.DataFrame(
        {
            "Period": [words.period_words(p) for p in history["period"]],
            "Figure": [_cell(v, unit) for v in history["value"]],
        }
    )


def indicator_detail(record: dict, history: pd.DataFrame, number: int) -> html.Details:
    """One indicator: its sentence, its trend (three or more periods) and its table."""
    unit = record.get("unit") or "count"
    labels = [words.period_words(p) for p in history["period"]]
    parts = [html.P(words.indicator_sentence(record), className="mb-1")]
    if len(history) >= MIN_CHART_POINTS:
        bars = unit == "count" and str(record.get("additive")) == "yes"
        figure = trend_figure(history, record["indicator"], labels, bars)
        parts.append(
            html.Div(
                dcc.Graph(figure=figure, config=GRAPH_CONFIG, style={"height": "220px"}),
                role="img",
                **{"aria-label": f"{record['indicator']}: trend (the table below gives it)"},
            )
        )
    if len(history):
        parts.append(
            html.Table(
                table_children(history_frame(history, unit)), className="table table-sm w-auto"
            )
        )
    if not is_missing(record.get("note")) and record.get("note"):
        parts.append(html.P(f"Note: {record['note']}", className="small"))
    parts.append(html.P(words.source_words(record), className="small text-body-secondary"))
    return html.Details(
        [html.Summary(record["indicator"]), *parts],
        id=f"partnership-indicator-{number}",
        className="mb-2",
    )


def figures_block(title: str, records: pd.DataFrame | None, histories: list[pd.DataFrame]):
    """The block's children: heading, caption, summary table and each indicator's detail
    (``records`` None: the partnership indicators are exempt for this user)."""
    heading = html.H2("Partnership indicators", className="h4 mt-4", id="partnership-heading")
    if records is None:
        return [heading, html.P(words.EXEMPT, className="text-body-secondary")]
    caption = html.P(words.block_caption(title, len(records)), className="text-body-secondary")
    if records.empty:
        return [heading, caption]
    table = html.Div(
        html.Table(
            table_children(summary_frame(records), f"Partnership indicators: {title}"),
            className="table table-sm table-striped",
            id="partnership-table",
        ),
        className="table-responsive",
    )
    details = [
        indicator_detail(r, h, i)
        for i, (r, h) in enumerate(zip(records.to_dict("records"), histories, strict=True))
    ]
    return [heading, caption, table, *details]


# ---------------------------------------------------------------- the Partnership indicators page


def _options(values) -> list[dict]:
    return [{"label": v, "value": v} for v in values]


def _field(label: str, control, md: int = 4) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control.id), control], md=md, className="mb-2")


def definition_form(priorities: list[str], lists: dict[str, list[str]]) -> html.Div:
    """Name, priority, unit, frequency, direction, additive, owner and source; Save and Retire."""
    pick = {
        k: dbc.Select(id=f"indicators-{k}", options=_options(v), value=v[0])
        for k, v in lists.items()
    }
    return html.Div(
        [
            html.H2("Define an indicator", className="h5 mt-4"),
            dbc.Row(
                [
                    _field("Name", dbc.Input(id="indicators-name"), 8),
                    _field(
                        "Priority",
                        dbc.Select(
                            id="indicators-priority",
                            options=_options(priorities),
                            value=priorities[0],
                        ),
                    ),
                    *[_field(k.capitalize(), control, 3) for k, control in pick.items()],
                    _field("Owner (partner agency)", dbc.Input(id="indicators-owner"), 6),
                    _field("Source", dbc.Input(id="indicators-source"), 6),
                ]
            ),
            dbc.FormText(
                "Saving a name already defined changes its definition (every change is kept). "
                "Retiring an indicator stops it showing; its figures are kept."
            ),
            html.Div(
                [
                    dbc.Button("Save definition", id="indicators-save", className="me-2"),
                    dbc.Button("Retire it", id="indicators-retire", color="secondary"),
                ],
                className="mt-2",
            ),
            html.Div(id="indicators-message", role="status", className="mt-2"),
        ]
    )


def value_form(names: list[str]) -> html.Div:
    """An analyst's form for one value: indicator, period, value, note."""
    return html.Div(
        [
            html.H2("Give a value", className="h5 mt-4"),
            html.P(
                "For a figure or two; for many, upload the partnership indicators template "
                "(page Upload). The value is loaded as an upload: it shows in the Data history "
                "with who gave it, and can be reverted.",
                className="small",
            ),
            dbc.Row(
                [
                    _field(
                        "Indicator",
                        dbc.Select(id="indicators-value-name", options=_options(names)),
                        6,
                    ),
                    _field("Period", dbc.Input(id="indicators-period", placeholder="2025-03"), 2),
                    _field("Value", dbc.Input(id="indicators-value", type="number"), 2),
                    _field("Note", dbc.Input(id="indicators-note"), 12),
                ]
            ),
            dbc.FormText(
                "Write the period as the indicator's frequency asks: a month 2025-03, a quarter "
                "2024/25 Q4, a financial year 2024/25, or an occasion's date 2025-03-14."
            ),
            html.Div(dbc.Button("Save value", id="indicators-value-save", className="mt-2")),
            html.Div(id="indicators-value-message", role="status", className="mt-2"),
        ]
    )
