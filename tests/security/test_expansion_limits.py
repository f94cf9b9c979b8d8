"""Finding 7 of #17 (the limits): attachment text extraction had no expansion limit. A 407 KB DOCX
that expanded to 107 MB of XML took 61 s and 840 MB to read.

A DOCX/ODT's total uncompressed size and compression ratio, and a PDF's page count, are checked
before anything parses it: an upload over a limit is refused with a translated message, and text
extraction for search skips such a file (the object is indexed without it) and logs why."""

from __future__ import annotations

import io
import logging
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from wagtail.documents import get_document_model

from portal.security.uploads import validate_upload
from search.attachments import extract_text
from tests.councils.helpers import BERGEN, docx_bytes, seat

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def expanding_docx(expanded_bytes: int) -> bytes:
    """A real DOCX whose body repeats one paragraph to about ``expanded_bytes`` of XML: it compresses
    to a tiny fraction of that, as the probe's file did, and (unlike one huge comment, which lxml
    refuses by itself) every byte of it is parsed by python-docx unless a limit stops it first."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("Fjellbekken")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                paragraph = b"<w:p><w:r><w:t>Fjellbekken renner</w:t></w:r></w:p>"
                padding = paragraph * (expanded_bytes // len(paragraph))
                data = data.replace(b"<w:body>", b"<w:body>" + padding, 1)
            archive.writestr(info.filename, data)
    return out.getvalue()


def many_pages_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_attachment_text_extraction_has_an_expansion_limit_uploads_over_it_are_refused(client):
    bomb = expanding_docx(30 * MB)
    assert len(bomb) < 200 * 1024  # small on the wire, 30 MB when opened
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_upload(_upload("svar.docx", bomb))
    assert refused.value.code == "expands_too_much"
    assert "30.8" in refused.value.messages[0] and "20.0" in refused.value.messages[0]  # its size, the limit
    hard = expanding_docx(8 * MB)
    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("svar.docx", hard))
    assert refused.value.code == "compression_ratio"
    # An ordinary document passes.
    assert validate_upload(_upload("svar.docx", docx_bytes("Vanlig innhold"))) == "docx"

    # Through the council space: a clear message in the reader's language, nothing stored.
    client.force_login(seat(BERGEN, "ekspansjon-medlem"))
    documents = get_document_model().objects.count()
    response = client.post(f"/brukerutvalg/{BERGEN}/rom/", {
        "action": "upload_document", "document-title": "Stort", "document-file": _upload("stort.docx", bomb)})
    assert response.status_code == 400
    with translation.override("nb"):
        expected = refused_message(bomb)
    assert expected in response.content.decode()
    assert get_document_model().objects.count() == documents


def refused_message(content: bytes) -> str:
    from django.utils.html import escape

    try:
        validate_upload(_upload("stort.docx", content))
    except ValidationError as error:
        return escape(error.messages[0])
    raise AssertionError("not refused")


def test_attachment_text_extraction_has_an_expansion_limit_extraction_skips_and_logs(caplog):
    bomb = expanding_docx(30 * MB)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="search.attachments"):
        assert extract_text(io.BytesIO(bomb), "svar.docx") == ""
    assert time.monotonic() - started < 2, "the limit is checked before the XML is parsed"
    assert any("svar.docx" in record.getMessage() for record in caplog.records)
    # Under the limits the text is read as before.
    assert "Fjellbekken" in extract_text(io.BytesIO(expanding_docx(100 * 1024)), "svar.docx")


@override_settings(PORTAL_UPLOAD_MAX_PDF_PAGES=5)
def test_attachment_text_extraction_has_an_expansion_limit_pdf_pages_are_capped(caplog):
    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("vedlegg.pdf", many_pages_pdf(6)))
    assert refused.value.code == "too_many_pages"
    assert validate_upload(_upload("vedlegg.pdf", many_pages_pdf(5))) == "pdf"
    with caplog.at_level(logging.WARNING, logger="search.attachments"):
        assert extract_text(io.BytesIO(many_pages_pdf(6)), "vedlegg.pdf") == ""
    assert caplog.records


def test_attachment_text_extraction_runs_in_a_background_task_never_in_the_upload_request(client, run_worker,
                                                                                         monkeypatch):
    """The rest of finding 7: the upload request only stores the file (its checks read sizes and
    counts, never the text); a task worker reads the text and then the post is found by it."""
    import search.attachments

    reads = []
    real_extract = search.attachments.extract_text

    def counting(fileobj, filename):
        reads.append(filename)
        return real_extract(fileobj, filename)

    monkeypatch.setattr(search.attachments, "extract_text", counting)
    client.force_login(seat(BERGEN, "bakgrunn-medlem"))
    response = client.post(f"/brukerutvalg/{BERGEN}/rom/", {
        "action": "new_thread", "thread-title": "Vedlegg lest i bakgrunnen", "thread-body": "Se vedlegget.",
        "thread-attachments": [_upload("notat.docx", docx_bytes("Skorvefjellet Fjellbekken"))]})
    assert response.status_code == 302
    assert reads == [], "the upload request read no text"
    assert "Vedlegg lest i bakgrunnen" not in client.get("/search/?q=Skorvefjellet").content.decode()

    run_worker()
    assert len(reads) == 1
    assert "Vedlegg lest i bakgrunnen" in client.get("/search/?q=Skorvefjellet").content.decode()
