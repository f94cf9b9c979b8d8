"""Builders for workflow tests: fresh drafts in the demo organisations' spaces and under the demo
councils, submitted by demo accounts."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

from portal.core.models import StandardPage
from portal.councils.models import CouncilMembership, CouncilPage
from portal.organisations.models import OrganisationDraftPage, OrganisationPage, OrganisationSpacePage
from tests.helpers import demo_page, demo_user
from workflows import actions
from workflows.setup import assign_minutes_workflow

FFB = "fellesforbundet-for-brukerorganisasjoner"
URB = "ungdomsradet-for-brukermedvirkning"
BERGEN = "brukerutvalget-i-bergen"
VESTLAND = "brukerutvalget-i-vestland"


def space_of(slug: str) -> OrganisationSpacePage:
    organisation = OrganisationPage.objects.get(slug=slug, locale__language_code="nb")
    return OrganisationSpacePage.objects.child_of(organisation).get()


def org_draft(*, organisation: str = FFB, author: str = "org-medlem", title: str = "Utkast til høringssvar",
              body: str = "<p>Vi støtter forslaget.</p>", slug: str | None = None) -> OrganisationDraftPage:
    """An unpublished draft in the organisation's space with one revision by ``author``."""
    user = demo_user(author)
    page = OrganisationDraftPage(title=title, slug=slug or f"testutkast-{uuid.uuid4().hex[:8]}", body=body,
                                 live=False, owner=user)
    space_of(organisation).add_child(instance=page)
    page.save_revision(user=user)
    return page


def council_draft(*, council: str = BERGEN, author: str = "utvalgssekretaer", title: str = "Referat fra møte 3/2026",
                  ) -> StandardPage:
    """An unpublished page in the council's subtree, under a parent carrying the chair-approval
    workflow (as the meetings app assigns it to its minutes)."""
    council_page = demo_page(council)
    parent = council_page.get_children().filter(slug="referater-test").first()
    if parent is None:
        parent = StandardPage(title="Referater", slug="referater-test")
        council_page.add_child(instance=parent)
        parent.save_revision().publish()
        assign_minutes_workflow(parent)
        # The secretary drafts minutes (add/change, not publish), as the meetings app grants it.
        secretaries = Group.objects.create(name=f"Sekretærer {council}")
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.create(
                group=secretaries, page=parent, permission=Permission.objects.get(codename=codename)
            )
        demo_user(author).groups.add(secretaries)
    page = StandardPage(title=title, slug=f"referat-{uuid.uuid4().hex[:8]}", body="<p>Referatet.</p>", live=False)
    parent.add_child(instance=page)
    page.save_revision(user=demo_user(author))
    return page


def submit(page: Page, username: str = "org-medlem") -> Any:
    return actions.submit_for_moderation(page=page, user=demo_user(username))


def task_state(page: Page) -> Any:
    page.refresh_from_db()
    state = page.current_workflow_state
    return state.current_task_state.specific if state is not None else None


def make_chair(username: str, council_slug: str, *, role: str = CouncilMembership.Role.CHAIR,
               end: datetime.date | None = None) -> Any:
    from tests.helpers import make_user

    user = make_user(username)
    CouncilMembership.objects.create(
        council=CouncilPage.objects.get(slug=council_slug, locale__language_code="nb"), user=user, role=role,
        start=datetime.date(2024, 1, 1), end=end,
    )
    return user


@pytest.fixture
def draft() -> OrganisationDraftPage:
    return org_draft()
