"""Text in the shapes other formats need: ASCII for slugs and file names, plain text from HTML for
search, PDFs and spreadsheets. One copy of each rule, below every app that needs it."""

from __future__ import annotations

import html
import re

from django.utils.text import slugify

# Letters NFKD does not decompose (å does: a + ring, which slugify then drops to "a"), so Django's
# ``slugify`` would drop them ("høring" → "hring").
ASCII_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ß": "ss"})

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


def ascii_slug(value: str) -> str:
    """``slugify`` that writes æ, ø, å as ae, o, a instead of dropping them."""
    return slugify(str(value).translate(ASCII_LETTERS))


def html_to_text(value: str) -> str:
    """Rich text to one line of plain text (tags removed, entities decoded, whitespace collapsed)."""
    text = _TAG.sub(" ", value or "")
    return " ".join(html.unescape(text).split())


def html_to_paragraphs(value: str) -> str:
    """Rich text to plain text that keeps its paragraphs, one per line (PDFs, spreadsheets)."""
    text = _TAG.sub("", _BREAK.sub("\n", value or ""))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)
