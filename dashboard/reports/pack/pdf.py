"""The pack's HTML as an A4 PDF (weasyprint): tagged for screen readers (PDF/UA-1), with the
headings as bookmarks."""

from __future__ import annotations

from weasyprint import HTML


def pdf_bytes(document: str) -> bytes:
    """The HTML document written as a tagged A4 PDF."""
    return HTML(string=document).write_pdf(pdf_variant="pdf/ua-1")
