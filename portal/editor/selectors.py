"""Reads for the portal editor: which draft a person may open, what it looks like now, who else is
in it, its comments, and what changed since the last approval."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Task, TaskState

from portal.access import membership
from portal.access.users import Account, User, as_account
from portal.access.visibility import can_edit_page
from portal.hearings import selectors as hearing_selectors
from portal.hearings.models import CoSignature, HearingPage, HearingResponsePage, PublishedResponse, ResponseInput
from portal.organisations.models import OrganisationDraftPage
from portal.positions.models import PositionPaperPage
from workflows import status as workflow_status
from workflows.models import PortalTask

from .models import DraftComment, EditorPresence

EDITABLE = (HearingResponsePage, PositionPaperPage, OrganisationDraftPage)
# Someone whose editor has not called in for this long has left.
PRESENCE_TIMEOUT = datetime.timedelta(seconds=45)


def display_name(user: Account | None) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def editable_page(page_id: int) -> Page | None:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    return page if isinstance(page, EDITABLE) else None


def current_task(page: Page) -> Task | None:
    state = page.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    return task_state.task.specific


def may_write(user: User, page: Page) -> bool:
    """A current member of the organisation whose space holds the draft, with the space's page
    permissions. Page permissions alone are not enough: moderators and other staff may hold them
    site-wide, and an organisation's drafts are its own until they are submitted."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not membership.is_member(user, membership.organisation_of(page)):
        return False
    return can_edit_page(user, page)


def may_review(user: User, page: Page) -> bool:
    """The person may decide the step the draft waits in now."""
    task = current_task(page)
    return isinstance(task, PortalTask) and task.user_can_review(page, user)


def may_open(user: User, page: Page) -> bool:
    return may_write(user, page) or may_review(user, page)


def status_of(page: Page) -> workflow_status.Status:
    if isinstance(page, HearingResponsePage):
        published = PublishedResponse.objects.filter(response=page).first()
        public = published is not None and published.withdrawn_at is None and not page.has_unpublished_changes
        withdrawn = published is not None and published.withdrawn_at is not None
        return workflow_status.status_of(page, published=public, withdrawn=withdrawn)
    return workflow_status.status_of(page)


def anchors(draft: Page) -> dict[str, str]:
    """What a comment (or presence) can be about: the general remarks and each part, by key."""
    found = {"general": _("General remarks")} if isinstance(draft, HearingResponsePage) else {"text": _("Text")}
    if isinstance(draft, HearingResponsePage):
        for part in draft.parts.all():
            number = part.section_number.strip()
            found[number] = _("section %(number)s") % {"number": number}
    return found


def co_members(page: Page) -> list[Any]:
    """The active members of the organisation that owns the draft."""
    return membership.people(membership.organisation_of(page))


def organisation_of(page: Page) -> Any:
    return membership.organisation_of(page)


@dataclass
class Thread:
    comment: DraftComment
    replies: list[DraftComment] = field(default_factory=list)
    about: str = ""


def threads(page: Page, draft: Page) -> list[Thread]:
    labels = anchors(draft)
    comments = list(DraftComment.objects.filter(page=page).select_related("author", "resolved_by"))
    by_id = {
        c.pk: Thread(comment=c, about=str(labels.get(c.anchor, c.anchor))) for c in comments if c.parent_id is None
    }
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return list(by_id.values())


@dataclass(frozen=True)
class Presence:
    name: str
    where: str


def present(page: Page, user: User, draft: Page) -> list[Presence]:
    """Others with the editor open now, and where they are in it."""
    labels = anchors(draft)
    since = timezone.now() - PRESENCE_TIMEOUT
    rows = (
        EditorPresence.objects.filter(page=page, seen_at__gte=since).exclude(user=as_account(user))
        .select_related("user").order_by("user__first_name", "user__username")
    )
    return [Presence(name=display_name(row.user), where=str(labels.get(row.where, ""))) for row in rows
            if may_write(row.user, page)]


def presence_sentence(item: Presence) -> str:
    if item.where:
        return _("%(name)s is editing %(where)s now") % {"name": item.name, "where": item.where}
    return _("%(name)s has this draft open now") % {"name": item.name}


def response_context(page: HearingResponsePage, draft: HearingResponsePage) -> dict[str, Any]:
    hearing = HearingPage.objects.get(pk=draft.hearing_id)
    sections = list(hearing.sections.all())
    return {
        "hearing": hearing,
        "sections": sections,
        "hearing_open": hearing.accepts_responses(),
        "inputs": list(ResponseInput.objects.filter(response=page).select_related("organisation", "author")),
        "cosignatures": list(CoSignature.objects.filter(response=page).select_related("organisation")),
        "cosign_candidates": hearing_selectors.cosign_candidates(page, organisation_of(page)),
        "input_url": hearing.url + hearing.reverse_subpage("input_view", args=(page.pk,)) if hearing.url else "",
    }


def user_model() -> Any:
    return get_user_model()


def live_field(page: Page) -> str:
    """The rich text members write together live (the rest of the form is saved as before)."""
    return "general_remarks" if isinstance(page, HearingResponsePage) else "body"
