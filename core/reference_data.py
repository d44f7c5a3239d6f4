"""The reference data the community safety manager edits: targets (with every change, who and
when) and comparator groups of London boroughs (shipped with London, Inner and Outer London),
their tables and every write. Reads are in ``core.queries.targets``.

The tables live here rather than in ``core.db`` (which imports this module, so they join its
``metadata`` and are created with the schema) to keep that module within its size.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Table,
    delete,
    event,
    insert,
    select,
    update,
)

from core import db
from core.reference import SHIPPED_GROUPS

ALL_AREAS = ""  # a target's area_code when it applies to every area

# A target in force: per indicator, area ('' = every area) and the financial year it applies
# from (its start year: 2025 = 2025/26). kind: baseline | previous | absolute; value: a percent
# (baseline, previous) or the 12 months' figure (absolute); direction: lower | higher.
targets = Table(
    "targets",
    db.metadata,
    Column("indicator", String(200), primary_key=True),
    Column("area_code", String(64), primary_key=True),
    Column("from_year", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("value", Float, nullable=False),
    Column("direction", String(8), nullable=False),
    Column("set_by", String(200)),
    Column("set_at", DateTime, nullable=False),
)

# Every change to the targets: the row as it was set, or the key of the one cleared.
target_changes = Table(
    "target_changes",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # set | clear
    Column("indicator", String(200), nullable=False),
    Column("area_code", String(64), nullable=False),
    Column("from_year", Integer, nullable=False),
    Column("kind", String(16)),
    Column("value", Float),
    Column("direction", String(8)),
    Column("changed_by", String(200)),
    Column("changed_at", DateTime, nullable=False),
)

# Named groups of London boroughs; the one marked most_similar is the home borough's most
# similar group (none marked: the ONS group containing it).
comparator_groups = Table(
    "comparator_groups",
    db.metadata,
    Column("name", String(200), primary_key=True),
    Column("most_similar", Boolean, nullable=False, default=False),
    Column("changed_by", String(200)),
    Column("changed_at", DateTime),
)

group_members = Table(
    "comparator_group_members",
    db.metadata,
    Column("group_name", String(200), primary_key=True),
    Column("area_code", String(64), primary_key=True),  # a London borough's GSS code
)


# Every change to the comparator groups: what was done, and the group's boroughs after it
# (before it, for a deletion), so a deleted or changed group can be made again.
group_changes = Table(
    "comparator_group_changes",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # set | add | remove | delete | choose | restore
    Column("group_name", String(200), nullable=False),
    Column("members", String(2000), nullable=False),  # GSS codes, comma-separated
    Column("changed_by", String(200)),
    Column("changed_at", DateTime, nullable=False),
)


@event.listens_for(group_members, "after_create")
def _ship_groups(_table, connection, **_kw) -> None:
    """The groups the product ships with, written when their tables are created."""
    for name, codes in SHIPPED_GROUPS.items():
        connection.execute(insert(comparator_groups).values(name=name, most_similar=False))
        connection.execute(
            insert(group_members), [{"group_name": name, "area_code": c} for c in sorted(codes)]
        )


# ---- targets


def set_target(engine: Engine, target: dict, by: str | None) -> None:
    """Set one target (indicator, area_code or '', from_year, kind, value, direction), replacing
    any with the same indicator, area and year, and note the change."""
    key = {k: target[k] for k in ("indicator", "area_code", "from_year")}
    values = {**key, **{k: target[k] for k in ("kind", "value", "direction")}}
    now = db.utc_now()
    with engine.begin() as conn:
        conn.execute(delete(targets).where(*[targets.c[k] == v for k, v in key.items()]))
        conn.execute(insert(targets).values(**values, set_by=by, set_at=now))
        conn.execute(
            insert(target_changes).values(**values, action="set", changed_by=by, changed_at=now)
        )


def clear_target(
    engine: Engine, indicator: str, area_code: str, from_year: int, by: str | None
) -> bool:
    """Remove one target and note it; False when there was none to clear."""
    key = {"indicator": indicator, "area_code": area_code, "from_year": from_year}
    with engine.begin() as conn:
        gone = conn.execute(delete(targets).where(*[targets.c[k] == v for k, v in key.items()]))
        if not gone.rowcount:
            return False
        conn.execute(
            insert(target_changes).values(
                **key, action="clear", changed_by=by, changed_at=db.utc_now()
            )
        )
    return True


# ---- comparator groups


def _touch(conn, name: str, by: str | None) -> None:
    found = conn.execute(select(comparator_groups.c.name).where(comparator_groups.c.name == name))
    now = db.utc_now()
    if found.first() is None:
        conn.execute(
            insert(comparator_groups).values(
                name=name, most_similar=False, changed_by=by, changed_at=now
            )
        )
    else:
        conn.execute(
            update(comparator_groups)
            .where(comparator_groups.c.name == name)
            .values(changed_by=by, changed_at=now)
        )


def _members(conn, name: str) -> list[str]:
    m = group_members
    return sorted(conn.execute(select(m.c.area_code).where(m.c.group_name == name)).scalars())


def _note(conn, action: str, name: str, by: str | None, members=None) -> None:
    """Keep the change in the groups' history (with the members after it, or ``members``)."""
    kept = _members(conn, name) if members is None else sorted(members)
    conn.execute(
        insert(group_changes).values(
            action=action,
            group_name=name,
            members=",".join(kept),
            changed_by=by,
            changed_at=db.utc_now(),
        )
    )


