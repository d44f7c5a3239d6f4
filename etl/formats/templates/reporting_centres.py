"""Third-party Hate Crime Reporting Centres: reports by month, centre, strand, crime or incident."""

from __future__ import annotations

from datetime import date

from core.reference import HATE_STRANDS
from etl.formats.templates.spec import (
    CHOICE,
    COUNT,
    MONTH,
    Field,
    Rule,
    SheetSpec,
    TemplateSpec,
)

REPORTS = SheetSpec(
    name="Reporting centres",
    table="hate_reporting_centres",
    description="one row per month, centre, strand and crime-or-incident with any reports.",
    fields=(
        Field(
            "Month",
            "month",
            MONTH,
            "The calendar month, written as its first day (for example 2023-04-01).",
            width=12,
        ),
        Field(
            "Centre",
            "centre",
            CHOICE,
            "The Hate Crime Reporting Centre, from the drop-down "
            "list. A centre not on the list is loaded with a warning.",
            choices="Hate Crime Reporting Centres",
            strict=False,
            width=34,
        ),
        Field(
            "Strand",
            "strand",
            CHOICE,
            "The hate crime strand, as the MPS names it: " + ", ".join(HATE_STRANDS) + ".",
            choices="hate crime strands",
            width=26,
        ),
        Field(
            "Crime or incident",
            "crime_or_incident",
            CHOICE,
            "Crime: a criminal offence "
            "perceived by the victim or anyone else to be motivated by hostility or "
            "prejudice. Incident: the same perception, where no crime was committed.",
            choices="crime or incident",
            width=16,
        ),
        Field("Reports made", "reports", COUNT, "Reports the centre took in the month.", width=12),
        Field(
            "Referred to police",
            "referred_to_police",
            COUNT,
            "Of those reports, how many were passed to the police.",
            width=14,
        ),
    ),
    key=("month", "centre", "strand", "crime_or_incident"),
    example={
        "month": date(2023, 4, 1),
        "centre": "Colindale community hub",
        "strand": "Racist Crime",
        "crime_or_incident": "Crime",
        "reports": 2,
        "referred_to_police": 1,
    },
    rules=(Rule("referred-exceeds-reports", "referred_to_police", "reports"),),
    period="month",
)

TEMPLATE = TemplateSpec(
    name="council-hate-reporting-centres",
    label="Hate Crime Reporting Centres template (sheet 'Reporting centres': Month, Centre, "
    "Strand, Crime or incident, Reports made, Referred to police)",
    dataset="hate_reporting_centres",
    filename="hate-crime-reporting-centres.xlsx",
    title="Hate Crime Reporting Centres: council template",
    purpose=(
        "Third-party Hate Crime Reporting Centres let victims and witnesses report hate crime "
        "to a trusted community organisation instead of the police. The Board sees reports by "
        "centre, strand and whether a crime or an incident, and how many went to the police.",
        "Strands follow the MPS hate crime categories. The MPS changed its recording system at "
        "the end of February 2024: police hate crime figures before and after are not "
        "comparable, and charts mark the break.",
    ),
    sheets=(REPORTS,),
)
