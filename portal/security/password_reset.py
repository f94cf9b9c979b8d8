"""Password reset with a rate limit per account and per address.

Without it anyone could send a person reset e-mail after reset e-mail (six in a row were seen), or
script the form against many addresses. The form keeps answering the same page whatever happens,
so neither the limit nor the account's existence shows: over the limit, the e-mail simply is not sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import PasswordResetRequest
from .throttling import client_ip

WINDOW = timedelta(hours=1)
# Rows older than this are of no use to any limit.
KEEP = timedelta(days=1)


def _recent(since: Any) -> Any:
    return PasswordResetRequest.objects.filter(requested_at__gte=since)


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's form (which already mails only active accounts with a usable password), sending at
    most ``PORTAL_PASSWORD_RESET_LIMITS['account']`` e-mails per account and accepting at most
    ``['address']`` requests per client address in an hour."""

    request: HttpRequest | None = None

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        with transaction.atomic():
            now = timezone.now()
            PasswordResetRequest.objects.filter(requested_at__lt=now - KEEP).delete()
            address = client_ip(request) if request is not None else None
            limits = settings.PORTAL_PASSWORD_RESET_LIMITS
            if address and _recent(now - WINDOW).filter(ip_address=address).count() >= limits["address"]:
                # Still counted: an address that keeps trying stays over the limit.
                PasswordResetRequest.objects.create(ip_address=address)
                return
            self._address = address
            self._sent_to: list[Any] = []
            # Django's view passes every argument by keyword, so *args never holds a second request.
            super().save(*args, request=request, **kwargs)  # type: ignore[misc]
            if not self._sent_to:
                PasswordResetRequest.objects.create(ip_address=address)

    def get_users(self, email: str) -> Any:
        limit = settings.PORTAL_PASSWORD_RESET_LIMITS["account"]
        since = timezone.now() - WINDOW
        for user in super().get_users(email):
            if _recent(since).filter(user=user).count() >= limit:
                continue
            PasswordResetRequest.objects.create(ip_address=getattr(self, "_address", None), user=user)
            self._sent_to.append(user)
            yield user


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    form_class = RateLimitedPasswordResetForm