def set_group(engine: Engine, name: str, codes, by: str | None, action: str = "set") -> None:
    """Create a group, or replace its members, with the borough ``codes`` (``action``: how the
    history names it: set, or restore for a shipped group made as shipped again)."""
    with engine.begin() as conn:
        _touch(conn, name, by)
        conn.execute(delete(group_members).where(group_members.c.group_name == name))
        rows = [{"group_name": name, "area_code": c} for c in sorted(set(codes))]
        if rows:
            conn.execute(insert(group_members), rows)
        _note(conn, action, name, by)


def change_members(engine: Engine, name: str, add=(), remove=(), by: str | None = None) -> None:
    """Add and remove boroughs (codes) of an existing or new group."""
    with engine.begin() as conn:
        _touch(conn, name, by)
        m = group_members
        have = set(conn.execute(select(m.c.area_code).where(m.c.group_name == name)).scalars())
        gone = set(remove) & have
        if gone:
            conn.execute(delete(m).where(m.c.group_name == name, m.c.area_code.in_(gone)))
        new = sorted(set(add) - have)
        if new:
            conn.execute(insert(m), [{"group_name": name, "area_code": c} for c in new])
        _note(conn, "add" if add else "remove", name, by)


def delete_group(engine: Engine, name: str, by: str | None = None) -> bool:
    """Delete a group and its members (kept in the history); False when there was none."""
    with engine.begin() as conn:
        members = _members(conn, name)
        conn.execute(delete(group_members).where(group_members.c.group_name == name))
        gone = conn.execute(delete(comparator_groups).where(comparator_groups.c.name == name))
        if gone.rowcount:
            _note(conn, "delete", name, by, members)
    return bool(gone.rowcount)


def choose_group(engine: Engine, name: str | None, by: str | None) -> bool:
    """Make ``name`` the most similar group (None: back to the default); False if no such group."""
    g = comparator_groups
    with engine.begin() as conn:
        if (
            name is not None
            and conn.execute(select(g.c.name).where(g.c.name == name)).first() is None
        ):
            return False
        conn.execute(update(g).values(most_similar=False))
        if name is not None:
            conn.execute(
                update(g)
                .where(g.c.name == name)
                .values(most_similar=True, changed_by=by, changed_at=db.utc_now())
            )
            _note(conn, "choose", name, by)
    return True
