"""E-mail a hearing's followers about responses that its deadline has just released (hearings
that publish all responses together at the deadline). The task workers do this every minute
(portal/hearings/tasks.py); the command is for a run by hand. Each response is announced once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.hearings.notifications import announce_released


class Command(BaseCommand):
    help = "E-mail followers of hearings about responses released at the deadline (each once)."

    def handle(self, *args, **options):
        count = announce_released()
        self.stdout.write(f"Announced {count} responses.")
