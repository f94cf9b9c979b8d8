"""System checks for how private files are served (``manage.py check``, and every start-up)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_files_stay_private(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None) != "serve_view":
        errors.append(Error(
            "WAGTAILDOCS_SERVE_METHOD must be 'serve_view': documents live in the private storage and "
            "only the serve view asks the visibility service before handing one out.",
            id="portal.E001",
        ))
    media = os.path.abspath(settings.MEDIA_ROOT)
    private = os.path.abspath(settings.PORTAL_PRIVATE_ROOT)
    if os.path.commonpath([media, private]) in (media, private):
        errors.append(Error(
            "PORTAL_PRIVATE_ROOT and MEDIA_ROOT must not contain one another: MEDIA_ROOT may be served "
            "as /media/, PORTAL_PRIVATE_ROOT never.",
            id="portal.E002",
        ))
    return errors
