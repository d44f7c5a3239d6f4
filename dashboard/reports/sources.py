"""Where a figure came from, for every dataset: the Sources page's registry (/provenance).

Each dataset is one ``Source`` in ``SOURCES``: what its two pickers choose (an area and a
month for crime; a borough and month, a quarter, a department and date ... for a council
template) and, for one choice, each figure with the upload, file, sheet, Excel row, who loaded
it and when. A dataset added to the dashboard is one more line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core import queries
from core.months import as_month_or_none
from core.values import is_missing
from dashboard.auth import exempt
from dashboard.ui.prefill import period_options

# What every source's figures give (``rows``: the Excel rows the figure was read from).
FIGURE_COLUMNS = [
    "figure",
    "indicator",
    "count",
    "upload_id",
    "filename",
    "sheet",
    "rows",
    "uploaded_by",
    "uploaded_at",
]


@dataclass(frozen=True)
class Source:
    """One dataset on the Sources page. ``choices(engine)`` gives the two pickers' options
    ([{label, value}], newest period first); ``figures(engine, area, period)`` the figures of one
    choice in FIGURE_COLUMNS (``indicator``: the name an exemption may withhold, or None)."""

    label: str
    choices: Callable[[Engine], tuple[list[dict], list[dict]]]
    figures: Callable[[Engine, str, str], pd.DataFrame]
    pickers: tuple[str, str] = ("Area", "Month")
    noun: str = "figures"  # "17 categories", "3 figures"


# ---------------------------------------------------------------- crime files (area x month)


def _crime_choices(dataset: str):
    def choices(engine: Engine) -> tuple[list[dict], list[dict]]:
        areas = queries.dataset_areas(engine, dataset).sort_values("name")
        area_options = [
            {"label": f"{r.name} ({r.code})", "value": r.code} for r in areas.itertuples()
        ]
        return area_options, period_options(queries.loaded_months(engine, dataset))

    return choices


def _crime_figures(dataset: str):
    def figures(engine: Engine, area: str, month: str) -> pd.DataFrame:
        when = as_month_or_none(month)
        if when is None:
            return pd.DataFrame(columns=FIGURE_COLUMNS)
        rows = queries.figure_provenance(engine, dataset, area, when.date())
        rows = exempt.visible_categories(rows, dataset)  # and within an exempt total
        kind = rows["mopac7"].fillna("").map(lambda t: f" ({t})" if t else "")
        return rows.assign(
            figure=rows["major"].astype(str) + ": " + rows["minor"].astype(str) + kind,
            # a MOPAC7 type, or a dashboard subgroup by its name
            indicator=rows["mopac7"].where(rows["mopac7"].notna(), rows["minor"]),
        )[FIGURE_COLUMNS]

    return figures


def crime_source(dataset: str, label: str, noun: str = "categories") -> Source:
    return Source(label, _crime_choices(dataset), _crime_figures(dataset), noun=noun)


# ---------------------------------------------------------------- council templates


def _text(value) -> str:
    """A picker value: a date as YYYY-MM-DD, text as it is."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def template_source(
    label: str,
    read: Callable[[Engine], pd.DataFrame],
    pickers: tuple[tuple[str | None, str], tuple[str, str]],
    values: dict[str, str],
    names: tuple[str, ...] = (),
) -> Source:
    """A council template table: ``pickers`` ((column or None, label), (column, label)) choose
    its rows; each of ``values`` (column: words) is a figure, named by the ``names`` columns."""
    (area, area_label), (period, period_label) = pickers

    def choices(engine: Engine) -> tuple[list[dict], list[dict]]:
        rows = read(engine)
        areas = sorted({_text(v) for v in rows[area]}) if area else ["all"]
        periods = sorted({_text(v) for v in rows[period]}, reverse=True)
        area_names = _area_names(engine) if area == "area_code" else {}
        area_options = [
            {"label": area_names.get(a, a) if area else "All", "value": a} for a in areas
        ]
        return area_options, [{"label": p, "value": p} for p in periods]

    def figures(engine: Engine, chosen_area: str, chosen_period: str) -> pd.DataFrame:
        rows = read(engine)
        keep = rows[period].map(_text) == chosen_period
        if area:
            keep &= rows[area].map(_text) == chosen_area
        rows = rows[keep]
        found = []
        for row in rows.to_dict("records"):
            named = ", ".join(str(row[n]) for n in names if not is_missing(row.get(n)))
            for column, words in values.items():
                figure = f"{named}: {words}" if named else words
                found.append({**row, "figure": figure, "indicator": None, "count": row[column]})
        frame = pd.DataFrame(
            found,
            columns=["figure", "indicator", "count", "upload_id", "source_sheet", "source_row"],
        )
        frame["rows"] = [[] if is_missing(r) else [int(r)] for r in frame["source_row"]]
        details = queries.uploads_by_id(engine, frame["upload_id"].dropna().unique())
        frame = frame.rename(columns={"source_sheet": "sheet"}).merge(
            details, on="upload_id", how="left"
        )
        return frame[FIGURE_COLUMNS]

    return Source(label, choices, figures, pickers=(area_label, period_label))


