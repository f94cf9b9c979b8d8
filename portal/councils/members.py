"""Councils' member page and invitations: the shared member page (portal/core/members.py) and the
invitation service (portal/access/invitations.py), configured for councils (seats with a period, a
represented organisation, the secretary manages them, the page is private)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from portal.access.models import Invitation
from portal.access.users import User
from portal.access.visibility import filter_viewable
from portal.core.members import InviteForm, MemberPage
from portal.organisations.models import OrganisationPage

from . import actions, selectors
from .models import CouncilMembership

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KIND = "council"


def private(response: HttpResponse) -> HttpResponse:
    """Nothing from a private space may be kept by a shared cache or the browser's back button."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def refuse(request: HttpRequest, page: Page, message: StrOrPromise) -> HttpResponse:
    """403 with a message saying why; the page chrome shows nothing of the space."""
    context = {"page": page, "message": message}
    return private(TemplateResponse(request, "councils/forbidden.html", context, status=403))


class CouncilInviteForm(InviteForm):
    organisation = forms.ModelChoiceField(
        label=_("Represents"), required=False, queryset=OrganisationPage.objects.none(),
        empty_label=_("No organisation"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = OrganisationPage.objects.live().filter(
            locale=Locale.get_default()
        ).order_by("title")

    def details(self) -> dict[str, Any]:
        organisation = self.cleaned_data.get("organisation")
        return {"organisation": organisation.pk} if organisation else {}


def _lists(request: HttpRequest, page: Page) -> dict[str, list[Any]]:
    rows = list(filter_viewable(request.user, selectors.memberships(council=page)))
    selectors.localize_organisations(rows)
    return {
        "current": [m for m in rows if m.is_current()],
        "past": [m for m in rows if m.has_ended()],
        "upcoming": [m for m in rows if not m.is_current() and not m.has_ended()],
    }


def _base_context(request: HttpRequest, page: Any) -> dict[str, Any]:
    return {
        "is_member": selectors.is_member(user=request.user, council=page),
        "space_url": page.space_url("space"),
        "members_url": page.space_url("members"),
    }


def _accept(invitation: Invitation, user: User) -> None:
    organisation_id = invitation.details.get("organisation")
    organisation = OrganisationPage.objects.filter(pk=organisation_id).first() if organisation_id else None
    actions.membership_add(council=invitation.target.specific, user=user, role=invitation.role,
                           organisation=organisation, actor=None)


MEMBER_PAGE = MemberPage(
    kind=KIND,
    header_template="councils/includes/members_header.html",
    can_see=lambda user, page: selectors.is_member(user=user, council=page) or bool(user.is_superuser),
    can_manage=lambda user, page: selectors.can_manage_members(user=user, council=page),
    may_not_see=_("Only the council's members can see its member list and contact details."),
    may_not_manage=_("Only the council's secretary can manage its members."),
    refuse=refuse,
    lists=_lists,
    role_choices=CouncilMembership.Role,
    memberships=lambda page: selectors.memberships(council=page),
    change_role=actions.membership_change_role,
    remove=actions.membership_end,
    remove_action="end",
    remove_label=_("End period"),
    remove_aria=_("End the period of %(name)s"),
    removed_message=_("The period was ended. The person no longer has access to the space."),
    errors=(actions.SpaceError,),
    invite_form=CouncilInviteForm,
    show_represents=True,
    show_period=True,
    caption_visible=True,
    extra_context=_base_context,
    finish=private,
)


def register() -> None:
    MEMBER_PAGE.register_invitations(
        source=selectors.source_council,
        is_member=lambda page, user: selectors.is_member(user=user, council=page),
        current_memberships=lambda page: selectors.current_memberships(council=page),
        accept=_accept,
        landing_url=lambda page: page.space_url("members"),
    )
