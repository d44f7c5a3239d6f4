"""Published board packs: the PDF and the workbook of a quarter's pack as the manager published
it, with who and when; a republished pack is a new version (the earlier ones are kept). The
table and its writes; reads are in ``core.queries.published``.

The table lives here rather than in ``core.db`` (which imports this module, so it joins its
``metadata`` and is created with the schema) to keep that module within its size.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    String,
    Table,
    func,
    insert,
    select,
)

from core import db

published_packs = Table(
    "published_packs",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("quarter", String(16), nullable=False, index=True),  # '2025/26-Q3'
    Column("version", Integer, nullable=False),  # 1, 2, ... per quarter and part 2 flag
    Column("exempt", Boolean, nullable=False),  # the Part 2 (exempt) pack: managers only
    Column("published_by", String(200), nullable=False),
    Column("published_at", DateTime, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("xlsx", LargeBinary, nullable=False),
)


def publish(engine: Engine, quarter: str, exempt: bool, by: str, pdf: bytes, xlsx: bytes) -> int:
    """Store a published pack as the quarter's next version; returns that version."""
    with engine.begin() as conn:
        last = conn.execute(
            select(func.max(published_packs.c.version)).where(
                published_packs.c.quarter == quarter, published_packs.c.exempt == exempt
            )
        ).scalar()
        version = int(last or 0) + 1
        conn.execute(
            insert(published_packs).values(
                quarter=quarter,
                version=version,
                exempt=exempt,
                published_by=by,
                published_at=db.utc_now(),
                pdf=pdf,
                xlsx=xlsx,
            )
        )
    return version
