"""Councils' periodic work on the task worker (portal/core/background.py), instead of cron."""

from __future__ import annotations

from portal.core import background

from .actions import sync_all_groups


@background.background_task()
def sync_council_groups() -> int:
    """Once a day: seats that start or end by date move people in or out of their council's members
    group (every change made through the portal already did so at once). Idempotent: it sets each
    group to exactly the council's current members."""
    return sync_all_groups()
