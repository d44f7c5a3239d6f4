"""The overview's cards: one MOPAC7 type's figures and its RAG, in words as well as colour."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from core import reference
from core.months import Month
from dashboard.prose.crime import group_rank_words
from dashboard.prose.words import (
    arrow,
    baseline_words,
    previous_year_words,
    rag_meaning,
    rank_words,
    target_words,
)
from dashboard.text import fmt_int, month_label
from dashboard.ui.addresses import slug_for
from domain.crime import is_small

RAG_ICONS = {"Green": "✓", "Amber": "●", "Red": "✕"}


def rag_label(record: dict) -> html.Span:
    """RAG badge with its meaning in words; small counts get a neutral badge, never red."""
    if is_small(record):
        return html.Span("Too small to judge", className="badge text-bg-secondary rag-badge")
    rag = record.get("rag")
    if not rag:
        return html.Span("No target", className="badge text-bg-secondary rag-badge")
    return html.Span(
        [
            html.Span(f"{RAG_ICONS[rag]} {rag}", className=f"badge rag-badge rag-{rag.lower()}"),
            html.Span(
                " " + rag_meaning(rag, record.get("target_kind")).split(": ", 1)[1],
                className="small",
            ),
            html.Span(f" ({target_words(record)})", className="small"),
        ]
    )


def indicator_card(indicator: str, record: dict, month: Month, rank_before=None) -> dbc.Card:
    """One MOPAC7 type: R12, change vs baseline, vs previous 12 months, London rank, RAG.

    The whole card links to the type's trend page (Bootstrap stretched-link).
    """
    slug = slug_for(indicator)
    moved = arrow(record)
    facts = [
        ("Against 2011/12", baseline_words(record)),
        (
            "Against the previous 12 months",
            f"{moved + ' ' if moved else ''}{previous_year_words(record, False)}",
        ),
        (
            "London rank (1 = lowest rate)",
            rank_words(record.get("london_rank"), rank_before, what="", explain=False),
        ),
    ]
    if group_rank_words(record):
        facts.append(("Most similar group", group_rank_words(record)))
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(
                    dcc.Link(indicator, href=f"/crime/{slug}", className="stretched-link"),
                    className="h6 card-title mb-1",
                ),
                html.P(
                    [
                        html.Span(fmt_int(record.get("r12")), className="fs-3 fw-bold"),
                        html.Span(
                            f" crimes in the 12 months to {month_label(month)}",
                            className="small",
                        ),
                    ],
                    className="mb-1",
                ),
                html.Div(rag_label(record), className="mb-2"),
                html.Dl(
                    [
                        part
                        for term, text in facts
                        for part in (
                            html.Dt(term, className="small mb-0"),
                            html.Dd(text, className="small"),
                        )
                    ],
                    className="mb-0",
                ),
            ]
        ),
        id=f"overview-card-{slug}",
        className="h-100 indicator-card"
        + (" border-primary" if indicator == reference.MOPAC7_TOTAL else ""),
    )


def indicator_cards(records: list[dict], month: Month, before: dict) -> dbc.Row:
    """A card per record (``before``: each indicator's London rank a year earlier)."""
    columns = [
        dbc.Col(
            indicator_card(r["indicator"], r, month, before.get(r["indicator"])),
            xs=12,
            md=6,
            xl=3,
            className="mb-3",
        )
        for r in records
    ]
    return dbc.Row(columns)
