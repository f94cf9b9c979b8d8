"""Per-object grants that end with a state. An invitation to an organisation or a council is the
right to become a member: a django-guardian grant (``access.accept_invitation`` on the invitation)
held by the account with the invited address (portal/access/invitations.py). The invitation row
keeps the link's token and the address; it is pending until accepted, declined, revoked or past its
expiry, and every one of those ends the grant. Only acceptance makes a membership."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class InvitationQuerySet(models.QuerySet):
    def for_object(self, page: Page) -> InvitationQuerySet:
        # Every language version of the page answers the same, as memberships do.
        return self.filter(target__translation_key=page.translation_key)

    def open(self) -> InvitationQuerySet:
        return self.filter(state=Invitation.State.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")

    # Which registered kind of membership (portal/access/invitations.py): "organisation", "council".
    kind = models.CharField(_("kind"), max_length=40)
    target = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("invited to"))
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=40)
    # What else the membership needs (a council seat's represented organisation).
    details = models.JSONField(_("details"), default=dict, blank=True)
    # SHA-256 of the secret in the link: a copy of the database does not hand out working links.
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("accepted or revoked by"))
    decided_at = models.DateTimeField(_("accepted or revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target", "state"])]
        # Held per object only (portal/access/grants.py), never model-wide.
        permissions = [("accept_invitation", _("Can accept this invitation"))]

    def __str__(self) -> str:
        return f"{self.email} → {self.target_id} ({self.state})"

    def has_expired(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at <= timezone.now()

    def is_open(self) -> bool:
        return self.state == self.State.PENDING and not self.has_expired()
