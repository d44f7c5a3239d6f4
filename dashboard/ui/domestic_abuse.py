"""The domestic abuse page's widgets: the indicator picker, the headline and ward tables."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd

from dashboard.prose.domestic_abuse import LABELS, outcome_rate_text
from dashboard.prose.words import change_cell
from dashboard.text import fmt_int, fmt_number, month_label
from dashboard.ui.tables import table_children, table_html
from domain.domestic_abuse import INDICATORS


def shown_indicators(hidden: set[str]) -> list[str]:
    """The domestic abuse indicators the user may see (``dashboard.auth.exempt``)."""
    return [name for name in INDICATORS if name not in hidden]


def indicator_picker(hidden: set[str] = frozenset()) -> dbc.Select:
    shown = shown_indicators(hidden)
    return dbc.Select(
        id="da-indicator-select",
        options=[{"label": LABELS[name], "value": name} for name in shown],
        value=shown[0] if shown else None,
    )


def headline_table(rows: list[tuple[str, dict, float | None]]) -> list:
    """Per indicator (name, record, London's rate per 1,000): its window, count, change, rate,
    London rank and positive outcome rate, as html.Table children."""
    shown = pd.DataFrame(
        {
            "Measure": [LABELS.get(name, name) for name, _, _ in rows],
            "12 months to": [month_label(r["month"]) if r.get("month") else "" for _, r, _ in rows],
            "Offences": [fmt_int(r.get("r12")) for _, r, _ in rows],
            "Previous 12 months": [fmt_int(r.get("p12")) for _, r, _ in rows],
            "Change on previous 12 months": [change_cell(r) for _, r, _ in rows],
            "Rate per 1,000": [fmt_number(r.get("rate_per_1000"), 1) for _, r, _ in rows],
            "London rank (1 = lowest rate)": [fmt_int(r.get("london_rank")) for _, r, _ in rows],
            "London rate": [fmt_number(london, 1) for _, _, london in rows],
            "Positive outcome rate": [outcome_rate_text(r) for _, r, _ in rows],
        }
    )
    return table_children(shown)


def wards_table(rows: pd.DataFrame) -> str:
    """A borough's wards for one indicator (``domain.domestic_abuse.ward_rows``)."""
    records = rows.to_dict("records")
    shown = pd.DataFrame(
        {
            "Ward": rows["area_name"],
            "Offences (12 months)": [fmt_int(v) for v in rows["r12"]],
            "Previous 12 months": [fmt_int(v) for v in rows["p12"]],
            "Change on previous 12 months": [change_cell(r) for r in records],
            "Rate per 1,000": [fmt_number(v, 1) for v in rows["rate_per_1000"]],
            "Ward rank (1 = lowest)": [fmt_int(v) for v in rows["ward_rank"]],
            "Positive outcome rate": [outcome_rate_text(r) for r in records],
        }
    )
    return table_html(shown, "da-wards-table")
