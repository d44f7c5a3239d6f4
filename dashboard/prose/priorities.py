"""The other priorities' sentences and captions: serious youth violence and knife crime, IOM and
proven reoffending, Prevent WRAP training (pure functions: figures in, plain English out), and
what each page says to load when its figures are missing."""

from __future__ import annotations

import pandas as pd

from core.months import Month
from core.values import is_missing
from dashboard.prose.words import change_words, rank_words, rate_per_10000_words
from dashboard.text import (
    day_label,
    fmt_int,
    fmt_number,
    fmt_plain,
    fmt_share,
    month_label,
    quarter_months_label,
)
from domain.crime import SMALL_COUNT, whole
from domain.priorities import KNIFE_VICTIMS, SYV, proven_reoffending_rate, wrap_too_small

# What each page needs when its figures are missing: (what to load, where it comes from).
LOAD_HELP = {
    "syv": (
        "serious youth violence figures (the council template serious-youth-violence.xlsx)",
        "Fill in data/templates/serious-youth-violence.xlsx from MOPAC's dashboard: monthly "
        "victims for all 32 boroughs, or only the published summary.",
    ),
    "knife": (
        "the MPS Monthly Crime Dashboard data (knife crime)",
        "Download it from the London Datastore (MPS Monthly Crime Dashboard Data); the "
        "first run loads the copy in data/seed.",
    ),
    "iom": (
        "IOM cohort figures (the council template iom-cohort.xlsx)",
        "Fill in data/templates/iom-cohort.xlsx each quarter with the cohort size, the "
        "reoffenders and the offences in the 12 months before and after entering IOM.",
    ),
    "moj": (
        "Ministry of Justice proven reoffending rates (the template moj-proven-reoffending.xlsx)",
        "Copy the borough's, London's and England and Wales's rows from the MoJ proven "
        "reoffending geographical data tool into data/templates/moj-proven-reoffending.xlsx.",
    ),
    "wrap": (
        "Prevent WRAP training figures (the council template prevent-wrap-training.xlsx)",
        "Fill in data/templates/prevent-wrap-training.xlsx as at a date: for each department "
        "or partner the staff requiring WRAP training, the staff trained and the sessions "
        "delivered, and the people trained by audience.",
    ),
}
SYV_SOURCE = (  # the youth violence page's sources, each acronym spelled out
    "Metropolitan Police Service (MPS) Monthly Crime Dashboard (knife crime); serious youth "
    "violence from the council template (the Mayor's Office for Policing and Crime's figures); "
    "Office for National Statistics (ONS) mid-year population estimates"
)
HEADLINE_LABELS = {  # what each row of the youth violence headline table is called
    SYV: "Serious youth violence: victims aged 1 to 19",
    KNIFE_VICTIMS: "Knife crime with injury: victims aged 1 to 24, not domestic abuse",
    "Knife Crime with Injury": "Knife crime with injury: offences",
    "Knife Crime": "Knife crime: offences",
}
PUBLISHED_ONLY = (
    "Only the published summary is loaded: load the monthly counts to compare boroughs."
)


def syv_sentence(borough: str, month: Month, record: dict, london_rate=None) -> str:
    """Serious youth violence victims in the 12 months, rate, rank and change."""
    if is_missing(record.get("r12")):
        return (
            f"Serious youth violence in {borough}: the 12 months to {month_label(month)} "
            "are not available (a month in the window has not been loaded)."
        )
    return (
        f"In the 12 months to {month_label(month)} {borough} had {fmt_int(record['r12'])} "
        f"victims of serious youth violence: {rate_per_10000_words(record, london_rate)}; "
        f"{change_words(record, 'victims')}."
    )


def syv_published_sentence(borough: str, row: dict) -> str:
    """The published SYV summary (rate, rank, London average) when no monthly counts are loaded."""
    victims = "" if is_missing(row.get("victims")) else f" ({fmt_int(row['victims'])} victims)"
    london = row.get("london_average_rate")
    london_text = (
        "" if is_missing(london) else f", against a London average of {fmt_number(london, 1)}"
    )
    rank = row.get("london_rank")
    rank_text = "no London rank published" if is_missing(rank) else rank_words(rank)
    return (
        f"The latest published serious youth violence figures, for the 12 months to "
        f"{month_label(row['window_end'])}, give {borough} {fmt_number(row['rate_per_10000'], 1)} "
        f"victims per 10,000 residents{victims}, {rank_text}{london_text}."
    )


