"""Tables of display strings: as Dash components, or as one escaped HTML string (a table of
hundreds of cells renders in milliseconds as HTML, in seconds as components)."""

from __future__ import annotations

from html import escape

import pandas as pd
from dash import html


def table_children(frame: pd.DataFrame, caption: str | None = None) -> list:
    """Caption, header and body of an html.Table from a frame of display strings.

    The first column is the row header (th scope=row) so screen readers announce it.
    """
    head = html.Thead(html.Tr([html.Th(str(c), scope="col") for c in frame.columns]))
    rows = [
        html.Tr([html.Th(str(values[0]), scope="row")] + [html.Td(str(v)) for v in values[1:]])
        for values in frame.itertuples(index=False)
    ]
    parts = [html.Caption(caption)] if caption else []
    return [*parts, head, html.Tbody(rows)]


def table_html(frame: pd.DataFrame, table_id: str, caption: str | None = None) -> str:
    """The same table as ``table_children`` as one escaped HTML string."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        f'<tr><th scope="row">{escape(str(values[0]))}</th>'
        + "".join(f"<td>{escape(str(v))}</td>" for v in values[1:])
        + "</tr>"
        for values in frame.itertuples(index=False)
    )
    parts = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'<table id="{escape(table_id)}" class="table table-sm table-striped">{parts}'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
