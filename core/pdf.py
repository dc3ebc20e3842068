"""Documents as PDF (WeasyPrint), tagged for accessibility.

Every PDF Ruche produces (receipts, decision letters, evaluation reports, call specifications)
is PDF/UA-1: a structure tree that screen readers follow, the document's language and title
taken from the HTML's ``lang`` and ``<title>``.
"""

from __future__ import annotations

from weasyprint import HTML


def render_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
