"""Small idempotent building blocks for demo content: users, pages and their translations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile

from portal.core.translations import sync_translation

DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 - documented demo password, demo data only
LANGUAGES = ("nb", "nn", "en")


@dataclass
class Demo:
    """What the demo steps have built so far, by name, for later steps to refer to."""

    pages: dict[str, Page] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.created.append(what)


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def ensure_user(
    demo: Demo,
    *,
    key: str,
    username: str,
    first_name: str,
    last_name: str,
    language: str = "nb",
    groups: tuple[str, ...] = (),
    superuser: bool = False,
) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.no",
            is_superuser=superuser,
            is_staff=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        demo.note(f"user {username}")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    demo.users[key] = user
    return user


def ensure_child(demo: Demo, parent: Page, model: type[Page], *, slug: str, **fields: Any) -> Page:
    """The child of ``parent`` with this slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    demo.note(f"{model.__name__} {slug}")
    return page


def ensure_translation(demo: Demo, page: Page, code: str, **fields: Any) -> Page:
    """The page's translation into ``code`` through wagtail-localize: created if missing (the demo's
    translated fields go into the translation memory as translations of the source's strings) and
    published; an existing one is left as it is (load_demo is idempotent)."""
    target = locale(code)
    existing = page.get_translation_or_none(target)
    if existing is not None:
        return existing.specific
    translation = sync_translation(page=page, locale=target, fields=fields)
    demo.note(f"{type(page).__name__} {page.slug} [{code}]")
    return translation


def ensure_translations(demo: Demo, page: Page, translations: dict[str, dict[str, Any]]) -> None:
    for code, fields in translations.items():
        ensure_translation(demo, page, code, **fields)
