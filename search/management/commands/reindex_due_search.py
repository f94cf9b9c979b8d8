"""Re-index what the clock has changed: responses released when their hearing's deadline passes.

Run it every few minutes beside ``publish_scheduled`` (cron or a systemd timer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search.service import reindex_due


class Command(BaseCommand):
    help = "Re-index objects whose searchability the clock has changed (e.g. responses released at the deadline)."

    def handle(self, *args, **options):
        count = reindex_due()
        self.stdout.write(f"Re-indexed {count} objects.")
