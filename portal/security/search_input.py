"""One guard for free-text search input, for every search box in the portal.

Long inputs and operator soup are a known denial-of-service vector (Wagtail's GHSA-jmp3-39vp-fwg8,
a regular-expression blow-up on long strings). The guard keeps at most ``MAX_QUERY_CHARS``
characters of words: letters, digits and single inner hyphens/apostrophes; everything else
(quotes, parentheses, wildcards, boosts, control and bidi characters) becomes a space.
"""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 200
# Cut the raw input before any regular expression sees it: the cost stays bounded whatever arrives.
_RAW_LIMIT = MAX_QUERY_CHARS * 4
_NOT_WORD = re.compile(r"[^\w'-]+|(?<!\w)['-]+|['-]+(?!\w)")
_OPERATORS = re.compile(r"\b(AND|OR|NOT)\b")
_UNDERSCORES = re.compile(r"_+")


def clean_search_query(raw: str | None) -> str:
    """A search query with only words left, at most ``MAX_QUERY_CHARS`` characters long."""
    text = (raw or "")[:_RAW_LIMIT]
    text = _NOT_WORD.sub(" ", text)
    text = _UNDERSCORES.sub(" ", text)
    text = _OPERATORS.sub(" ", text)
    words = text.split()
    kept: list[str] = []
    length = 0
    for word in words:
        extra = len(word) + (1 if kept else 0)
        if length + extra > MAX_QUERY_CHARS:
            if not kept:
                kept.append(word[:MAX_QUERY_CHARS])
            break
        kept.append(word)
        length += extra
    return " ".join(kept)
