"""Serious youth violence: monthly victims per borough, or the published 12-month summary."""

from __future__ import annotations

from datetime import date

from etl.formats.templates.spec import (
    BOROUGH,
    COUNT,
    MONTH,
    NUMBER,
    RANK,
    Field,
    SheetSpec,
    TemplateSpec,
)

SYV_DEFINITION = (
    "Serious youth violence (SYV) is the count of victims aged 1 to 19 of most serious violence "
    "(excluding ABH), as MOPAC publishes it in its dashboard."
)

COUNTS = SheetSpec(
    name="SYV counts",
    table="syv_counts",
    description="one row per month and borough. Give all 32 boroughs for each month: the London "
    "rank needs every borough's figure for the window.",
    fields=(
        Field(
            "Month",
            "month",
            MONTH,
            "The calendar month, written as its first day "
            "(for example 2024-03-01); any date in the month is read as that month.",
            width=14,
        ),
        Field(
            "Borough",
            "area_code",
            BOROUGH,
            "The London borough, from the drop-down list "
            "(the 32 boroughs; the City of London is policed separately and is not included).",
            choices="London boroughs",
            width=26,
        ),
        Field(
            "Victims",
            "victims",
            COUNT,
            f"{SYV_DEFINITION} A whole number; write 0 when there were none.",
            width=12,
        ),
    ),
    key=("month", "area_code"),
    example={"month": date(2024, 3, 1), "area_code": "Barnet", "victims": 21},
    period="month",
)

SUMMARY = SheetSpec(
    name="SYV summary",
    table="syv_summary",
    description="one row per borough and 12-month window, only where the borough counts are not "
    "at hand (the published summary: the borough's rate, its London rank and the London average).",
    fields=(
        Field(
            "Borough",
            "area_code",
            BOROUGH,
            "The borough the summary is for (usually Barnet).",
            choices="London boroughs",
            width=26,
        ),
        Field(
            "Window end month",
            "window_end",
            MONTH,
            "The last month of the rolling 12-month "
            "window (for example 2024-03-01 for April 2023 to March 2024).",
            width=18,
        ),
        Field(
            "Victims",
            "victims",
            COUNT,
            "The borough's SYV victims in the 12 months, if published (may be blank).",
            required=False,
            width=12,
        ),
        Field(
            "Rate per 10,000",
            "rate_per_10000",
            NUMBER,
            "SYV victims per 10,000 residents in the 12 months, as published.",
            width=16,
        ),
        Field(
            "London rank",
            "london_rank",
            RANK,
            "The borough's rank among the 32 London "
            "boroughs, 1 = lowest rate (best), 32 = highest. Blank if not published.",
            required=False,
            width=14,
        ),
        Field(
            "London average rate per 10,000",
            "london_average_rate",
            NUMBER,
            "The London rate per 10,000 residents for the same window. Blank if not published.",
            required=False,
            width=20,
        ),
    ),
    key=("area_code", "window_end"),
    example={
        "area_code": "Barnet",
        "window_end": date(2024, 3, 1),
        "victims": 240,
        "rate_per_10000": 5.9,
        "london_rank": 9,
        "london_average_rate": 7.4,
    },
    period="window_end",
)

TEMPLATE = TemplateSpec(
    name="council-syv",
    label="Serious youth violence template (sheets 'SYV counts': Month, Borough, Victims; "
    "'SYV summary': Borough, Window end month, Rate per 10,000, ...)",
    dataset="serious_youth_violence",
    filename="serious-youth-violence.xlsx",
    title="Serious youth violence: council template",
    purpose=(
        SYV_DEFINITION,
        "The dashboard shows Barnet's rolling 12-month total, its rate per 10,000 residents "
        "(ONS mid-year estimate for the calendar year of the window's 7th month), its rank among "
        "the 32 London boroughs (1 = lowest rate = best; ties share the better rank) and the "
        "London average.",
        "Fill in 'SYV counts' when you have the monthly figures for every borough: the dashboard "
        "then computes rates and ranks itself. Fill in 'SYV summary' only when all you have is "
        "the published summary for a 12-month window. You may fill in either sheet or both.",
    ),
    sheets=(COUNTS, SUMMARY),
)
