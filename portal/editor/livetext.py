"""The live document's text as the browser's ProseMirror (through y-prosemirror) keeps it in a Yjs
``XmlFragment``, and the same text as the rich-text HTML the drafts store.

y-prosemirror writes each ProseMirror node as an ``XmlElement`` named after the node type
(``paragraph``, ``heading`` with a ``level``, ``bullet_list``, ``ordered_list``, ``list_item``,
``blockquote``, ``hard_break``) and each run of text as an ``XmlText`` whose formatting attributes
are the marks (``strong``, ``em``, ``link`` with ``href``). ``frontend/live-editor.js`` uses
exactly these names. Only what the drafts' sanitiser (``DOCUMENT``) keeps is written either way;
the HTML is sanitised again by the editor's actions before it is saved."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from typing import Any

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from portal.security.sanitising import DOCUMENT, sanitise

# ProseMirror node → HTML tag (headings are per level below).
_BLOCKS = {
    "paragraph": "p", "bullet_list": "ul", "ordered_list": "ol", "list_item": "li", "blockquote": "blockquote",
}
_TAGS = {tag: node for node, tag in _BLOCKS.items()}
_MARKS = (("link", "a"), ("strong", "strong"), ("em", "em"))
_MARK_OF_TAG = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "a": "link"}
_HEADINGS = {"h2": 2, "h3": 3, "h4": 4}


def fragment(doc: Doc, field: str) -> XmlFragment:
    return doc.get(field, type=XmlFragment)


# --- Yjs → HTML -------------------------------------------------------------------------------------


def _text_html(node: XmlText) -> str:
    out = []
    for insert, attributes in node.diff():
        if not isinstance(insert, str):
            continue  # an embed: nothing the drafts can hold
        piece = escape(insert).replace("\n", "<br>")
        attributes = attributes or {}
        for mark, tag in reversed(_MARKS):
            if mark not in attributes:
                continue
            if mark == "link":
                href = (attributes[mark] or {}).get("href", "") if isinstance(attributes[mark], dict) else ""
                piece = f'<a href="{escape(str(href))}">{piece}</a>'
            else:
                piece = f"<{tag}>{piece}</{tag}>"
        out.append(piece)
    return "".join(out)


def _node_html(node: Any) -> str:
    if isinstance(node, XmlText):
        return _text_html(node)
    if not isinstance(node, XmlElement):
        return ""
    inner = "".join(_node_html(child) for child in node.children)
    name = node.tag or ""
    if name == "hard_break":
        return "<br>"
    if name == "heading":
        try:
            level = min(max(int(float(node.attributes.get("level") or 2)), 2), 4)
        except (TypeError, ValueError):
            level = 2
        return f"<h{level}>{inner}</h{level}>"
    tag = _BLOCKS.get(name)
    # Anything else (a node this editor does not offer) keeps its text, not its markup.
    return f"<{tag}>{inner}</{tag}>" if tag else inner


def to_html(doc: Doc, field: str) -> str:
    """The fragment as sanitised HTML ("" when it holds no text)."""
    html = "".join(_node_html(child) for child in fragment(doc, field).children)
    return sanitise(html, DOCUMENT)


def plain_text(doc: Doc, field: str) -> str:
    """Only the characters (for counting and comparing what was typed)."""

    def walk(node: Any) -> str:
        if isinstance(node, XmlText):
            return "".join(insert for insert, _attrs in node.diff() if isinstance(insert, str))
        if isinstance(node, XmlElement):
            return "".join(walk(child) for child in node.children)
        return ""

    return "\n".join(walk(child) for child in fragment(doc, field).children)


# --- HTML → Yjs -------------------------------------------------------------------------------------


class _Tree(HTMLParser):
    """The sanitised HTML as (node name, attributes, children) with runs of (text, marks)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, Any] = {"name": "", "attrs": {}, "children": []}
        self.stack = [self.root]
        self.marks: list[tuple[str, str, dict[str, Any]]] = []

    def _open_block(self, name: str, attrs: dict[str, Any]) -> None:
        node = {"name": name, "attrs": attrs, "children": []}
        self.stack[-1]["children"].append(node)
        self.stack.append(node)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _MARK_OF_TAG:
            mark = _MARK_OF_TAG[tag]
            value = {"href": dict(attrs).get("href") or ""} if mark == "link" else {}
            self.marks.append((tag, mark, value))
        elif tag in _HEADINGS:
            self._open_block("heading", {"level": _HEADINGS[tag]})
        elif tag in _TAGS:
            self._open_block(_TAGS[tag], {})
        elif tag == "br":
            self._inline({"name": "hard_break", "attrs": {}, "children": []})

    def handle_endtag(self, tag: str) -> None:
        if tag in _MARK_OF_TAG:
            for index in range(len(self.marks) - 1, -1, -1):
                if self.marks[index][0] == tag:
                    del self.marks[index]
                    break
        elif tag in _HEADINGS or tag in _TAGS:
            expected = "heading" if tag in _HEADINGS else _TAGS[tag]
            for index in range(len(self.stack) - 1, 0, -1):
                if self.stack[index]["name"] == expected:
                    del self.stack[index:]
                    break

    def _inline(self, item: Any) -> None:
        parent = self.stack[-1]
        # Text directly in a list item or at the top level goes into a paragraph, as ProseMirror wants.
        if parent["name"] in ("", "list_item", "blockquote", "bullet_list", "ordered_list"):
            children = parent["children"]
            if not children or not isinstance(children[-1], dict) or children[-1].get("name") != "paragraph" \
                    or children[-1].get("closed_implicitly") is not True:
                children.append({"name": "paragraph", "attrs": {}, "children": [], "closed_implicitly": True})
            children[-1]["children"].append(item)
        else:
            parent["children"].append(item)

    def handle_data(self, data: str) -> None:
        if not data:
            return
        if self.stack[-1]["name"] in ("", "bullet_list", "ordered_list") and not data.strip():
            return
        marks = {mark: value for _tag, mark, value in self.marks}
        self._inline((data, marks))


def _build(element: XmlElement | XmlFragment, children: list[Any]) -> None:
    text: XmlText | None = None
    for child in children:
        if isinstance(child, tuple):
            content, marks = child
            if text is None:
                text = element.children.append(XmlText())
            text.insert(len(text), content, marks or None)
            continue
        text = None
        attrs = {key: value for key, value in child["attrs"].items() if value is not None}
        node = element.children.append(XmlElement(child["name"], attrs))
        if child["name"] != "hard_break":
            _build(node, child["children"])


def replace_from_html(doc: Doc, field: str, html: str) -> None:
    """Make the fragment say what ``html`` says (in one transaction: one update for everyone)."""
    tree = _Tree()
    tree.feed(sanitise(html or "", DOCUMENT))
    tree.close()
    target = fragment(doc, field)
    with doc.transaction():
        if len(target.children):
            del target.children[0:len(target.children)]
        _build(target, tree.root["children"])
