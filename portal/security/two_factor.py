"""Two-step sign-in (django-otp, TOTP with backup codes).

REQUIRED for people who can publish or manage people (superusers, moderators, hearing owners, site
administrators; the rule is ``PORTAL_TWO_FACTOR_REQUIRED``, a dotted path, so this ground-floor app
does not import who-has-which-role): after the password they enrol or enter a code before any other
page answers them. OFFERED to everyone else on their account page; once someone turns it on, their
sign-in asks for a code too.

The password step is Django's own login; this middleware then holds the signed-in but unverified
session at the code page. django-otp's ``OTPMiddleware`` (before this one) marks a session verified
once ``django_otp.login`` has stored the device that passed. Wrong codes are throttled per device by
django-otp (1, 2, 4, 8... seconds between tries), and we say how long to wait.
"""

from __future__ import annotations

import base64
import io
import math
import secrets
from collections.abc import Callable
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
# Lower-case letters and digits without look-alikes (0/o, 1/l/i): read off paper and typed by hand.
_BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOTP_NAME = "authenticator"
BACKUP_NAME = "backup"
# URL names an unverified session may still reach: the code pages themselves and the ways out.
EXEMPT_URL_NAMES = frozenset({
    "two_factor_verify", "two_factor_setup", "logout", "wagtailadmin_logout", "set_language", "ping",
})


# --- who needs it ----------------------------------------------------------------------------------


def _required_rule() -> Callable[[Any], bool]:
    return import_string(settings.PORTAL_TWO_FACTOR_REQUIRED)


def is_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this person's role requires a second factor (they can publish or manage people)."""
    return bool(getattr(user, "is_authenticated", False)) and _required_rule()(user)


def has_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_code(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether a signed-in session of ``user`` must pass a code before going anywhere."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "otp_device", None) is not None:
        return False
    return is_required(user) or has_second_factor(user)


class TwoFactorMiddleware:
    """Sends a signed-in session that still owes its second factor to the code page (or to enrolment
    when the role requires one and none is set up), whatever it asked for. After OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in EXEMPT_URL_NAMES:
            return None
        if not needs_code(request.user):
            return None
        target = "two_factor_verify" if has_second_factor(request.user) else "two_factor_setup"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


# --- helpers ---------------------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the Content-Security-Policy allows data: images, no scripts)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def new_backup_codes(*, user: AbstractBaseUser | AnonymousUser) -> list[str]:
    """Replace the person's backup codes with ``BACKUP_CODE_COUNT`` new single-use ones."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = ["".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(10)) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def turn_off(*, user: AbstractBaseUser | AnonymousUser) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _is_app_code(code: str) -> bool:
    # App codes are six digits; backup codes are ten characters, so the length tells them apart.
    return len(code) == 6 and code.isdigit()


def _wait_message(device: Device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    return ngettext(
        "Too many wrong codes. Wait %(seconds)s second and try again.",
        "Too many wrong codes. Wait %(seconds)s seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def check_code(
    *, user: AbstractBaseUser | AnonymousUser, code: str, device: TOTPDevice | None = None
) -> tuple[Device | None, str | None]:
    """The device that accepts ``code`` (a six-digit code from the app, or a backup code), or None
    with the message to show. ``device`` checks one (unconfirmed) app device only, for enrolment."""
    code = _normalise(code)
    with transaction.atomic():
        if device is not None:
            candidates: list[Device] = [TOTPDevice.objects.select_for_update().get(pk=device.pk)]
        elif _is_app_code(code):
            candidates = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        else:
            candidates = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        for candidate in candidates:
            wait = _wait_message(candidate)
            if wait:
                return None, wait
            if candidate.verify_token(code):
                return candidate, None
    if device is None and not _is_app_code(code):
        return None, _("That backup code is not valid, or it has been used already.")
    return None, _("That code is not right. Check the time on your phone and type the newest code.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=32,
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off",
                                      "spellcheck": "false"}),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The six digits your authenticator app shows after you added the key.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


def _sign_in_second_factor(request: HttpRequest, device: Device) -> None:
    # A new session key at the moment the session gains power (as Django does at login).
    request.session.cycle_key()
    django_otp.login(request, device)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return TemplateResponse(request, template, context, status=status)


# --- views -----------------------------------------------------------------------------------------


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code step of sign-in."""
    user = request.user
    next_url = _next_url(request)
    if getattr(user, "otp_device", None) is not None:
        return HttpResponseRedirect(next_url)
    if not has_second_factor(user):
        return HttpResponseRedirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = check_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            _sign_in_second_factor(request, device)
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(request, ngettext(
                    "You signed in with a backup code. You have %(count)s backup code left.",
                    "You signed in with a backup code. You have %(count)s backup codes left.", left,
                ) % {"count": left})
            return HttpResponseRedirect(next_url)
        form.add_error("code", error or "")  # None only with a device, returned above
    status = 400 if form.errors else 200
    return _render(request, "security/two_factor_verify.html", {"form": form, "next": next_url}, status)


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the key, type the first code, receive backup codes."""
    user = request.user
    next_url = _next_url(request)
    verified = getattr(user, "otp_device", None) is not None
    if has_second_factor(user):
        # A second device only after proving the first: otherwise a stolen password would be enough.
        target = "two_factor_settings" if verified else "two_factor_verify"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=TOTP_NAME)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, error = check_code(user=user, code=form.cleaned_data["code"], device=device)
        if accepted is not None:
            with transaction.atomic():
                accepted.confirmed = True
                accepted.save(update_fields=["confirmed"])
                codes = new_backup_codes(user=user)
            _sign_in_second_factor(request, accepted)
            context = {"codes": codes, "next": next_url, "first_time": True}
            return _render(request, "security/two_factor_backup_codes.html", context)
        form.add_error("code", error or "")  # None only with a device, returned above
    context = {
        "form": form,
        "next": next_url,
        "required": is_required(user),
        "qr_code": qr_code_data_uri(device.config_url),
        "secret": secret_for_typing(device),
    }
    return _render(request, "security/two_factor_setup.html", context, 400 if form.errors else 200)


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The person's own page for two-step sign-in: turn it on or off, new backup codes."""
    user = request.user
    enabled = has_second_factor(user)
    required = is_required(user)
    form = CodeForm(prefix="off")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "backup_codes" and enabled:
            codes = new_backup_codes(user=user)
            return _render(request, "security/two_factor_backup_codes.html",
                           {"codes": codes, "next": reverse("two_factor_settings"), "first_time": False})
        if action == "turn_off" and enabled:
            form = CodeForm(request.POST, prefix="off")
            if required:
                form.add_error(None, _("Your role requires two-step sign-in, so it cannot be turned off."))
            elif form.is_valid():
                device, error = check_code(user=user, code=form.cleaned_data["code"])
                if device is not None:
                    turn_off(user=user)
                    messages.success(request, _("Two-step sign-in is turned off."))
                    return HttpResponseRedirect(reverse("two_factor_settings"))
                form.add_error("code", error or "")  # None only with a device, returned above
        elif action not in ("backup_codes", "turn_off"):
            return HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8")
    backup_left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count() if enabled else 0
    context = {"enabled": enabled, "required": required, "form": form, "backup_left": backup_left}
    return _render(request, "security/two_factor_settings.html", context, 400 if form.errors else 200)
