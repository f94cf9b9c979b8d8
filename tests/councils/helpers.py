"""Builders for council-space tests: members made through the secretary's own action, and small
real files of every type (the upload check reads content, so fakes must be real)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.core.documents import simple_pdf
from portal.councils import actions
from portal.councils.models import CouncilMembership
from tests.helpers import demo_page, make_user

BERGEN = "brukerutvalget-i-bergen"
VESTLAND = "brukerutvalget-i-vestland"


def council(slug: str = BERGEN, language: str = "nb"):
    return demo_page(slug, language)


def seat(slug: str, username: str, *, role: str = CouncilMembership.Role.MEMBER, **fields):
    """A new account given a seat on the council (groups synced by the action)."""
    user = make_user(username)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    actions.membership_add(council=council(slug), user=user, role=role)
    return user


def pdf_file(name: str = "notat.pdf", text: str = "Notat fra utvalget") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf("Notat", text), content_type="application/pdf")


def docx_bytes(text: str = "Innspill") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return out.getvalue()


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
