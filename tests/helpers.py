"""Helpers shared by the tests: finding demo objects, making pages private, reading responses."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
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


# --- two-step sign-in ------------------------------------------------------------------------------


def second_factor_device(user: Any) -> Any:
    """The user's app device for tests: the demo device if load_demo made one, else a confirmed
    device made here (in the test's transaction)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.security.demo import demo_device

    device = demo_device(user)
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def second_factor_code(user: Any) -> str:
    """A code the user's device accepts now (one step ahead when the current one was used already:
    django-otp refuses a code twice, and accepts the next step)."""
    from portal.security.demo import current_code

    device = second_factor_device(user)
    device.refresh_from_db()
    current = current_code(device)
    return current_code(device, steps_ahead=1) if device.last_t >= _current_step(device) else current


def _current_step(device: Any) -> int:
    import time

    return int((time.time() - device.t0) // device.step)


def mark_second_factor_passed(client: Any, user: Any) -> None:
    """Make a force_login'd session count as having passed its code, as the code page would."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second_factor_device(user).persistent_id
    session.save()


class PortalClient(Client):
    """The test client for this portal. ``force_login`` signs in the way the portal's own sign-in
    ends: with the second factor passed for people who need one (their role requires it, or they
    turned it on). Pass ``second_factor=False`` to get a session that still owes its code."""

    def force_login(self, user: Any, backend: str | None = None, *, second_factor: bool = True) -> None:
        from portal.security.two_factor import has_second_factor, is_required

        super().force_login(user, backend)
        if second_factor and (is_required(user) or has_second_factor(user)):
            mark_second_factor_passed(self, user)


def pdf_text(data: bytes) -> str:
    """The text a reader (or a screen reader) gets out of a PDF: its streams are compressed and its
    fonts subset, so searching the bytes would find nothing."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
