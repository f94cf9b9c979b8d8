"""Text from attached PDF and DOCX files, indexed with the object they are attached to.

pypdf and python-docx are pure Python and well kept. Extraction never raises: a damaged or
encrypted file contributes no text rather than breaking publishing.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from typing import Any

from portal.security.uploads import expansion_error

logger = logging.getLogger(__name__)

# Attachments can be huge; the index needs the words, not every page of an annex.
MAX_ATTACHMENT_CHARS = 200_000

_DOC_LINK = re.compile(r'<a[^>]*linktype="document"[^>]*\sid="(\d+)"', re.IGNORECASE)
_DOC_LINK_REVERSED = re.compile(r'<a[^>]*\sid="(\d+)"[^>]*linktype="document"', re.IGNORECASE)


def extract_pdf(fileobj: Any) -> str:
    from pypdf import PdfReader

    reader = PdfReader(fileobj)
    if reader.is_encrypted:
        return ""
    out: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        out.append(text)
        size += len(text)
        if size > MAX_ATTACHMENT_CHARS:
            break
    return "\n".join(out)


def extract_docx(fileobj: Any) -> str:
    import docx

    document = docx.Document(fileobj)
    out = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            out.extend(cell.text for cell in row.cells)
    return "\n".join(text for text in out if text)


def extract_text(fileobj: Any, filename: str) -> str:
    """Plain text of a PDF or DOCX file ('' for other types, unreadable files, and files that would
    cost too much to read: a DOCX expanding past the limits, a PDF with too many pages)."""
    name = (filename or "").lower()
    kind = "pdf" if name.endswith(".pdf") else "docx" if name.endswith(".docx") else None
    if kind is None:
        return ""
    try:
        too_costly = expansion_error(fileobj, kind)
        if too_costly is not None:
            # Indexed without its text; the object itself is still searchable.
            logger.warning("Not extracting text from %s: %s", filename, " ".join(too_costly.messages))
            return ""
        text = extract_pdf(fileobj) if kind == "pdf" else extract_docx(fileobj)
    except Exception:  # noqa: BLE001 - any parser failure means "no text", never a failed save
        logger.warning("Could not extract text from %s", filename, exc_info=True)
        return ""
    return text[:MAX_ATTACHMENT_CHARS]


def attachment_text(attachment: Any) -> str:
    """Text of a Wagtail Document, a FieldFile, or a (name, file object) pair."""
    if isinstance(attachment, tuple):
        name, fileobj = attachment
        return extract_text(fileobj, name)
    file_field = getattr(attachment, "file", attachment)
    name = getattr(file_field, "name", "") or ""
    try:
        file_field.open("rb")
        try:
            return extract_text(file_field, name)
        finally:
            file_field.close()
    except (OSError, ValueError):
        logger.warning("Attachment %s is missing", name)
        return ""


def storage_key(attachment: Any) -> str | None:
    """What names a stored file's extracted text (models.AttachmentText): its storage and its name
    there (stored names carry a random directory and change when the file is replaced). None for
    a file that is not stored (a (name, file object) pair), which is read where it is."""
    if isinstance(attachment, tuple):
        return None
    file_field = getattr(attachment, "file", attachment)
    name = getattr(file_field, "name", "") or ""
    if not name:
        return None
    storage = getattr(file_field, "storage", None)
    where = f"{type(storage).__name__}|{getattr(storage, 'location', '')}|{name}"
    return hashlib.sha256(where.encode()).hexdigest()


def attachment_name(attachment: Any) -> str:
    """The file name a reader knows the attachment by ("Høringsnotat.pdf")."""
    if isinstance(attachment, tuple):
        name = attachment[0]
    else:
        file_field = getattr(attachment, "file", attachment)
        name = getattr(attachment, "title", "") or getattr(file_field, "name", "") or ""
    return str(name).replace("\\", "/").rsplit("/", 1)[-1]


def documents_linked_from(rich_texts: Iterable[str]) -> list[Any]:
    """Wagtail documents linked from rich text (``<a linktype="document" id="…">``)."""
    ids: set[int] = set()
    for value in rich_texts:
        for pattern in (_DOC_LINK, _DOC_LINK_REVERSED):
            ids.update(int(match) for match in pattern.findall(value or ""))
    if not ids:
        return []
    from wagtail.documents import get_document_model

    return list(get_document_model().objects.filter(pk__in=ids))


def public_documents_linked_from(rich_texts: Iterable[str]) -> list[Any]:
    """The linked documents an anonymous reader may download: only their text joins the page's entry.

    A page's entry carries the page's audience, not the document's: the text of a private document
    linked from a public page (a council's internal note, an exempt agenda item's attachment) would
    otherwise be found, with snippets, by anyone. A private document is found through the object
    it belongs to (a post), with that object's audience."""
    from django.contrib.auth.models import AnonymousUser

    from portal.access.visibility import can_view

    anonymous = AnonymousUser()
    return [document for document in documents_linked_from(rich_texts) if can_view(anonymous, document)]
