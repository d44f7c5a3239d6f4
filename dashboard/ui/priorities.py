"""The other priorities' tables: the youth violence headline table, the published SYV summary,
the IOM quarters, the proven reoffending cohorts, WRAP coverage and its progress."""

from __future__ import annotations

import pandas as pd

from core.values import is_missing
from dashboard.prose.priorities import small_share_words, wrap_rag_text
from dashboard.prose.words import change_cell
from dashboard.text import fmt_int, fmt_number, fmt_percent, month_label
from dashboard.ui.tables import table_children, table_html


def headline_table(rows: list[tuple[str, dict, float | None]]) -> list:
    """Youth violence's headline table: per measure (label, record, London's rate) its window,
    count, change and London position, as html.Table children."""
    shown = pd.DataFrame(
        {
            "Measure": [label for label, _, _ in rows],
            "12 months to": [month_label(r["month"]) if r.get("month") else "" for _, r, _ in rows],
            "Count": [fmt_int(r.get("r12")) for _, r, _ in rows],
            "Previous 12 months": [fmt_int(r.get("p12")) for _, r, _ in rows],
            "Change on previous 12 months": [change_cell(r) for _, r, _ in rows],
            "Rate per 10,000": [fmt_number(r.get("rate_per_10000"), 2) for _, r, _ in rows],
            "London rank (1 = lowest rate)": [fmt_int(r.get("london_rank")) for _, r, _ in rows],
            "London rate": [fmt_number(london, 2) for _, _, london in rows],
        }
    )
    return table_children(shown)


def published_syv_table(summary: pd.DataFrame) -> str:
    """The published SYV summaries: rate, London rank and London average per window."""
    table = pd.DataFrame(
        {
            "12 months to": [month_label(m) for m in summary["window_end"]],
            "Rate per 10,000": [fmt_number(v, 1) for v in summary["rate_per_10000"]],
            "London rank": [fmt_int(v) for v in summary["london_rank"]],
            "London average": [fmt_number(v, 1) for v in summary["london_average_rate"]],
        }
    )
    return table_html(table, "syv-trend-table")


def iom_frame(table: pd.DataFrame) -> pd.DataFrame:
    """IOM quarters (``domain.priorities.iom_table``) as display strings."""
    return pd.DataFrame(
        {
            "Quarter": table["quarter"],
            "Cohort size": [fmt_int(v) for v in table["cohort_size"]],
            "Reoffenders": [fmt_int(v) for v in table["reoffenders"]],
            "Reoffending rate": [
                small_share_words(r, c)
                for r, c in zip(table["reoffenders"], table["cohort_size"], strict=True)
            ],
            "Offences before": [fmt_int(v) for v in table["offences_before"]],
            "Offences after": [fmt_int(v) for v in table["offences_after"]],
            "Reduction in offending": [fmt_percent(v) for v in table["reduction_percent"]],
        }
    )


def cohort_table(rows: pd.DataFrame, table_id: str) -> str:
    """MoJ proven reoffending rows of one group: offenders, reoffenders, rate, reoffences."""
    shown = pd.DataFrame(
        {
            "Area": rows["geography"],
            "Cohort": rows["cohort"],
            "Offenders": [fmt_int(v) for v in rows["offenders"]],
            "Reoffenders": [fmt_int(v) for v in rows["reoffenders"]],
            "Proven reoffending rate": [
                small_share_words(r, o, "offenders")
                for r, o in zip(rows["reoffenders"], rows["offenders"], strict=True)
            ],
            "Reoffences per reoffender": [
                fmt_number(v, 2) for v in rows["reoffences_per_reoffender"]
            ],
        }
    )
    return table_html(shown, table_id)


def wrap_table(table: pd.DataFrame, target: float) -> str:
    """WRAP coverage by department (``domain.priorities.wrap_coverage_table``)."""
    shown = pd.DataFrame(
        {
            "Department or partner": table["department"],
            "Staff requiring training": [
                "no target yet" if is_missing(v) else fmt_int(v) for v in table["staff_requiring"]
            ],
            "Staff trained": [fmt_int(v) for v in table["staff_trained"]],
            "Coverage": [fmt_percent(v) for v in table["coverage"]],
            "Against the target": [wrap_rag_text(r, target) for r in table.to_dict("records")],
        }
    )
    return table_html(shown, "prevent-coverage-table")


def wrap_progress_table(long: pd.DataFrame, dates: list[str]) -> str:
    """Coverage by department (rows) at each date (columns); ``long``: x, series, value."""
    shown = long.pivot_table(index="series", columns="x", values="value", sort=False)
    shown = shown.reindex(columns=dates).reset_index().rename(columns={"series": "Department"})
    for column in dates:
        shown[column] = [fmt_percent(v) for v in shown[column]]
    return table_html(shown, "prevent-progress-table")


def count_table(frame: pd.DataFrame, heading: str, label: str, table_id: str) -> str:
    """name, value rows as a two-column table of counts."""
    shown = pd.DataFrame({heading: frame["name"], label: [fmt_int(v) for v in frame["value"]]})
    return table_html(shown, table_id)
