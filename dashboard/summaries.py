"""The sentences above the charts: figures in, plain English out (pure functions, no I/O).

Every chart says in words what it shows (WCAG 2.1 text alternative) and every page opens with a
sentence that answers "are we getting better, compared with what, and is it real?".
A ``record`` is one row of ``indicators.indicator_table`` as a dict.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard import metrics

SMALL_COUNT = 10  # fewer than this in a 12-month window: too small to judge
RAG_WORDS = {
    "Green": "Green: at or better than the target",
    "Amber": "Amber: better than 2011/12 but not yet at the target",
    "Red": "Red: at or worse than 2011/12",
}


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def whole(value) -> int | None:
    """A count from a table cell (Int64, float or None) as an int, or None."""
    return None if missing(value) else int(value)


def month_label(month) -> str:
    """'February 2025'."""
    return f"{metrics.month_start(month):%B %Y}"


def count_text(value) -> str:
    return "not available" if missing(value) else f"{int(value):,}"


def rate_text(value, digits: int = 1) -> str:
    return "not available" if missing(value) else f"{float(value):,.{digits}f}"


def is_small(record: dict) -> bool:
    """True when R12 or P12 is below 10: such counts move a lot by chance."""
    return metrics.too_small_to_judge(whole(record.get("r12")), whole(record.get("p12")),
                                      SMALL_COUNT)  # fmt: skip


def crimes_noun(indicator: str) -> str:
    return "MOPAC7 crimes" if indicator == metrics.MOPAC7_TOTAL else f"{indicator.lower()} crimes"


def baseline_words(record: dict) -> str:
    """'865 fewer crimes than 2011/12, −18.2%' (or 'no 2011/12 baseline loaded')."""
    if missing(record.get("baseline")):
        return "no 2011/12 baseline loaded"
    if missing(record.get("r12")):
        return "not available"
    return metrics.change_in_words(whole(record["r12"]), whole(record["baseline"]))


def previous_year_words(record: dict, say_previous: bool = True) -> str:
    """'down 6% on the previous 12 months, not statistically significant', in words only
    (without 'on the previous 12 months' where a heading already says it)."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None:
        return "no comparison with the previous 12 months (a month is missing)"
    if is_small(record):
        text = metrics.direction_of_travel(r12, p12).lstrip("▲▼ ")
        return f"{_on_previous(text, say_previous)}, too few crimes to judge"
    p_value = None if missing(record.get("p_value")) else float(record["p_value"])
    text = metrics.direction_of_travel(r12, p12, p_value).lstrip("▲▼ ")
    if text in ("no change", "not available"):
        return f"{text} on the previous 12 months" if say_previous else text
    change, _, significance = text.partition(", ")
    change = _on_previous(change, say_previous)
    return f"{change}, {significance}" if significance else change


def _on_previous(change: str, say_previous: bool = True) -> str:
    if not say_previous or change.startswith("no change"):
        return change
    return f"{change} on the previous 12 months"


def arrow(record: dict) -> str:
    """▲, ▼ or an empty string for R12 against P12."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None or r12 == p12:
        return ""
    return "▲" if r12 > p12 else "▼"


def rag_words(record: dict) -> str:
    if is_small(record):
        return "too small to judge against the target"
    return RAG_WORDS.get(record.get("rag") or "", "no target")


def rank_words(
    rank, before=None, of: int = 32, what: str = "London boroughs", explain: bool = True
) -> str:
    """'rank 21 of 32 London boroughs (1 = lowest rate), 2 places worse than a year earlier'."""
    if missing(rank):
        return f"no rank among the {what} (not all {of} have figures)"
    text = f"rank {int(rank)} of {of}" + (f" {what}" if what else "")
    text += " (1 = lowest rate)" if explain else ""
    if missing(before):
        return text
    moved = int(rank) - int(before)
    if moved == 0:
        return f"{text}, the same as a year earlier"
    places = "place" if abs(moved) == 1 else "places"
    better = "worse" if moved > 0 else "better"
    return f"{text}, {abs(moved)} {places} {better} than a year earlier ({int(before)})"


# --- page sentences -------------------------------------------------------------------------


def overview_sentence(borough: str, month, total: dict, records: list[dict]) -> str:
    """The home page's one sentence: the MOPAC7 total against 2011/12 and last year, and RAG."""
    if missing(total.get("r12")):
        return (f"Figures for the 12 months to {month_label(month)} are not available: "
                "a month in the window has not been loaded.")  # fmt: skip
    counts = {rag: sum(1 for r in records if r.get("rag") == rag and not is_small(r))
              for rag in ("Green", "Amber", "Red")}  # fmt: skip
    rags = f"{counts['Green']} Green, {counts['Amber']} Amber and {counts['Red']} Red"
    return (
        f"In the 12 months to {month_label(month)} {borough} had {count_text(total['r12'])} "
        f"neighbourhood (MOPAC7) crimes: {baseline_words(total)}, and "
        f"{previous_year_words(total)}; of the {len(records)} crime types, {rags} "
        "against the target of 20% below 2011/12."
    )


def crime_sentence(indicator: str, borough: str, month, record: dict, rank_before=None) -> str:
    """The trend page's sentence for one crime type."""
    if missing(record.get("r12")):
        return (f"{indicator} in {borough}: the 12 months to {month_label(month)} are not "
                "available (a month in the window has not been loaded).")  # fmt: skip
    return (
        f"{indicator} in {borough}: {count_text(record['r12'])} crimes in the 12 months to "
        f"{month_label(month)}, {baseline_words(record)} ({rag_words(record)}); "
        f"{previous_year_words(record)}; {rank_words(record.get('london_rank'), rank_before)}."
    )


