"""The crime pages' sentences: the overview, one crime type's trend, the boroughs compared, the
London rank over time, the wards and one ward (pure functions: figures in, plain English out)."""

from __future__ import annotations

import pandas as pd

from core import reference
from core.months import Month, months_before
from core.values import is_missing
from dashboard.prose.words import (
    baseline_words,
    previous_year_words,
    rag_words,
    rank_words,
    target_words,
)
from dashboard.text import fmt_int, fmt_number, fmt_pct, month_label
from domain.crime import is_small, whole


def crimes_noun(indicator: str) -> str:
    if indicator == reference.OVERALL_CRIME:
        return "crimes of every kind"
    return "MOPAC7 crimes" if indicator == reference.MOPAC7_TOTAL else f"{indicator.lower()} crimes"


def overall_sentence(record: dict | None) -> str:
    """'Overall crime (every offence recorded): 24,003, down 3% on the previous 12 months, not
    statistically significant; rank 8 of 32 London boroughs (1 = lowest rate).' ('' without)."""
    if not record or is_missing(record.get("r12")):
        return ""
    rank = rank_words(record.get("london_rank"))
    return (
        f"Overall crime (every offence recorded): {fmt_int(record['r12'])}, "
        f"{previous_year_words(record)}; {rank}."
    )


TOTAL_WITHHELD = (
    "The MOPAC7 total is not shown: it includes a crime type that is not shown to your role."
)


def overview_sentence(borough: str, month: Month, total: dict | None, records: list[dict]) -> str:
    """The home page's one sentence: the MOPAC7 total against 2011/12 and last year, and RAG
    (``total`` None: exempt for this user, so only the types' RAG)."""
    if total is None:
        return f"In the 12 months to {month_label(month)}, {borough}: {rag_count(records)}. " + (
            TOTAL_WITHHELD
        )
    if is_missing(total.get("r12")):
        return (
            f"Figures for the 12 months to {month_label(month)} are not available: "
            "a month in the window has not been loaded."
        )
    return (
        f"In the 12 months to {month_label(month)} {borough} had {fmt_int(total['r12'])} "
        f"neighbourhood (MOPAC7) crimes: {baseline_words(total)}, and "
        f"{previous_year_words(total)}; {rag_count(records)}."
    )


def rag_count(records: list[dict]) -> str:
    """'of the 7 crime types, 3 Green, 1 Amber and 2 Red against the target …'."""
    counts = {
        rag: sum(1 for r in records if r.get("rag") == rag and not is_small(r))
        for rag in ("Green", "Amber", "Red")
    }
    rags = f"{counts['Green']} Green, {counts['Amber']} Amber and {counts['Red']} Red"
    targets = {target_words(r, figure=False) for r in records if "target_kind" in r}
    if not targets or targets == {"target: 20% below 2011/12"}:
        against = "the target of 20% below 2011/12"
    elif len(targets) == 1:
        against = "the " + next(iter(targets)).replace("target: ", "target of ")
    else:
        against = "their targets"
    return f"of the {len(records)} crime types, {rags} against {against}"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def group_noun(name: str, size: int) -> str:
    """'19 Outer London boroughs', or '32 boroughs in London (32 boroughs)' for a name that
    already says what its members are."""
    return f"{size} {name} boroughs" if "borough" not in name.lower() else f"{size} in {name}"


def group_rank_words(record: dict) -> str:
    """'3rd of 19 Outer London boroughs' (the most similar group), '' without a group."""
    name, size = record.get("group_name"), record.get("group_size")
    if is_missing(name) or not name or is_missing(size):
        return ""
    rank = record.get("group_rank")
    if is_missing(rank):
        return f"no rank among the {group_noun(name, int(size))} (not all have figures)"
    return f"{ordinal(int(rank))} of {group_noun(name, int(size))}"


def _and_group(record: dict) -> str:
    words = group_rank_words(record)
    return f" and {words}" if words else ""


def crime_sentence(
    indicator: str, borough: str, month: Month, record: dict, rank_before=None
) -> str:
    """The trend page's sentence for one crime type."""
    if is_missing(record.get("r12")):
        return (
            f"{indicator} in {borough}: the 12 months to {month_label(month)} are not "
            "available (a month in the window has not been loaded)."
        )
    return (
        f"{indicator} in {borough}: {fmt_int(record['r12'])} crimes in the 12 months to "
        f"{month_label(month)}, {baseline_words(record)} ({rag_and_target(record)}); "
        f"{previous_year_words(record)}; "
        f"{rank_words(record.get('london_rank'), rank_before)}{_and_group(record)}."
    )


