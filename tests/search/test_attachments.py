"""Words inside attached PDF and DOCX files find the page they are attached to, with the page's
visibility; unreadable files never break publishing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from search.attachments import extract_text
from tests.helpers import restrict_to_groups
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db


def make_pdf(text: str) -> bytes:
    """A minimal one-page PDF showing ``text`` (ASCII) in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Tabellcelle Rjukanfossen"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def attach(name: str, content: bytes):
    return get_document_model().objects.create(title=name, file=ContentFile(content, name=name))


def page_linking(title: str, document) -> object:
    return publish_page(title, f'Se vedlegg <a linktype="document" id="{document.pk}">{document.title}</a>')


def test_extractors_read_pdf_and_docx():
    assert "Skarvheimen" in extract_text(io.BytesIO(make_pdf("Skarvheimen medlemmene")), "a.pdf")
    text = extract_text(io.BytesIO(make_docx("Høringssvaret om Hallingskarvet")), "a.docx")
    assert "Hallingskarvet" in text and "Rjukanfossen" in text
    assert extract_text(io.BytesIO(b"not a pdf"), "broken.pdf") == ""
    assert extract_text(io.BytesIO(b"whatever"), "notes.txt") == ""


def test_words_in_an_attached_pdf_find_the_parent_page_in_lemma_form():
    page_linking("Side med PDF", attach("vedlegg.pdf", make_pdf("Skarvheimen medlemmene")))
    results = run("Skarvheimen medlem")
    assert titles(results) == {"Side med PDF"}
    assert "<mark>Skarvheimen</mark>" in results.hits[0].snippet


def test_words_in_an_attached_docx_find_the_parent_page():
    page_linking("Side med DOCX", attach("svar.docx", make_docx("Høringssvaret om Hallingskarvet")))
    assert titles(run("høringssvar Hallingskarvet")) == {"Side med DOCX"}
    assert titles(run("Rjukanfossen")) == {"Side med DOCX"}


def test_attachment_text_of_a_private_page_is_private():
    page = page_linking("Privat vedlegg", attach("privat.docx", make_docx("Hemmelig Gjendebu")))
    restrict_to_groups(page, Group.objects.create(name="Vedleggsgruppe"))
    assert run("Gjendebu").total == 0


def test_a_broken_attachment_does_not_break_publishing():
    page_linking("Ødelagt vedlegg", attach("odelagt.pdf", b"%PDF-1.4 garbage"))
    assert titles(run("Ødelagt vedlegg")) == {"Ødelagt vedlegg"}
