"""The member list of an organisation on the public site: members read it, leads manage it. Thin:
the rules are in actions.py, the reads in selectors.py, visibility in portal.access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.access.visibility import filter_viewable
from portal.core.routes import page_route

from . import actions, selectors
from .forms import AddMemberForm, ChangeRoleForm, RemoveMemberForm
from .models import OrganisationMembership, OrganisationPage


@page_route(OrganisationPage, "medlemmer/", name="members")
def members(request: HttpRequest, page: OrganisationPage) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_see_members(user=request.user, organisation=page):
        raise PermissionDenied(_("Only the organisation's members can see its member list."))
    can_manage = selectors.can_manage_members(user=request.user, organisation=page)

    add_form = AddMemberForm(prefix="add")
    errors: list[str] = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only the organisation's leads can manage its members."))
        outcome = _handle_post(request, page)
        if isinstance(outcome, HttpResponse):
            return outcome
        add_form, errors = outcome
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)

    member_list = filter_viewable(request.user, selectors.memberships(organisation=page))
    context = page.get_context(request)
    context.update({
        "memberships": member_list,
        "can_manage": can_manage,
        "add_form": add_form,
        "errors": errors,
        "roles": OrganisationMembership.Role.choices,
        "space": selectors.space_for(organisation=page),
    })
    status = 400 if errors or add_form.errors else 200
    return TemplateResponse(request, "organisations/organisation_members.html", context, status=status)


def _membership_in(page: OrganisationPage, membership_id: int) -> OrganisationMembership | None:
    # Only this organisation's memberships: an id from another organisation is "not found".
    return selectors.memberships(organisation=page).filter(pk=membership_id).first()


def _handle_post(request: HttpRequest, page: OrganisationPage):
    action = request.POST.get("action")
    add_form = AddMemberForm(prefix="add")
    errors: list[str] = []
    try:
        if action == "add":
            add_form = AddMemberForm(request.POST, prefix="add")
            if add_form.is_valid():
                user = add_form.cleaned_data["identifier"]
                actions.membership_add(organisation=page, user=user, role=add_form.cleaned_data["role"],
                                       actor=request.user)
                messages.success(request, _("%(user)s is now a member.") % {"user": user.get_full_name() or user})
                return HttpResponseRedirect(request.path)
        elif action in ("change_role", "remove"):
            form = (ChangeRoleForm if action == "change_role" else RemoveMemberForm)(request.POST)
            membership = _membership_in(page, form.cleaned_data["membership"]) if form.is_valid() else None
            if form.errors:
                errors.extend(message for field_errors in form.errors.values() for message in field_errors)
            elif membership is None:
                errors.append(_("That membership no longer exists. Reload the page and try again."))
            elif action == "change_role":
                actions.membership_change_role(membership=membership, role=form.cleaned_data["role"],
                                               actor=request.user)
                messages.success(request, _("The role was changed."))
                return HttpResponseRedirect(request.path)
            else:
                actions.membership_remove(membership=membership, actor=request.user)
                messages.success(request, _("The member was removed."))
                return HttpResponseRedirect(request.path)
        else:
            errors.append(_("Unknown action."))
    except actions.MembershipError as error:
        errors.extend(error.messages)
        if action == "add":
            add_form.add_error(None, error)
            errors = []
    return add_form, errors
