"""Run daily: reminds members (and their organisation's lead) of missing or expired training modules."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.training.notifications import send_due_reminders


class Command(BaseCommand):
    help = "Send the training reminders that are due today (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"Not a date: {options['date']!r} (use YYYY-MM-DD).") from error
        count = send_due_reminders(today=today)
        self.stdout.write(f"Training reminders sent for {count} module(s).")
