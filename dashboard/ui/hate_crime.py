"""The hate crime page's widgets: the strand picker, the note on the recording-system break, and
the tables behind its charts."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.charts.hate_crime import BREAK_LABEL
from dashboard.prose.hate_crime import (
    BREAK_NOTE_AFTER,
    BREAK_NOTE_BEFORE,
    LOAD_HELP,
    centres_missing,
    outcome_words,
)
from dashboard.prose.words import change_cell
from dashboard.text import fmt_int, fmt_number, fmt_percent, month_label
from dashboard.ui.blocks import blank_charts
from dashboard.ui.notices import priority_empty_state
from dashboard.ui.tables import table_html
from domain.hate_crime import STRANDS, TOTAL


def shown_strands(hidden: set[str]) -> list[str]:
    """The total and the strands, without those ``hidden`` from the user (exempt)."""
    return [s for s in [TOTAL, *STRANDS] if s not in hidden]


def strand_picker(hidden: set[str] = frozenset()) -> dbc.Select:
    """A native <select> (the platform's own keyboard and screen-reader handling) offering only
    what the user may see (``hidden``: exempt)."""
    shown = shown_strands(hidden)
    return dbc.Select(
        id="hate-strand-select",
        value=shown[0] if shown else None,
        options=[{"label": "All hate crime" if s == TOTAL else s, "value": s} for s in shown],
    )


def break_note() -> html.P:
    """The page's note on the recording-system break, naming the line the charts draw."""
    return html.P(
        [BREAK_NOTE_BEFORE, html.Em(BREAK_LABEL), BREAK_NOTE_AFTER],
        id="hate-break-note",
        className="alert alert-secondary small py-2",
    )


def strands_table(wide: pd.DataFrame) -> str:
    """Each strand's R12 month by month (``domain.hate_crime.strand_r12_by_month``)."""
    wide = wide.iloc[::-1]
    shown = pd.DataFrame(
        {
            "12 months to": [month_label(m) for m in wide.index],
            **{s: [fmt_number(v) for v in wide[s]] for s in STRANDS if s in wide},
        }
    )
    return table_html(shown, "hate-strands-table")


def outcomes_table(
    home_rates: pd.DataFrame,
    london_rates: pd.DataFrame,
    borough: str,
    table_id: str = "hate-outcomes-table",
) -> str:
    """Offences, positive outcomes and the outcome rate over 12 months, borough and London."""
    merged = home_rates.merge(london_rates[["month", "rate"]], on="month", suffixes=("", "_london"))
    merged = merged.dropna(subset=["r12"]).iloc[::-1]
    shown = pd.DataFrame(
        {
            "12 months to": [month_label(m) for m in merged["month"]],
            "Offences": [fmt_number(v) for v in merged["r12"]],
            "Positive outcomes": [fmt_number(v) for v in merged["outcomes"]],
            f"{borough} rate": [
                outcome_words(o, r) for o, r in zip(merged["outcomes"], merged["r12"], strict=True)
            ],
            "London rate": [fmt_percent(v) for v in merged["rate_london"]],
        }
    )
    return table_html(shown, table_id)


def wards_table(rows: pd.DataFrame, across: bool) -> str:
    """The wards of one strand (``domain.hate_crime.ward_rows``): R12, P12, change and rank."""
    shown = pd.DataFrame(
        {
            "Ward": rows["area_name"],
            "Offences (12 months)": [fmt_int(v) for v in rows["r12"]],
            "Previous 12 months": [fmt_int(v) for v in rows["p12"]],
            "Change on previous 12 months": [
                change_cell(r, across) for r in rows.to_dict("records")
            ],
            "Ward rank (1 = fewest)": [fmt_int(v) for v in rows["ward_rank"]],
        }
    )
    return table_html(shown, "hate-wards-table")


def ranks_table(rows: list[tuple], across: bool) -> str:
    """Per strand (``domain.hate_crime.strand_ranks``): offences, rates, London rank, change."""
    shown = pd.DataFrame(
        {
            "Strand": [s for s, _, _ in rows],
            "Offences (12 months)": [fmt_int(r.get("r12")) for _, r, _ in rows],
            "Rate per 10,000": [fmt_number(r.get("rate_per_10000"), 2) for _, r, _ in rows],
            "London rate": [fmt_number(o, 2) for _, _, o in rows],
            "London rank (1 = lowest rate)": [fmt_int(r.get("london_rank")) for _, r, _ in rows],
            "Change on previous 12 months": [change_cell(r, across) for _, r, _ in rows],
        }
    )
    return table_html(shown, "hate-london-table")


def reports_table(frame: pd.DataFrame, heading: str, table_id: str) -> tuple[str, tuple | None]:
    """Reports by centre or strand (``domain.hate_crime.reports_by``): crimes, incidents and
    the total, most first; and (name, total) of the first row, None without any."""
    wide = frame.pivot_table(
        index="name", columns="part", values="value", aggfunc="sum", fill_value=0
    )
    wide["Total"] = wide.sum(axis=1)
    wide = wide.sort_values("Total", ascending=False).reset_index()
    wide = wide.rename(columns={"name": heading})
    for c in wide.columns[1:]:
        wide[c] = [fmt_int(v) for v in wide[c]]
    top = (wide.iloc[0][heading], wide.iloc[0]["Total"]) if len(wide) else None
    return table_html(wide, table_id), top


def centres_blank(withheld: bool, can_load: bool) -> tuple:
    """(no sentence, the notice, the two blank reporting-centre charts) when the reader has no
    reports: none loaded (what to load, or whom to ask: ``can_load``), or all exempt for them
    (``withheld``: not shown to their role)."""
    message = centres_missing(withheld)
    notice = priority_empty_state(*LOAD_HELP["centres"], can_load=can_load, withheld=withheld)
    return "", notice, blank_charts(message, 2)
