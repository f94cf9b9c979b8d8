"""Login throttling on top of django-axes.

Axes counts failed logins in the database and, as the first authentication backend, refuses a
locked-out attempt BEFORE any password is hashed: a burst of guesses costs a few queries each, not
half a second of CPU, so the public site keeps answering.

Axes compares one failure count with one limit. We want different limits per kind of counter
(settings.PORTAL_LOGIN_LIMITS): the same person guessing one account from one address is stopped
sooner than an office behind one address whose people mistype their own passwords.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def _key(parameter: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)

def scaled_failures(counts: dict[tuple[str, ...], int], limits: dict[tuple[str, ...], int], base: int) -> int:
    """Map each counter's failures onto the scale of ``base`` (axes' single AXES_FAILURE_LIMIT), so
    that a counter reaches ``base`` exactly when it reaches its own limit."""
    scaled = 0
    for key, count in counts.items():
        limit = limits[key]
        scaled = max(scaled, base if count >= limit else (count * base) // limit)
    return scaled

class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per counter (see ``PORTAL_LOGIN_LIMITS``)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        limits = {_key(key): value for key, value in settings.PORTAL_LOGIN_LIMITS.items()}
        attempts_list = self.get_user_attempts(request, credentials)
        counts = {
            key: attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for key, attempts in zip(limits, attempts_list, strict=True)
        }
        return scaled_failures(counts, limits, settings.AXES_FAILURE_LIMIT)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login, forget only the failures of this account from this address.

        Axes would delete every row matching any lock-out counter: all usernames tried from the
        address and the account's failures from every address. Then anyone with an account could
        guess another person's password indefinitely (a few guesses, a login to their own account,
        again) and unlock a locked account by logging in from the addresses that locked it. Rows are
        per (username, address, user agent), so deleting this pair leaves every other counter's
        failures in place: the address-wide and account-wide counts only lose this pair's share."""
        username = get_client_username(request, credentials)
        # django-axes sets axes_ip_address on the request (its middleware); the stubs do not know it.
        address = request.axes_ip_address  # type: ignore[attr-defined]
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=address).delete()
        return count

class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' guard backend, skipped for authentication that does not come from an HTTP request
    (management commands, ``Client.login`` in tests): there is no client to throttle there."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address to count failures against (``AXES_CLIENT_IP_CALLABLE``).

    Behind our HTTPS proxy every request comes from the proxy's address, which would put all
    users in one bucket; the proxy appends the real client to ``X-Forwarded-For``. We trust only
    the entries our own ``PORTAL_TRUSTED_PROXY_COUNT`` proxies added (the right-most ones): anything
    further left was written by the client and could be forged to dodge the per-address limit.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The translated page shown instead of the log-in form while a lock-out lasts
    (``AXES_LOCKOUT_CALLABLE``); 429 so scripts and monitoring see it for what it is."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = TemplateResponse(request, "security/lockout.html", {"lockout_minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
