"""Targets and comparator groups, as a manager changes them (``python -m dashboard targets|groups``
and the Targets page): the input checked, names turned into codes, the change written through
``core.reference_data`` and a sentence saying what was done. Figures use them from the next
request on (``dashboard.cache.targets``, ``comparator_group``)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core import queries
from core import reference_data as store
from core.reference import LONDON_AUTHORITIES, LONDON_BOROUGH_CODES, SHIPPED_GROUPS, borough_code
from dashboard.prose import partnership as partner_words
from dashboard.prose.words import target_words
from dashboard.text import counted
from domain.targets import (
    TARGET_INDICATORS,
    Target,
    financial_year_label,
    parse_financial_year,
)


class ChangeRefused(ValueError):
    """A change that cannot be made, with the reason in plain words."""


def area_code(engine: Engine, area: str | None) -> str:
    """The code of an area named by its code or (a borough) its name; '' for every area."""
    text = (area or "").strip()
    if text.lower() in ("", "all", "all areas"):
        return store.ALL_AREAS
    code = borough_code(text) if not text.upper().startswith(("E0", "W0")) else text.upper()
    if code is None or code not in set(queries.areas(engine)["code"]):
        raise ChangeRefused(f"No area called {area!r}: give a borough's name or an area's code.")
    return code


def partnership_names(engine: Engine) -> list[str]:
    """The partnership indicators a target can be set for (those in use)."""
    return list(queries.partnership_indicators(engine).get("indicator", []))


def target_indicators(engine: Engine) -> list[str]:
    """Every indicator a target can be set for: the crime and priority indicators, then the
    partnership indicators."""
    return [*TARGET_INDICATORS, *partnership_names(engine)]


def set_target(
    engine: Engine,
    indicator: str,
    *,
    area: str | None = None,
    kind: str = "baseline",
    value: float | str = 20,
    direction: str = "lower",
    from_year: str = "2011/12",
    by: str | None = None,
) -> str:
    """Set a target; returns what was set, in words."""
    partners = partnership_names(engine)
    if indicator not in TARGET_INDICATORS and indicator not in partners:
        raise ChangeRefused(
            f"No indicator called {indicator!r}: one of {', '.join(TARGET_INDICATORS)}, or a "
            "partnership indicator (python -m dashboard indicators list)."
        )
    if indicator in partners and (kind == "baseline" or (area or "").strip()):
        raise ChangeRefused(
            "A partnership indicator's target is a number for its period (--kind absolute) or a "
            "percent better than the same period a year before (--kind previous), for the "
            "borough (no --area)."
        )
    if value is None or str(value).strip() == "":
        raise ChangeRefused(
            "Give the target a value: a percent, or the number for 12 months (a partnership "
            "indicator: for its period)."
        )
    try:
        target = Target(
            indicator,
            kind=kind,
            value=float(value),
            direction=direction,
            from_year=parse_financial_year(from_year),
            area_code=area_code(engine, area) or None,
        )
    except (TypeError, ValueError) as exc:
        raise ChangeRefused(str(exc)) from exc
    row = {
        "indicator": indicator,
        "area_code": target.area_code or store.ALL_AREAS,
        "from_year": target.from_year,
        "kind": kind,
        "value": target.value,
        "direction": direction,
    }
    store.set_target(engine, row, by)
    words = describe(row, partner_periods(engine).get(indicator))
    return f"{indicator}, {_where(engine, row['area_code'])}: {words}."


def clear_target(
    engine: Engine, indicator: str, *, area: str | None, from_year: str, by: str | None
) -> str:
    """Clear one target; returns what happened, in words."""
    try:
        year = parse_financial_year(from_year)
    except ValueError as exc:
        raise ChangeRefused(str(exc)) from exc
    code = area_code(engine, area)
    where = _where(engine, code)
    if not store.clear_target(engine, indicator, code, year, by):
        raise ChangeRefused(
            f"No target for {indicator}, {where}, from {financial_year_label(year)}."
        )
    return f"Cleared the target for {indicator}, {where}, from {financial_year_label(year)}."


def partner_periods(engine: Engine) -> dict[str, tuple[str, str]]:
    """{partnership indicator: (unit, frequency)}, retired ones too (their targets' history)."""
    rows = queries.partnership_indicators(engine, include_retired=True)
    if rows.empty:
        return {}
    return dict(
        zip(rows["indicator"], zip(rows["unit"], rows["frequency"], strict=True), strict=True)
    )


def describe(row: dict, partner: tuple[str, str] | None = None) -> str:
    """'target: 15% below 2011/12 from 2025/26 (lower is better)'; a partnership indicator's
    (``partner``: its unit and frequency) in its own period's words ('3,000 or fewer in the
    financial year', '10% above the same quarter a year before')."""
    if partner is not None:
        words = partner_words.target_words(row["kind"], row["value"], row["direction"], *partner)
    else:
        words = target_words(
            {
                "target_kind": row["kind"],
                "target_value": row["value"],
                "target_direction": row["direction"],
            },
            figure=False,
        )
    better = "lower" if row["direction"] == "lower" else "higher"
    return f"{words} from {financial_year_label(int(row['from_year']))} ({better} is better)"


def _area_names(engine: Engine) -> dict[str, str]:
    areas = queries.areas(engine)
    return {**LONDON_AUTHORITIES, **dict(zip(areas["code"], areas["name"], strict=True))}


def _where(engine: Engine, code: str) -> str:
    return "every area" if not code else _area_names(engine).get(code, code)


def targets_table(engine: Engine) -> pd.DataFrame:
    """The targets set, for reading: indicator, area, target, from, set by, set at."""
    rows = queries.targets(engine)
    names, partners = _area_names(engine), partner_periods(engine)
    return pd.DataFrame(
        {
            "Indicator": rows["indicator"],
            "Area": [names.get(c, c) if c else "Every area" for c in rows["area_code"]],
            "Target": [describe(r, partners.get(r["indicator"])) for r in rows.to_dict("records")],
            "Set by": rows["set_by"].fillna(""),
            "Set at": [f"{t:%Y-%m-%d %H:%M}" for t in pd.to_datetime(rows["set_at"])],
            "from_year": rows["from_year"],
            "area_code": rows["area_code"],
        }
    )


GROUP_WORDS = {
    "set": "set the boroughs of",
    "add": "added boroughs to",
    "remove": "removed boroughs from",
    "delete": "deleted",
    "choose": "made the most similar group",
    "restore": "restored as shipped",
}


def history_table(engine: Engine) -> pd.DataFrame:
    """Every change to the targets and the comparator groups, newest first, for reading."""
    both = pd.concat([_target_history(engine), _group_history(engine)], ignore_index=True)
    both = both.sort_values("at", ascending=False, kind="stable")
    return both.drop(columns="at").reset_index(drop=True)


def _group_history(engine: Engine) -> pd.DataFrame:
    rows = queries.group_changes(engine)
    counts = [len(m.split(",")) if m else 0 for m in rows["members"]]
    return pd.DataFrame(
        {
            "at": pd.to_datetime(rows["changed_at"]),
            "When": [f"{t:%Y-%m-%d %H:%M}" for t in pd.to_datetime(rows["changed_at"])],
            "Who": rows["changed_by"].fillna(""),
            "Change": [
                f"{GROUP_WORDS.get(a, a)} the comparator group ({n} borough{'s' * (n != 1)}"
                f"{' before' if a == 'delete' else ''}: {_borough_list(m)})"
                for a, n, m in zip(rows["action"], counts, rows["members"], strict=True)
            ],
            "Indicator": "Comparator group",
            "Area": rows["group_name"],
        }
    )


def _borough_list(members: str) -> str:
    return ", ".join(sorted(LONDON_AUTHORITIES.get(c, c) for c in members.split(",") if c))


def _target_history(engine: Engine) -> pd.DataFrame:
    rows = queries.target_changes(engine)
    names, partners = _area_names(engine), partner_periods(engine)
    return pd.DataFrame(
        {
            "at": pd.to_datetime(rows["changed_at"]),
            "When": [f"{t:%Y-%m-%d %H:%M}" for t in pd.to_datetime(rows["changed_at"])],
            "Who": rows["changed_by"].fillna(""),
            "Change": [
                f"set {describe(r, partners.get(r['indicator']))}"
                if r["action"] == "set"
                else f"cleared the target from {financial_year_label(int(r['from_year']))}"
                for r in rows.to_dict("records")
            ],
            "Indicator": rows["indicator"],
            "Area": [names.get(c, c) if c else "Every area" for c in rows["area_code"]],
        }
    )


# ---- comparator groups


def borough_codes(names) -> list[str]:
    """London borough codes of borough names (or codes); refused if one is not a borough."""
    codes = []
    for name in names:
        code = name.upper() if name.upper() in LONDON_BOROUGH_CODES else borough_code(name)
        if code not in LONDON_BOROUGH_CODES:
            raise ChangeRefused(f"{name!r} is not one of the 32 London boroughs.")
        codes.append(code)
    return codes


def members_of(engine: Engine, name: str | None) -> list[str]:
    """The borough codes of one group (none for a name that is not a group)."""
    members = queries.group_members(engine)
    return sorted(members.loc[members["group_name"] == (name or "").strip(), "area_code"])


def groups_table(engine: Engine, chosen: str | None) -> pd.DataFrame:
    """Every group: name, boroughs (by name), how many, and which is the most similar."""
    groups = queries.comparator_groups(engine)
    members = queries.group_members(engine)
    return pd.DataFrame(
        {
            "Group": groups["name"],
            "Boroughs": [len(members[members["group_name"] == g]) for g in groups["name"]],
            "Most similar": ["yes" if g == chosen else "" for g in groups["name"]],
            "Members": [
                ", ".join(
                    sorted(
                        LONDON_AUTHORITIES.get(c, c)
                        for c in members.loc[members["group_name"] == g, "area_code"]
                    )
                )
                for g in groups["name"]
            ],
        }
    )


def group_question(engine: Engine, action: str, name: str | None, boroughs=()) -> str | None:
    """What a change would take out of a group, asked before it is made; None when it takes
    nothing out (a new group, boroughs added, a choice)."""
    name = (name or "").strip()
    have = set(members_of(engine, name))
    if not have or action not in ("delete", "remove", "set"):
        return None
    if action == "delete":
        lost = have
    else:
        try:
            ticked = set(borough_codes(boroughs))
        except ChangeRefused:
            return None  # the change itself says why
        lost = have - ticked if action == "set" else have & ticked
    if not lost:
        return None
    what = "Delete the group" if action == "delete" else "Take out of the group"
    shipped = (
        " It is a shipped group: Restore as shipped brings it back."
        if name in SHIPPED_GROUPS
        else ""
    )
    return (
        f"{what} {name}: {counted(len(lost), 'borough')} ({_borough_list(','.join(lost))})? "
        f"The change is kept in Every change.{shipped}"
    )


def change_group(engine: Engine, action: str, name: str, boroughs=(), by: str | None = None) -> str:
    """set | add | remove | delete | choose | restore (a shipped group, as shipped) one group;
    returns what was done, in words."""
    name = (name or "").strip()
    if not name:
        raise ChangeRefused("Give the group a name.")
    known = set(queries.comparator_groups(engine)["name"])
    if action in ("remove", "delete", "choose") and name not in known:
        raise ChangeRefused(f"No group called {name!r}.")
    if action == "restore":
        if name not in SHIPPED_GROUPS:
            shipped = ", ".join(SHIPPED_GROUPS)
            raise ChangeRefused(f"{name!r} is not a group the dashboard ships ({shipped}).")
        store.set_group(engine, name, SHIPPED_GROUPS[name], by, action="restore")
        return f"{name} is as shipped again: {len(SHIPPED_GROUPS[name])} boroughs."
    codes = borough_codes(boroughs)
    if action == "set":
        store.set_group(engine, name, codes, by)
        return f"{name} now has {len(set(codes))} boroughs."
    if action in ("add", "remove"):
        store.change_members(engine, name, **{action: codes}, by=by)
        return f"{'Added' if action == 'add' else 'Removed'} {len(codes)} boroughs: {name}."
    if action == "delete":
        store.delete_group(engine, name, by)
        restore = " (Restore as shipped brings it back)" if name in SHIPPED_GROUPS else ""
        return f"Deleted the group {name}{restore}; its boroughs are kept in Every change."
    store.choose_group(engine, name, by)
    return f"{name} is now the most similar group."
