"""An amendment shown as a word-level diff against the section text.

Both texts are escaped; only our own <ins>/<del> markup is added. Each change carries a visually
hidden label ("deleted text" / "inserted text") so screen readers announce it, and the styling
does not rely on colour alone (strike-through and underline)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall((text or "").replace("\r\n", "\n"))


def _chunk(tag: str, words: list[str]) -> str:
    body = escape("".join(words))
    if not body.strip():
        return body if tag == "ins" else ""
    label = _("deleted text") if tag == "del" else _("inserted text")
    return f'<{tag}><span class="visually-hidden">{escape(label)}: </span>{body}</{tag}>'


def diff_html(original: str, replacement: str) -> SafeString:
    """Word-level diff of ``original`` → ``replacement`` as safe HTML, paragraphs as line breaks."""
    old, new = _tokens(original), _tokens(replacement)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(old[a1:a2])))
        if op in ("delete", "replace"):
            out.append(_chunk("del", old[a1:a2]))
        if op == "replace" and not "".join(old[a1:a2])[-1:].isspace() and not "".join(new[b1:b2])[:1].isspace():
            # A replaced word and its replacement read as two words ("sikre bidra"), never glued
            # together ("sikrebidra") on the screen or when the text is copied.
            out.append(" ")
        if op in ("insert", "replace"):
            out.append(_chunk("ins", new[b1:b2]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece above is escaped


def diff_counts(original: str, replacement: str) -> tuple[int, int]:
    """(words removed, words added): a short textual summary of the change."""
    old = [t for t in _tokens(original) if t.strip()]
    new = [t for t in _tokens(replacement) if t.strip()]
    removed = added = 0
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += a2 - a1
        if op in ("insert", "replace"):
            added += b2 - b1
    return removed, added