def target_position(r12, baseline, target) -> str:
    if missing(r12) or missing(baseline):
        return "no 2011/12 baseline to compare with"
    if target is not None and r12 <= target:
        return "at or below the target"
    if r12 < baseline:
        return "below the 2011/12 baseline but above the target"
    return "at or above the 2011/12 baseline"


def trend_caption(indicator: str, month, record: dict, target: float | None) -> str:
    """What the trend chart shows, with the figures it is drawn from."""
    r12, base = whole(record.get("r12")), whole(record.get("baseline"))
    if r12 is None:
        return (f"Monthly {crimes_noun(indicator)} since 2010; the rolling 12-month figure to "
                f"{month_label(month)} is not available.")  # fmt: skip
    target_text = "" if target is None else f" and a target of {target:,.0f}"
    base_text = "" if base is None else f" against a 2011/12 baseline of {base:,}{target_text}"
    return (
        f"Monthly {crimes_noun(indicator)} since 2010 (bars) and the rolling 12-month total as "
        f"a monthly average (line): {r12:,} in the 12 months to {month_label(month)}"
        f"{base_text}, {target_position(r12, base, target)}."
    )


def london_caption(indicator: str, borough: str, record: dict, london_rate) -> str:
    """What the London bar chart shows."""
    rate = record.get("rate_per_1000")
    if missing(rate):
        return f"No rate for {borough}: its population or a month of crime figures is missing."
    year = record.get("population_year")
    year_text = "" if missing(year) else f" (mid-{int(year)} population)"
    london = "" if missing(london_rate) else f"; London's rate is {rate_text(london_rate)}"
    return (
        f"The 32 London boroughs' {crimes_noun(indicator)} per 1,000 residents in the 12 months "
        f"to {month_label(record['month'])}, lowest first: {borough}'s is {rate_text(rate)}"
        f"{year_text}, {rank_words(record.get('london_rank'))}{london}."
    )


def rank_caption(borough: str, history: pd.DataFrame, month) -> str:
    """The rank-over-time chart in words: now, a year earlier, best and worst since 2010.

    ``history`` has month and london_rank for one borough and crime type.
    """
    ranks = history.dropna(subset=["london_rank"])
    ranks = ranks[ranks["month"] <= metrics.month_start(month)]
    if ranks.empty:
        return f"No London rank for {borough} yet: it needs all 32 boroughs' figures."
    by_month = ranks.set_index("month")["london_rank"]
    now = by_month.get(metrics.month_start(month))
    before = by_month.get(metrics.month_start(month) - pd.DateOffset(months=12))
    best, worst = by_month.idxmin(), by_month.idxmax()
    return (
        f"{borough}'s London rank month by month: "
        f"{rank_words(now, before)}; its best was {int(by_month[best])} "
        f"(12 months to {month_label(best)}) and its worst {int(by_month[worst])} "
        f"({month_label(worst)})."
    )


def ward_rank_basis(has_rates: bool) -> str:
    return "1 = lowest rate" if has_rates else "1 = fewest crimes"


def wards_sentence(borough: str, indicator: str, month, table: pd.DataFrame) -> str:
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
        f"{len(table)} wards ranged from {int(low['r12']):,} ({low['area_name']}) to "
        f"{int(high['r12']):,} ({high['area_name']}); compared with the previous 12 months, "
        f"{down} {'ward' if down == 1 else 'wards'} fell and {up} rose by more than chance "
        f"would explain{small_text}."
    )


def ward_sentence(ward: str, borough: str, month, record: dict, wards: int, basis: str) -> str:
    """The ward page's sentence for the ward's MOPAC7 total."""
    if missing(record.get("r12")):
        return f"{ward}: no figures for the 12 months to {month_label(month)}."
    rank = record.get("ward_rank")
    rank_text = "" if missing(rank) else (
        f"; it ranks {int(rank)} of {borough}'s {wards} wards ({basis})")  # fmt: skip
    return (
        f"{ward} had {count_text(record['r12'])} MOPAC7 crimes in the 12 months to "
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
        f"first: {ward} had {value:,}, {above} the middle ward's {median:,.0f}."
    )


def wards_map_caption(borough: str, month, measure: str, frame: pd.DataFrame, diverging: bool):
    """What the ward map shows: the measure, how to read the colours, the highest ward.

    ``frame`` has name, value and judged (False: drawn grey and hatched).
    """
    judged = frame[frame["judged"] & frame["value"].notna()]
    colours = ("blue = fewer crimes, orange = more" if diverging
               else "darker blue = more")  # fmt: skip
    unjudged = len(frame) - len(judged)
    hatch = f"; {unjudged} grey hatched: too few crimes to judge or no figure" if unjudged else ""
    if judged.empty:
        return f"{borough}'s wards: no figures for {measure.lower()} to {month_label(month)}."
    top = judged.loc[judged["value"].astype(float).idxmax()]
    digits = 0 if measure.startswith("Crimes in") else 1
    return (
        f"Map of {borough}'s {len(frame)} wards shaded by {measure.lower()} to "
        f"{month_label(month)} ({colours}){hatch}. Highest: {top['name']} "
        f"({float(top['value']):,.{digits}f})."
    )
