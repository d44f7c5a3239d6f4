"""Partnership indicators' definitions (DOMAIN.md "Partnership indicators, commentary and
actions"): the figures partners report that no public file carries, defined by the manager (the
page, ``python -m dashboard indicators``) or on a template's *Indicators* sheet, with every change
kept (who, when, and the upload and row when it came from a file). Their values are a council
template table (``core.db.partnership_values``). Reads are in ``core.queries.partnership``.

Kept apart from ``core.db`` (which imports this module, so the tables join its ``metadata``) for
that module's size, as ``core.reference_data`` is.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from core import db
from core.strategy import INDICATOR_ADDITIVE, INDICATOR_DIRECTIONS, INDICATOR_UNITS

# The fields of a definition, as the template's Indicators sheet and the manager's form give them.
FIELDS = ("priority", "unit", "frequency", "direction", "additive", "owner", "source")
UNITS, DIRECTIONS, ADDITIVE = INDICATOR_UNITS, INDICATOR_DIRECTIONS, INDICATOR_ADDITIVE


def _definition() -> list[Column]:
    return [
        Column("priority", String(200), nullable=False),  # a STRATEGY_PRIORITIES name
        Column("unit", String(16), nullable=False),
        Column("frequency", String(16), nullable=False),  # core.reporting_periods.FREQUENCIES
        Column("direction", String(8), nullable=False),
        Column("additive", String(3), nullable=False),  # yes | no
        Column("owner", String(200), nullable=False),  # the partner agency
        Column("source", Text),
    ]


partnership_indicators = Table(
    "partnership_indicators",
    db.metadata,
    Column("indicator", String(200), primary_key=True),
    *_definition(),
    Column("retired", Boolean, nullable=False, default=False),
    # where the definition in force came from: an upload's sheet and row, or a person's change
    Column("upload_id", Integer),
    Column("source_sheet", String(200)),
    Column("source_row", Integer),
    Column("changed_by", String(200)),
    Column("changed_at", DateTime),
)

# Every change to a definition: the definition as it became (action add | change | retire |
# restore), who and when, and the upload and row it came from.
partnership_indicator_changes = Table(
    "partnership_indicator_changes",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),
    Column("indicator", String(200), nullable=False, index=True),
    *[Column(c.name, c.type) for c in _definition()],
    Column("upload_id", Integer),
    Column("source_row", Integer),
    Column("changed_by", String(200)),
    Column("changed_at", DateTime, nullable=False),
)


def _held(conn: Connection, name: str) -> dict | None:
    t = partnership_indicators
    row = conn.execute(select(t).where(t.c.indicator == name)).mappings().first()
    return dict(row) if row else None


def _log(conn: Connection, action: str, row: dict, by: str | None, when) -> None:
    fields = {k: row.get(k) for k in ("indicator", *FIELDS, "upload_id", "source_row")}
    conn.execute(
        insert(partnership_indicator_changes).values(
            **fields, action=action, changed_by=by, changed_at=when
        )
    )


def define_in(
    conn: Connection, definition: dict, by: str | None, upload: tuple | None = None
) -> str:
    """Add or change one definition inside ``conn``'s transaction (``upload``: (upload id, sheet,
    row) it came from); 'added', 'changed' or 'unchanged'. A retired indicator stays retired."""
    now = db.utc_now()
    name = definition["indicator"]
    values = {k: definition.get(k) for k in FIELDS}
    upload_id, sheet, row = upload or (None, None, None)
    where = {"upload_id": upload_id, "source_sheet": sheet, "source_row": row}
    held = _held(conn, name)
    t = partnership_indicators
    if held is None:
        conn.execute(
            insert(t).values(
                indicator=name, **values, **where, retired=False, changed_by=by, changed_at=now
            )
        )
        _log(conn, "add", {"indicator": name, **values, **where}, by, now)
        return "added"
    if all(held[k] == values[k] for k in FIELDS):
        return "unchanged"
    conn.execute(
        update(t)
        .where(t.c.indicator == name)
        .values(**values, **where, changed_by=by, changed_at=now)
    )
    _log(conn, "change", {"indicator": name, **values, **where}, by, now)
    return "changed"


def define(engine: Engine, definition: dict, by: str | None) -> str:
    """Add or change one definition (the manager's page or command line)."""
    with engine.begin() as conn:
        return define_in(conn, definition, by)


def set_retired(engine: Engine, name: str, retired: bool, by: str | None) -> bool:
    """Retire an indicator (its figures stop showing; kept with its values) or bring it back;
    False when there is no such indicator or it is already so."""
    with engine.begin() as conn:
        held = _held(conn, name)
        if held is None or bool(held["retired"]) == retired:
            return False
        now = db.utc_now()
        t = partnership_indicators
        conn.execute(
            update(t)
            .where(t.c.indicator == name)
            .values(retired=retired, changed_by=by, changed_at=now)
        )
        _log(conn, "retire" if retired else "restore", held, by, now)
    return True
