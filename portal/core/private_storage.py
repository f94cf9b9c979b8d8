"""Where uploaded files live, and which of them no web server may ever hand out.

``STORAGES["private"]`` (under ``PORTAL_PRIVATE_ROOT``) holds files that only some people may read:
hearing responses' signed originals and owners' exports. It has no URL: every download goes through
a view that asks the visibility service first.

``STORAGES["default"]`` is :class:`MediaStorage`. Wagtail documents are stored through it, and
some of them are private (a council's post attachments and internal documents, a confidential
agenda item's attachment). A document's privacy can change after upload (it is moved to another
collection, its agenda item is made confidential), so no document is ever written below
``MEDIA_ROOT``: every name under ``documents/`` is stored below ``PORTAL_PRIVATE_ROOT`` in a directory
with a random name, and only Wagtail's serve view (which asks the visibility service through the
``before_serve_document`` hooks) reads it. ``MEDIA_ROOT`` keeps only public files (images).
"""

from __future__ import annotations

import os
import posixpath
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

from portal.security.uploads import safe_filename

# Name prefixes (upload_to directories) whose files are stored privately.
PRIVATE_PREFIXES = ("documents/",)


def private_storage() -> Storage:
    """Callable storage for model fields, so migrations do not depend on the settings."""
    return storages["private"]


def original_upload_to(instance: object, filename: str) -> str:
    # A directory of its own per upload: two organisations may both send "horingssvar.pdf".
    return f"originals/{uuid.uuid4().hex}/{safe_filename(filename)}"


def export_upload_to(instance: object, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}/{safe_filename(filename)}"


def is_private_name(name: str) -> bool:
    return str(name or "").replace("\\", "/").startswith(PRIVATE_PREFIXES)


def unguessable_name(name: str) -> str:
    """``documents/notat.pdf`` → ``documents/<32 random hex digits>/notat.pdf``."""
    directory, base = posixpath.split(str(name).replace("\\", "/"))
    return posixpath.join(directory, uuid.uuid4().hex, base)


@deconstructible
class MediaStorage(FileSystemStorage):
    """The default storage: public files below ``MEDIA_ROOT``, documents below ``PORTAL_PRIVATE_ROOT``.

    Every filesystem operation of FileSystemStorage goes through :meth:`path`, so routing the path
    routes opening, saving, deleting, listing and sizes alike."""

    def _private(self) -> FileSystemStorage:
        return FileSystemStorage(location=os.path.abspath(settings.PORTAL_PRIVATE_ROOT), base_url=None)

    def path(self, name: str) -> str:
        return self._private().path(name) if is_private_name(name) else super().path(name)

    def _save(self, name: str, content) -> str:
        # FileSystemStorage._save returns the name relative to its own root: save privately there.
        # FileSystemStorage._save is Django's (private) hook for this; the stubs leave it out.
        return (self._private()._save(name, content)  # type: ignore[attr-defined]
                if is_private_name(name) else super()._save(name, content))  # type: ignore[misc]

    def url(self, name: str | None) -> str:
        if name and is_private_name(name):
            # No direct URL: Wagtail's serve view (documents/<id>/<name>) is the only way in. Empty
            # rather than an exception: file widgets (the admin's document form) ask for a URL.
            return ""
        return super().url(name)

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        filename = super().generate_filename(filename)
        return unguessable_name(filename) if is_private_name(filename) else filename