def rag_and_target(record: dict) -> str:
    """'Green: at or better than the target; target: 20% below 2011/12 (960)', or why a
    target cannot be judged ('target: 20% below 2011/12, no 2011/12 figure to measure from')."""
    kind = record.get("target_kind")
    if is_missing(kind) or not kind:
        return rag_words(record)
    if is_missing(record.get("rag")) and not is_small(record):
        since = "2011/12" if kind == "baseline" else "previous 12 months"
        return f"{target_words(record)}, no {since} figure to measure from"
    return f"{rag_words(record)}; {target_words(record)}"


def target_position(r12, baseline, target, record: dict | None = None) -> str:
    """Where the 12 months stand against the target, in the words of its RAG (``record``: the
    indicator row, whose target in force and RAG say it; without one, the default target)."""
    rag, kind = (record or {}).get("rag"), (record or {}).get("target_kind")
    if record is not None and kind and rag and not is_missing(kind):
        since = "2011/12" if kind == "baseline" else "the previous 12 months"
        return {
            "Green": "at or better than the target",
            "Amber": f"better than {since} but not at the target",
            "Red": f"at or worse than {since}",
        }[rag]
    if is_missing(r12) or is_missing(baseline):
        return "no 2011/12 baseline to compare with"
    if target is not None and r12 <= target:
        return "at or below the target"
    if r12 < baseline:
        return "below the 2011/12 baseline but above the target"
    return "at or above the 2011/12 baseline"


def trend_caption(indicator: str, month: Month, record: dict, target: float | None) -> str:
    """What the trend chart shows, with the figures it is drawn from."""
    r12, base = whole(record.get("r12")), whole(record.get("baseline"))
    if r12 is None:
        return (
            f"Monthly {crimes_noun(indicator)} since 2010; the rolling 12-month figure to "
            f"{month_label(month)} is not available."
        )
    target_text = "" if target is None else f" and a target of {fmt_number(target)}"
    if record.get("target_kind") and target is not None:
        target_text = f" and a {target_words(record).replace('target: ', 'target of ')}"
    base_text = (
        "" if base is None else f" against a 2011/12 baseline of {fmt_int(base)}{target_text}"
    )
    return (
        f"Monthly {crimes_noun(indicator)} since 2010 (bars) and the rolling 12-month total as "
        f"a monthly average (line): {fmt_int(r12)} in the 12 months to {month_label(month)}"
        f"{base_text}, {target_position(r12, base, target, record)}."
    )


def london_caption(indicator: str, borough: str, month: Month, record: dict, london_rate) -> str:
    """What the London bar chart shows."""
    rate = record.get("rate_per_1000")
    if is_missing(rate):
        return f"No rate for {borough}: its population or a month of crime figures is missing."
    year = record.get("population_year")
    year_text = "" if is_missing(year) else f" (mid-{int(year)} population)"
    london = "" if is_missing(london_rate) else f"; London's rate is {fmt_number(london_rate, 1)}"
    return (
        f"The 32 London boroughs' {crimes_noun(indicator)} per 1,000 residents in the 12 months "
        f"to {month_label(month)}, lowest first: {borough}'s is {fmt_number(rate, 1)}"
        f"{year_text}, {rank_words(record.get('london_rank'))}{_and_group(record)}{london}."
    )


def group_caption(indicator: str, borough: str, month: Month, record: dict, group_rate) -> str:
    """What the London bar chart shows with only the most similar group's boroughs."""
    rate, name = record.get("rate_per_1000"), record.get("group_name")
    if is_missing(rate):
        return f"No rate for {borough}: its population or a month of crime figures is missing."
    size = int(record["group_size"])
    rate_text = (
        "" if is_missing(group_rate) else f"; the group's rate is {fmt_number(group_rate, 1)}"
    )
    return (
        f"{_first_upper(crimes_noun(indicator))} per 1,000 residents in the {size} boroughs of "
        f"{name}, 12 months to {month_label(month)}, lowest first: {borough}'s is "
        f"{fmt_number(rate, 1)}, "
        f"{group_rank_words(record)}{rate_text}."
    )


def rank_caption(borough: str, history: pd.DataFrame, month: Month) -> str:
    """The rank-over-time chart in words: now, a year earlier, best and worst since 2010.

    ``history`` has month and london_rank for one borough and crime type.
    """
    ranks = history.dropna(subset=["london_rank"])
    ranks = ranks[ranks["month"] <= month]
    if ranks.empty:
        return f"No London rank for {borough} yet: it needs all 32 boroughs' figures."
    by_month = ranks.set_index("month")["london_rank"]
    now = by_month.get(month)
    before = by_month.get(months_before(month, 12))
    best, worst = by_month.idxmin(), by_month.idxmax()
    return (
        f"{borough}'s London rank month by month: "
        f"{rank_words(now, before)}; its best was {int(by_month[best])} "
        f"(12 months to {month_label(best)}) and its worst {int(by_month[worst])} "
        f"({month_label(worst)})."
    )


def ward_rank_basis(has_rates: bool) -> str:
    return "1 = lowest rate" if has_rates else "1 = fewest crimes"


