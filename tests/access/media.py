"""The development URLconf as ``runserver`` with DEBUG on builds it: ``/media/`` serves MEDIA_ROOT to
anyone (inline, publicly cacheable). A private file must never be reachable there."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path

from django.test import override_settings

import portal.urls

_counter = itertools.count()


def debug_urlconf() -> str:
    """Load portal/urls.py afresh with DEBUG on (it adds the MEDIA_ROOT route then), under a new
    module name so the real URLconf is untouched; MEDIA_ROOT is read now (tests move it per test)."""
    name = f"tests.access._debug_urls_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, Path(portal.urls.__file__))
    module = importlib.util.module_from_spec(spec)
    with override_settings(DEBUG=True):
        spec.loader.exec_module(module)
    sys.modules[name] = module
    return name


def media_urls_for(names: list[str]) -> list[str]:
    """``/media/`` URLs a prober would try for stored files: the stored name, and the name a plain
    ``documents/`` upload would have had (what the probe of #17 guessed)."""
    urls = []
    for name in names:
        urls.append(f"/media/{name}")
        urls.append(f"/media/documents/{Path(name).name}")
    return urls
