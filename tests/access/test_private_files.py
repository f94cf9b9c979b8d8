"""Finding 2 of #17: private council files were plain files under MEDIA_ROOT with guessable names,
and the development server (and any ordinary web-server ``/media/`` alias) handed them to anyone.

Every private file kind now lives below PORTAL_PRIVATE_ROOT in a directory with a random name and
is served only by views that ask the visibility service, with ``Cache-Control: private, no-store``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from portal.core.documents import simple_pdf
from portal.councils import actions
from tests.access.leak_cases_councils import seated
from tests.access.media import debug_urlconf, media_urls_for
from tests.hearings.helpers import accept, attach_original, make_hearing, make_response
from tests.helpers import demo_page

pytestmark = pytest.mark.django_db

BERGEN = "brukerutvalget-i-bergen"


def _pdf(name: str, words: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf("Vedlegg", words), content_type="application/pdf")


def _private_files(member):
    """One file of every private kind: (kind, stored name, URL of the view that serves it)."""
    council = demo_page(BERGEN)
    thread = actions.thread_start(council=council, author=member, title="Notat", body="Se vedlegg.",
                                  files=[_pdf("notat.pdf", "Krykkjeberget")])
    attachment = thread.posts.first().attachments.first().document
    internal = actions.document_upload(council=council, actor=member, title="Budsjett",
                                       upload=_pdf("budsjett.pdf", "Havhestholmen"))
    hearing = make_hearing("mediefiler")
    response = attach_original(make_response(hearing), words="Signert brev")
    published = accept(response)
    return [
        ("post attachment", attachment.file.name, attachment.url),
        ("internal document", internal.file.name, internal.url),
        ("response original", response.get_latest_revision_as_object().original.name, response.url + "original/"),
        ("published original", published.original.name, hearing.url + f"svar/{published.pk}/original/"),
    ]


def test_private_council_files_are_not_plain_files_under_media_root(client):
    """A request for ``/media/…`` with DEBUG on (the dev URLconf serves MEDIA_ROOT) gets no content
    for any private file kind, and nothing below MEDIA_ROOT holds one."""
    member = seated(BERGEN, "mediefil-medlem")
    files = _private_files(member)
    with override_settings(ROOT_URLCONF=debug_urlconf()):
        # The route exists: a public file below MEDIA_ROOT is served (so the test can fail).
        public = Path(settings.MEDIA_ROOT) / "images" / "offentlig.txt"
        public.parent.mkdir(parents=True, exist_ok=True)
        public.write_text("offentlig")
        assert client.get("/media/images/offentlig.txt").status_code == 200
        for kind, name, _url in files:
            for url in media_urls_for([name]):
                response = client.get(url)
                assert response.status_code == 404, f"{kind}: {url} answered {response.status_code}"
    stored = [str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == [str(public)]
    private_root = os.path.abspath(settings.PORTAL_PRIVATE_ROOT)
    for kind, name, _url in files:
        path = Path(private_root) / name
        assert path.is_file(), kind
        # A directory of 32 random hex digits per file: names cannot be guessed from the title.
        assert re.fullmatch(r"[0-9a-f]{32}", path.parent.name), f"{kind}: {name}"


def test_private_files_are_served_only_through_views_that_check_access(client):
    member = seated(BERGEN, "mediefil-leser")
    files = _private_files(member)
    for kind, _name, url in files[:2]:
        anonymous = client.get(url)
        assert anonymous.status_code == 302, kind
        assert anonymous["Cache-Control"] == "private, no-store", kind
    client.force_login(seated("brukerutvalget-i-vestland", "mediefil-fylke"))
    for kind, _name, url in files[:2]:
        assert client.get(url).status_code == 403, kind
    client.force_login(member)
    for kind, _name, url in files[:2]:
        response = client.get(url)
        assert response.status_code == 200, kind
        assert response["Cache-Control"] == "private, no-store", kind


def test_system_checks_refuse_settings_that_would_serve_private_files(settings):
    from portal.core.checks import private_files_stay_private

    assert private_files_stay_private() == []
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    assert [error.id for error in private_files_stay_private()] == ["portal.E001"]
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    settings.PORTAL_PRIVATE_ROOT = os.path.join(settings.MEDIA_ROOT, "private")
    assert [error.id for error in private_files_stay_private()] == ["portal.E002"]
