"""One member page for every kind of membership (organisations, councils): members read the list,
whoever manages it invites by e-mail, changes roles, ends memberships and revokes invitations. Each
domain app describes its kind with a :class:`MemberPage` and routes its page's ``members`` URL here.

Adding people is by invitation only (portal/access/invitations.py): the answer to "invite this
address" is the same whether or not an account has it, so the form tells nobody who is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from wagtail.models import Page

from portal.access import invitations
from portal.access.models import Invitation

from . import mail

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class InviteForm(forms.Form):
    """The address to invite and the role they are offered; kinds add their own fields and say what
    the membership needs beyond the role in :meth:`details`."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"), max_length=254,
        help_text=gettext_lazy("We send an invitation to this address. The person becomes a member when they "
                               "accept it, signed in with an account that has this address."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"))

    def __init__(self, *args: Any, roles: list[tuple[str, str]], initial_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = roles
        self.fields["role"].initial = initial_role

    def details(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class MemberPage:
    """How one kind of membership is shown and managed."""

    kind: str  # the registered invitation kind
    header_template: str  # the kind's own lines under the heading (navigation, who may see the list)
    can_see: Callable[[Any, Page], bool]
    can_manage: Callable[[Any, Page], bool]
    may_not_see: StrOrPromise
    may_not_manage: StrOrPromise
    # Answer 403 with the message (organisations use the site's 403 page, councils their own).
    refuse: Callable[[HttpRequest, Page, StrOrPromise], HttpResponse]
    # Lists to show: {"current": [...], "upcoming": [...], "past": [...]} (memberships, viewable).
    lists: Callable[[HttpRequest, Page], dict[str, list[Any]]]
    role_choices: Any  # the membership model's Role (TextChoices, with a MEMBER role)
    # This kind's memberships of a page (a queryset): ids posted from another page are "not found".
    memberships: Callable[[Page], Any]
    change_role: Callable[..., Any]  # (membership=, role=, actor=)
    remove: Callable[..., Any]  # (membership=, actor=)
    remove_action: str  # the POST action that ends a membership ("remove", "end")
    remove_label: StrOrPromise
    remove_aria: StrOrPromise  # with %(name)s
    removed_message: StrOrPromise
    errors: tuple[type[ValidationError], ...]
    invite_form: type[InviteForm] = InviteForm
    show_represents: bool = False
    show_period: bool = False
    caption_visible: bool = False
    extra_context: Callable[[HttpRequest, Page], dict[str, Any]] = field(default=lambda request, page: {})
    finish: Callable[[HttpResponse], HttpResponse] = field(default=lambda response: response)

    def roles(self) -> list[tuple[str, str]]:
        return list(self.role_choices.choices)

    @property
    def initial_role(self) -> str:
        return str(self.role_choices.MEMBER)

    def role_label(self, role: str) -> str:
        return str(dict(self.role_choices.choices).get(role, role))

    def membership_in(self, page: Page, pk: int) -> Any:
        return self.memberships(page).filter(pk=pk).first()

    def register_invitations(
        self, *, source: Callable[[Page], Page], is_member: Callable[[Page, Any], bool],
        current_memberships: Callable[[Page], Any], accept: Callable[[Invitation, Any], Any],
        landing_url: Callable[[Page], str],
    ) -> None:
        """Invitations to this kind of membership (portal/access/invitations.py)."""
        invitations.register_kind(invitations.InvitationKind(
            name=self.kind, source=source, is_member=is_member,
            member_emails=lambda page: {m.user.email.lower() for m in current_memberships(page) if m.user.email},
            accept=accept, role_label=self.role_label, landing_url=landing_url,
        ))


def _invite_form(config: MemberPage, data: Any = None) -> InviteForm:
    return config.invite_form(data, prefix="invite", roles=config.roles(), initial_role=config.initial_role)


def members(request: HttpRequest, page: Page, config: MemberPage) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not config.can_see(request.user, page):
        return config.refuse(request, page, config.may_not_see)
    can_manage = config.can_manage(request.user, page)
    invite_form = _invite_form(config)
    errors: list[str] = []
    if request.method == "POST":
        if not can_manage:
            return config.refuse(request, page, config.may_not_manage)
        outcome = _post(request, page, config)
        if isinstance(outcome, HttpResponse):
            return config.finish(outcome)
        invite_form, errors = outcome
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)

    context = page.get_context(request)
    lists = config.lists(request, page)
    for membership in lists.get("current", []):
        name = membership.user.get_full_name() or membership.user.get_username()
        membership.remove_aria = config.remove_aria % {"name": name}
    context.update({
        "config": config,
        "current": lists.get("current", []),
        "upcoming": lists.get("upcoming", []),
        "past": lists.get("past", []),
        "can_manage": can_manage,
        "invite_form": invite_form,
        "invitations": invitations.open_invitations(target=page) if can_manage else [],
        "invitation_days": settings.PORTAL_INVITATION_DAYS,
        "errors": errors,
        "roles": config.roles(),
        "column_count": 3 + config.show_represents + config.show_period + can_manage,
    })
    context.update(config.extra_context(request, page))
    status = 400 if errors or invite_form.errors else 200
    return config.finish(TemplateResponse(request, "core/members.html", context, status=status))


class _MembershipForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)


class _ChangeRoleForm(_MembershipForm):
    role = forms.ChoiceField()

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = roles


class _InvitationForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)


