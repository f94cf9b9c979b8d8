"""Invitations to become a member of an organisation or a council.

A lead or a secretary types an e-mail address; the answer is the same whether or not an account
has it (nothing to enumerate), and the address receives a link. The person signs in with the
account that has that address and accepts; only then does the membership exist.

The right to accept is a per-object django-guardian grant (``access.accept_invitation`` on the
invitation, portal/access/grants.py) held by the account with the invited address: given when the
invitation is sent, or when the link is first opened by an account made later with that address.
Acceptance asks for the grant. The invitation row keeps only what the grant cannot: the link's
token (hashed) and the address. Every end of the invitation (accepted, declined, revoked, expired
after ``PORTAL_INVITATION_DAYS``) sets its state and ends the grant in the same transaction, so
revoking is one call (:func:`invitation_revoke`).

Shared service: it knows no domain app. Organisations and councils register an
:class:`InvitationKind` in their ``AppConfig.ready()`` saying how to tell a member and how to make one.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.users.models import UserProfile

from . import grants
from .models import Invitation
from .users import User

logger = logging.getLogger(__name__)


# The e-mail goes out once the invitation is stored for good (a seam for tests, whose transaction
# never commits).
_on_commit = transaction.on_commit


class InvitationError(ValidationError):
    """Why an invitation cannot be sent or accepted; translated and safe to show."""


@dataclass(frozen=True)
class InvitationKind:
    name: str
    # The language version memberships are stored against (invitations point at the same one).
    source: Callable[[Page], Page]
    # Whether ``user`` already is a (current) member of ``page``.
    is_member: Callable[[Page, Any], bool]
    # The e-mail addresses of the current members (lower case): an invitation to one is pointless.
    member_emails: Callable[[Page], set[str]]
    # Make the membership the invitation describes; raises a ValidationError with a clear message.
    accept: Callable[[Invitation, Any], Any]
    # The role's label in the active language, for the e-mail and the invitation page.
    role_label: Callable[[str], str]
    # Where a new member lands after accepting (the member page, in the active language).
    landing_url: Callable[[Page], str]


_KINDS: dict[str, InvitationKind] = {}


def register_kind(kind: InvitationKind) -> None:
    _KINDS[kind.name] = kind


def kind_of(invitation_or_name: Invitation | str) -> InvitationKind:
    name = invitation_or_name if isinstance(invitation_or_name, str) else invitation_or_name.kind
    return _KINDS[name]


ACCEPT = "access.accept_invitation"


def _accounts_with(email: str) -> list[Any]:
    return list(get_user_model().objects.filter(email__iexact=email, is_active=True))


def _grant_to(invitation: Invitation, user: User) -> None:
    grants.grant(ACCEPT, invitation, user=user)


def _end(invitation: Invitation, state: str, actor: User | None) -> Invitation:
    """Close the invitation with ``state`` and end its grant: nobody can accept it any more."""
    invitation.state = state
    invitation.decided_by = actor if actor is not None and actor.is_authenticated else None
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_by", "decided_at"])
    grants.revoke_all(ACCEPT, invitation)
    return invitation


def may_accept(user: User, invitation: Invitation) -> bool:
    """The acceptance check: the user holds the grant and the invitation is still open."""
    return invitation.is_open() and grants.has_grant(user, ACCEPT, invitation)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _language_for(email: str, fallback: str) -> str:
    """The language of the account with this address if there is exactly one, else ``fallback``."""
    accounts = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
    if len(accounts) == 1:
        preferred = UserProfile.get_for_user(accounts[0]).preferred_language
        if preferred in dict(settings.LANGUAGES):
            return preferred
    return fallback if fallback in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# Sends the invitation e-mail: (invitation, token, recipient language). The portal's one mail
# sender lives above this floor (portal/core/mail.py), so core registers it in its ready().
Mailer = Callable[[Invitation, str, str], None]
_MAILER: list[Mailer] = []


def register_mailer(mailer: Mailer) -> None:
    _MAILER[:] = [mailer]


def _send_email(invitation_id: int, token: str, language: str) -> None:
    invitation = Invitation.objects.select_related("target", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open():
        return
    for mailer in _MAILER:
        mailer(invitation, token, language)


@transaction.atomic
def invitation_send(
    *, kind: str, target: Page, email: str, role: str, actor: User | None, language: str,
    details: dict[str, Any] | None = None,
) -> Invitation:
    """Invite ``email``. The caller has checked that ``actor`` may manage the members. Refused only
    for what the lead can already see on the member page (a current member's address, an invitation
    still pending), never for whether an account exists."""
    registered = kind_of(kind)
    target = registered.source(target)
    email = normalise_email(email)
    if email in registered.member_emails(target):
        raise InvitationError(_("A current member already has the address %(email)s.") % {"email": email},
                              code="already_member")
    if Invitation.objects.for_object(target).open().filter(email=email).exists():
        raise InvitationError(
            _("An invitation to %(email)s is already waiting for an answer. Revoke it first to send a new one.")
            % {"email": email}, code="duplicate")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        kind=kind, target=target, email=email, role=role, details=details or {}, token_hash=_hash(token),
        invited_by=actor if actor is not None and actor.is_authenticated else None,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    for account in _accounts_with(email):
        _grant_to(invitation, account)
    recipient_language = _language_for(email, language)
    _on_commit(lambda: _send_email(invitation.pk, token, recipient_language))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User | None) -> Invitation:
    """End a pending invitation: its link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise InvitationError(_("That invitation has already been answered or revoked."), code="not_pending")
    return _end(invitation, Invitation.State.REVOKED, actor)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    """The invited person says no: the invitation ends, and with it the grant."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = refusal(invitation, user)
    if problem is not None:
        raise problem
    return _end(invitation, Invitation.State.DECLINED, user)


@transaction.atomic
def expire_due() -> int:
    """Close every pending invitation past its expiry (state and grant); returns how many. Called
    wherever invitations are looked up, so an expired grant never outlives the page that shows it."""
    due = list(Invitation.objects.select_for_update().filter(state=Invitation.State.PENDING,
                                                            expires_at__lte=timezone.now()))
    for invitation in due:
        _end(invitation, Invitation.State.EXPIRED, None)
    return len(due)


@transaction.atomic
def invitation_claim(*, invitation: Invitation, user: User) -> bool:
    """An account made after the invitation was sent, with the invited address, opens the link:
    it gets the grant the account would have got at sending. Returns whether the user holds it."""
    if not invitation.is_open() or not user.is_authenticated:
        return False
    if grants.has_grant(user, ACCEPT, invitation):
        return True
    # Only accounts that did not exist at sending: one that did got its grant then, and if that
    # grant was taken away, the address alone does not bring it back.
    made_later = user.date_joined >= invitation.created_at
    if made_later and user.is_active and normalise_email(user.email or "") == invitation.email:
        _grant_to(invitation, user)
        return True
    return False


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    expire_due()
    return Invitation.objects.select_related("target").filter(token_hash=_hash(token)).first()


def refusal(invitation: Invitation, user: User | None = None) -> InvitationError | None:
    """Why this invitation cannot be accepted (by ``user``, when given), or None."""
    if invitation.state == Invitation.State.REVOKED:
        return InvitationError(_("This invitation has been withdrawn. Ask for a new one if you still want to join."),
                               code="revoked")
    if invitation.state == Invitation.State.ACCEPTED:
        return InvitationError(_("This invitation has already been accepted."), code="accepted")
    if invitation.state == Invitation.State.DECLINED:
        return InvitationError(_("This invitation has been declined. Ask for a new one if you still want to join."),
                               code="declined")
    if invitation.state == Invitation.State.EXPIRED or invitation.has_expired():
        return InvitationError(_("This invitation has expired. Ask for a new one if you still want to join."),
                               code="expired")
    if user is not None and not may_accept(user, invitation):
        return InvitationError(
            _("This invitation was sent to another e-mail address. Sign in with the account that has that address, "
              "or ask for an invitation to your own address."), code="wrong_account")
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> bool:
    """Make the membership. Returns False when ``user`` already was a member (the invitation is used
    up all the same); raises InvitationError when it cannot be accepted."""
    invitation = Invitation.objects.select_for_update().select_related("target").get(pk=invitation.pk)
    problem = refusal(invitation, user)
    if problem is not None:
        raise problem
    registered = kind_of(invitation)
    target = invitation.target.specific
    joined = not registered.is_member(target, user)
    if joined:
        registered.accept(invitation, user)
    _end(invitation, Invitation.State.ACCEPTED, user)
    return joined


def open_invitations(*, target: Page) -> list[Invitation]:
    expire_due()
    return list(Invitation.objects.for_object(target).open().select_related("invited_by"))
