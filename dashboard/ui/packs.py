"""The Board pack page's list of published packs: quarter, version, Part 2 or not, who
published it and when, and a link to each file (no I/O: the rows arrive as a frame)."""

from __future__ import annotations

import pandas as pd
from dash import html

NONE_YET = "No pack has been published yet."


def _when(value) -> str:
    return f"{pd.Timestamp(value):%d %B %Y, %H:%M} UTC"


def published_table(packs: pd.DataFrame) -> html.Table | html.P:
    """Newest first, as ``packs`` comes; each row links its PDF and workbook."""
    if packs.empty:
        return html.P(NONE_YET, id="pack-published-none")
    head = ["Quarter", "Version", "Pack", "Published by", "When", "Download"]
    rows = []
    for row in packs.to_dict("records"):
        base = f"/board-pack/published/{int(row['id'])}"
        kind = "Part 2 (exempt)" if row["exempt"] else "Public"
        links = [
            html.A("PDF", href=f"{base}.pdf", className="me-2"),
            html.A("Workbook", href=f"{base}.xlsx"),
        ]
        cells = [row["quarter"], int(row["version"]), kind, row["published_by"]]
        cells.append(_when(row["published_at"]))
        rows.append(
            html.Tr(
                [html.Th(cells[0], scope="row")]
                + [html.Td(str(c)) for c in cells[1:]]
                + [html.Td(links)]
            )
        )
    return html.Table(
        [
            html.Caption("Published packs, newest first"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody(rows),
        ],
        className="table table-sm",
        id="pack-published-table",
    )