def _form_messages(form: forms.Form) -> list[str]:
    return [str(message) for field_errors in form.errors.values() for message in field_errors]


def _post(request: HttpRequest, page: Page, config: MemberPage):
    action = request.POST.get("action")
    invite_form = _invite_form(config)
    errors: list[str] = []
    try:
        if action == "invite":
            invite_form = _invite_form(config, request.POST)
            if invite_form.is_valid():
                email = invitations.normalise_email(invite_form.cleaned_data["email"])
                invitations.invitation_send(
                    kind=config.kind, target=page, email=email, role=invite_form.cleaned_data["role"],
                    details=invite_form.details(), actor=request.user, language=translation.get_language(),
                )
                # The same answer whatever the address: nobody learns who has an account.
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
                return HttpResponseRedirect(request.path)
        elif action == "revoke":
            form: forms.Form = _InvitationForm(request.POST)
            invitation = (
                Invitation.objects.for_object(page).filter(pk=form.cleaned_data["invitation"]).first()
                if form.is_valid() else None
            )
            if form.errors:
                errors.extend(_form_messages(form))
            elif invitation is None:
                errors.append(_("That invitation no longer exists. Reload the page and try again."))
            else:
                invitations.invitation_revoke(invitation=invitation, actor=request.user)
                messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
                return HttpResponseRedirect(request.path)
        elif action in ("change_role", config.remove_action):
            form = (_ChangeRoleForm(request.POST, roles=config.roles()) if action == "change_role"
                    else _MembershipForm(request.POST))
            membership = config.membership_in(page, form.cleaned_data["membership"]) if form.is_valid() else None
            if form.errors:
                errors.extend(_form_messages(form))
            elif membership is None:
                errors.append(_("That membership no longer exists. Reload the page and try again."))
            elif action == "change_role":
                config.change_role(membership=membership, role=form.cleaned_data["role"], actor=request.user)
                messages.success(request, _("The role was changed."))
                return HttpResponseRedirect(request.path)
            else:
                config.remove(membership=membership, actor=request.user)
                messages.success(request, config.removed_message)
                return HttpResponseRedirect(request.path)
        else:
            errors.append(_("Unknown action."))
    except invitations.InvitationError as error:
        invite_form.add_error(None, error)
    except config.errors as error:
        if action == "invite":
            invite_form.add_error(None, error)
        else:
            errors.extend(error.messages)
    return invite_form, errors


# --- the invited person's side ---------------------------------------------------------------------


def accept_url(token: str) -> str:
    """The absolute link in the e-mail, in the active language."""
    return mail.absolute_url(reverse("invitation_accept", args=[token]))


def send_invitation_email(invitation: Invitation, token: str, language: str) -> None:
    """The invitation e-mail, through the portal's one mail sender, to an address that may have no
    account yet, in the recipient's language (registered with the invitation service in ready())."""

    def compose() -> tuple[str, str]:
        target = invitation.target.specific.localized
        inviter = invitation.invited_by
        context = {
            "invitation": invitation,
            "target_title": target.title,
            "role": invitations.kind_of(invitation).role_label(invitation.role),
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "url": accept_url(token),
            "expires": timezone.localtime(invitation.expires_at),
        }
        subject = render_to_string("access/invitation_email_subject.txt", context).strip()
        return subject, render_to_string("access/invitation_email.txt", context)

    mail.send_to_address(invitation.email, compose, language=language, log_as=f"invitation {invitation.pk}")


@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: who invites to what; sign in, then accept."""
    invitation = invitations.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("No such invitation. Check that you copied the whole link from the e-mail."))
    target = invitation.target.specific.localized
    context: dict[str, Any] = {
        "invitation": invitation,
        "target": target,
        "role": invitations.kind_of(invitation).role_label(invitation.role),
        "problem": None,
    }
    problem: ValidationError | None = invitations.refusal(invitation)
    if problem is None and request.user.is_authenticated:
        # An account made after sending, with the invited address, gets the grant to accept now.
        invitations.invitation_claim(invitation=invitation, user=request.user)
        problem = invitations.refusal(invitation, request.user)
    if problem is None and request.method == "POST" and request.POST.get("answer") == "decline":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            invitations.invitation_decline(invitation=invitation, user=request.user)
        except ValidationError as error:
            problem = error
        else:
            messages.info(request, _("You declined the invitation to %(name)s.") % {"name": target.title})
            return HttpResponseRedirect("/")
    elif problem is None and request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            joined = invitations.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            problem = error
        else:
            if joined:
                messages.success(request, _("Welcome! You are now a member of %(name)s.") % {"name": target.title})
            else:
                messages.info(request, _("You already were a member of %(name)s.") % {"name": target.title})
            return HttpResponseRedirect(invitations.kind_of(invitation).landing_url(target) or "/")
    elif request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    if problem is not None:
        context["problem"] = " ".join(problem.messages)
    ended = ("revoked", "expired", "accepted", "declined")
    status = 410 if problem is not None and getattr(problem, "code", "") in ended else (
        403 if problem is not None else 200)
    return TemplateResponse(request, "core/invitation.html", context, status=status)
