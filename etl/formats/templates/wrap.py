"""Prevent WRAP training: coverage by department or partner, and people trained by audience."""

from __future__ import annotations

from datetime import date

from etl.formats.templates.spec import (
    CHOICE,
    COUNT,
    DATE,
    TEXT,
    Field,
    Rule,
    SheetSpec,
    TemplateSpec,
)

AS_AT = "The date the figures are as at (for example 2018-04-30)."

TRAINING = SheetSpec(
    name="WRAP training",
    table="wrap_training",
    description="one row per department or partner for each as-at date.",
    fields=(
        Field("As at", "as_at", DATE, AS_AT, width=12),
        Field(
            "Department or partner",
            "department",
            TEXT,
            "The council department or partner "
            "organisation, written the same way each time (it is how a later upload finds the "
            "row to replace).",
            width=34,
        ),
        Field(
            "Staff requiring training",
            "staff_requiring",
            COUNT,
            "Staff who need WRAP "
            "training (the target). Leave blank when no target has been set yet: no coverage "
            "or RAG is shown then.",
            required=False,
            width=16,
        ),
        Field(
            "Staff trained",
            "staff_trained",
            COUNT,
            "Staff who have completed WRAP "
            "training. Coverage = staff trained / staff requiring training.",
            width=12,
        ),
        Field(
            "Sessions delivered",
            "sessions",
            COUNT,
            "WRAP sessions delivered to this department or partner.",
            width=12,
        ),
    ),
    key=("as_at", "department"),
    example={
        "as_at": date(2024, 3, 31),
        "department": "Example department",
        "staff_requiring": 200,
        "staff_trained": 150,
        "sessions": 10,
    },
    rules=(Rule("trained-exceeds-requiring", "staff_trained", "staff_requiring"),),
    period="as_at",
)

AUDIENCES = SheetSpec(
    name="WRAP audiences",
    table="wrap_audiences",
    description="one row per audience for each as-at date.",
    fields=(
        Field("As at", "as_at", DATE, AS_AT, width=12),
        Field(
            "Audience",
            "audience",
            CHOICE,
            "Who was trained, from the drop-down list.",
            choices="WRAP audiences",
            width=24,
        ),
        Field(
            "People trained",
            "count",
            COUNT,
            "People from this audience who have attended "
            "WRAP (Workshop to Raise Awareness of Prevent) training.",
            width=12,
        ),
    ),
    key=("as_at", "audience"),
    example={"as_at": date(2024, 3, 31), "audience": "Parents", "count": 40},
    period="as_at",
)

TEMPLATE = TemplateSpec(
    name="council-wrap",
    label="Prevent WRAP training template (sheets 'WRAP training': As at, Department or "
    "partner, Staff requiring training, Staff trained, Sessions delivered; 'WRAP audiences': "
    "As at, Audience, People trained)",
    dataset="wrap_training",
    filename="prevent-wrap-training.xlsx",
    title="Prevent WRAP training: council template",
    purpose=(
        "WRAP (Workshop to Raise Awareness of Prevent) training helps staff recognise people "
        "at risk of being drawn into terrorism. For each department or partner the Board sees "
        "staff requiring training, staff trained and sessions delivered, as at a date.",
        "Coverage = staff trained / staff requiring training. The target is 100% of those "
        "requiring training (higher is better): Green at target, Amber above zero, Red at zero. "
        "Departments with no target yet show their figures without coverage or RAG.",
        "'WRAP audiences' counts people trained by audience: education professionals, "
        "frontline staff, parents, pupils and foster carers.",
    ),
    sheets=(TRAINING, AUDIENCES),
)
