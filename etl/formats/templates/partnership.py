"""Partnership indicators: any figure a partner reports (DOMAIN.md "Partnership indicators,
commentary and actions"). Sheet *Indicators* defines them (or the manager does, on the page or
with ``python -m dashboard indicators add``); sheet *Values* gives their figures, one row per
indicator and period.

Checks across the sheets (``check``): each value's indicator is defined on the Indicators sheet
or already held; its period is written as its frequency asks (a monthly indicator's periods are
months ``2025-03``, a quarterly one's quarters ``2024/25 Q4``, a yearly one's financial years
``2024/25``, an occasion's dates ``2025-03-14``, or months where the day was not published).
"""

from __future__ import annotations

import pandas as pd

from core.reporting_periods import EXAMPLES, as_period, for_frequency
from etl.errors import Problem, problem
from etl.formats.templates.spec import CHOICE, NUMBER, TEXT, Field, SheetSpec, TemplateSpec

DATASET = "partnership_indicators"

INDICATORS = SheetSpec(
    name="Indicators",
    table="partnership_indicators",
    description="one row per indicator (leave out those already defined, or restate them).",
    fields=(
        Field(
            "indicator", "indicator", TEXT, "The indicator's name, as the Board reads it.", width=40
        ),
        Field(
            "priority",
            "priority",
            CHOICE,
            "The strategy priority it belongs to, from the drop-down list.",
            choices="strategy priorities",
            width=30,
        ),
        Field(
            "unit",
            "unit",
            CHOICE,
            "count, percent, rate or money.",
            choices="units",
            width=10,
        ),
        Field(
            "frequency",
            "frequency",
            CHOICE,
            "How often it is reported: month, quarter, financial year, or occasion (a dated "
            "occasion such as a meeting).",
            choices="frequencies",
            width=14,
        ),
        Field(
            "direction",
            "direction",
            CHOICE,
            "Which way is better: lower, higher, or neither.",
            choices="directions",
            width=10,
        ),
        Field(
            "additive",
            "additive",
            CHOICE,
            "yes when the periods add up over a year (cases opened); no for a figure on a date "
            "(a caseload at the quarter's end).",
            choices="yes or no",
            width=10,
        ),
        Field("owner", "owner", TEXT, "The partner agency that reports it.", width=30),
        Field(
            "source",
            "source",
            TEXT,
            "Where the figure comes from (a system, a report and its table).",
            required=False,
            width=40,
        ),
    ),
    key=("indicator",),
    example={
        "indicator": "New cases on CS MARAC",
        "priority": "Anti-social behaviour",
        "unit": "count",
        "frequency": "occasion",
        "direction": "neither",
        "additive": "yes",
        "owner": "Barnet Council Community Safety Team",
        "source": "CS MARAC minutes",
    },
    definitions=True,
)


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    periods = [as_period(v) for v in frame["period"]]
    return frame.assign(
        period=[p.label if p else v for p, v in zip(periods, frame["period"], strict=True)],
        period_kind=[p.kind if p else None for p in periods],
        period_start=[p.start if p else None for p in periods],
        period_end=[p.end if p else None for p in periods],
    )


VALUES = SheetSpec(
    name="Values",
    table="partnership_values",
    description="one row per indicator and period.",
    fields=(
        Field(
            "indicator",
            "indicator",
            TEXT,
            "The indicator's name, as on the Indicators sheet (or as already defined).",
            width=40,
        ),
        Field(
            "period",
            "period",
            TEXT,
            "The period, as its frequency asks: a month 2025-03, a quarter 2024/25 Q4, a "
            "financial year 2024/25, or an occasion's date 2025-03-14 (its month 2025-03 when "
            "the day is not known). Type it as text.",
            width=14,
            as_text=True,
        ),
        Field("value", "value", NUMBER, "The figure: a number (no words).", width=12),
        Field("note", "note", TEXT, "Anything the Board should know about it.", required=False),
    ),
    key=("indicator", "period"),
    example={"indicator": "New cases on CS MARAC", "period": "2025-03", "value": 7, "note": ""},
    derive=_derive,
    period="period_start",
)


def check(frames: dict[str, pd.DataFrame], known: dict) -> list[Problem]:
    """Each value's indicator defined (here or already) and its period as its frequency asks."""
    values = frames.get(VALUES.name)
    if values is None or values.empty or "period_kind" not in values:
        return []
    defined = dict(known)
    if INDICATORS.name in frames:
        listed = frames[INDICATORS.name]
        defined.update(zip(listed["indicator"], listed["frequency"], strict=True))
    out = []
    rows = values.to_dict("records")
    for i, row in enumerate(rows):
        where = {"sheet": VALUES.name, "row": int(row["source_row"])}
        period = as_period(row["period"])
        if row["indicator"] not in defined:
            out.append(
                problem("unknown-indicator", column="indicator", value=row["indicator"], **where)
            )
        elif period is None:
            out.append(problem("bad-period", column="period", value=row["period"], **where))
        else:
            frequency = defined[row["indicator"]]
            fitted = for_frequency(period, frequency)
            if fitted is None:
                out.append(
                    problem(
                        "period-not-frequency",
                        column="period",
                        value=row["period"],
                        found=period.kind,
                        indicator=row["indicator"],
                        frequency=frequency,
                        example=EXAMPLES[frequency],
                        **where,
                    )
                )
                continue
            values.loc[values.index[i], ["period", "period_kind"]] = [fitted.label, fitted.kind]
            values.loc[values.index[i], ["period_start", "period_end"]] = [
                fitted.start,
                fitted.end,
            ]
    return out


TEMPLATE = TemplateSpec(
    name="council-partnership-indicators",
    label="Partnership indicators template (sheets 'Indicators': indicator, priority, unit, "
    "frequency, direction, additive, owner, source; 'Values': indicator, period, value, note)",
    dataset=DATASET,
    filename="partnership-indicators.xlsx",
    title="Partnership indicators: council template",
    purpose=(
        "Any figure a partner reports that no public file carries (CS MARAC cases, ASB cases "
        "logged, Community Protection Notices, domestic abuse service users by risk, "
        "first-time entrants, treatment completions). The dashboard shows each on its "
        "priority's page: the latest period against the previous one and the same period a "
        "year before, the financial year to date for counts that add up, and RAG where the "
        "manager has set a target.",
        "Define each indicator once on the Indicators sheet (or the manager defines it on the "
        "Partnership indicators page); give its figures on the Values sheet, one row per "
        "period. A newer file's value for the same indicator and period replaces the held one "
        "(the old value is kept in the history).",
    ),
    sheets=(INDICATORS, VALUES),
    check=check,
)
