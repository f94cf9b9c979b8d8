"""Hearing actions are known to Wagtail's audit log, so they show in each page's history."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import actions


@hooks.register("register_log_actions")
def register_log_actions(registry: Any) -> None:
    registry.register_action(actions.INPUT_SENT, _("Send input"), _("Input received from a member organisation"))
    registry.register_action(actions.INPUT_MARKED, _("Mark input"), _("Input marked as used or not used"))
    registry.register_action(actions.COSIGN_REQUESTED, _("Ask to co-sign"), _("Co-signature requested"))
    registry.register_action(actions.COSIGN_DECIDED, _("Decide co-signature"), _("Co-signature decided"))
    registry.register_action(actions.RESPONSE_WITHDRAWN, _("Withdraw response"), _("Published response withdrawn"))
    registry.register_action(actions.OUTCOME_PUBLISHED, _("Publish outcome"), _("Outcome published"))
