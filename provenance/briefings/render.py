"""A briefing as HTML and PDF, from one template (WeasyPrint lays the same page out for print).

The template's context is built by `context.briefing_context`; numbers and dates are formatted in the template
by the briefing filters (`provenance.templatetags.briefing`). The CSV is written by `exports.write_csv`.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from .context import briefing_context
from .data import BriefingData

__all__ = ["TEMPLATE", "render_html", "render_pdf"]

TEMPLATE = "provenance/briefing/report.html"


def render_html(data: BriefingData, **context_kwargs) -> str:
    """The briefing as a self-contained HTML page (inline CSS and SVG, no external resources)."""
    return render_to_string(TEMPLATE, briefing_context(data, **context_kwargs))


def render_pdf(html: str) -> bytes:
    """The PDF of a rendered briefing HTML (the same page, laid out for print by WeasyPrint)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only embedded data: URLs (the charts); a briefing fetches nothing from disk or network.
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
