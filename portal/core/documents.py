"""Accessible PDFs from Django templates, rendered by WeasyPrint.

Public bodies in Norway must publish universally designed documents, so every PDF is tagged
(PDF/UA-1: headings stay headings, tables stay tables, reading order follows the HTML), declares its
title and language, and embeds a Unicode font that has the Northern Sami letters (č đ ŋ š ŧ ž) as
well as æ ø å. The font comes from the system (fonts-dejavu-core, installed by the Makefile).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# Languages a PDF may declare; anything else falls back to Bokmål, the portal's default.
PDF_LANGUAGES = ("nb", "nn", "en")

# Our documents carry their stylesheet inline and have no images: refuse every URL, so text a user
# wrote can never make the renderer read a local file or call an internal address.
_NO_FETCHING = URLFetcher(allowed_protocols=())


def pdf_language(language_code: str | None) -> str:
    code = (language_code or "").split("-")[0].lower()
    return code if code in PDF_LANGUAGES else "nb"


def render_pdf(template_name: str, context: dict[str, Any], *, title: str, language: str | None = None) -> bytes:
    """The template extends ``pdf/base.html``; ``title`` becomes the document title (shown by
    screen readers and in the window title) and ``language`` its declared language."""
    lang = pdf_language(language or translation.get_language())
    # Fixed labels in the template follow the document's language, not the reader's interface.
    with translation.override(lang):
        html = render_to_string(template_name, {**context, "pdf_title": title, "pdf_language": lang})
        return HTML(string=html, url_fetcher=_NO_FETCHING).write_pdf(pdf_variant="pdf/ua-1")


def simple_pdf(title: str, text: str, *, language: str = "nb") -> bytes:
    """A document with a heading and its paragraphs (demo and test files with real, extractable text)."""
    paragraphs = [line for line in text.split("\n\n") if line.strip()]
    return render_pdf("pdf/simple.html", {"paragraphs": paragraphs}, title=title, language=language)
