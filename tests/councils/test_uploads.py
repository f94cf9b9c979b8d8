"""Attachments and internal documents: limits from settings, type read from content; a bad file
gives a clear error and stores nothing (no post, no document)."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from wagtail.documents import get_document_model

from portal.councils.models import Post, PostAttachment, Thread
from portal.security.uploads import detect_kind as sniff
from tests.councils.helpers import BERGEN, JPEG_BYTES, PNG_BYTES, docx_bytes, odt_bytes, pdf_file, upload
from tests.helpers import text

pytestmark = pytest.mark.django_db

SPACE = f"/brukerutvalg/{BERGEN}/rom/"


def _counts():
    return Thread.objects.count(), Post.objects.count(), get_document_model().objects.count()


def _post_with(client, *files):
    return client.post(SPACE, {"action": "new_thread", "thread-title": "Med vedlegg", "thread-body": "Se vedlegg.",
                               "thread-attachments": list(files)})


@pytest.mark.parametrize("content,kind", [
    (b"%PDF-1.4\n...", "pdf"), (PNG_BYTES, "png"), (JPEG_BYTES, "jpeg"), (None, "docx"), ("odt", "odt"),
    (b"MZ\x90\x00 a windows program", None), (b"<html><script>alert(1)</script>", None),
])
def test_types_are_recognised_by_content(content, kind):
    import io

    data = docx_bytes() if content is None else odt_bytes() if content == "odt" else content
    assert sniff(io.BytesIO(data)) == kind


def test_member_attaches_an_allowed_file(login):
    client = login("utvalgsmedlem")
    response = _post_with(client, pdf_file("referat-notat.pdf"), upload("bilde.png", PNG_BYTES, "image/png"))
    assert response.status_code == 302
    post = Post.objects.get(thread__title="Med vedlegg")
    assert post.attachments.count() == 2
    names = sorted(a.document.filename for a in post.attachments.all())
    assert names[0].startswith("bilde") and names[1].startswith("referat-notat")


def test_a_program_named_like_a_pdf_is_refused_and_nothing_is_stored(login):
    before = _counts()
    response = _post_with(login("utvalgsmedlem"), upload("vedtak.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert response.status_code == 400
    assert "vedtak.pdf" in text(response) and 'id="id_thread-attachments_error"' in text(response)
    assert _counts() == before


def test_an_oversized_file_is_refused_with_the_limit_and_nothing_is_stored(login, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1000
    before = _counts()
    response = _post_with(login("utvalgsmedlem"), pdf_file("stor.pdf", "ord " * 500))
    assert response.status_code == 400
    assert "stor.pdf" in text(response) and escape(filesizeformat(1000)) in text(response)
    assert _counts() == before


def test_one_bad_file_refuses_the_whole_post(login):
    before = _counts()
    response = _post_with(login("utvalgsmedlem"), pdf_file(), upload("skript.docx", b"#!/bin/sh\nrm -rf /"))
    assert response.status_code == 400
    assert _counts() == before
    assert PostAttachment.objects.filter(post__thread__title="Med vedlegg").count() == 0


def test_allowed_types_come_from_settings(login, settings):
    settings.PORTAL_UPLOAD_ALLOWED_TYPES = ["pdf"]
    before = _counts()
    response = _post_with(login("utvalgsmedlem"), upload("bilde.png", PNG_BYTES, "image/png"))
    assert response.status_code == 400
    assert _counts() == before


def test_internal_document_upload_checks_the_file_too(login):
    client = login("utvalgsmedlem")
    before = get_document_model().objects.count()
    response = client.post(SPACE, {"action": "upload_document", "document-title": "Falsk",
                                   "document-file": upload("falsk.odt", b"PK\x03\x04 not really a zip")})
    assert response.status_code == 400 and 'id="id_document-file_error"' in text(response)
    assert get_document_model().objects.count() == before

    response = client.post(SPACE, {"action": "upload_document", "document-title": "Innspill til møtet",
                                   "document-file": upload("innspill.odt", odt_bytes())})
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="Innspill til møtet").exists()
