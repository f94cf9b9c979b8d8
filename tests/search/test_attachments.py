"""Words inside attached PDF and DOCX files find the page they are attached to, with the page's
visibility; unreadable files never break publishing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal.core.documents import simple_pdf
from search.attachments import extract_text
from tests.helpers import restrict_to_groups
from tests.search.helpers import publish_page, run, titles

# Builds its own content on the site skeleton (tests/conftest.py): no demo needed.
pytestmark = [pytest.mark.django_db, pytest.mark.factories]


def make_pdf(text: str) -> bytes:
    return simple_pdf("Vedlegg", text)


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


def test_a_files_text_is_read_by_a_task_worker_not_by_the_request_that_saved_it(run_worker, monkeypatch):
    """#17 finding 7: extraction runs in the background. Until a worker has read the file, its page
    is found by its own words only; once read, by the file's words too, and the file is read once."""
    import search.attachments

    reads = []
    real_extract = search.attachments.extract_text

    def counting(fileobj, filename):
        reads.append(filename)
        return real_extract(fileobj, filename)

    monkeypatch.setattr(search.attachments, "extract_text", counting)
    page = page_linking("Side med kø-vedlegg", attach("koe.pdf", make_pdf("Hardangervidda medlemmene")))
    assert reads == [], "nothing read while saving and publishing"
    assert titles(run("Side med kø-vedlegg")) == {"Side med kø-vedlegg"}
    assert run("Hardangervidda").total == 0

    run_worker()
    assert [name.rsplit("/", 1)[-1] for name in reads] == ["koe.pdf"]
    assert titles(run("Hardangervidda")) == {"Side med kø-vedlegg"}
    page.save_revision().publish()  # indexed again: the text is known, the file is not read again
    run_worker()
    assert len(reads) == 1 and titles(run("Hardangervidda")) == {"Side med kø-vedlegg"}
