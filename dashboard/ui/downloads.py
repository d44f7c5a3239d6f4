"""The data pages' foot: the source line and the "Download the figures" link (every month's
counts of the page's datasets as CSV, served by ``dashboard.reports.monthly``)."""

from __future__ import annotations

from dash import html


def figures_link(page: str) -> html.P:
    """A link to /figures/<page>.csv: the page's monthly figures, exempt items withheld."""
    return html.P(
        html.A(
            "Download the figures (CSV: every month, every area)",
            href=f"/figures/{page}.csv",
            download=f"{page}-monthly.csv",
            id=f"{page}-figures-download",
        ),
        className="small mb-0",
    )


def source_line(source_id: str, page: str) -> list:
    """The page's source line (filled by its callback) and the link to its figures."""
    return [
        html.P(id=source_id, className="text-body-secondary small mt-3"),
        figures_link(page),
    ]
