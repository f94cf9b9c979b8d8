"""Security and caching headers on every response, proved by crawling the demo site as an
anonymous reader and as a council member: the count of responses missing a header must be 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.crawl import Fetched, crawl

pytestmark = pytest.mark.django_db

START = ["/", "/nn/", "/en/", "/search/?q=brukerutvalg", "/accounts/login/", "/accounts/password-reset/",
         "/finnes-ikke/", "/sitemap.xml", "/robots.txt", "/api/v2/pages/", "/admin/login/"]
MEMBER_START = START + ["/brukerutvalg/brukerutvalget-i-bergen/", "/admin/"]


def _is_static(url: str) -> bool:
    """Static files are the same for everyone and served before the session is read: they keep
    their public lifetime even for a signed-in reader (and still need every security header)."""
    return url.startswith("/static/")


def missing_headers(response: Fetched, *, signed_in: bool) -> list[str]:
    headers = response.headers
    missing = []
    csp = headers.get("content-security-policy", "")
    if "frame-ancestors" not in csp or "default-src" not in csp:
        missing.append("Content-Security-Policy")
    if headers.get("x-content-type-options") != "nosniff":
        missing.append("X-Content-Type-Options")
    if not headers.get("referrer-policy"):
        missing.append("Referrer-Policy")
    cache = headers.get("cache-control", "")
    if not cache:
        missing.append("Cache-Control")
    elif signed_in and not _is_static(response.url) and not ("private" in cache and "no-store" in cache):
        missing.append("Cache-Control: private, no-store")
    elif not signed_in and response.sets_cookie and "no-store" not in cache:
        missing.append("Cache-Control: no-store (sets a cookie)")
    return missing


def _report(responses: list[Fetched], signed_in: bool) -> list[str]:
    return [
        f"{r.url} [{r.status}]: {', '.join(missing)}"
        for r in responses
        if (missing := missing_headers(r, signed_in=signed_in))
    ]


def test_crawl_as_anonymous_reader_finds_no_response_without_security_headers(client):
    responses = crawl(client, START, limit=150)
    assert len(responses) >= 40, "the crawl must reach a good part of the site"
    problems = _report(responses, signed_in=False)
    print(f"anonymous crawl: {len(responses)} responses, {len(problems)} missing headers")
    assert problems == []
    public_pages = [r for r in responses if r.status == 200 and "text/html" in r.headers.get("content-type", "")
                    and not r.sets_cookie and not r.url.startswith("/admin/")]
    assert len(public_pages) >= 20, "public pages must be cacheable"
    assert all(r.headers["cache-control"] == "public, max-age=60" for r in public_pages)


def test_crawl_as_council_member_finds_no_response_without_private_no_store(login):
    client = login("utvalgsmedlem")
    responses = crawl(client, MEMBER_START, limit=150)
    assert len(responses) >= 40
    problems = _report(responses, signed_in=True)
    print(f"member crawl: {len(responses)} responses, {len(problems)} missing headers")
    assert problems == []


def test_public_pages_forbid_framing_and_foreign_scripts(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "Cookie" in response["Vary"]


def test_the_admin_login_page_loads_under_its_own_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert response["Cache-Control"] == "private, no-store"


def test_the_admin_dashboard_loads_for_an_editor(login):
    client = login("admin")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_restricted_document_downloads_are_private_attachments(client):
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    from tests.helpers import PortalClient, demo_user

    collection = Collection.get_first_root_node().add_child(name="Lukket samling for overskrifter")
    group = Group.objects.create(name="Dokumentlesere")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS)
    restriction.groups.set([group])
    document = get_document_model().objects.create(
        title="Internt referat", collection=collection,
        file=ContentFile(b"%PDF-1.4 internt", name="internt-referat.pdf"))
    member = demo_user("utvalgsmedlem")
    member.groups.add(group)
    client.force_login(member)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    anonymous = PortalClient().get(document.url)
    assert anonymous.status_code in (302, 403)
    assert anonymous["Cache-Control"] == "private, no-store"


def test_public_document_downloads_are_attachments(client):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Offentlig årsmelding", file=ContentFile(b"%PDF-1.4 offentlig", name="arsmelding.pdf"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_production_settings_send_hsts(tmp_path):
    """HSTS (and the other HTTPS settings) are on under production settings."""
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/robots.txt', secure=True);"
        "print(r.get('Strict-Transport-Security', ''));"
        "print(r.get('Content-Security-Policy', ''))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "test-only-" + "x" * 50, "CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,  # noqa: S603
                            cwd=Path(__file__).resolve().parents[2], timeout=120, check=True)
    hsts, csp = result.stdout.splitlines()[:2]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "frame-ancestors 'none'" in csp