def knife_sentence(borough: str, month: Month, record: dict, london_rate=None) -> str:
    """Knife crime with injury: victims aged 1 to 24, not domestic abuse (the MPS subgroup)."""
    if is_missing(record.get("r12")):
        return (
            f"Knife crime with injury in {borough}: the 12 months to {month_label(month)} "
            "are not available (a month in the window has not been loaded)."
        )
    return (
        f"Knife crime with injury: {fmt_int(record['r12'])} victims aged 1 to 24 (not "
        f"domestic abuse) in {borough} in the 12 months to {month_label(month)}, "
        f"{rate_per_10000_words(record, london_rate)}; {change_words(record, 'victims')}."
    )


def small_share_words(part, whole_count, noun: str = "people") -> str:
    """'28.6% (30 of 105)', or 'too few to judge' when the whole is under 10."""
    if is_missing(part) or is_missing(whole_count) or not whole_count:
        return "not given"
    share = fmt_share(proven_reoffending_rate(part, whole_count))  # halves up, as the board pack
    if int(whole_count) < SMALL_COUNT:
        return f"{int(part)} of {int(whole_count)} {noun}: too few to judge"
    return f"{share} ({fmt_int(part)} of {fmt_int(whole_count)})"


def iom_sentence(quarters: pd.DataFrame) -> str:
    """The latest IOM quarter: cohort size (and the one before), reoffending, reduction.

    ``quarters`` is priorities.iom_table's frame, oldest first.
    """
    last = quarters.iloc[-1]
    before = ""
    if len(quarters) > 1:
        prev = quarters.iloc[-2]
        before = f" ({fmt_int(prev['cohort_size'])} in {prev['quarter']})"
    months = ""
    if not is_missing(last.get("quarter_start")):
        months = f" ({quarter_months_label(last['quarter_start'])})"
    text = f"In {last['quarter']}{months} the IOM cohort was {fmt_int(last['cohort_size'])} people{before}"
    parts = []
    if not is_missing(last.get("reoffenders")):
        parts.append(
            "cohort reoffending " + small_share_words(last["reoffenders"], last["cohort_size"])
        )
    if not is_missing(last.get("reduction_percent")):
        change = float(last["reduction_percent"])
        words = f"fell {fmt_share(change)}" if change >= 0 else f"rose {fmt_share(abs(change))}"
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
        text = f"{str(group).lower()}s in {borough} {fmt_share(rate)}"
        if (whole(home.get("offenders")) or 0) < SMALL_COUNT:
            text += " (too few offenders to judge)"
        others = [
            f"{name} {fmt_share(by_place[name.lower()]['reoffending_rate'])}"
            for name in ("London", "England and Wales")
            if name.lower() in by_place
        ]
        if others:
            text += " against " + " and ".join(others)
        parts.append(f"{text} (cohort {home['cohort']})")
    if not parts:
        return f"No Ministry of Justice proven reoffending rates for {borough} are loaded."
    return "Proven reoffending (Ministry of Justice): " + "; ".join(parts) + "."


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
            f"training, so coverage cannot be measured; {fmt_int(sessions)} sessions delivered."
        )
    row = total.iloc[0]
    text = (
        f"As at {day_label(as_at)}, {fmt_int(row['staff_trained'])} of the "
        f"{fmt_int(row['staff_requiring'])} staff requiring Prevent (WRAP) training had been "
        f"trained ({fmt_share(row['coverage'])}): {row['rag'] or 'no RAG'} against the target of "
        f"{fmt_plain(target)}%; {fmt_int(sessions)} sessions delivered"
    )
    if earlier and not is_missing(earlier.get("coverage")):
        way = "up" if row["coverage"] >= earlier["coverage"] else "down"
        text += f", {way} from {fmt_share(earlier['coverage'])} at {day_label(earlier['as_at'])}"
    if no_target:
        who = "department or partner has" if no_target == 1 else "departments or partners have"
        text += f"; {no_target} {who} no target yet"
    return text + "."


# --- captions -----------------------------------------------------------------------------------


