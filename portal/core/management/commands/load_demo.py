"""Load the demo content. Idempotent: running it again creates nothing twice."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.core.demo.builder import DEMO_PASSWORD, Demo
from portal.security.demo import describe as describe_demo_devices

# Each step is a module with load(demo); later steps may use what earlier ones built.
DEMO_STEPS = [
    "portal.core.demo.site",
    "portal.core.demo.organisations",
    "portal.core.demo.workflows",
    "portal.core.demo.councils",
    # After the councils: their secretaries and chairs write and approve the minutes.
    "portal.core.demo.meetings",
    "portal.core.demo.hearings",
    "portal.core.demo.positions",
    # Known-key app devices for the accounts whose role requires two-step sign-in.
    "portal.security.demo",
    # Keep last: (re)builds the search index over everything the steps above created.
    "search.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) the demo content and demo accounts."

    def handle(self, *args, **options):
        demo = Demo()
        with transaction.atomic():
            for step in DEMO_STEPS:
                import_module(step).load(demo)
        if demo.created:
            self.stdout.write(self.style.SUCCESS(f"Demo content: created {len(demo.created)} objects."))
        else:
            self.stdout.write("Demo content already complete; nothing created.")
        self.stdout.write(f"Demo accounts use the password {DEMO_PASSWORD!r}.")
        for line in describe_demo_devices():
            self.stdout.write(line)
