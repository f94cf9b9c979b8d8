"""Checking uploaded files by what they contain, not by what they are called.

Reusable by every upload in the portal (Wagtail documents here; council and organisation
attachments can call the same functions):

    from portal.security.uploads import validate_upload, safe_filename, UploadValidator

    kind = validate_upload(uploaded_file)          # raises ValidationError, returns "pdf", "docx", ...
    uploaded_file.name = safe_filename(uploaded_file.name, kind)
    # or, on a model/form FileField:  validators=[UploadValidator()]

Allowed kinds and the size limit come from settings (``PORTAL_UPLOAD_ALLOWED_TYPES``,
``PORTAL_UPLOAD_MAX_BYTES``) unless given explicitly.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .text import ASCII_LETTERS


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pdf", "PDF", ("pdf",), "application/pdf"),
        Kind("docx", "Word (DOCX)", ("docx",),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Kind("odt", "OpenDocument (ODT)", ("odt",), "application/vnd.oasis.opendocument.text"),
        Kind("png", "PNG", ("png",), "image/png"),
        Kind("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg"),
    )
}

# How much of the file we look at for the signatures of PDF/PNG/JPEG.
_HEAD_BYTES = 1024
# A real document has a few dozen zip entries; thousands are a zip bomb or not a document.
_MAX_ZIP_ENTRIES = 5000
# [Content_Types].xml and mimetype are tiny; refuse to inflate a huge one.
_MAX_MANIFEST_BYTES = 256 * 1024
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_FILENAME_MAX = 120


def _read_head(fileobj: IO[bytes]) -> bytes:
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    fileobj.seek(position)
    return head


def _zip_kind(fileobj: IO[bytes]) -> str | None:
    """DOCX and ODT are zip containers; tell them apart (and from any other zip) by the manifest
    inside, which is what word processors themselves read."""
    position = fileobj.tell()
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                return None
            names = {info.filename: info for info in infos}
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size <= _MAX_MANIFEST_BYTES:
                if archive.read(mimetype).strip() == _ODT_MIMETYPE and "content.xml" in names:
                    return "odt"
                return None
            manifest = names.get("[Content_Types].xml")
            if manifest is not None and manifest.file_size <= _MAX_MANIFEST_BYTES:
                content_types = archive.read(manifest).decode("utf-8", errors="replace")
                # A macro-enabled document (.docm) declares another main type and is refused.
                if _DOCX_MAIN in content_types and "word/document.xml" in names:
                    return "docx"
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError, EOFError):
        return None
    finally:
        fileobj.seek(position)


def detect_kind(fileobj: IO[bytes]) -> str | None:
    """The kind of file by its content ("pdf", "docx", "odt", "png", "jpeg"), or None."""
    head = _read_head(fileobj)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(fileobj)
    return None


def allowed_kinds() -> list[str]:
    return [name for name in getattr(settings, "PORTAL_UPLOAD_ALLOWED_TYPES", list(KINDS)) if name in KINDS]


def allowed_extensions(kinds: Iterable[str] | None = None) -> list[str]:
    return [ext for name in (kinds or allowed_kinds()) for ext in KINDS[name].extensions]


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _file_of(upload: Any) -> IO[bytes]:
    # FieldFile (model forms) wraps the uploaded file; UploadedFile is a file itself.
    return getattr(upload, "file", upload)


def validate_upload(upload: Any, *, allowed: Iterable[str] | None = None, max_bytes: int | None = None) -> str:
    """Check an uploaded file; return its kind, or raise ``ValidationError`` with a message for
    the person who uploaded it. Nothing is trusted from the browser: not the name's extension,
    not the declared content type."""
    kinds = list(allowed) if allowed is not None else allowed_kinds()
    limit = max_bytes if max_bytes is not None else settings.PORTAL_UPLOAD_MAX_BYTES
    labels = ", ".join(KINDS[name].label for name in kinds)
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest file you can upload is %(limit)s."),
            code="too_large", params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    kind = detect_kind(_file_of(upload))
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("This type of file cannot be uploaded. Allowed types: %(types)s."),
            code="type", params={"types": labels},
        )
    name = getattr(upload, "name", "") or ""
    if _extension(name) not in KINDS[kind].extensions:
        raise ValidationError(
            _("The file's name does not match its content, which is %(kind)s. Rename the file so it "
              "ends in .%(extension)s, or save it again in the right format."),
            code="mismatch", params={"kind": KINDS[kind].label, "extension": KINDS[kind].extensions[0]},
        )
    return kind


def safe_filename(name: str, kind: str | None = None) -> str:
    """A file name that is safe to store and to send in ``Content-Disposition``: no directories,
    no control or shell/HTML characters, no leading dots, a bounded length, and (when ``kind`` is
    known) the extension that matches the content."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = re.sub(r"[^\w\- ]+", "_", stem, flags=re.UNICODE)
    stem = re.sub(r"[\s_]+", "_", stem).strip("._- ") or "fil"
    extension = re.sub(r"[^A-Za-z0-9]", "", extension).lower()
    if kind is not None and extension not in KINDS[kind].extensions:
        extension = KINDS[kind].extensions[0]
    stem = stem[: _FILENAME_MAX - len(extension) - 1]
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename: str) -> str:
    """``Content-Disposition`` for a download: always an attachment (a browser must not render an
    uploaded file as a page of our site), with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    safe = safe_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", safe.translate(ASCII_LETTERS)).encode("ascii", "ignore").decode()
    ascii_name = ascii_name or "fil"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(safe)}"


@deconstructible
class UploadValidator:
    """Field validator form of :func:`validate_upload` (``validators=[UploadValidator()]``)."""

    def __init__(self, allowed: Iterable[str] | None = None, max_bytes: int | None = None) -> None:
        self.allowed = list(allowed) if allowed is not None else None
        self.max_bytes = max_bytes

    def __call__(self, upload: Any) -> None:
        validate_upload(upload, allowed=self.allowed, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.allowed, self.max_bytes) == (other.allowed,
                                                                                          other.max_bytes)
