"""Uploads are accepted by what the file contains, never by its name; too large files and wrong
types get a clear message and change nothing; stored names are safe to download."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from portal.security.uploads import content_disposition, detect_kind, safe_filename, validate_upload
from tests.security import files

GOOD = [
    ("referat.pdf", files.PDF, "pdf"),
    ("notat.docx", files.docx(), "docx"),
    ("notat.odt", files.odt(), "odt"),
    ("bilde.png", files.PNG, "png"),
    ("foto.jpg", files.JPEG, "jpeg"),
    ("foto.JPEG", files.JPEG, "jpeg"),
]
BAD = [
    ("side.pdf", files.HTML, "type"),  # HTML renamed to .pdf
    ("tegning.png", files.SVG, "type"),  # SVG with a script, renamed
    ("program.docx", files.EXE, "type"),
    ("makro.docx", files.docm(), "type"),  # macro-enabled Word
    ("arkiv.docx", files.plain_zip(), "type"),  # any zip is not a document
    ("regneark.odt", files.odt(b"application/vnd.oasis.opendocument.spreadsheet"), "type"),
    ("referat.png", files.PDF, "mismatch"),  # real PDF under a misleading name
    ("tom.pdf", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "kind"), GOOD)
def test_allowed_files_are_recognised_by_their_content(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(("name", "content", "code"), BAD)
def test_wrong_types_are_refused_whatever_they_are_called(name, content, code):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code
    assert str(refused.value.messages[0])


def test_files_over_the_size_limit_are_refused_with_the_limit_in_the_message(settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("stor.pdf", files.PDF + b"0" * 2000))
    assert refused.value.code == "too_large"
    assert "1000" in refused.value.messages[0] or "KB" in refused.value.messages[0]


def test_allowed_types_come_from_settings(settings):
    settings.PORTAL_UPLOAD_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("bilde.png", files.PNG))
    assert validate_upload(SimpleUploadedFile("a.pdf", files.PDF)) == "pdf"


def test_detection_leaves_the_file_position_alone():
    upload = SimpleUploadedFile("notat.docx", files.docx())
    upload.file.seek(7)
    assert detect_kind(upload.file) == "docx"
    assert upload.file.tell() == 7


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("C:\\Users\\ola\\Møtereferat 12. mai.docx", None, "Møtereferat_12_mai.docx"),
    ('<img src=x onerror=alert(1)>.pdf', "pdf", "img_src_x_onerror_alert_1.pdf"),
    ("..hidden.pdf", "pdf", "hidden.pdf"),
    ("notat.exe", "pdf", "notat.pdf"),
    ("a" * 400 + ".pdf", "pdf", "a" * 116 + ".pdf"),
    ("", "png", "fil.png"),
])
def test_stored_file_names_are_safe(name, kind, expected):
    assert safe_filename(name, kind) == expected


def test_downloads_are_attachments_with_an_ascii_fallback_name():
    header = content_disposition('Årsmelding "2026"\r\nSet-Cookie: x.pdf')
    assert header.startswith("attachment; ")
    assert "\r" not in header and "\n" not in header
    assert 'filename="Arsmelding_2026_Set-Cookie_x.pdf"' in header
    assert "filename*=UTF-8''%C3%85rsmelding_2026_Set-Cookie_x.pdf" in header


# --- Wagtail documents ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_admin_document_upload_refuses_a_disguised_file_with_a_clear_message(login):
    client = login("admin")
    count = get_document_model().objects.count()
    response = client.post("/admin/documents/add/", {
        "title": "Farlig", "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile("referat.pdf", files.HTML, content_type="application/pdf"),
    })
    assert response.status_code == 200
    assert "Denne filtypen kan ikke lastes opp" in response.content.decode()
    assert get_document_model().objects.count() == count


@pytest.mark.django_db
def test_admin_document_upload_refuses_too_large_files(login, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 100
    client = login("admin")
    count = get_document_model().objects.count()
    response = client.post("/admin/documents/add/", {
        "title": "Stor", "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile("stor.pdf", files.PDF + b"0" * 500),
    })
    assert "Filen er for stor" in response.content.decode()
    assert get_document_model().objects.count() == count


@pytest.mark.django_db
def test_admin_multiple_upload_refuses_wrong_types(login):
    client = login("admin")
    count = get_document_model().objects.count()
    response = client.post("/admin/documents/multiple/add/", {
        "collection": Collection.get_first_root_node().pk,
        "files[]": SimpleUploadedFile("bilde.png", files.SVG, content_type="image/png"),
    })
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "Denne filtypen kan ikke lastes opp" in response.json()["error_message"]
    assert get_document_model().objects.count() == count


@pytest.mark.django_db
def test_admin_document_upload_accepts_a_real_pdf_under_a_safe_name(login):
    client = login("admin")
    response = client.post("/admin/documents/add/", {
        "title": "Referat", "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile("../Referat <mai>.pdf", files.PDF),
    })
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Referat")
    assert document.filename.startswith("Referat_mai") and document.filename.endswith(".pdf")
