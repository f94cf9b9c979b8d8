"""Helpers shared by the tests: finding demo objects, making pages private, reading responses."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, PageViewRestriction


def demo_page(slug: str, language: str = "nb") -> Page:
    """A demo page by its (Bokmål) slug, in the given language."""
    page = Page.objects.get(slug=slug, locale__language_code="nb")
    if language != "nb":
        page = page.get_translation(Locale.objects.get(language_code=language))
    return page.specific


def demo_user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def restrict_to_groups(page: Page, *groups: Group) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(groups)
    return restriction


def make_user(username: str, *, groups: tuple[Group, ...] = (), **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password="pw", email=f"{username}@example.org",
                                                **fields)
    user.groups.set(groups)
    return user


def text(response) -> str:
    return response.content.decode()


def pdf_text(data: bytes) -> str:
    """The text a reader (or a screen reader) gets out of a PDF: its streams are compressed and its
    fonts subset, so searching the bytes would find nothing."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
