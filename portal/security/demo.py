"""Demo step: app devices with known keys for the demo accounts whose role requires two-step
sign-in, so a developer signs in as them without a phone (``manage.py demo_code USERNAME`` prints
the current code). Only the demo's own devices are made or read here: they are named ``DEMO_NAME``,
and the keys are derived from the username, exactly as public as the demo password."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import is_required

DEMO_NAME = "demo"


def demo_key(username: str) -> str:
    """The hex key of a demo account's device (20 bytes, as django-otp makes them)."""
    return hashlib.sha1(f"brukermedvirkning-demo-totp:{username}".encode(), usedforsecurity=False).hexdigest()


def demo_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=DEMO_NAME, confirmed=True).first()


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def typed_key(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def load(demo: Any) -> None:
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        if not is_required(user) or demo_device(user) is not None:
            continue
        TOTPDevice.objects.create(user=user, name=DEMO_NAME, key=demo_key(user.get_username()), confirmed=True)
        demo.note(f"two-step device of {user.get_username()}")


def describe() -> list[str]:
    """Lines for load_demo's summary: who has a demo device, and its key for an authenticator app."""
    devices = (TOTPDevice.objects.filter(name=DEMO_NAME, confirmed=True)
               .select_related("user").order_by("user__username"))
    lines = [f"  {device.user.get_username()}: key {typed_key(device)}" for device in devices]
    if not lines:
        return []
    return ["Two-step sign-in is required for these demo accounts. `manage.py demo_code USERNAME` prints the "
            "current code, or add the key to an authenticator app:", *lines]
