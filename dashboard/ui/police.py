"""The police.uk pages' widgets: the crime type picker and the ward table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd

from core.reference import POLICE_UK_TYPES
from dashboard.prose.words import change_cell
from dashboard.text import fmt_int, fmt_number
from dashboard.ui.tables import table_html


def type_picker(hidden: set[str], value: str) -> dbc.Select:
    """The 14 police.uk crime types (those not exempt for the reader), as a native <select>
    (the platform's own keyboard and screen-reader handling)."""
    shown = [t for t in POLICE_UK_TYPES if t not in hidden]
    return dbc.Select(
        id="asb-type-select",
        options=[{"label": t, "value": t} for t in shown],
        value=value if value in shown else (shown[0] if shown else None),
    )


def ward_table(rows: pd.DataFrame, table_id: str) -> str:
    """Each ward: R12, P12, change (with significance), rate per 1,000 and ward rank."""
    rows = rows.sort_values("area_name")
    records = rows.to_dict("records")
    frame = pd.DataFrame(
        {
            "Ward": rows["area_name"],
            "Last 12 months": [fmt_int(r.get("r12")) for r in records],
            "Previous 12 months": [fmt_int(r.get("p12")) for r in records],
            "Change": [change_cell(r) for r in records],
            "Per 1,000 residents": [fmt_number(r.get("rate_per_1000"), 2) for r in records],
            "Ward rank (1 = lowest)": [fmt_int(r.get("ward_rank")) for r in records],
        }
    )
    return table_html(frame, table_id)
