"""Hearings' periodic work on the task worker (portal/core/background.py), instead of cron."""

from __future__ import annotations

from portal.core import background

from .notifications import announce_released


@background.background_task(max_attempts=1)
def announce_released_responses() -> int:
    """Every minute: e-mail followers about responses a deadline has just released. Idempotent
    (``announced_at`` marks each response done), so a failed run is simply left to the next minute."""
    return announce_released()
