"""The Wagtail admin in Bokmål for people who read Nynorsk.

Wagtail and wagtail-localize ship no Nynorsk: with ``nn`` active, every admin string the portal does
not translate itself falls through Django's catalogues unevenly (JavaScript bundles, plural forms,
``lang`` on the page), and people saw English where Bokmål exists. For admin requests only, the
profile's answer to "which language?" becomes Bokmål; the stored preference stays ``nn``, so the portal
and its e-mails still speak Nynorsk to them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Languages the admin has no catalogue for, and the one it shows instead.
ADMIN_LANGUAGE_FALLBACK = {"nn": "nb"}


def admin_language(preferred: str) -> str:
    return ADMIN_LANGUAGE_FALLBACK.get(preferred, preferred)


class AdminLanguageFallbackMiddleware:
    """Before Wagtail's admin views activate the user's preferred language, give this request's
    profile object the admin fallback (an attribute on the instance: nothing is saved)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/"):
            self._fall_back(request)
        return self.get_response(request)

    @staticmethod
    def _fall_back(request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        profile = getattr(user, "wagtail_userprofile", None)
        if profile is None:
            return
        chosen = profile.get_preferred_language()
        fallback = admin_language(chosen)
        if fallback != chosen:
            # Shadows the method on this one instance (wagtail.admin.localization calls it).
            profile.get_preferred_language = lambda: fallback
