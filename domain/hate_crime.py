"""Hate crime (DOMAIN.md "The other priorities"): the MPS strands, the recording-system break at
the end of February 2024, positive outcome rates, the wards' figures and London ranks for one
strand, and the reporting centres' reports over 12 months."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from core.months import Month, months_before
from core.reference import (
    HATE_CRIME_TOTAL,
    HATE_STRANDS,
    RECORDING_BREAK_FIRST_NEW,
    RECORDING_BREAK_LAST_OLD,
)
from domain.crime import SMALL_COUNT, trend_frame, ward_rank
from domain.periods import window_months
from domain.priorities import london_figures

TOTAL = HATE_CRIME_TOTAL
STRANDS = HATE_STRANDS
BREAK_LAST_OLD, BREAK_FIRST_NEW = RECORDING_BREAK_LAST_OLD, RECORDING_BREAK_FIRST_NEW


def spans_break(end_month: Month, length: int = 12) -> bool:
    """True when the ``length`` months ending ``end_month`` hold months on both sides of the
    break (with length 24: R12 against P12 is not like-for-like)."""
    months = window_months(end_month, length)
    return months[0] <= BREAK_LAST_OLD and months[-1] >= BREAK_FIRST_NEW


def outcome_rates(offences: pd.Series, outcomes: pd.Series) -> pd.DataFrame:
    """month, count, r12 offences, r12 outcomes and the positive outcome rate (% of offences;
    none where the window has fewer than 10 offences: too small to judge)."""
    frame = trend_frame(offences)
    out = outcomes.reindex(pd.DatetimeIndex(frame["month"])).fillna(0)
    frame["outcomes"] = out.rolling(12, min_periods=12).sum().to_numpy()
    judged = frame["r12"] >= SMALL_COUNT
    frame["rate"] = (frame["outcomes"] / frame["r12"] * 100).where(judged)
    return frame


def strand_r12(trends: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """month, series (the strand), value (its R12) for every strand of one area, from each
    strand's ``trend_frame``."""
    frames = []
    for strand in (s for s in STRANDS if s in trends):  # the strands the reader may see
        frame = trends[strand]
        frames.append(
            pd.DataFrame({"month": frame["month"], "series": strand, "value": frame["r12"]})
        )
    return pd.concat(frames, ignore_index=True)


def ward_rows(table: pd.DataFrame, strand: str, borough_code: str) -> pd.DataFrame:
    """A borough's wards for one strand, most offences first. The publisher leaves out rows
    with no offences, so a ward with figures for hate crime but none ever for this strand had 0
    in each window that its hate crime total has (ward ranks recomputed, 1 = fewest)."""
    wards = table[(table["area_type"] == "ward") & (table["parent_code"] == borough_code)]
    rows = wards[wards["indicator"] == strand]
    base = wards[(wards["indicator"] == TOTAL) & ~wards["area_code"].isin(rows["area_code"])]
    if len(base):
        zero = base.assign(
            indicator=strand,
            change_vs_previous_pct=None,
            p_value=None,
            significant=None,
            rate_per_10000=None,
        )
        for column in ("r12", "p12"):
            zero[column] = base[column].where(base[column].isna(), 0).astype("Int64")
        rows = pd.concat([rows, zero], ignore_index=True)
    rows = rows.copy()
    rows["ward_rank"] = ward_rank(rows["r12"].astype(float)).to_numpy()
    return rows.sort_values(["r12", "area_name"], ascending=[False, True])


def strand_r12_by_month(long: pd.DataFrame) -> pd.DataFrame:
    """``strand_r12`` as a month x strand table, months without any R12 left out."""
    wide = long.pivot_table(index="month", columns="series", values="value", sort=False)
    shown = set(long["series"])  # the strands given (an exempt one is not)
    return wide.reindex(columns=[s for s in STRANDS if s in shown]).dropna(how="all")


def strand_ranks(
    table: pd.DataFrame, areas: pd.DataFrame, area_code: str, shown=(TOTAL, *STRANDS)
) -> list[tuple]:
    """(strand, the area's row, London's rate per 10,000) for hate crime and each strand
    (of those ``shown``: an exempt one is left out)."""
    return london_figures(table, areas, area_code, [s for s in (TOTAL, *STRANDS) if s in shown])


def reports_window(reports: pd.DataFrame, month: Month) -> pd.DataFrame:
    """Reporting-centre reports in the 12 months to ``month``, with part: Crime or Incident."""
    window = reports[(reports["month"] >= months_before(month, 11)) & (reports["month"] <= month)]
    return window.assign(part=window["crime_or_incident"].astype(str).str.capitalize())


def reports_by(window: pd.DataFrame, column: str) -> pd.DataFrame:
    """name (the centre or strand), part, value (reports) of a ``reports_window``."""
    return pd.DataFrame(
        {"name": window[column], "part": window["part"], "value": window["reports"].astype(float)}
    )


def reports_totals(window: pd.DataFrame) -> tuple[int, int]:
    """(reports, of which crimes) in a ``reports_window``."""
    crimes = int(window.loc[window["part"] == "Crime", "reports"].sum())
    return int(window["reports"].sum()), crimes
