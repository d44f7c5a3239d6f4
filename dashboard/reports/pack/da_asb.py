"""The pack's sections for the strategy's first two priorities: police-recorded anti-social
behaviour (data.police.uk, as /asb shows it) and domestic abuse (the MPS Monthly Crime Dashboard,
as /domestic-abuse shows it). Each figure is a record of the table its page reads
(``dashboard.police_figures.table``, ``dashboard.domestic_abuse_figures.table``) and each
sentence is the page's sentence: nothing is computed here."""

from __future__ import annotations

from core.months import Month
from core.reference import POLICE_UK_ASB
from dashboard import cache, police_figures
from dashboard import domestic_abuse_figures as da_figures
from dashboard.auth import exempt
from dashboard.prose import domestic_abuse as da_words
from dashboard.prose import police as asb_words
from dashboard.prose.words import none_loaded
from dashboard.reports.pack.content import READERS, Section
from dashboard.ui.domestic_abuse import shown_indicators
from domain import domestic_abuse as da
from domain.indicators import record

ASB_LABEL = "Police-recorded ASB (incidents reported to the police)"
ASB_TITLE = "Anti-social behaviour: police-recorded ASB (incidents reported to the police)"
ASB_NOTE = (
    "Police-recorded ASB: incidents reported to the police, as published on data.police.uk; "
    "not the council's own ASB cases (those are partnership indicators)."
)


def da_section(end: Month) -> Section:
    """Domestic abuse offences and DA violence with injury: R12, P12, change and significance,
    rate per 1,000 and London rank, with the page's sentence for each (the positive outcome
    rate in each)."""
    section = Section("da", "Domestic abuse")
    home = cache.home_area()
    month = section.period("domestic_abuse", end)
    if exempt.none_shown(cache.DASHBOARD_OFFENCES, da.INDICATORS):  # never "none loaded"
        section.missing = none_loaded("MPS domestic abuse figures", True, READERS)
        return section
    shown = shown_indicators(exempt.hidden("indicator"))
    table = da_figures.table(month) if month is not None else None
    if home is None or not shown or table is None or home["code"] not in set(table["area_code"]):
        section.missing = "No MPS domestic abuse figures are loaded for this quarter."
        return section
    section.month, section.rate_digits = month, 1  # per 1,000 to 1 decimal, as the page
    rows = da.headline(table, cache.reference()[0], home["code"], month, shown)
    for indicator, row, overall in rows:
        if row:
            section.headline.append((da_words.LABELS[indicator], row))
            section.add(da_words.da_sentence(indicator, home["name"], month, row, overall))
    return section


def asb_section(end: Month) -> Section:
    """Police-recorded ASB: R12, P12, change and significance, rate per 1,000 and the London
    rank ('not available' unless every London borough is loaded), with the page's sentence."""
    section = Section("asb", ASB_TITLE)
    section.notes.append(ASB_NOTE)
    month = section.period("asb", end)
    home = cache.home_area()
    if police_figures.hidden():  # exempt for this pack's readers: never "none loaded"
        section.missing = none_loaded("police-recorded ASB figures", True, READERS)
        return section
    if month is None or home is None:
        section.missing = (
            "Police-recorded ASB is left out: no data.police.uk figures for this quarter or "
            "before it are loaded."
        )
        return section
    found = record(police_figures.table(month), home["code"], POLICE_UK_ASB, month)
    if not found:
        section.missing = none_loaded("police-recorded ASB figures", True, READERS)
        return section
    section.month, section.rate_digits = month, 2  # per 1,000 to 2 decimals, as the page
    boroughs = police_figures.boroughs_covered(month)
    section.headline.append((ASB_LABEL, found))
    section.add(asb_words.summary(POLICE_UK_ASB, home["name"], month, found, boroughs))
    section.figures["boroughs_covered"] = boroughs
    return section
