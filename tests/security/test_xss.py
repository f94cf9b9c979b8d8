"""No script, event handler or javascript: URL typed into any field survives into a rendered page:
at least 200 known payloads through every field a user can fill (see xss_fields*.py)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.security
from tests.security.xss import PAYLOADS, XSS_FIELDS, dangerous_markup, surviving

for module in pkgutil.iter_modules(tests.security.__path__):
    if module.name.startswith("xss_fields"):
        importlib.import_module(f"tests.security.{module.name}")

pytestmark = pytest.mark.django_db

HARMLESS = ["Helt vanlig tekst om brukermedvirkning"]


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def test_the_payload_list_is_large_enough():
    assert len(PAYLOADS) >= 200


def test_the_scanner_sees_what_it_must_refuse():
    """The scanner itself must catch each kind of survivor, or the test below could not fail."""
    assert dangerous_markup('<p><script>alert(1)</script></p>')["<script>"] == 1
    assert dangerous_markup('<img src=x onerror=alert(1)>')["onerror= handler"] == 1
    assert dangerous_markup('<a href=" java\tscript:alert(1)">x</a>')["href= script URL"] == 1
    assert dangerous_markup('<a href="&#106;avascript:alert(1)">x</a>')["href= script URL"] == 1
    assert dangerous_markup('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">')[
        "meta refresh to script URL"] == 1
    assert not dangerous_markup('<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=x javascript:</p>')


@pytest.fixture
def no_login_throttling(settings):
    # The login field is posted hundreds of times; throttling has its own tests.
    settings.AXES_ENABLED = False


@pytest.mark.parametrize("field", sorted(XSS_FIELDS))
def test_no_payload_survives(field, client, no_login_throttling):
    render = XSS_FIELDS[field]
    # The same page with harmless input: the site's own <meta>, <link>, <form> are not survivors.
    baselines = {_path(url): dangerous_markup(html) for _, url, html in render(client, HARMLESS)}
    survivors = []
    checked = 0
    for payload, url, html in render(client, PAYLOADS):
        checked += 1
        found = surviving(html, baselines[_path(url)])
        if found:
            survivors.append(f"{url}: {dict(found)} from {payload[:120]!r}")
    print(f"{field}: {len(PAYLOADS)} payloads, {checked} rendered pages, {len(survivors)} survivors")
    assert checked > 0
    assert survivors == []