def wards_sentence(borough: str, indicator: str, month: Month, table: pd.DataFrame) -> str:
    """The wards page's sentence: range across wards and how many changed significantly."""
    data = table.dropna(subset=["r12"])
    if data.empty:
        return f"No ward figures for the 12 months to {month_label(month)}."
    low = data.loc[data["r12"].astype(float).idxmin()]
    high = data.loc[data["r12"].astype(float).idxmax()]
    judged = data[[not is_small(r) for r in data.to_dict("records")]]
    sig = judged[judged["significant"].astype("boolean").fillna(False).astype(bool)]
    down = int((sig["r12"].astype(float) < sig["p12"].astype(float)).sum())
    up = len(sig) - down
    small = len(data) - len(judged)
    small_text = f"; {small} too small to judge" if small else ""
    return (
        f"In the 12 months to {month_label(month)} {crimes_noun(indicator)} in {borough}'s "
        f"{len(table)} wards ranged from {fmt_int(low['r12'])} ({low['area_name']}) to "
        f"{fmt_int(high['r12'])} ({high['area_name']}); compared with the previous 12 months, "
        f"{down} {'ward' if down == 1 else 'wards'} fell and {up} rose by more than chance "
        f"would explain{small_text}."
    )


def ward_sentence(
    ward: str, borough: str, month: Month, record: dict | None, wards: int, basis: str
) -> str:
    """The ward page's sentence for the ward's MOPAC7 total (None: exempt for this user)."""
    if record is None:
        return f"{ward}, the 12 months to {month_label(month)}: {TOTAL_WITHHELD}"
    if is_missing(record.get("r12")):
        return f"{ward}: no figures for the 12 months to {month_label(month)}."
    rank = record.get("ward_rank")
    rank_text = (
        ""
        if is_missing(rank)
        else (f"; it ranks {int(rank)} of {borough}'s {wards} wards ({basis})")
    )
    return (
        f"{ward} had {fmt_int(record['r12'])} MOPAC7 crimes in the 12 months to "
        f"{month_label(month)}: {baseline_words(record)}, and {previous_year_words(record)}"
        f"{rank_text}."
    )


def ward_compare_caption(ward: str, borough: str, indicator: str, table: pd.DataFrame) -> str:
    """Where the ward sits among its borough's wards for one crime type."""
    data = table.dropna(subset=["r12"])
    row = data[data["area_name"] == ward]
    if row.empty:
        return f"No figures for {ward} in this period."
    median = float(data["r12"].astype(float).median())
    value = int(row["r12"].iloc[0])
    above = "above" if value > median else ("below" if value < median else "equal to")
    return (
        f"{borough}'s {len(data)} wards by {crimes_noun(indicator)} in the 12 months, fewest "
        f"first: {ward} had {fmt_int(value)}, {above} the middle ward's {fmt_number(median)}."
    )


def _ward_value(value: float, measure: str, diverging: bool) -> str:
    if diverging:
        return fmt_pct(value, grouped=True)
    return fmt_number(value, 0 if measure.startswith("Crimes in") else 1)


def wards_map_caption(
    borough: str, month: Month, measure: str, frame: pd.DataFrame, diverging: bool
):
    """What the ward map shows: the measure, how to read the colours, the highest ward.

    ``frame`` has name, value and judged (False: drawn grey and hatched).
    """
    judged = frame[frame["judged"] & frame["value"].notna()]
    colours = "blue = fewer crimes, orange = more" if diverging else "darker blue = more"
    unjudged = len(frame) - len(judged)
    hatch = f"; {unjudged} grey hatched: too few crimes to judge or no figure" if unjudged else ""
    if judged.empty:
        return f"{borough}'s wards: no figures for {measure.lower()} to {month_label(month)}."
    top = judged.loc[judged["value"].astype(float).idxmax()]
    shown = _ward_value(float(top["value"]), measure, diverging)
    return (
        f"Map of {borough}'s {len(frame)} wards shaded by {measure.lower()} to "
        f"{month_label(month)} ({colours}){hatch}. Highest: {top['name']} ({shown})."
    )


def ranked_wards_caption(
    borough: str, month: Month, measure: str, frame: pd.DataFrame, diverging: bool
) -> str:
    """The words of the ranked ward bars drawn where no ward map is loaded (``frame``: name,
    value)."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return f"{borough}'s wards: no figures for {measure.lower()} to {month_label(month)}."
    values = data["value"].astype(float)
    top, low = data.loc[values.idxmax()], data.loc[values.idxmin()]
    return (
        f"{borough}'s {len(data)} wards ranked by {measure.lower()} to {month_label(month)}, "
        f"highest first. Highest: {top['name']} "
        f"({_ward_value(float(top['value']), measure, diverging)}); lowest: {low['name']} "
        f"({_ward_value(float(low['value']), measure, diverging)})."
    )


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
