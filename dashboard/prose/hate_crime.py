"""The hate crime page's sentences and captions: offences, rate, rank and change (flagged across
the MPS recording-system break), positive outcomes, wards, London ranks and the reporting
centres, and what to load when they are missing."""

from __future__ import annotations

from core.months import Month
from core.values import is_missing
from dashboard.prose.words import BREAK_WORDS, change_words, none_loaded, rate_per_10000_words
from dashboard.text import fmt_int, fmt_number, fmt_share, month_label
from domain.crime import SMALL_COUNT, is_small
from domain.hate_crime import STRANDS


def hate_sentence(
    strand: str,
    borough: str,
    month: Month,
    record: dict,
    london_rate=None,
    outcomes=None,
    across_break: bool = False,
) -> str:
    """Hate crime (or one strand) in the 12 months: offences, rate, rank, change (flagged
    across the recording-system break) and the positive outcome rate."""
    what = "hate crimes (the MPS total)" if strand == "Hate crime" else f"{strand} offences"
    if is_missing(record.get("r12")):
        return (
            f"{what.capitalize()} in {borough}: the 12 months to {month_label(month)} are "
            "not available (a month in the window has not been loaded)."
        )
    text = (
        f"In the 12 months to {month_label(month)} the MPS recorded {fmt_int(record['r12'])} "
        f"{what} in {borough}: {rate_per_10000_words(record, london_rate)}; "
        f"{change_words(record, 'offences', across_break)}"
    )
    if across_break:
        text += f". Take care: {BREAK_WORDS}, and this comparison crosses the change"
    return text + f". Positive outcomes: {outcome_words(outcomes, record.get('r12'))}."


def outcome_words(outcomes, offences) -> str:
    """'8.8% of offences (88 of 1,000)', or why there is no rate."""
    if is_missing(outcomes) or is_missing(offences):
        return "not available"
    if int(offences) < SMALL_COUNT:
        return f"{int(outcomes)} of {int(offences)} offences, too few to judge"
    share = fmt_share(int(outcomes) / int(offences) * 100)
    return f"{share} of offences ({fmt_int(outcomes)} of {fmt_int(offences)})"


LOAD_HELP = {
    "mps": (
        "the MPS Monthly Crime Dashboard data (hate crime offences and outcomes)",
        "Download it from the London Datastore (MPS Monthly Crime Dashboard Data); the "
        "first run loads the copy in data/seed.",
    ),
    "centres": (
        "Hate Crime Reporting Centre reports (the council template)",
        "Fill in data/templates/hate-crime-reporting-centres.xlsx each month: reports "
        "by centre, strand and whether a crime or an incident.",
    ),
}
# The page's note on the break, around the label the charts give its line.
BREAK_NOTE_BEFORE = (
    "The Metropolitan Police Service (MPS) changed its crime recording system at the end of February 2024: hate crime recorded "
    "before March 2024 and after is not like-for-like. The charts mark the change with a "
    "dash-dotted line labelled "
)
BREAK_NOTE_AFTER = ", and comparisons across it are flagged."


def trend_caption(strand: str, borough: str, month: Month, r12) -> str:
    return (
        f"Monthly {strand.lower()} offences in {borough} (bars) and the rolling "
        f"12-month total as a monthly average (line): {fmt_number(r12)} in the 12 months to "
        f"{month_label(month)}. The dash-dotted line marks the MPS recording "
        "system change (end of February 2024)."
    )


def strands_caption(borough: str, month: Month, at: dict | None) -> str:
    """``at``: each strand's R12 to ``month`` (None when the month has none; a strand the reader
    may not see is not in it)."""
    values = "; ".join(f"{s} {fmt_number(at[s])}" for s in STRANDS if s in at) if at else ""
    return (
        f"Rolling 12-month offences by strand in {borough}"
        + (f"; in the 12 months to {month_label(month)}: {values}" if values else "")
        + ". Totals for windows that include months on both sides of the dash-dotted "
        "line mix the old and new MPS recording systems."
    )


def outcomes_caption(strand: str, borough: str, month: Month, outcomes, offences) -> str:
    return (
        f"Positive outcomes (as the MPS counts them) as a share of {strand.lower()} "
        f"offences over 12 months, {borough} against London; to "
        f"{month_label(month)}: {outcome_words(outcomes, offences)}. Windows with fewer than "
        "10 offences are left out (too small to judge)."
    )


def wards_caption(strand: str, borough: str, month: Month, rows) -> str:
    """``rows``: ``domain.hate_crime.ward_rows``, most offences first."""
    if rows.empty:
        return f"No ward figures for {borough}: the MPS crime dashboard's ward rows are not loaded."
    records = rows.dropna(subset=["r12"]).to_dict("records")
    small = sum(1 for r in records if is_small(r))
    most = (
        f": {records[0]['area_name']} had the most ({fmt_int(records[0]['r12'])})"
        if records
        else ""
    )
    return (
        f"{strand} offences in each of {borough}'s {len(rows)} wards in the 12 "
        f"months to {month_label(month)}, most first"
        + most
        + (f"; {small} had too few offences to judge a change" if small else "")
        + "."
    )


def ranks_caption(borough: str, month: Month, ranked: list[tuple[str, int]]) -> str:
    """``ranked``: (strand, London rank) of the strands that have one."""
    words = "; ".join(f"{name} {rank}" for name, rank in ranked)
    return (
        f"{borough}'s rank among the 32 London boroughs by offences per 10,000 "
        f"residents in the 12 months to {month_label(month)}, for each strand "
        f"(1 = lowest rate; hollow = too few offences to judge): {words or 'no ranks'}."
    )


def centres_missing(withheld: bool) -> str:
    """Why the reporting-centre charts are blank: none loaded, or (``withheld``) loaded but
    exempt for the reader, which must never read as 'not loaded'."""
    return none_loaded("reporting-centre reports", withheld)


def centres_caption(column: str, month: Month, top: tuple[str, str] | None) -> str:
    """``top``: the centre or strand with most reports and its total, or None without any."""
    if top is None:
        return f"No reporting-centre reports in the 12 months to {month_label(month)}."
    return (
        f"Reports to the Hate Crime Reporting Centres in the 12 months to "
        f"{month_label(month)} by {column}, crimes and incidents; most: {top[0]} ({top[1]})."
    )


def centres_sentence(total: int, crimes: int, first: Month, last: Month) -> str:
    """The reporting centres' 12 months in one sentence (the months loaded when none)."""
    if total:
        return (
            f"Hate Crime Reporting Centres received {fmt_int(total)} reports in the same 12 "
            f"months ({fmt_int(crimes)} crimes, {fmt_int(total - crimes)} incidents)."
        )
    loaded = f"{month_label(first)} to {month_label(last)}"
    return f"No reporting-centre reports in the same 12 months (reports are loaded for {loaded})."
