"""The Board pack page's words and its list of published packs: quarter, version, Part 2 or
not, who published it and when, and a link to each file (no I/O: the rows arrive as a frame)."""

from __future__ import annotations

import pandas as pd
from dash import html

NONE_YET = "No pack has been published yet."
INTRO = (
    "The performance report for the Safer Communities Partnership Board's quarterly meeting: "
    "a cover, an executive summary, a section per priority with its headline table, charts "
    "and sentences, the ward table, and the sources and caveats. Each dataset's figures are "
    "for the quarter's last month, or its own latest month where its figures end earlier."
)
EXEMPT_HELP = (
    "Exempt items are left out unless you tick this; a pack with them says on every page "
    "that it is exempt information, not for publication."
)
FORMATS = [
    {"label": "PDF (A4, for printing and the meeting papers)", "value": "pdf"},
    {"label": "Excel workbook (the figures, a sheet per section)", "value": "xlsx"},
]
PUBLISHING = (
    "Publishing: the PDF and the workbook are being built (a minute or so); the pack then "
    "appears in the list below."
)
PUBLISHED = "Published: version {version} is in the list below."


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
