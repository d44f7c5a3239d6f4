"""Integrated Offender Management: the cohort, its proven reoffending and offending before/after."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.formats.templates.spec import COUNT, QUARTER, Field, Rule, SheetSpec, TemplateSpec


def quarter_start(label: str) -> date:
    """First day of a financial-year quarter: '2022/23 Q3' -> 2022-10-01, 'Q4' -> January."""
    first_year, quarter = int(label[:4]), int(label[-1])
    month = 4 + 3 * (quarter - 1)
    return pd.Timestamp(first_year + (month > 12), (month - 1) % 12 + 1, 1).date()


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(quarter_start=frame["quarter"].map(quarter_start))


QUARTERS = SheetSpec(
    name="IOM quarters",
    table="iom_quarters",
    description="one row per quarter of the financial year.",
    fields=(
        Field(
            "Quarter",
            "quarter",
            QUARTER,
            "The financial-year quarter, from the drop-down "
            "list, written like 2022/23 Q3. Q1 = April to June, Q2 = July to September, "
            "Q3 = October to December, Q4 = January to March.",
            choices="financial quarters",
            width=14,
        ),
        Field(
            "Cohort size",
            "cohort_size",
            COUNT,
            "The number of people in the IOM cohort in the quarter.",
            width=13,
        ),
        Field(
            "Reoffenders",
            "reoffenders",
            COUNT,
            "Cohort members proven to reoffend (a "
            "reoffence leading to a conviction or caution) within the follow-up period. "
            "Blank until the follow-up is complete.",
            required=False,
            width=13,
        ),
        Field(
            "Offences in 12 months before",
            "offences_before",
            COUNT,
            "Offences by the cohort in the 12 months before entering IOM. Blank if not known.",
            required=False,
            width=18,
        ),
        Field(
            "Offences in 12 months after",
            "offences_after",
            COUNT,
            "Offences by the cohort "
            "in the 12 months after entering IOM. Blank until the 12 months have passed. The "
            "dashboard shows the reduction = (before - after) / before x 100.",
            required=False,
            width=18,
        ),
    ),
    key=("quarter",),
    example={
        "quarter": "2024/25 Q1",
        "cohort_size": 100,
        "reoffenders": 30,
        "offences_before": 520,
        "offences_after": 310,
    },
    rules=(Rule("reoffenders-exceed-cohort", "reoffenders", "cohort_size"),),
    derive=_derive,
    period="quarter_start",
    period_months=3,  # a quarter starting October 2022 ends with December 2022
)

TEMPLATE = TemplateSpec(
    name="council-iom",
    label="IOM template (sheet 'IOM quarters': Quarter, Cohort size, Reoffenders, "
    "Offences in 12 months before, Offences in 12 months after)",
    dataset="iom",
    filename="iom-cohort.xlsx",
    title="Integrated Offender Management (IOM): council template",
    purpose=(
        "Integrated Offender Management brings police, probation and partners together to "
        "manage the offenders who cause the most harm. Each quarter the Board sees the cohort "
        "size, the cohort's proven reoffending (the share who reoffend within the follow-up) "
        "and the reduction in offending after entering IOM.",
        "Proven reoffending rate = reoffenders / cohort size x 100. Reduction in offending = "
        "(offences in the 12 months before - offences in the 12 months after) / offences before "
        "x 100.",
    ),
    sheets=(QUARTERS,),
)
