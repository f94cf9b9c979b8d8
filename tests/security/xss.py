"""The XSS scanner and the registry of fields a user can fill.

A field is a function ``(client, payloads) -> Iterator[(payload, url, html)]`` that puts each payload
where a user would type it, through the path a user's input takes (the admin's rich-text converter,
a form post, a query string), and yields every rendered page where it shows. Register new fields
(council posts, comments, ...) with ``@xss_field("name")`` in ``xss_fields_<area>.py`` in this folder.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

PAYLOADS = [
    line for line in Path(__file__).with_name("xss_payloads.txt").read_text(encoding="utf-8").splitlines() if line
]

Rendered = Iterator[tuple[str, str, str]]
FieldRenderer = Callable[..., Rendered]
XSS_FIELDS: dict[str, FieldRenderer] = {}


def xss_field(name: str) -> Callable[[FieldRenderer], FieldRenderer]:
    def register(renderer: FieldRenderer) -> FieldRenderer:
        XSS_FIELDS[name] = renderer
        return renderer

    return register


_DANGEROUS_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "meta", "link", "style",
                   "svg", "math", "form", "isindex"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "dynsrc",
                   "lowsrc", "ping", "cite", "codebase"}
_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_REFRESH_TO_SCRIPT = re.compile(r"url=(javascript|vbscript|data:text/html)")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DANGEROUS_TAGS:
            self.findings[f"<{tag}>"] += 1
        for name, value in attrs:
            if tag == "iframe" and name == "srcdoc":
                self.findings["iframe srcdoc"] += 1
            if name.startswith("on"):
                self.findings[f"{name}= handler"] += 1
            value = _INVISIBLE.sub("", value or "").lower()
            if name in _URL_ATTRIBUTES and value.startswith(_SCHEMES):
                self.findings[f"{name}= script URL"] += 1
            refresh = tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh"
            if refresh and name == "content" and _REFRESH_TO_SCRIPT.search(value):
                self.findings["meta refresh to script URL"] += 1
            if name == "style" and ("javascript:" in value or "expression(" in value):
                self.findings["style= script"] += 1

    handle_startendtag = handle_starttag


def dangerous_markup(html: str) -> Counter[str]:
    """Script tags, event handler attributes and script URLs in a page, as counts by kind."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def surviving(html: str, baseline: Counter[str]) -> Counter[str]:
    """What the page has beyond the same page rendered with harmless input."""
    return dangerous_markup(html) - baseline
