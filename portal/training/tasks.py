"""Training's periodic work on the task worker (portal/core/background.py), instead of cron."""

from __future__ import annotations

from django.utils import timezone

from portal.core import background

from .notifications import send_due_reminders


@background.background_task()
def send_training_reminders() -> int:
    """Once a day: remind members (and their organisation's lead) of a training module missing or
    expired. Each reminder is sent once, so a day run twice (two workers, a retry) sends nothing twice."""
    return send_due_reminders(today=timezone.localdate())
