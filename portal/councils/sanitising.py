"""Turn what a member typed into safe HTML for a post: plain text becomes paragraphs; rich text is
cleaned by nh3 (Ammonia) against a small allow-list, so scripts, event handlers, styles and
``javascript:`` links never reach another member's browser."""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape, linebreaks

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Their content is code or styling, never text worth keeping.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}

_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def sanitise_post_body(raw: str) -> str:
    """Safe HTML for ``raw``, which is either plain text or HTML from a rich-text editor."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not _LOOKS_LIKE_HTML.search(raw):
        return linebreaks(escape(raw))
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def has_text(html: str) -> bool:
    """Whether sanitised HTML still says anything (a post of only a script is empty)."""
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", html or ""))
