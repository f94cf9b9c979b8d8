"""The one way the portal sends e-mail: in the recipient's own language (never the language of
whoever acted), with absolute links, and without ever turning a mail outage into an error page for
the person who acted. The message is composed here and handed to the task queue
(``portal.core.tasks.deliver_mail``), which sends it once and retries while the mail server is down."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.utils import translation

from portal.access.users import User, language_of

from .tasks import deliver_mail

logger = logging.getLogger(__name__)

# Builds (subject, body); called with the recipient's language active.
Compose = Callable[[], tuple[str, str]]


def absolute_url(path: str) -> str:
    """A link for an e-mail: site paths get the portal's public address in front."""
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


def send(recipient: User, compose: Compose) -> bool:
    """Queue one message to ``recipient`` in their language; False if there is nothing to send to
    (no address) or it could not be queued (logged). Callers run this after their commit, so the
    message never announces a step that was rolled back."""
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
    try:
        deliver_mail.enqueue(key=str(uuid.uuid4()), address=address, subject=" ".join(str(subject).split()),
                             body=str(body), language=language)
    except Exception:  # noqa: BLE001 - the step is stored; a queue outage must not undo or hide it
        logger.exception("Could not queue e-mail to %s", log_as or "an invited address")
        return False
    return True
