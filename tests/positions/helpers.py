"""Builders for position-paper tests: drafts in the demo organisations' spaces, and the real
workflow (organisation lead, then moderator) that publishes them."""

from __future__ import annotations

import uuid
from typing import Any

from portal.organisations.models import OrganisationPage
from portal.organisations.selectors import space_for
from portal.positions.models import PositionPaperPage, PublishedPositionPaper
from tests.helpers import demo_user
from workflows import actions

FFB = "fellesforbundet-for-brukerorganisasjoner"
URB = "ungdomsradet-for-brukermedvirkning"


def draft(*, organisation: str = FFB, author: str = "org-medlem", title: str = "Standpunkt om testing",
          summary: str = "Kort sammendrag.", body: str = "<p>Vi mener noe viktig.</p>",
          topics: tuple[str, ...] = ("universell utforming",)) -> PositionPaperPage:
    """An unpublished draft written by ``author`` in the organisation's private space."""
    user = demo_user(author)
    space = space_for(organisation=OrganisationPage.objects.get(slug=organisation, locale__language_code="nb"))
    page = PositionPaperPage(title=title, slug=f"standpunkt-{uuid.uuid4().hex[:8]}", summary=summary, body=body,
                             live=False, owner=user)
    space.add_child(instance=page)
    page.topics.set(list(topics))
    page.save_revision(user=user)
    return page


def approve_all(page: PositionPaperPage, *, author: str = "org-medlem",
                approvers: tuple[str, ...] = ("org-leder", "moderator")) -> PublishedPositionPaper:
    """Submit the draft and approve every step, as the organisation lead and a moderator do."""
    actions.submit_for_moderation(page=page, user=demo_user(author))
    for approver in approvers:
        page.refresh_from_db()
        actions.approve(task_state=page.current_workflow_state.current_task_state, user=demo_user(approver))
    page.refresh_from_db()
    return PublishedPositionPaper.objects.get(source=page)


def published(**fields: Any) -> PublishedPositionPaper:
    return approve_all(draft(**fields))
