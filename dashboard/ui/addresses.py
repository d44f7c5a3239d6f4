"""The dashboard's addresses: crime types as /crime/<slug>, in DOMAIN.md's order, and the
Sources page's address for one area and month."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from core import reference
from core.months import Month
from dashboard.text import month_value

INDICATORS = reference.CRIME_INDICATORS  # the seven types, the MOPAC7 total, overall crime


def slug_for(indicator: str) -> str:
    """'Theft from the person' -> 'theft-from-the-person' (the /crime/<slug> address)."""
    return indicator.lower().replace(" ", "-")


SLUGS = {slug_for(name): name for name in INDICATORS}
FIRST_SLUG = slug_for(reference.MOPAC7_TOTAL)  # what the crime pickers open on


def visible_slugs(hidden: set[str]) -> dict[str, str]:
    """SLUGS without the indicators ``hidden`` from the user (``dashboard.auth.exempt``)."""
    return {slug: name for slug, name in SLUGS.items() if name not in hidden}


def chosen_slug(slug: str | None, slugs: dict[str, str]) -> str | None:
    """``slug`` when the user may see it, else the total, else the first type they may see."""
    if slug in slugs:
        return slug
    return FIRST_SLUG if FIRST_SLUG in slugs else next(iter(slugs), None)


def indicator_order(series: pd.Series) -> pd.Series:
    """Sort key putting the seven types in DOMAIN.md's order, then the total, then overall crime."""
    return series.map({name: i for i, name in enumerate(INDICATORS)})


def provenance_href(dataset: str, area_code: str, month: Month) -> str:
    """The Sources page's address for one area and month (/provenance?dataset=&area=&month=)."""
    query = {"dataset": dataset, "area": area_code, "month": month_value(month)}
    return "/provenance?" + urlencode(query)
