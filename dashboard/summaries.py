"""The sentences above the charts: figures in, plain English out (pure functions, no I/O).

Every chart says in words what it shows (WCAG 2.1 text alternative) and every page opens with a
sentence that answers "are we getting better, compared with what, and is it real?".
A ``record`` is one row of ``indicators.indicator_table`` as a dict.
"""

from __future__ import annotations

import math

import pandas as pd

from core import reference
from core.months import as_month
from dashboard.prose.words import change_in_words, direction_of_travel
from domain.crime import too_small_to_judge
from domain.priorities import proven_reoffending_rate

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
    return f"{as_month(month):%B %Y}"


def count_text(value) -> str:
    return "not available" if missing(value) else f"{int(value):,}"


def rate_text(value, digits: int = 1) -> str:
    return "not available" if missing(value) else f"{float(value):,.{digits}f}"


def is_small(record: dict) -> bool:
    """True when R12 or P12 is below 10: such counts move a lot by chance."""
    return too_small_to_judge(whole(record.get("r12")), whole(record.get("p12")), SMALL_COUNT)


def crimes_noun(indicator: str) -> str:
    return "MOPAC7 crimes" if indicator == reference.MOPAC7_TOTAL else f"{indicator.lower()} crimes"


def baseline_words(record: dict) -> str:
    """'865 fewer crimes than 2011/12, −18.2%' (or 'no 2011/12 baseline loaded')."""
    if missing(record.get("baseline")):
        return "no 2011/12 baseline loaded"
    if missing(record.get("r12")):
        return "not available"
    return change_in_words(whole(record["r12"]), whole(record["baseline"]))


