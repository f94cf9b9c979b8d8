"""Periods that start or end by date move people in or out of their council's members group. The
task workers do this once a day (portal/councils/tasks.py); the command is for a run by hand. Views,
search and downloads already decide by date at once; this keeps the groups (and what the admin
shows) in step."""

from django.core.management.base import BaseCommand

from portal.councils.actions import sync_all_groups


class Command(BaseCommand):
    help = "Make every council's members group exactly its current members."

    def handle(self, *args, **options):
        count = sync_all_groups()
        self.stdout.write(f"Synchronised the members groups of {count} councils.")
