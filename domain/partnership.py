"""Partnership indicators' figures (DOMAIN.md "Partnership indicators, commentary and actions"),
as pure functions: an indicator's definition and its values in, its figures out.

- the latest period's value (the latest period ending on or before the month asked);
- the previous period (the month, quarter or financial year before; for occasions the occasion
  before) and the same period a year before (for occasions: one in the same month a year
  earlier), each with the change and the percent change;
- for additive counts reported more often than yearly, the financial year to date (April to the
  latest period) against the same months a year earlier, when every period of both is held (an
  occasion's year to date is the occasions held in it);
- RAG against a target of the existing kinds where one is set: ``absolute`` (a number for the
  period) or ``previous`` (a percent better than the same period a year before), judged by
  ``domain.targets.judge`` on the latest value;
- no significance test (counts of cases are not Poisson draws of one process): the direction
  of travel only, better / worse by the indicator's direction, or up / down when neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.reporting_periods import (
    DAY,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    month_period,
    quarter_period,
    stored_period,
    year_period,
)
from core.values import is_missing
from domain.targets import Target, judge, target_value


@dataclass(frozen=True)
class Indicator:
    """A partnership indicator's definition."""

    name: str
    priority: str
    unit: str = "count"
    frequency: str = "month"
    direction: str = "neither"  # lower | higher | neither (which way is better)
    additive: bool = True
    owner: str = ""
    source: str | None = None

    @property
    def sums_over_a_year(self) -> bool:
        """A count whose periods add up, reported more often than once a year."""
        return self.unit == "count" and self.additive and self.frequency != "financial year"


def indicator_from_row(row: dict) -> Indicator:
    """An Indicator from a definition row as the database holds it."""
    return Indicator(
        name=row["indicator"],
        priority=row["priority"],
        unit=row["unit"],
        frequency=row["frequency"],
        direction=row["direction"],
        additive=str(row["additive"]).lower() == "yes",
        owner=row.get("owner") or "",
        source=None if is_missing(row.get("source")) else row.get("source"),
    )


