"""The one place where HTML written by people is made safe: one nh3 (Ammonia) policy per kind of
field, so a council post, a hearing response and a position paper keep exactly what their public
page renders, and scripts, event handlers, styles and ``javascript:`` links never reach a reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from django.utils.html import escape, linebreaks

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Their content is code or styling, never text worth keeping.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)

_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")


@dataclass(frozen=True)
class Policy:
    tags: frozenset[str]
    attributes: dict[str, set[str]]
    link_rel: str | None = "noopener noreferrer nofollow"


# A council member's post: short messages between meetings (headings below the thread's own).
POST = Policy(
    tags=frozenset({"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote", "h3", "h4"}),
    attributes={"a": {"href", "title"}},
)
# Drafts an organisation publishes (hearing responses, position papers): sections get headings.
DOCUMENT = Policy(
    tags=frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote"}),
    attributes={"a": {"href"}},
    # Published documents link to sources the organisation chose; search engines may follow them.
    link_rel="noopener noreferrer",
)


def sanitise(html: str, policy: Policy = DOCUMENT) -> str:
    """Only what the policy allows survives; everything else is removed (with its content, for code)."""
    return nh3.clean(
        html or "",
        tags=set(policy.tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=policy.attributes,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=policy.link_rel,
        strip_comments=True,
    ).strip()


def sanitise_post_body(raw: str) -> str:
    """Safe HTML for ``raw``, which is either plain text or HTML from a rich-text editor."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not _LOOKS_LIKE_HTML.search(raw):
        return linebreaks(escape(raw))
    return sanitise(raw, POST)


def has_text(html: str) -> bool:
    """Whether sanitised HTML still says anything (a post of only a script is empty)."""
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", html or ""))