def count_trend_caption(noun: str, month: Month, r12) -> str:
    """What a month-by-month chart of a count shows, with the R12 to ``month``."""
    total = fmt_number(r12)
    return (
        f"Monthly {noun} (bars) and the rolling 12-month total as a monthly average "
        f"(line): {total} in the 12 months to {month_label(month)}."
    )


def london_rate_caption(noun: str, borough: str, record: dict, london_rate) -> str:
    """What a chart of the 32 boroughs' rates per 10,000 shows, and where the borough is."""
    return (
        f"The 32 London boroughs' {noun} per 10,000 residents in the 12 months, lowest "
        f"first: {borough}'s is {rate_per_10000_words(record, london_rate)}."
    )


def syv_window_note(month) -> str:
    """The source line's note when serious youth violence is shown for its own window."""
    if month is None:
        return ""
    return f"Serious youth violence is shown for the 12 months to {month_label(month)}."


def iom_cohort_caption(last: dict) -> str:
    return (
        f"IOM cohort size each quarter: {fmt_int(last['cohort_size'])} in "
        f"{last['quarter']}, the latest quarter loaded."
    )


def iom_rates_caption(given: bool) -> str:
    if given:
        return (
            "The cohort's proven reoffending rate and the reduction in its offending after "
            "entering IOM, quarter by quarter."
        )
    return "Cohort reoffending and the reduction in offending were not given for these quarters."


def no_quarter_words(month: Month) -> str:
    return f"No IOM quarter starts by {month_label(month)}."


def no_cohort_words(month: Month) -> str:
    return f"No proven reoffending cohort ends by {month_label(month)}."


def as_at_words(month: Month | None) -> str:
    """The month a quarterly page was drawn for (its figures are the latest by then)."""
    return "" if month is None else f"Showing the latest figures up to {month_label(month)}."


def cohort_caption(group: str, borough: str, shown: bool) -> str:
    """What a group's (adults' or juveniles') proven reoffending chart shows."""
    noun = f"{group.lower()}s"
    if not shown:
        return f"No proven reoffending rates for {noun} are loaded."
    return (
        f"Proven reoffending rate of {noun} (the share of each cohort who reoffended "
        f"within a year) in {borough}, London and England and Wales, cohort by cohort."
    )


def reoffending_source(quarter: str | None, cohort: str | None, source: str) -> str:
    """The latest IOM quarter and MoJ cohort loaded, and where the figures come from."""
    return (
        f"Latest IOM quarter loaded: {quarter or 'none'}; latest proven reoffending cohort: "
        f"{cohort or 'none'}. Source: {source}."
    )


def wrap_rag_text(row: dict, target: float) -> str:
    """A department's coverage against the target in words (small departments not judged)."""
    if is_missing(row.get("coverage")):
        return "no target yet"
    if wrap_too_small(row):
        return "too small to judge"
    return f"{row['rag']} (target {fmt_plain(target)}%)"


def wrap_bar_text(row: dict) -> str:
    """The label at the end of a department's coverage bar."""
    small = " (too small to judge)" if wrap_too_small(row) else ""
    return f"{fmt_share(row['coverage'])}{small}"


def wrap_coverage_caption(as_at, target: float, no_target: int) -> str:
    rest = (
        f"; {no_target} with no target yet {'is' if no_target == 1 else 'are'} in the table only."
        if no_target
        else "."
    )
    return (
        f"Staff trained as a share of the staff requiring WRAP training, by department, "
        f"as at {day_label(as_at)}; the dotted line is the {fmt_plain(target)}% target{rest}"
    )


def wrap_progress_caption(dates: list[str]) -> str:
    if len(dates) > 1:
        return f"Coverage at each of the {len(dates)} dates loaded, by department and in total."
    return (
        f"Only one date is loaded ({dates[0]}): progress over time shows once a later return "
        "is loaded."
    )


def wrap_sessions_caption(as_at, sessions: int) -> str:
    return (
        f"WRAP sessions delivered by each department as at {day_label(as_at)}: "
        f"{fmt_int(sessions)} in all."
    )


def wrap_audiences_caption(people: int | None) -> str:
    if people is None:
        return "No audience figures loaded."
    return f"People trained in WRAP by audience: {fmt_int(people)} in all."


def no_return_words(end) -> str:
    return f"No WRAP figures as at or before {month_label(end)}."


def wrap_source(as_at, source: str) -> str:
    return f"Latest return loaded: as at {day_label(as_at)}. Source: {source}."
