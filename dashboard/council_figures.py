"""The council templates' figures the pages use, read once per version of their dataset (and
the populations: ``cache.figures_version``): every row of a template's table, and serious
youth violence victims windowed like crime. A load of another dataset keeps them. What an
exemption withholds (a dataset, or a hate crime strand as an indicator) is left out of what the
pages get.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import db, queries
from core.months import Month
from dashboard import cache
from dashboard.auth import exempt
from dashboard.memo import engine_url, memoized
from domain.indicators import indicator_table
from domain.priorities import syv_counts

# what the pages read from the council templates: (query, the dataset an exemption names, the
# columns naming an indicator: each table says which, so none is filtered by a guessed name)
COUNCIL_TABLES = {
    "syv_monthly": (queries.syv_monthly, "serious_youth_violence", ()),
    "syv_summary": (queries.syv_summary, "serious_youth_violence", ()),
    "iom_quarters": (queries.iom_quarters, "iom", ()),
    "reoffending_rates": (queries.reoffending_rates, "proven_reoffending", ()),
    "wrap_training": (queries.wrap_training, "wrap_training", ()),
    "wrap_audiences": (queries.wrap_audiences, "wrap_training", ()),
    "hate_reporting_centres": (
        queries.hate_reporting_centres,
        "hate_reporting_centres",
        ("strand",),
    ),
}


@memoized(maxsize=16)
def _council(url: str, version: str, name: str) -> pd.DataFrame:
    return COUNCIL_TABLES[name][0](db.get_engine(url))


def council_table(name: str, eng: Engine | None = None) -> pd.DataFrame:
    """Every row of a council template table (a COUNCIL_TABLES name), cached per version of
    its dataset; empty when its dataset is exempt for this user. Treat as read-only."""
    eng = eng or cache.engine()
    _, dataset, items = COUNCIL_TABLES[name]
    frame = _council(engine_url(eng), cache.figures_version(dataset, eng), name)
    return exempt.visible(frame, dataset, items)


@memoized(maxsize=32)
def _syv_table(url: str, version: str, month: Month) -> pd.DataFrame:
    victims = _council(url, version, "syv_monthly")
    if victims.empty:
        return pd.DataFrame()
    counts = syv_counts(victims)
    areas, pops = cache.reference(db.get_engine(url))
    return indicator_table(counts, areas, pops, month, per=10_000)


def syv_table(month: Month, eng: Engine | None = None) -> pd.DataFrame:
    """Serious youth violence victims windowed like crime (R12, P12, rate per 10,000, London
    rank) for every borough, one month (cached: treat as read-only)."""
    eng = eng or cache.engine()
    table = _syv_table(engine_url(eng), cache.figures_version("serious_youth_violence", eng), month)
    return table.iloc[0:0] if "serious_youth_violence" in exempt.hidden("dataset") else table
