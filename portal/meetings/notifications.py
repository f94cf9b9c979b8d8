"""E-mails about minutes circulated to the attendees for comments. (The chair is told that minutes
wait for approval by the workflow's own notifications, as for every approval task.)

The messages name the meeting and link to it, and never carry the text of the minutes, so an
e-mail forwarded or read on a shared screen holds nothing exempt from disclosure. Nothing is sent
unless the step commits; a failing e-mail is logged and never undoes the step. Each message is in
the recipient's preferred language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from portal.access import membership
from portal.access.users import User
from portal.core import mail

from .models import Attendance, Minutes

logger = logging.getLogger(__name__)


def _link(minutes: Minutes) -> str:
    return mail.absolute_url(reverse("meetings:minutes", args=[minutes.meeting_id]))


def _members(minutes: Minutes, roles: Iterable[str] | None = None) -> list[Any]:
    return membership.people(minutes.meeting.council, roles_in=roles)


def _send(recipients: Iterable[Any], compose: Callable[[], tuple[str, str]]) -> None:
    seen: set[int] = set()
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            mail.send(user, compose)


def _circulated(minutes_id: int, actor_id: int | None) -> None:
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes_id)
    members = _members(minutes)
    present = set(minutes.meeting.attendance.filter(status=Attendance.Status.PRESENT).values_list("user_id", flat=True))
    recipients = [user for user in members if (not present or user.pk in present) and user.pk != actor_id]

    def compose() -> tuple[str, str]:
        values = {"meeting": minutes.meeting.title,
                  "date": formats.date_format(minutes.comment_deadline, "SHORT_DATE_FORMAT"), "link": _link(minutes)}
        return (_("Draft minutes for comments: %(meeting)s") % values,
                _("The draft minutes of %(meeting)s have been circulated to the attendees. "
                  "Please read them and comment by %(date)s:\n\n%(link)s") % values)

    _send(recipients, compose)


def minutes_circulated(minutes: Minutes, actor: User) -> None:
    transaction.on_commit(lambda: _circulated(minutes.pk, getattr(actor, "pk", None)))
