"""The one way the portal sends e-mail: in the recipient's own language (never the language of
whoever acted), with absolute links, and without ever turning a mail outage into an error page for
the person who acted (the step they took is stored; the failure is logged)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from portal.access.users import User, language_of

logger = logging.getLogger(__name__)

# Builds (subject, body); called with the recipient's language active.
Compose = Callable[[], tuple[str, str]]


def absolute_url(path: str) -> str:
    """A link for an e-mail: site paths get the portal's public address in front."""
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


def send(recipient: User, compose: Compose) -> bool:
    """Send one message to ``recipient`` in their language; False if it could not be sent (no
    address, or the mail server failed, which is logged)."""
    address = getattr(recipient, "email", "")
    if not address:
        return False
    return send_to_address(address, compose, language=language_of(recipient),
                           log_as=f"user {getattr(recipient, 'pk', None)}")


def send_to_address(address: str, compose: Compose, *, language: str, log_as: str = "") -> bool:
    """Send one message to an address that may have no account (an invitation), in ``language``
    (the caller knows the recipient's: portal/access/invitations.py). Same rules as :func:`send`."""
    if not address:
        return False
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = compose()
    message = EmailMessage(
        " ".join(str(subject).split()), body, settings.DEFAULT_FROM_EMAIL, [address],
        headers={"Content-Language": language},
    )
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the step is stored; a mail outage must not undo or hide it
        logger.exception("Could not send e-mail to %s", log_as or "an invited address")
        return False
    return True
