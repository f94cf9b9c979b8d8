"""Council-space uploads (post attachments, internal documents) use the portal's one upload check
(``portal.security.uploads``: type read from the content, size and types from settings); this
module only adds the file's name to the message, since one post may carry several files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.security.uploads import KINDS, allowed_kinds, validate_upload


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    extension: str


def max_bytes() -> int:
    return int(settings.PORTAL_UPLOAD_MAX_BYTES)


def allowed_labels() -> str:
    return ", ".join(KINDS[kind].label for kind in allowed_kinds())


def check_upload(upload: Any) -> CheckedUpload:
    """Raise a translated ValidationError naming the file unless it is small enough and of an allowed type."""
    try:
        kind = validate_upload(upload)
    except ValidationError as error:
        problem = " ".join(error.messages)
        raise ValidationError(
            _("%(name)s: %(problem)s") % {"name": getattr(upload, "name", ""), "problem": problem},
            code=error.code,
        ) from error
    return CheckedUpload(kind=kind, extension=KINDS[kind].extensions[0])
