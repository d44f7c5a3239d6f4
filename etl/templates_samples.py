"""The figures in the filled examples (data/samples/*-sample.xlsx) and where each comes from.

Real figures are the Board's own (IOM cohort sizes; the April 2018 WRAP table). Where no
published figures are at hand the example is ILLUSTRATIVE, made up to show the format, and its
Instructions sheet says so in red at the top.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from core import config, reference, strategy
from core.reference import HATE_STRANDS, WRAP_AUDIENCES
from domain.priorities import syv_london_table
from etl.formats.templates.spec import REPORTING_CENTRES

ILLUSTRATIVE = (
    "ILLUSTRATIVE FIGURES: made up to show how a filled-in template looks. They are not "
    "published figures: do not quote them or load them into the live dashboard."
)
SYV_MONTHS = pd.date_range("2023-04-01", "2024-03-01", freq="MS")
Sample = tuple[dict[str, list[dict]], tuple[str, ...]]


def _populations(year: int) -> pd.DataFrame:
    path = config.DATA_DIR / "seed" / "ons-mid-year-estimates-london-2011-2024.xlsx"
    ons = pd.read_excel(path, engine="calamine")
    ons = ons[(ons["Category"] == "population") & (ons["Year"] == year)]
    return ons.rename(columns={"ladcode23": "area_code", "Year": "year", "Sum": "population"})[
        ["area_code", "year", "population"]
    ]


def syv() -> Sample:
    """Serious youth violence: made-up monthly victims for every borough, and Barnet's summary."""
    populations = _populations(2023)
    boroughs = sorted(reference.LONDON_BOROUGH_CODES)
    rng = np.random.default_rng(20240301)
    yearly_rate = rng.uniform(4.0, 11.0, len(boroughs))  # victims per 10,000 a year
    pop = populations.set_index("area_code")["population"]
    rows, monthly = [], []
    for code, rate in zip(boroughs, yearly_rate, strict=True):
        for month in SYV_MONTHS:
            victims = int(rng.poisson(rate * pop[code] / 10_000 / 12))
            rows.append(
                {
                    "month": month.date(),
                    "area_code": reference.LONDON_AUTHORITIES[code],
                    "victims": victims,
                }
            )
            monthly.append({"area_code": code, "month": month, "victims": victims})
    table = syv_london_table(pd.DataFrame(monthly), populations, SYV_MONTHS[-1])
    barnet = table.set_index("area_code").loc["E09000003"]
    summary = {
        "area_code": "Barnet",
        "window_end": SYV_MONTHS[-1].date(),
        "victims": int(barnet["victims"]),
        "rate_per_10000": round(float(barnet["rate_per_10000"]), 1),
        "london_rank": int(barnet["london_rank"]),
        "london_average_rate": round(table.attrs["london_average_rate"], 1),
    }
    about = (
        ILLUSTRATIVE,
        "'SYV counts' holds made-up monthly victims for all 32 boroughs, April 2023 to March "
        "2024. 'SYV summary' is Barnet's line computed from those counts with the real ONS "
        "mid-2023 population estimates, so the two sheets agree.",
    )
    return {"SYV counts": rows, "SYV summary": [summary]}, about


def iom() -> Sample:
    """IOM: the Board's two cohort sizes."""
    rows = [
        {"quarter": "2022/23 Q3", "cohort_size": 101},
        {"quarter": "2022/23 Q4", "cohort_size": 105},
    ]
    about = (
        "The cohort sizes are the Board's figures: 101 in 2022/23 Q3 and 105 in 2022/23 Q4.",
        "The reoffending and offences columns are left blank because those figures were not "
        "given with them; fill them in when they are known.",
    )
    return {"IOM quarters": rows}, about


def reoffending() -> Sample:
    """Proven reoffending: made-up figures for Barnet, London and England and Wales."""
    figures = {  # (geography, category): {adult/juvenile: (offenders, reoffenders, reoffences)}
        ("Barnet", "Local authority"): {"Adult": (560, 118, 401), "Juvenile": (48, 15, 52)},
        ("London", "Region"): {"Adult": (21_500, 5_200, 19_800), "Juvenile": (1_650, 520, 1_900)},
        ("England and Wales", "National"): {
            "Adult": (101_000, 25_500, 94_000),
            "Juvenile": (7_400, 2_400, 8_900),
        },
    }
    rows = [
        {
            "category": category,
            "adult_juvenile": group,
            "geography": geography,
            "cohort": "Jan 2022 to Mar 2022",
            "offenders": o,
            "reoffenders": r,
            "reoffences": n,
        }
        for (geography, category), groups in figures.items()
        for group, (o, r, n) in groups.items()
    ]
    about = (
        ILLUSTRATIVE,
        "Copy the real figures from the Ministry of Justice proven "
        "reoffending geographical data tool into the same columns.",
    )
    return {"Proven reoffending": rows}, about


