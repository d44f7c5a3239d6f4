"""The pack's ward section: a map of the borough's wards coloured by the measure the ward page
shows (crimes per 1,000 residents where ward populations are loaded, else crimes), the five
wards with the highest figures and the five biggest statistically significant rises, for the
MOPAC7 total. The full ward x type table goes to the workbook (and to the PDF's appendix only
when asked for, ``--ward-table``)."""

from __future__ import annotations

import pandas as pd

from core.months import Month
from core.reference import MOPAC7_TOTAL
from core.values import is_missing
from dashboard import cache
from dashboard.charts.wards_map import ranked_wards_figure, wards_map_figure
from dashboard.prose.crime import ranked_wards_caption, ward_rank_basis, wards_map_caption
from dashboard.prose.words import change_cell
from dashboard.reports.pack.content import Chart, Section
from dashboard.text import fmt_int, fmt_number, month_label
from dashboard.ui.addresses import indicator_order
from dashboard.ui.wards import WARD_MEASURES, map_frame
from domain.crime import is_small
from domain.indicators import has_ward_populations

TITLE = "Wards: neighbourhood crime"
FULL_TABLE = "Every ward by crime type"


def ward_section(end: Month) -> Section:
    section = Section("wards", TITLE)
    home = cache.home_area()
    month = section.period("ward_crime", end)
    table = cache.ward_table(home["code"], month) if home and month is not None else pd.DataFrame()
    if table.empty:
        section.missing = "No ward crime figures are loaded for this quarter."
        return section
    section.month = month
    with_rates = has_ward_populations(*cache.reference(), home["code"])
    measure = "rate" if with_rates else "r12"
    shown = table[table["indicator"] == MOPAC7_TOTAL]
    if shown.empty:  # the total withheld (an exempt type): the first type shown
        first = sorted(
            table["indicator"].unique(), key=lambda i: indicator_order(pd.Series([i]))[0]
        )
        shown = table[table["indicator"] == first[0]]
    indicator = shown["indicator"].iloc[0]
    section.add(
        f"{indicator} in the 12 months to {month_label(month)} in each ward "
        f"(ward rank: {ward_rank_basis(with_rates)}). Ward totals do not add up exactly to "
        "the borough's: a few crimes cannot be placed in a ward."
    )
    section.charts.append(map_chart(shown, home, month, measure))
    section.tables = [
        (
            f"The five wards with the highest {WARD_MEASURES[measure][0].lower()}",
            top(shown, measure),
        ),
        (
            "The five biggest statistically significant rises on the previous 12 months",
            rises(shown),
        ),
    ]
    section.figures["full_table"] = (
        f"Crimes in the 12 months to {month_label(month)}, by ward and type",
        full_table(table),
    )
    return section


def map_chart(rows: pd.DataFrame, home: dict, month: Month, measure: str) -> Chart:
    label, column, diverging = WARD_MEASURES[measure]
    frame = map_frame(rows.sort_values("area_name"), measure)
    outlines = cache.ward_boundaries(home["code"])
    drawn = frame[frame["code"].isin(set(outlines["code"]))] if not outlines.empty else frame[:0]
    data = pd.DataFrame(
        {
            "Ward": frame["name"],
            label: [fmt_number(v, 0 if measure == "r12" else 1) for v in frame["value"]],
        }
    )
    if drawn.empty:  # no ward outlines loaded: the wards ranked as bars
        figure = lambda: ranked_wards_figure(frame, label, diverging)  # noqa: E731
        caption = ranked_wards_caption(home["name"], month, label, frame, diverging)
        return Chart(f"Wards ranked by {label.lower()}", figure, caption, data, 620)
    figure = lambda: wards_map_figure(outlines, drawn, label, diverging)  # noqa: E731
    caption = wards_map_caption(home["name"], month, label, frame, diverging)
    return Chart(f"Map: {label.lower()} by ward", figure, caption, data, 560)


def top(rows: pd.DataFrame, measure: str, count: int = 5) -> pd.DataFrame:
    label, column, _ = WARD_MEASURES[measure]
    ranked = rows[rows[column].notna()].sort_values(column, ascending=False).head(count)
    return ward_frame(ranked, label, column, measure)


def rises(rows: pd.DataFrame, count: int = 5) -> pd.DataFrame:
    """The biggest rises on the previous 12 months that are statistically significant."""
    records = rows.to_dict("records")
    keep = [
        r["significant"] is True
        and not is_small(r)
        and not is_missing(r.get("change_vs_previous_pct"))
        and float(r["change_vs_previous_pct"]) > 0
        for r in records
    ]
    risen = rows[keep].sort_values("change_vs_previous_pct", ascending=False).head(count)
    if risen.empty:
        return pd.DataFrame({"Ward": ["No ward's rise is statistically significant."]})
    return ward_frame(risen, "Crimes in the 12 months", "r12", "r12")


def ward_frame(rows: pd.DataFrame, label: str, column: str, measure: str) -> pd.DataFrame:
    records = rows.to_dict("records")
    out = {
        "Ward": rows["area_name"],
        "Crimes in the 12 months": [fmt_int(r["r12"]) for r in records],
    }
    if measure != "r12":
        out[label] = [fmt_number(r[column], 1) for r in records]
    out["Change on previous 12 months"] = [change_cell(r) for r in records]
    return pd.DataFrame(out)


def full_table(table: pd.DataFrame) -> pd.DataFrame:
    """Every ward x type: R12, P12, the change and the ward's rank in the borough (figures)."""
    rows = table.assign(order=indicator_order(table["indicator"])).sort_values(
        ["area_name", "order"]
    )
    records = rows.to_dict("records")
    return pd.DataFrame(
        {
            "Ward": rows["area_name"],
            "Crime type": rows["indicator"],
            "12 months (R12)": [fmt_int(r["r12"]) for r in records],
            "Previous 12 months": [fmt_int(r["p12"]) for r in records],
            "Change on previous 12 months": [change_cell(r) for r in records],
            "Rank among the borough's wards": [fmt_int(r["ward_rank"]) for r in records],
        }
    )
