"""E-mails about council spaces: "you were added to a council" and "someone replied in a thread you
follow". Sent after the transaction commits (a rolled-back post sends nothing), each in the
recipient's own language, and only to people the visibility service lets see what it is about."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from portal.access.users import User, language_of
from portal.access.visibility import can_view
from portal.core import mail

from .models import CouncilMembership, CouncilPage, Post

logger = logging.getLogger(__name__)


def _council_in(council: CouncilPage, language: str) -> CouncilPage:
    locale = Locale.objects.filter(language_code=language).first()
    translated = council.get_translation_or_none(locale) if locale else None
    return translated.specific if translated is not None and translated.live else council


def _send(*, recipient: User, subject: str, template: str, context: dict[str, Any]) -> None:
    body = render_to_string(template, {"recipient": recipient, **context})
    mail.send(recipient, lambda: (subject, body))


def send_member_added(membership_id: int) -> None:
    membership = CouncilMembership.objects.select_related("user", "council").filter(pk=membership_id).first()
    if membership is None or not membership.is_current():
        return
    user = membership.user
    if not user.is_active or not user.email:
        return
    language = language_of(user)
    with translation.override(language):
        council = _council_in(membership.council, language)
        _send(
            recipient=user,
            subject=_("You have been added to %(council)s") % {"council": council.title},
            template="councils/email/member_added.txt",
            context={
                "council": council,
                "role": membership.get_role_display(),
                "space_url": mail.absolute_url(council.space_url("space")),
            },
        )


def send_reply_notifications(post_id: int) -> None:
    from . import selectors

    post = Post.objects.select_related("thread__council", "author").filter(pk=post_id).first()
    if post is None or post.is_hidden:
        return
    thread = post.thread
    for recipient in selectors.thread_followers_to_notify(thread=thread, exclude=post.author):
        # Ask the one visibility service, like every channel: a follower who lost access gets nothing.
        if not can_view(recipient, post):
            continue
        language = language_of(recipient)
        with translation.override(language):
            council = _council_in(thread.council, language)
            author = post.author.get_full_name() or post.author.get_username() if post.author else ""
            _send(
                recipient=recipient,
                subject=_("New reply in “%(thread)s”") % {"thread": thread.title},
                template="councils/email/reply.txt",
                context={
                    "council": council,
                    "thread": thread,
                    "author": author,
                    "text": post.plain_text[:2000],
                    "thread_url": mail.absolute_url(thread.url_in(council)),
                },
            )


def member_added_on_commit(*, membership: CouncilMembership) -> None:
    membership_id = membership.pk
    transaction.on_commit(lambda: send_member_added(membership_id))


def reply_on_commit(*, post: Post) -> None:
    post_id = post.pk
    transaction.on_commit(lambda: send_reply_notifications(post_id))
