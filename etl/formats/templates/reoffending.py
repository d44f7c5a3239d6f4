"""Ministry of Justice proven reoffending, in the MoJ geographical data tool's layout."""

from __future__ import annotations

from etl.formats.templates.spec import CHOICE, COUNT, TEXT, Field, Rule, SheetSpec, TemplateSpec

RATES = SheetSpec(
    name="Proven reoffending",
    table="reoffending_rates",
    description="one row per category, adult or juvenile, geography and cohort, copied from the "
    "Ministry of Justice proven reoffending geographical data tool.",
    fields=(
        Field(
            "Category",
            "category",
            TEXT,
            "The category as the MoJ tool labels it (for "
            "example the geography level: Local authority, Region, National).",
            width=18,
        ),
        Field(
            "Adult / Juvenile",
            "adult_juvenile",
            CHOICE,
            "Adult (18 and over at the start of the cohort) or Juvenile (10 to 17).",
            choices="adult or juvenile",
            width=16,
        ),
        Field(
            "Geography",
            "geography",
            TEXT,
            "The area: Barnet, London, or England and Wales.",
            width=22,
        ),
        Field(
            "Cohort",
            "cohort",
            TEXT,
            "The cohort period as the MoJ tool writes it, for "
            "example 'Jan 2022 to Mar 2022' (a three-month cohort) or a year.",
            width=24,
        ),
        Field(
            "Offenders",
            "offenders",
            COUNT,
            "Offenders in the cohort: released from custody, "
            "given a non-custodial conviction, or cautioned in the cohort period.",
            aliases=("Number of offenders", "Number of offenders in cohort"),
            width=12,
        ),
        Field(
            "Reoffenders",
            "reoffenders",
            COUNT,
            "Offenders in the cohort who committed a "
            "proven reoffence: an offence in the one-year follow-up leading to a conviction or "
            "caution within that year or a further six months.",
            aliases=("Number of reoffenders",),
            width=13,
        ),
        Field(
            "Reoffences",
            "reoffences",
            COUNT,
            "The number of proven reoffences those reoffenders committed.",
            aliases=("Number of reoffences",),
            width=12,
        ),
    ),
    key=("category", "adult_juvenile", "geography", "cohort"),
    example={
        "category": "Local authority",
        "adult_juvenile": "Adult",
        "geography": "Barnet",
        "cohort": "Jan 2022 to Mar 2022",
        "offenders": 500,
        "reoffenders": 120,
        "reoffences": 400,
    },
    rules=(Rule("reoffenders-exceed-cohort", "reoffenders", "offenders"),),
)

TEMPLATE = TemplateSpec(
    name="moj-proven-reoffending",
    label="MoJ proven reoffending (sheet 'Proven reoffending': Category, Adult / Juvenile, "
    "Geography, Cohort, Offenders, Reoffenders, Reoffences)",
    dataset="proven_reoffending",
    filename="moj-proven-reoffending.xlsx",
    title="Ministry of Justice proven reoffending: council template",
    purpose=(
        "The Ministry of Justice publishes proven reoffending for adults and juveniles by local "
        "authority, region and England and Wales. The Board compares Barnet with London and "
        "England and Wales.",
        "Proven reoffending rate = reoffenders / offenders x 100 (the share of the cohort who "
        "reoffend); reoffences per reoffender = reoffences / reoffenders.",
    ),
    sheets=(RATES,),
)
