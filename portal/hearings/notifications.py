"""E-mails to the people who follow a hearing: a new published response, and the outcome. Each is
sent after the step commits (a rolled-back step announces nothing), in the recipient's language
(portal.core.mail), only to people who may read what it announces, with a link to the portal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.access.visibility import can_view
from portal.core import mail
from portal.core.selectors import localized_pages
from workflows import status as workflow_status

from . import selectors
from .models import HearingPage, PublishedResponse


def _in_language(page: Any) -> Any:
    """The page's version in the language active while composing (the recipient's)."""
    return localized_pages([page])[0]


def _send_all(recipients: list[Any], compose_for: Any) -> None:
    for recipient in recipients:
        mail.send(recipient, lambda recipient=recipient: compose_for(recipient))


def response_published(*, published: PublishedResponse) -> None:
    """Tell the hearing's followers that a response is out, once it is public (the hearing's policy
    may hold responses until the deadline: then nobody is told early)."""
    if not published.is_released() or published.withdrawn_at is not None:
        return
    published_id = published.pk

    def deliver() -> None:
        copy = PublishedResponse.objects.select_related("hearing", "organisation").filter(pk=published_id).first()
        if copy is None or copy.withdrawn_at is not None:
            return
        recipients = [user for user in selectors.followers(copy.hearing) if can_view(user, copy)]

        def compose(recipient: Any) -> tuple[str, str]:
            hearing, organisation = _in_language(copy.hearing), _in_language(copy.organisation)
            subject = _("New response to “%(hearing)s”") % {"hearing": hearing.title}
            return subject, render_to_string("hearings/email/followed_response.txt", {
                "recipient": recipient, "hearing": hearing, "organisation": organisation,
                "status": workflow_status.Status(workflow_status.PUBLISHED).label,
                "url": mail.absolute_url(copy.get_absolute_url()),
                "hearing_url": mail.absolute_url(hearing.url or ""),
            })

        _send_all(recipients, compose)

    transaction.on_commit(deliver)


def outcome_published(*, hearing: HearingPage) -> None:
    """Tell the hearing's followers that the agency published its outcome."""
    hearing_id = hearing.pk

    def deliver() -> None:
        source = HearingPage.objects.filter(pk=hearing_id).first()
        if source is None:
            return
        recipients = [user for user in selectors.followers(source) if can_view(user, source)]

        def compose(recipient: Any) -> tuple[str, str]:
            page = _in_language(source)
            subject = _("Outcome of the hearing “%(hearing)s”") % {"hearing": page.title}
            return subject, render_to_string("hearings/email/followed_outcome.txt", {
                "recipient": recipient, "hearing": page,
                "status": workflow_status.hearing_label(workflow_status.HEARING_CONCLUDED),
                "url": mail.absolute_url(f"{page.url}#utfall" if page.url else ""),
            })

        _send_all(recipients, compose)

    transaction.on_commit(deliver)
