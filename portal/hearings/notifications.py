"""E-mails to the people who follow a hearing: a new published response, and the outcome. Each is
sent after the step commits (a rolled-back step announces nothing), in the recipient's language
(portal.core.mail), only to people who may read what it announces, with a link to the portal."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.users import User
from portal.access.visibility import can_view
from portal.core import mail
from portal.core.selectors import localized_pages
from workflows import status as workflow_status

from . import selectors
from .models import HearingPage, PublishedResponse, released_q


def _in_language(page: Any) -> Any:
    """The page's version in the language active while composing (the recipient's)."""
    return localized_pages([page])[0]


def _send_all(recipients: list[Any], compose_for: Any) -> None:
    for recipient in recipients:
        mail.send(recipient, partial(compose_for, recipient))


def _announce(copy: PublishedResponse) -> None:
    """E-mail the hearing's followers who may read it, and mark it announced (once only)."""
    claimed = PublishedResponse.objects.filter(pk=copy.pk, announced_at__isnull=True).update(
        announced_at=timezone.now())
    if not claimed:
        return
    recipients = [user for user in selectors.followers(copy.hearing) if can_view(user, copy)]

    def compose(recipient: User) -> tuple[str, str]:
        hearing, organisation = _in_language(copy.hearing), _in_language(copy.organisation)
        subject = _("New response to “%(hearing)s”") % {"hearing": hearing.title}
        return subject, render_to_string("hearings/email/followed_response.txt", {
            "recipient": recipient, "hearing": hearing, "organisation": organisation,
            "status": workflow_status.Status(workflow_status.PUBLISHED).label,
            "url": mail.absolute_url(copy.get_absolute_url()),
            "hearing_url": mail.absolute_url(hearing.url or ""),
        })

    _send_all(recipients, compose)


def response_published(*, published: PublishedResponse) -> None:
    """Tell the hearing's followers that a response is out, once it is public. A response the
    hearing's policy holds until the deadline is announced then, by :func:`announce_released`."""
    if not published.is_released() or published.withdrawn_at is not None:
        return
    published_id = published.pk

    def deliver() -> None:
        copy = PublishedResponse.objects.select_related("hearing", "organisation").filter(pk=published_id).first()
        if copy is not None and copy.withdrawn_at is None:
            _announce(copy)

    transaction.on_commit(deliver)


def announce_released(now: datetime.datetime | None = None) -> int:
    """Announce every response released since it was accepted (its hearing's deadline has passed)
    and not announced yet; returns how many. Run every minute by the task workers (tasks.py), and by
    hand with ``manage.py announce_released_responses``."""
    due = list(
        PublishedResponse.objects.filter(released_q(now), announced_at__isnull=True, withdrawn_at__isnull=True,
                                         hearing__live=True)
        .select_related("hearing", "organisation").order_by("accepted_at", "pk")
    )
    for copy in due:
        _announce(copy)
    return len(due)


def outcome_published(*, hearing: HearingPage) -> None:
    """Tell the hearing's followers that the agency published its outcome."""
    hearing_id = hearing.pk

    def deliver() -> None:
        source = HearingPage.objects.filter(pk=hearing_id).first()
        if source is None:
            return
        recipients = [user for user in selectors.followers(source) if can_view(user, source)]

        def compose(recipient: User) -> tuple[str, str]:
            page = _in_language(source)
            subject = _("Outcome of the hearing “%(hearing)s”") % {"hearing": page.title}
            return subject, render_to_string("hearings/email/followed_outcome.txt", {
                "recipient": recipient, "hearing": page,
                "status": workflow_status.hearing_label(workflow_status.HEARING_CONCLUDED),
                "url": mail.absolute_url(f"{page.url}#utfall" if page.url else ""),
            })

        _send_all(recipients, compose)

    transaction.on_commit(deliver)
