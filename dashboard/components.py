"""Shared widgets: RAG badge, empty state, source line, figure tables."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

RAG_COLOURS = {"Green": "success", "Amber": "warning", "Red": "danger"}
RAG_TEXT = {
    "Green": "Green: at or better than target",
    "Amber": "Amber: better than baseline, not yet at target",
    "Red": "Red: at or worse than baseline",
}


def rag_badge(rag: str | None) -> html.Span:
    """RAG as a coloured badge that also says its meaning in words (never colour alone)."""
    if not rag:
        return html.Span("No target", className="badge text-bg-secondary")
    text_class = "text-dark" if rag == "Amber" else ""
    return dbc.Badge(rag, color=RAG_COLOURS[rag], className=text_class, title=RAG_TEXT[rag])


def empty_state(what: str) -> dbc.Alert:
    """What to load, and how, when a page has no data."""
    return dbc.Alert(
        [
            html.H2("No figures loaded yet", className="h5"),
            html.P(f"This page needs {what}."),
            html.P(
                [
                    "Load an extract with ",
                    html.Code("python -m etl load PATH"),
                    " (MPS borough or ward crime CSV/XLSX from the London Datastore), "
                    "then reload this page.",
                ]
            ),
        ],
        color="info",
    )


def source_line(latest_month, source: str) -> html.P:
    month = f"{latest_month:%B %Y}" if latest_month else "none"
    return html.P(f"Latest month loaded: {month}. Source: {source}.", className="text-muted small")


def fmt_int(value) -> str:
    if value is None or value != value:
        return "not available"
    return f"{int(value):,}"


def fmt_pct(value) -> str:
    if value is None or value != value:
        return "not available"
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    return f"{sign}{abs(value):.1f}%"