def _shift(period: Period, months: int) -> Period | None:
    """The period of the same kind ``months`` earlier (None for a day: occasions are matched)."""
    start = pd.Timestamp(period.start) - pd.DateOffset(months=months)
    if period.kind == MONTH:
        return month_period(start.year, start.month)
    if period.kind == QUARTER:
        first_year = start.year if start.month >= 4 else start.year - 1
        return quarter_period(first_year, (start.month - 4) % 12 // 3 + 1)
    if period.kind == YEAR:
        return year_period(start.year)
    return None


def periods_of(values: pd.DataFrame) -> list[tuple[Period, float]]:
    """The held values as (Period, value), oldest first."""
    if values.empty:
        return []
    rows = values.sort_values(["period_start", "period_end"]).to_dict("records")
    return [
        (
            stored_period(r["period"], r["period_kind"], r["period_start"], r["period_end"]),
            float(r["value"]),
        )
        for r in rows
    ]


def _value_at(held: list[tuple[Period, float]], wanted: Period | None):
    if wanted is None:
        return None
    return next(
        ((p, v) for p, v in held if p.start == wanted.start and p.kind == wanted.kind), None
    )


def previous_of(held: list[tuple[Period, float]], latest: Period, occasion: bool = False):
    """The previous period's (Period, value): the one just before for months, quarters and
    years; the occasion before for occasions (None when not held)."""
    if occasion or latest.kind == DAY:
        earlier = [(p, v) for p, v in held if p.start < latest.start]
        return earlier[-1] if earlier else None
    steps = {MONTH: 1, QUARTER: 3, YEAR: 12}[latest.kind]
    return _value_at(held, _shift(latest, steps))


def year_before_of(held: list[tuple[Period, float]], latest: Period, occasion: bool = False):
    """The same period a year before: for an occasion, the latest one held in the same month a
    year earlier."""
    if occasion or latest.kind == DAY:
        month = (latest.start.year - 1, latest.start.month)
        found = [(p, v) for p, v in held if (p.start.year, p.start.month) == month]
        return found[-1] if found else None
    return _value_at(held, _shift(latest, 12))


def change(current, before) -> tuple[float | None, float | None]:
    """(change, percent change); None where there is nothing to compare (percent: before 0)."""
    if is_missing(current) or before is None or is_missing(before):
        return None, None
    diff = float(current) - float(before)
    return diff, (None if float(before) == 0 else diff / float(before) * 100)


def travel(direction: str, diff: float | None) -> str | None:
    """The direction of travel: better / worse (or up / down when neither is better), same."""
    if diff is None:
        return None
    if diff == 0:
        return "same"
    if direction == "neither":
        return "up" if diff > 0 else "down"
    return "better" if (diff < 0) == (direction == "lower") else "worse"


def financial_year_start(day: date) -> date:
    """1 April of the financial year ``day`` is in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _year_earlier(day: date) -> date:
    return (pd.Timestamp(day) - pd.DateOffset(years=1)).date()


def year_to_date(held: list[tuple[Period, float]], latest: Period, occasion: bool):
    """(this year to date, the same months a year earlier, periods counted) or None when a
    month or quarter of either is not held."""
    start = financial_year_start(latest.start)
    now = [v for p, v in held if start <= p.start <= latest.start]
    then = [v for p, v in held if _year_earlier(start) <= p.start <= _year_earlier(latest.start)]
    if not occasion:
        steps = {MONTH: 1, QUARTER: 3}[latest.kind]
        elapsed = (latest.start.year - start.year) * 12 + latest.start.month - start.month
        if len(now) != elapsed // steps + 1 or len(then) != len(now):
            return None
    # occasions: none held a year earlier is not known to be none
    return sum(now), (sum(then) if then else None), len(now)


def figures(
    indicator: Indicator, values: pd.DataFrame, until: date | None = None, target=None
) -> dict:
    """The indicator's figures as at ``until`` (its latest period ending on or before that day;
    None: its latest period); ``target``: the Target in force, if any. Keys: indicator, period,
    value, note, previous_period, previous_value, previous_change, previous_change_pct,
    year_before_period, year_before_value, year_change, year_change_pct, travel, fytd,
    fytd_before, fytd_periods, target, target_kind, target_value, rag, upload_id, source_row."""
    record = {"indicator": indicator.name, "priority": indicator.priority, "period": None}
    rows = values if until is None or values.empty else values[values["period_end"] <= until]
    held = periods_of(rows)
    if not held:
        return record
    latest, value = held[-1]
    occasion = indicator.frequency == "occasion"
    last_row = rows.sort_values(["period_start", "period_end"]).iloc[-1]
    record.update(
        period=latest.label,
        period_kind=latest.kind,
        period_end=latest.end,
        value=value,
        note=None if is_missing(last_row.get("note")) else last_row.get("note"),
        upload_id=last_row.get("upload_id"),
        source_row=last_row.get("source_row"),
    )
    previous = previous_of(held, latest, occasion)
    year_before = year_before_of(held, latest, occasion)
    for key, found in (("previous", previous), ("year_before", year_before)):
        record[f"{key}_period"] = found[0].label if found else None
        record[f"{key}_value"] = found[1] if found else None
    record["previous_change"], record["previous_change_pct"] = change(
        value, record["previous_value"]
    )
    record["year_change"], record["year_change_pct"] = change(value, record["year_before_value"])
    main = record["year_change"] if year_before else record["previous_change"]
    record["travel"] = travel(indicator.direction, main)
    record["fytd"] = record["fytd_before"] = record["fytd_periods"] = None
    if indicator.sums_over_a_year and latest.kind in (MONTH, QUARTER, DAY):
        found = year_to_date(held, latest, occasion)
        if found:
            record["fytd"], record["fytd_before"], record["fytd_periods"] = found
    record.update(_rag(target, value, record["year_before_value"]))
    return record


def _rag(target: Target | None, value, year_before) -> dict:
    """The target in force and its RAG on the latest value (reference: a year before)."""
    if target is None:
        return {"target": None, "target_kind": None, "target_value": None, "rag": None}
    return {
        "target": target_value(target, None, year_before),
        "target_kind": target.kind,
        "target_value": float(target.value),
        "rag": judge(value, target, None, year_before),
    }


def history(values: pd.DataFrame, until: date | None = None) -> pd.DataFrame:
    """The values over time, oldest first, as a trend chart and its table show them: period,
    value (to ``until`` when given)."""
    rows = values if until is None or values.empty else values[values["period_end"] <= until]
    held = periods_of(rows)
    return pd.DataFrame({"period": [p.label for p, _ in held], "value": [v for _, v in held]})


def overdue(due: date | None, status: str | None, today: date) -> bool:
    """An action is overdue when its date of delivery has passed and it is not complete."""
    if due is None or is_missing(due):
        return False
    return due < today and status != "Complete"


def number_key(number: object) -> str:
    """An action's number as it sorts in the plan ('1.2' before '1.10')."""
    parts = str(number or "").split(".")
    return ".".join(p.zfill(6) if p.isdigit() else p for p in parts)
