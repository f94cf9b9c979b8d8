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
    language = language_of(recipient)
    with translation.override(language):
        subject, body = compose()
    try:
        deliver_mail.enqueue(key=str(uuid.uuid4()), address=address, subject=" ".join(str(subject).split()),
                             body=str(body), language=language)
    except Exception:  # noqa: BLE001 - the step is stored; a queue outage must not undo or hide it
        logger.exception("Could not queue e-mail to user %s", getattr(recipient, "pk", None))
        return False
    return True
