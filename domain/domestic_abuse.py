"""Domestic abuse (DOMAIN.md "Domestic abuse") and the positive outcome rate of any MPS dashboard
indicator: positive outcomes ÷ offences over the same 12 months, one decimal place, not
available under 10 offences."""

from __future__ import annotations

import pandas as pd

from core.reference import DA_VIOLENCE_WITH_INJURY, DOMESTIC_ABUSE, DOMESTIC_ABUSE_INDICATORS
from core.values import is_missing
from domain.crime import SMALL_COUNT
from domain.priorities import london_figures
from domain.rounding import percent_1dp

DA, DA_VWI = DOMESTIC_ABUSE, DA_VIOLENCE_WITH_INJURY
INDICATORS = DOMESTIC_ABUSE_INDICATORS
PER = 1000  # DOMAIN.md: domestic abuse is a rate per 1,000 residents, as crime
OUTCOME_COLUMNS = ["positive_outcomes_r12", "positive_outcome_rate_pct"]


def positive_outcome_rate(outcomes, offences) -> float | None:
    """Positive outcomes ÷ offences x 100 to one decimal place (halves away from zero); None
    when either is missing or there are fewer than 10 offences (too small to judge)."""
    if is_missing(outcomes) or is_missing(offences) or int(offences) < SMALL_COUNT:
        return None
    return percent_1dp(int(outcomes), int(offences))


def with_outcomes(offences: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """An offences indicator table with each row's positive outcomes over the same 12 months (the
    outcomes indicator table's R12 for the area and indicator) and the rate they give. Rows with
    no outcomes row (an indicator the publisher gives no outcomes for) have neither."""
    if offences.empty:
        return offences.assign(**{c: pd.Series(dtype=object) for c in OUTCOME_COLUMNS})
    keys = ["area_code", "indicator"]
    found = (
        outcomes[[*keys, "r12"]].rename(columns={"r12": "positive_outcomes_r12"})
        if len(outcomes)
        else pd.DataFrame(columns=[*keys, "positive_outcomes_r12"])
    )
    found = found.astype({k: object for k in keys})
    out = offences.astype({k: object for k in keys}).merge(found, on=keys, how="left")
    out["positive_outcomes_r12"] = out["positive_outcomes_r12"].astype("Int64")
    out["positive_outcome_rate_pct"] = pd.Series(
        [
            positive_outcome_rate(o, r)
            for o, r in zip(out["positive_outcomes_r12"], out["r12"], strict=True)
        ],
        index=out.index,
        dtype="Float64",
    )
    return out.set_axis(offences.index)


def headline(table: pd.DataFrame, areas: pd.DataFrame, area_code: str, month, indicators=None):
    """(indicator, the area's row with its positive outcomes, London's rate per 1,000) for each
    domestic abuse indicator (``indicators``: those the reader may see), from the table of
    ``dashboard.domestic_abuse_figures.table``: what the page's headline and the board pack show."""
    wanted = INDICATORS if indicators is None else indicators
    return london_figures(table, areas, area_code, wanted, month, per=PER)


def ward_rows(table: pd.DataFrame, indicator: str, borough_code: str) -> pd.DataFrame:
    """A borough's wards for one indicator, most offences first (ward ranks as the table gives
    them: by rate where every ward has a population, else by count; 1 = lowest)."""
    if table.empty:
        return table
    wards = table[
        (table["area_type"] == "ward")
        & (table["parent_code"] == borough_code)
        & (table["indicator"] == indicator)
    ]
    return wards.sort_values(["r12", "area_name"], ascending=[False, True])
