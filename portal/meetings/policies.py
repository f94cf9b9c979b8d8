"""Visibility of the meetings app's non-page objects, registered with the one visibility service."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from wagtail.documents import get_document_model

from portal.access import membership
from portal.access.users import User
from portal.access.visibility import Policy, register_policy, register_view_condition
from portal.councils.models import CouncilPage

from .models import AgendaItem, CaseReferral, MeetingPage, Minutes, MinutesComment
from .selectors import (
    _council_paths,
    can_view_minutes,
    can_view_referral,
    is_council_member,
    may_manage,
    sees_confidential,
)


def _member_council_keys(user: User) -> set:
    return membership.group_keys(user, membership.COUNCIL)


def confidential_attachment_admits(user: User, document: Any) -> bool:
    """A confidential agenda item's attachment has the item's protection, whatever collection the
    document sits in: only those who see the item's text (the council's current members) get it.
    Every channel that asks the visibility service about a document (Wagtail's serve view through
    the ``before_serve_document`` hook, search's linked documents, listings) gets this answer."""
    items = AgendaItem.objects.filter(attachment=document, confidential=True).select_related("page")
    return all(sees_confidential(user=user, meeting=item.page) for item in items)


def confidential_attachments_admitted(user: User, documents: list[Any]) -> set[Any]:
    """``confidential_attachment_admits`` for a list of documents: their confidential agenda items
    in one query (and each item's meeting decided as for a single document)."""
    refused = {
        item.attachment_id
        for item in AgendaItem.objects.filter(attachment__in=[doc.pk for doc in documents], confidential=True)
        .select_related("page")
        if not sees_confidential(user=user, meeting=item.page)
    }
    return {doc.pk for doc in documents if doc.pk not in refused}


def register_policies() -> None:
    register_view_condition(get_document_model(), confidential_attachment_admits,
                            admitted=confidential_attachments_admitted)
    register_policy(Minutes, Policy(
        can_view=lambda user, minutes: can_view_minutes(user=user, minutes=minutes),
        can_edit=lambda user, minutes: may_manage(user=user, council=minutes.meeting.council),
        filter_viewable=lambda user, qs: qs.filter(
            Q(live=True) | Q(meeting__path__in=_member_meeting_paths(user))
        ),
    ))
    register_policy(MinutesComment, Policy(
        can_view=lambda user, comment: is_council_member(user=user, council=comment.minutes.meeting.council),
        can_edit=lambda user, comment: False,
    ))
    register_policy(CaseReferral, Policy(
        can_view=lambda user, referral: can_view_referral(user=user, referral=referral),
        can_edit=lambda user, referral: may_manage(user=user, council=referral.from_council),
        filter_viewable=lambda user, qs: qs.filter(
            Q(from_council__translation_key__in=_member_council_keys(user))
            | Q(to_council__translation_key__in=_member_council_keys(user))
        ),
    ))


def _member_meeting_paths(user: User) -> list[str]:
    keys = _member_council_keys(user)
    if not keys:
        return []
    councils = list(CouncilPage.objects.filter(translation_key__in=keys))
    return list(MeetingPage.objects.filter(_council_paths(councils)).values_list("path", flat=True))
