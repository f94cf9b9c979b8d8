"""Organisations' member page and invitations: the shared member page (portal/core/members.py)
and the invitation service (portal/access/invitations.py), configured for organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.access.models import Invitation
from portal.access.users import User
from portal.access.visibility import filter_viewable
from portal.core.members import MemberPage

from . import actions, selectors
from .models import OrganisationMembership

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KIND = "organisation"


def _refuse(request: HttpRequest, page: Page, message: StrOrPromise) -> Any:
    raise PermissionDenied(message)


def _accept(invitation: Invitation, user: User) -> None:
    actions.membership_add(organisation=invitation.target.specific, user=user, role=invitation.role, actor=None)


MEMBER_PAGE = MemberPage(
    kind=KIND,
    header_template="organisations/includes/members_header.html",
    can_see=lambda user, page: selectors.can_see_members(user=user, organisation=page),
    can_manage=lambda user, page: selectors.can_manage_members(user=user, organisation=page),
    may_not_see=_("Only the organisation's members can see its member list."),
    may_not_manage=_("Only the organisation's leads can manage its members."),
    refuse=_refuse,
    lists=lambda request, page: {
        "current": list(filter_viewable(request.user, selectors.memberships(organisation=page))),
    },
    role_choices=OrganisationMembership.Role,
    memberships=lambda page: selectors.memberships(organisation=page),
    change_role=actions.membership_change_role,
    remove=actions.membership_remove,
    remove_action="remove",
    remove_label=_("Remove"),
    remove_aria=_("Remove %(name)s"),
    removed_message=_("The member was removed."),
    errors=(actions.MembershipError,),
    extra_context=lambda request, page: {"space": selectors.space_for(organisation=page)},
)


def register() -> None:
    MEMBER_PAGE.register_invitations(
        source=selectors.source_organisation,
        is_member=lambda page, user: selectors.is_member(user=user, organisation=page),
        current_memberships=lambda page: selectors.memberships(organisation=page),
        accept=_accept,
        landing_url=lambda page: page.members_url or page.url,
    )
