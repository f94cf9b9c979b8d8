"""A plain, dependency-free PDF writer (A4, Helvetica, WinAnsi encoding for æøå and §): headings and
paragraphs, wrapped and paged. Used for the minutes download and for demo and test documents.

Written by hand rather than adding a rendering library: what we print is headings and paragraphs,
and a few dozen lines of PDF syntax cover them."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 595, 842, 56
# Helvetica's average glyph is about half an em wide; wrap conservatively so lines stay in the margins.
WRAP = {9: 100, 11: 86, 13: 72, 16: 58}


@dataclass
class Block:
    text: str
    size: int = 11
    bold: bool = False
    space_before: int = 0
    new_page: bool = False


def _escape(value: str) -> bytes:
    raw = value.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _lines(blocks: list[Block]) -> list[tuple[Block, str, int, bool]]:
    """(block, line text, vertical advance before the line, whether the line starts its block)."""
    result = []
    for block in blocks:
        width = WRAP.get(block.size, 86)
        paragraphs = block.text.splitlines() or [""]
        first = True
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, width) or [""]:
                advance = int(block.size * 1.35) + (block.space_before if first else 0)
                result.append((block, line, advance, first))
                first = False
    return result


def _pages(blocks: list[Block]) -> list[bytes]:
    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    for block, line, advance, first in _lines(blocks):
        if current and ((first and block.new_page) or y - advance < MARGIN):
            pages.append(b"\n".join(current))
            current, y = [], PAGE_HEIGHT - MARGIN
        y -= advance
        font = b"/F2" if block.bold else b"/F1"
        current.append(b"BT %s %d Tf %d %d Td (%s) Tj ET" % (font, block.size, MARGIN, y, _escape(line)))
    pages.append(b"\n".join(current))
    return pages


def render(blocks: list[Block], *, title: str) -> bytes:
    contents = _pages(blocks)
    objects: list[bytes] = []
    page_ids = [5 + 2 * index for index in range(len(contents))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids)))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for index, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            b"/Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, page_ids[index] + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    info_id = len(objects) + 1
    objects.append(b"<< /Title (%s) /Producer (Brukermedvirkning) >>" % _escape(title))
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, info_id, xref)
    return bytes(out)
