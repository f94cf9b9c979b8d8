"""Fields that exist now. Others add theirs in ``xss_fields_<area>.py`` with ``@xss_field``."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.rich_text import features as rich_text_features

from portal.core.models import StandardPage
from portal.security.uploads import safe_filename
from tests.helpers import demo_page
from tests.security.xss import Rendered, xss_field


def rich_text_as_typed_in_the_editor(text: str, link: str) -> str:
    """What the admin stores when an editor types ``text`` and links it to ``link`` in Draftail."""
    contentstate = {
        "blocks": [{"key": "a1", "text": text, "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": min(len(text), 5), "key": 0}]}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}},
    }
    converter = ContentstateConverter(rich_text_features.get_default_features())
    return converter.to_database_format(json.dumps(contentstate))


def _page(slug: str = "testside-for-skript", parent=None) -> StandardPage:
    parent = parent or demo_page("hjem")
    existing = StandardPage.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = StandardPage(title="Testside for skript", slug=slug, intro="Ingress")
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@xss_field("page title, introduction and rich-text body (public page)")
def page_fields(client, payloads: list[str]) -> Rendered:
    page = _page()
    for payload in payloads:
        page.title = payload[:255]
        page.seo_title = payload[:255]
        page.search_description = payload
        page.intro = payload
        page.body = rich_text_as_typed_in_the_editor(payload, payload)
        page.save()
        yield payload, page.url, client.get(page.url).content.decode()


@xss_field("page title in the parent's listing and breadcrumbs")
def page_title_in_listings(client, payloads: list[str]) -> Rendered:
    page = _page()
    child = _page("underside-for-skript", parent=page)
    for payload in payloads:
        page.title = payload[:255]
        page.save()
        yield payload, "/", client.get("/").content.decode()
        yield payload, child.url, client.get(child.url).content.decode()


@xss_field("search query (echoed in the search page)")
def search_query(client, payloads: list[str]) -> Rendered:
    for payload in payloads:
        url = "/search/?" + urlencode({"q": payload})
        yield payload, url, client.get(url).content.decode()


@xss_field("login form user name (echoed after a failed login)")
def login_username(client, payloads: list[str]) -> Rendered:
    for payload in payloads:
        response = client.post("/accounts/login/", {"username": payload[:150], "password": "feil"})
        yield payload, "/accounts/login/", response.content.decode()


@xss_field("password reset e-mail field (echoed on error)")
def password_reset_email(client, payloads: list[str]) -> Rendered:
    for payload in payloads:
        response = client.post("/accounts/password-reset/", {"email": payload})
        yield payload, "/accounts/password-reset/", response.content.decode()


@xss_field("document title and file name (admin listing and chooser)")
def document_titles(client, payloads: list[str]) -> Rendered:
    from tests.helpers import demo_user

    client.force_login(demo_user("admin"))
    documents = get_document_model()
    chunk = 20
    for start in range(0, len(payloads), chunk):
        batch = payloads[start:start + chunk]
        created = [
            documents.objects.create(title=payload[:255],
                                     file=ContentFile(b"%PDF-1.4 x", name=safe_filename(payload, "pdf")))
            for payload in batch
        ]
        for url in ("/admin/documents/", "/admin/documents/chooser/"):
            html = client.get(url).content.decode()
            yield " | ".join(batch), url, html
        for document in created:
            document.delete()
    client.logout()
