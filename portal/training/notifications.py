"""Training reminders: to a member whose module is missing three months after joining, or whose
completion is older than the council's renewal period, and to the lead of the organisation they
represent. In-site (the portal's notification list) and by e-mail (portal.core.mail), each in the
recipient's language. Each reminder is sent once (``Reminder`` rows); a failing e-mail is logged by the
mail sender and never stops the run."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from portal.access.users import Account, language_of
from portal.core import mail
from workflows.models import Notification

from . import selectors
from .models import Module, Reminder


def _in_language(page: Any, language: str) -> Any:
    locale = Locale.objects.filter(language_code=language).first()
    translated = page.get_translation_or_none(locale) if locale and page is not None else None
    return translated.specific if translated is not None and translated.live else page


def _title(*, due: selectors.DueReminder, member: Account, council: Any, for_lead: bool) -> str:
    name = member.get_full_name() or member.get_username()
    module = Module(due.module).label
    if due.reason == "missing":
        title = (_("%(name)s has not completed %(module)s on %(council)s") if for_lead
                 else _("You have not completed %(module)s on %(council)s"))
    else:
        title = (_("%(name)s's %(module)s on %(council)s should be renewed") if for_lead
                 else _("Your %(module)s on %(council)s should be renewed"))
    return title % {"name": name, "module": module, "council": council.title}


def _tell(*, recipient: Account, due: selectors.DueReminder, member: Account, for_lead: bool) -> None:
    language = language_of(recipient)
    url = reverse("training:courses")
    with translation.override(language):
        council = _in_language(due.council, language)
        title = _title(due=due, member=member, council=council, for_lead=for_lead)
    # About the council's public page: the notification list shows only what its reader may still see.
    Notification.objects.create(user=recipient, verb=Notification.Verb.REMINDER, title=title[:255], url=url,
                                page=due.council)

    def compose() -> tuple[str, str]:
        body = render_to_string("training/email/reminder.txt", {
            "recipient": recipient, "title": title, "reason": due.reason, "completed_on": due.completed_on,
            "joined": due.membership.start, "for_lead": for_lead, "url": mail.absolute_url(url),
        })
        return _("Training reminder: %(title)s") % {"title": title}, body

    mail.send(recipient, compose)


def send_due_reminders(*, today: datetime.date) -> int:
    """Send every reminder due on ``today`` that was not sent before; returns how many members were
    reminded."""
    sent = 0
    for due in selectors.due_reminders(today=today):
        member = due.membership.user
        try:
            with transaction.atomic():
                Reminder.objects.create(user=member, council_key=due.council.translation_key, module=due.module,
                                        reason=due.reason, sent_on=today)
        except IntegrityError:
            continue
        recipients = [(member, False)] + [
            (lead, True) for lead in selectors.organisation_leads(organisation=due.membership.organisation)
            if lead != member
        ]
        for recipient, for_lead in recipients:
            if recipient.is_active:
                _tell(recipient=recipient, due=due, member=member, for_lead=for_lead)
        sent += 1
    return sent
