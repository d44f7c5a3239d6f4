"""The wards page's widgets: the measures the map can show, the sortable ward table (sorted in
the browser, assets/dashboard.js) and the map's colour key."""

from __future__ import annotations

from html import escape

import pandas as pd
from dash import html

from core.values import is_missing
from dashboard.charts.wards_map import css_gradient
from dashboard.prose.words import significance_text
from dashboard.text import fmt_int, fmt_number, fmt_pct
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
