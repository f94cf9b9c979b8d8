"""What the security app stores: password-reset requests, counted to rate-limit reset e-mails."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """One request of the reset form, kept for a day. In the database rather than the cache so the
    limit holds across application servers and survives a cache flush."""

    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The account an e-mail went to; empty when none was sent (no account, or the limit was reached).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("account"))

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [models.Index(fields=["ip_address", "requested_at"]), models.Index(fields=["user", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.ip_address or '-'}"
