"""The storage of files that only some people may read (settings ``STORAGES["private"]``, under
``PORTAL_PRIVATE_ROOT``). It has no URL: every download goes through a view that asks the
visibility service first."""

from __future__ import annotations

import uuid

from django.core.files.storage import Storage, storages

from portal.security.uploads import safe_filename


def private_storage() -> Storage:
    """Callable storage for model fields, so migrations do not depend on the settings."""
    return storages["private"]


def original_upload_to(instance: object, filename: str) -> str:
    # A directory of its own per upload: two organisations may both send "horingssvar.pdf".
    return f"originals/{uuid.uuid4().hex}/{safe_filename(filename)}"


def export_upload_to(instance: object, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}/{safe_filename(filename)}"