def wrap() -> Sample:
    """Prevent WRAP: the Board's April 2018 training table and made-up audiences."""
    as_at = date(2018, 4, 30)
    training = [
        {
            "as_at": as_at,
            "department": "Children and Family Services",
            "staff_requiring": 219,
            "staff_trained": 112,
            "sessions": 8,
        },
        {
            "as_at": as_at,
            "department": "Adults and Communities",
            "staff_requiring": 290,
            "staff_trained": 190,
            "sessions": 21,
        },
        {
            "as_at": as_at,
            "department": "Illustrative partner with no target yet",
            "staff_requiring": None,
            "staff_trained": 12,
            "sessions": 1,
        },
    ]
    audiences = [
        {"as_at": as_at, "audience": audience, "count": count}
        for audience, count in zip(WRAP_AUDIENCES, (150, 85, 40, 300, 25), strict=True)
    ]
    about = (
        "'WRAP training': the Children and Family Services (219 requiring, 112 trained, 8 "
        "sessions) and Adults and Communities (290, 190, 21) rows are the Board's April 2018 "
        "table; that table gives the month only, so the as-at day (30 April) is ours.",
        "The third row is ILLUSTRATIVE (made up): it shows how to enter a department with no "
        "target yet (staff requiring training left blank).",
        "'WRAP audiences': " + ILLUSTRATIVE,
    )
    return {"WRAP training": training, "WRAP audiences": audiences}, about


def reporting_centres() -> Sample:
    """Hate Crime Reporting Centres: a made-up year of reports."""
    rng = np.random.default_rng(20230401)
    rows = []
    for month in pd.date_range("2022-04-01", "2023-03-01", freq="MS"):
        for centre in REPORTING_CENTRES:
            if rng.random() < 0.6:
                continue  # most centres take no report in most months
            strand = HATE_STRANDS[int(rng.integers(1, len(HATE_STRANDS)))]
            kind = "Crime" if rng.random() < 0.6 else "Incident"
            reports = int(rng.integers(1, 4))
            rows.append(
                {
                    "month": month.date(),
                    "centre": centre,
                    "strand": strand,
                    "crime_or_incident": kind,
                    "reports": reports,
                    "referred_to_police": int(rng.integers(0, reports + 1)),
                }
            )
    about = (
        ILLUSTRATIVE,
        "The centre names are illustrative too: the real list is the 12 centres named in the "
        "2022/23 Hate Crime Reporting Centres annual report. Put those names on the hidden "
        "'Lists' sheet (and in etl/formats/templates/spec.py) before use.",
    )
    return {"Reporting centres": rows}, about


PARTNERSHIP_FIGURES = config.DATA_DIR / "partnership" / "partnership-indicators-2022-23.csv"
FREQUENCY_WORDS = {"meeting": "occasion", "dated period": "quarter", "quarter": "quarter"}


def _frequency(text: str) -> str:
    """The report's 'meeting (month of the meeting; ...)' -> occasion, and so on."""
    return next((f for w, f in FREQUENCY_WORDS.items() if text.startswith(w)), text)


def partnership() -> Sample:
    """Partnership indicators: the figures the partnership published in its 2022/23 annual
    report (CS MARAC by meeting, ECINS cases, CPN warnings and CPNs, domestic abuse services)."""
    published = pd.read_csv(PARTNERSHIP_FIGURES, dtype=str)
    first = published.drop_duplicates("indicator")
    indicators = [
        {
            "indicator": r["indicator"],
            "priority": strategy.STRATEGY_PRIORITIES[strategy.priority_slug(r["priority"])],
            "unit": r["unit"],
            "frequency": _frequency(r["frequency"]),
            "direction": r["direction"],
            "additive": r["additive"],
            "owner": r["owner"],
            "source": r["source"],
        }
        for r in first.to_dict("records")
    ]
    values = []
    for r in published.to_dict("records"):
        note = None
        if r["frequency"].startswith("meeting"):
            note = "The meeting held this month (its exact date is not published)."
        elif r["frequency"].startswith("dated period"):
            note = (
                r["frequency"].removeprefix("dated period (").rstrip(")") + " (the report's period)"
            )
        values.append(
            {
                "indicator": r["indicator"],
                "period": r["period"],
                "value": int(r["value"]),
                "note": note,
            }
        )
    about = (
        "REAL FIGURES: published by the partnership in the Barnet Safer Communities Partnership "
        "Board Annual Report 2022/23 (each indicator's source names the table or paragraph).",
        "CS MARAC meetings are given by the month of the meeting, as the report does not publish "
        "the day; the Victims Care Hub figure covers December 2022 to March 2023.",
    )
    return {"Indicators": indicators, "Values": values}, about


SAMPLES = {
    "council-syv": syv,
    "council-iom": iom,
    "moj-proven-reoffending": reoffending,
    "council-wrap": wrap,
    "council-hate-reporting-centres": reporting_centres,
    "council-partnership-indicators": partnership,
}
