"""Every PDF the portal makes is an accessible document: tagged (PDF/UA-1) with its title, its language
and a structure tree where headings are headings and tables are tables, with embedded fonts that print
æ ø å and the Northern Sami letters, and text a reader can extract that is the text the page shows.

Set PORTAL_DOC_IMAGES=docs to write the rendered first pages to docs/ (minutes-pdf.png, response-pdf.png)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from portal.core.documents import simple_pdf
from portal.hearings.models import PublishedResponse
from portal.meetings.models import Attendance
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

SAMI_NAME = "Máret Ánne Čiekŋa-Šuđđá"
PAGE_NUMBER = re.compile(r"\b\d+ / \d+\b")


def _words(value: str) -> str:
    return " ".join(PAGE_NUMBER.sub(" ", value).split())


def _structure_types(reader: PdfReader) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                found.append(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def _fonts_embedded(reader: PdfReader) -> list[str]:
    """Names of fonts on the pages whose program is not embedded (empty when all are)."""
    missing = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for descendant in descendants:
                descriptor = descendant["/FontDescriptor"].get_object()
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(descendant["/BaseFont"]))
    return missing


def assert_accessible(data: bytes, *, title: str, language: str, structure: set[str]) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"], "readers show the title, not the file name"
    assert reader.metadata.title == title
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml() if reader.xmp_metadata else False
    types = set(_structure_types(reader))
    assert structure <= types, f"missing structure elements {structure - types} in {sorted(types)}"
    assert not _fonts_embedded(reader), "every font program is embedded"
    return reader


def rendered_ink(data: bytes, name: str) -> float:
    """Render the first page with poppler (as a viewer would) and return the share of rows with ink."""
    assert shutil.which("pdftoppm"), "poppler-utils is installed by the Makefile"
    png = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-"],  # noqa: S603,S607
                         input=data, capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    rows_with_ink = sum(1 for y in range(height) if any(pixels[x, y] < 128 for x in range(0, width, 2)))
    if os.environ.get("PORTAL_DOC_IMAGES"):
        big = subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-"],  # noqa: S603,S607
                             input=data, capture_output=True, check=True).stdout
        Path(os.environ["PORTAL_DOC_IMAGES"], name).write_bytes(big)
    return rows_with_ink / height


def test_sami_letters_and_norwegian_letters_survive_in_a_tagged_pdf():
    text = "Čđŋšŧž ČĐŊŠŦŽ æøå ÆØÅ – Guovdageaidnu, Kárášjohka, Unjárga."
    data = simple_pdf("Sámegiella ja dárogiella", text, language="nn")
    assert_accessible(data, title="Sámegiella ja dárogiella", language="nn", structure={"/H1", "/P"})
    assert _words(pdf_text(data)) == _words("Sámegiella ja dárogiella " + text)


def test_minutes_pdf_says_what_the_page_says_with_the_sami_name(client):
    attended = Attendance.objects.filter(
        user__username="utvalgsmedlem", page__locale__language_code="nb", page__live=True,
    ).select_related("page").order_by("page__pk")
    meeting, response = None, None
    for row in attended:
        response = client.get(f"/moter/mote/{row.page.pk}/referat.pdf")
        if response.status_code == 200:
            meeting = row.page
            break
    assert meeting is not None, "the demo has published minutes of a meeting the Sami member attended"
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert_accessible(data, title=f"Referat: {meeting.title}", language="nb",
                      structure={"/H1", "/H2", "/L", "/LI"})  # attendance is lists by what happened
    extracted = _words(pdf_text(data))
    assert SAMI_NAME in extracted

    page = BeautifulSoup(client.get(meeting.url).content, "html.parser")
    # The attendance list says "name – status"; the PDF has them in a table's two cells.
    shown = [_words(li.get_text(" ")).split(" – ")[0] for li in page.select("ul.attendance li")]
    assert SAMI_NAME in shown, "the page shows the Sami name too"
    for item in page.select(".agenda__item"):
        shown.append(_words(item.find("h3").get_text(" ")))
        shown += [_words(p.get_text(" ")) for p in item.find_all("p")
                  if p.get("class") in (None, ["exempt"]) and not p.find("a")]
    assert len(shown) > 5
    position = 0
    for line in shown:
        found = extracted.find(line, position)
        assert found >= 0, f"the page says {line!r}, the PDF does not (after position {position})"
        position = found
    assert rendered_ink(data, "minutes-pdf.png") > 0.15, "the rendered page has text on it, not a blank sheet"


def test_response_pdf_says_what_the_page_says(client):
    published = (PublishedResponse.objects.filter(withdrawn_at__isnull=True, hearing__locale__language_code="nb")
                 .exclude(general_remarks="").select_related("hearing", "organisation").first())
    assert published is not None
    hearing = published.hearing
    response = client.get(hearing.url + f"svar/{published.pk}/pdf/")
    assert response.status_code == 200
    data = response.content
    assert_accessible(data, title=f"{published.organisation.title}: {published.title}", language="nb",
                      structure={"/H1", "/H2", "/P"})
    extracted = _words(pdf_text(data))
    article = BeautifulSoup(client.get(hearing.url).content, "html.parser").select_one(f"#svar-{published.pk}")
    shown = [_words(article.find("h3").get_text(" "))]
    shown += [_words(p.get_text(" ")) for p in article.select(".rich-text p")]
    shown += [_words(p.get_text(" ")) for p in article.select(".response-part__comment p")]
    assert len(shown) >= 3
    position = 0
    for line in shown:
        found = extracted.find(line, position)
        assert found >= 0, f"the page says {line!r}, the PDF does not"
        position = found
    assert rendered_ink(data, "response-pdf.png") > 0.1