def _area_names(engine: Engine) -> dict[str, str]:
    areas = queries.areas(engine)
    return {
        code: f"{name} ({code})" for code, name in zip(areas["code"], areas["name"], strict=True)
    }


# ---------------------------------------------------------------- the registry: a line a dataset

SOURCES: dict[str, Source] = {
    **{key: crime_source(key, label) for key, label in queries.CRIME_DATASETS.items()},
    "mps_dashboard_offences": crime_source(
        "mps_dashboard_offences", "MPS dashboard: offences", "subgroups"
    ),
    "mps_dashboard_outcomes": crime_source(
        "mps_dashboard_outcomes", "MPS dashboard: positive outcomes", "subgroups"
    ),
    "serious_youth_violence": template_source(
        "Serious youth violence (council template)",
        queries.syv_monthly,
        (("area_code", "Area"), ("month", "Month")),
        {"victims": "victims aged 1 to 19"},
    ),
    "syv_summary": template_source(
        "Serious youth violence, published summary",
        queries.syv_summary,
        (("area_code", "Area"), ("window_end", "12 months to")),
        {
            "victims": "victims",
            "rate_per_10000": "rate per 10,000",
            "london_rank": "London rank",
            "london_average_rate": "London average rate",
        },
    ),
    "iom": template_source(
        "IOM cohort (council template)",
        queries.iom_quarters,
        ((None, "Cohort"), ("quarter", "Quarter")),
        {
            "cohort_size": "cohort size",
            "reoffenders": "reoffenders",
            "offences_before": "offences in the 12 months before IOM",
            "offences_after": "offences in the 12 months after",
        },
    ),
    "proven_reoffending": template_source(
        "MoJ proven reoffending (council template)",
        queries.reoffending_rates,
        (("geography", "Area"), ("cohort", "Cohort")),
        {"offenders": "offenders", "reoffenders": "reoffenders", "reoffences": "reoffences"},
        names=("adult_juvenile", "category"),
    ),
    "wrap_training": template_source(
        "Prevent WRAP training (council template)",
        queries.wrap_training,
        (("department", "Department or partner"), ("as_at", "As at")),
        {
            "staff_requiring": "staff requiring training",
            "staff_trained": "staff trained",
            "sessions": "sessions",
        },
    ),
    "wrap_audiences": template_source(
        "Prevent WRAP training by audience (council template)",
        queries.wrap_audiences,
        (("audience", "Audience"), ("as_at", "As at")),
        {"count": "people trained"},
    ),
    "hate_reporting_centres": template_source(
        "Hate Crime Reporting Centres (council template)",
        queries.hate_reporting_centres,
        (("centre", "Centre"), ("month", "Month")),
        {"reports": "reports", "referred_to_police": "referred to the police"},
        names=("strand", "crime_or_incident"),
    ),
}
# The dataset an exemption names for each source (its key where they are the same).
EXEMPT_AS = {"syv_summary": "serious_youth_violence", "wrap_audiences": "wrap_training"}


def exempt_name(key: str) -> str:
    return EXEMPT_AS.get(key, key)