def previous_year_words(record: dict, say_previous: bool = True) -> str:
    """'down 6% on the previous 12 months, not statistically significant', in words only
    (without 'on the previous 12 months' where a heading already says it)."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None:
        return "no comparison with the previous 12 months (a month is missing)"
    if is_small(record):
        text = direction_of_travel(r12, p12).lstrip("▲▼ ")
        return f"{_on_previous(text, say_previous)}, too few crimes to judge"
    p_value = None if missing(record.get("p_value")) else float(record["p_value"])
    text = direction_of_travel(r12, p12, p_value).lstrip("▲▼ ")
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
        return (
            f"Figures for the 12 months to {month_label(month)} are not available: "
            "a month in the window has not been loaded."
        )
    counts = {
        rag: sum(1 for r in records if r.get("rag") == rag and not is_small(r))
        for rag in ("Green", "Amber", "Red")
    }
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
        return (
            f"{indicator} in {borough}: the 12 months to {month_label(month)} are not "
            "available (a month in the window has not been loaded)."
        )
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
        return (
            f"Monthly {crimes_noun(indicator)} since 2010; the rolling 12-month figure to "
            f"{month_label(month)} is not available."
        )
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
    ranks = ranks[ranks["month"] <= as_month(month)]
    if ranks.empty:
        return f"No London rank for {borough} yet: it needs all 32 boroughs' figures."
    by_month = ranks.set_index("month")["london_rank"]
    now = by_month.get(as_month(month))
    before = by_month.get(as_month(month) - pd.DateOffset(months=12))
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
    rank_text = (
        "" if missing(rank) else (f"; it ranks {int(rank)} of {borough}'s {wards} wards ({basis})")
    )
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
    colours = "blue = fewer crimes, orange = more" if diverging else "darker blue = more"
    unjudged = len(frame) - len(judged)
    hatch = f"; {unjudged} grey hatched: too few crimes to judge or no figure" if unjudged else ""
    if judged.empty:
        return f"{borough}'s wards: no figures for {measure.lower()} to {month_label(month)}."
    top = judged.loc[judged["value"].astype(float).idxmax()]
    value = float(top["value"])
    if diverging:
        shown = f"{'+' if value > 0 else ('−' if value < 0 else '')}{abs(value):,.1f}%"
    else:
        shown = f"{value:,.{0 if measure.startswith('Crimes in') else 1}f}"
    return (
        f"Map of {borough}'s {len(frame)} wards shaded by {measure.lower()} to "
        f"{month_label(month)} ({colours}){hatch}. Highest: {top['name']} ({shown})."
    )


# --- the other priorities (youth violence, reoffending, Prevent, hate crime) ----------------

BREAK_WORDS = (
    "the MPS changed its crime recording system at the end of February 2024, so figures before "
    "and after are not like-for-like"
)


def change_words(record: dict, noun: str = "offences", across_break: bool = False) -> str:
    """R12 against P12 for any count ('down 6% on the previous 12 months, not statistically
    significant'; 'too few victims to judge'), flagged when the two windows straddle the MPS
    recording-system break."""
    r12, p12 = whole(record.get("r12")), whole(record.get("p12"))
    if r12 is None or p12 is None:
        return "no comparison with the previous 12 months (a month is missing)"
    p_value = None if is_small(record) or missing(record.get("p_value")) else record["p_value"]
    text = direction_of_travel(r12, p12, p_value).lstrip("▲▼ ")
    change, _, significance = text.partition(", ")
    text = _on_previous(change) + (f", {significance}" if significance else "")
    if is_small(record):
        text += f", too few {noun} to judge"
    if across_break:
        text += " (not like-for-like: " + BREAK_WORDS.split(", so")[0] + ")"
    return text


def rate_per_10000_words(record: dict, london_rate=None) -> str:
    """'11.1 per 10,000 residents (mid-2023 population), rank 29 of 32 London boroughs
    (1 = lowest rate), against London's 8.2'."""
    rate = record.get("rate_per_10000")
    if missing(rate):
        return "no rate per 10,000 residents (a population or a month is missing)"
    year = record.get("population_year")
    year_text = "" if missing(year) else f" (mid-{int(year)} population)"
    london = "" if missing(london_rate) else f", against London's {rate_text(london_rate)}"
    return (
        f"{rate_text(rate)} per 10,000 residents{year_text}, "
        f"{rank_words(record.get('london_rank'))}{london}"
    )


def syv_sentence(borough: str, month, record: dict, london_rate=None) -> str:
    """Serious youth violence victims in the 12 months, rate, rank and change."""
    if missing(record.get("r12")):
        return (
            f"Serious youth violence in {borough}: the 12 months to {month_label(month)} "
            "are not available (a month in the window has not been loaded)."
        )
    return (
        f"In the 12 months to {month_label(month)} {borough} had {count_text(record['r12'])} "
        f"victims of serious youth violence: {rate_per_10000_words(record, london_rate)}; "
        f"{change_words(record, 'victims')}."
    )


def syv_published_sentence(borough: str, row: dict) -> str:
    """The published SYV summary (rate, rank, London average) when no monthly counts are loaded."""
    victims = "" if missing(row.get("victims")) else f" ({count_text(row['victims'])} victims)"
    london = row.get("london_average_rate")
    london_text = "" if missing(london) else f", against a London average of {rate_text(london)}"
    rank = row.get("london_rank")
    rank_text = "no London rank published" if missing(rank) else rank_words(rank)
    return (
        f"The latest published serious youth violence figures, for the 12 months to "
        f"{month_label(row['window_end'])}, give {borough} {rate_text(row['rate_per_10000'])} "
        f"victims per 10,000 residents{victims}, {rank_text}{london_text}."
    )


def knife_sentence(borough: str, month, record: dict, london_rate=None) -> str:
    """Knife crime with injury: victims aged 1 to 24, not domestic abuse (the MPS subgroup)."""
    if missing(record.get("r12")):
        return (
            f"Knife crime with injury in {borough}: the 12 months to {month_label(month)} "
            "are not available (a month in the window has not been loaded)."
        )
    return (
        f"Knife crime with injury: {count_text(record['r12'])} victims aged 1 to 24 (not "
        f"domestic abuse) in {borough} in the 12 months to {month_label(month)}, "
        f"{rate_per_10000_words(record, london_rate)}; {change_words(record, 'victims')}."
    )


def small_share_words(part, whole_count, noun: str = "people") -> str:
    """'28.6% (30 of 105)', or 'too few to judge' when the whole is under 10."""
    if missing(part) or missing(whole_count) or not whole_count:
        return "not given"
    share = f"{proven_reoffending_rate(part, whole_count):.1f}%"  # halves up, as the board pack
    if int(whole_count) < SMALL_COUNT:
        return f"{int(part)} of {int(whole_count)} {noun}: too few to judge"
    return f"{share} ({int(part):,} of {int(whole_count):,})"


def iom_sentence(quarters: pd.DataFrame) -> str:
    """The latest IOM quarter: cohort size (and the one before), reoffending, reduction.

    ``quarters`` is priorities.iom_table's frame, oldest first.
    """
    last = quarters.iloc[-1]
    before = ""
    if len(quarters) > 1:
        prev = quarters.iloc[-2]
        before = f" ({count_text(prev['cohort_size'])} in {prev['quarter']})"
    text = (
        f"In {last['quarter']} the IOM cohort was {count_text(last['cohort_size'])} people{before}"
    )
    parts = []
    if not missing(last.get("reoffenders")):
        parts.append(
            "cohort reoffending " + small_share_words(last["reoffenders"], last["cohort_size"])
        )
    if not missing(last.get("reduction_percent")):
        change = float(last["reduction_percent"])
        words = f"fell {change:.1f}%" if change >= 0 else f"rose {abs(change):.1f}%"
        small = whole(last.get("offences_before")) or 0
        judge = ", too few offences to judge" if small < SMALL_COUNT else ""
        parts.append(f"their offending {words} after entering IOM{judge}")
    if not parts:
        return text + "; cohort reoffending and the reduction in offending were not given."
    return f"{text}; {' and '.join(parts)}."


def reoffending_sentence(borough: str, latest: pd.DataFrame) -> str:
    """MoJ proven reoffending rates for the home borough against London and England and Wales.

    ``latest``: one row per adult_juvenile x geography for the latest cohort, with
    reoffending_rate, offenders and cohort.
    """
    parts = []
    for group, rows in latest.groupby("adult_juvenile", sort=True):
        by_place = {
            str(g).lower(): r
            for g, r in zip(rows["geography"], rows.to_dict("records"), strict=True)
        }
        home = by_place.get(borough.lower())
        if home is None:
            continue
        rate = home["reoffending_rate"]
        text = f"{str(group).lower()}s in {borough} {_pct(rate)}"
        if (whole(home.get("offenders")) or 0) < SMALL_COUNT:
            text += " (too few offenders to judge)"
        others = [
            f"{name} {_pct(by_place[name.lower()]['reoffending_rate'])}"
            for name in ("London", "England and Wales")
            if name.lower() in by_place
        ]
        if others:
            text += " against " + " and ".join(others)
        parts.append(f"{text} (cohort {home['cohort']})")
    if not parts:
        return f"No Ministry of Justice proven reoffending rates for {borough} are loaded."
    return "Proven reoffending (Ministry of Justice): " + "; ".join(parts) + "."


def _pct(value) -> str:
    return "not available" if missing(value) else f"{float(value):.1f}%"


def day_label(value) -> str:
    """'30 April 2018'."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def prevent_sentence(as_at, table: pd.DataFrame, target: float, earlier: dict | None = None):
    """WRAP coverage as at a date against the target. ``table`` is wrap_coverage_table's frame
    (its last row 'All with a target'); ``earlier`` that total row at the previous date."""
    departments = table[table["department"] != "All with a target"]
    total = table[table["department"] == "All with a target"]
    no_target = len(departments) - int((departments["staff_requiring"].fillna(0) > 0).sum())
    sessions = int(pd.to_numeric(departments["sessions"], errors="coerce").fillna(0).sum())
    if total.empty:
        return (
            f"As at {day_label(as_at)} no department has a number of staff requiring WRAP "
            f"training, so coverage cannot be measured; {sessions:,} sessions delivered."
        )
    row = total.iloc[0]
    text = (
        f"As at {day_label(as_at)}, {int(row['staff_trained']):,} of the "
        f"{int(row['staff_requiring']):,} staff requiring Prevent (WRAP) training had been "
        f"trained ({_pct(row['coverage'])}): {row['rag'] or 'no RAG'} against the target of "
        f"{target:g}%; {sessions:,} sessions delivered"
    )
    if earlier and not missing(earlier.get("coverage")):
        way = "up" if row["coverage"] >= earlier["coverage"] else "down"
        text += f", {way} from {_pct(earlier['coverage'])} at {day_label(earlier['as_at'])}"
    if no_target:
        who = "department or partner has" if no_target == 1 else "departments or partners have"
        text += f"; {no_target} {who} no target yet"
    return text + "."


def hate_sentence(
    strand: str,
    borough: str,
    month,
    record: dict,
    london_rate=None,
    outcomes=None,
    across_break: bool = False,
) -> str:
    """Hate crime (or one strand) in the 12 months: offences, rate, rank, change (flagged
    across the recording-system break) and the positive outcome rate."""
    what = "hate crimes (the MPS total)" if strand == "Hate crime" else f"{strand} offences"
    if missing(record.get("r12")):
        return (
            f"{what.capitalize()} in {borough}: the 12 months to {month_label(month)} are "
            "not available (a month in the window has not been loaded)."
        )
    text = (
        f"In the 12 months to {month_label(month)} the MPS recorded {count_text(record['r12'])} "
        f"{what} in {borough}: {rate_per_10000_words(record, london_rate)}; "
        f"{change_words(record, 'offences')}"
    )
    if across_break:
        text += f". Take care: {BREAK_WORDS}, and this comparison crosses the change"
    return text + f". Positive outcomes: {outcome_words(outcomes, record.get('r12'))}."


def outcome_words(outcomes, offences) -> str:
    """'8.8% of offences (88 of 1,000)', or why there is no rate."""
    if missing(outcomes) or missing(offences):
        return "not available"
    if int(offences) < SMALL_COUNT:
        return f"{int(outcomes)} of {int(offences)} offences, too few to judge"
    return f"{int(outcomes) / int(offences) * 100:.1f}% of offences ({int(outcomes):,} of {int(offences):,})"
