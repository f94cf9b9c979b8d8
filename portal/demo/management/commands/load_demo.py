"""Load the demo content. Idempotent: running it again creates nothing twice."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import (
    councils,
    hearing_details,
    hearings,
    meetings,
    organisations,
    positions,
    site,
    training,
    workflows,
)
from portal.demo.builder import DEMO_PASSWORD, Demo
from portal.security import demo as two_factor_demo
from search.service import rebuild_index

# Each step is a module with load(demo); later steps may use what earlier ones built.
DEMO_STEPS = [
    site,
    organisations,
    workflows,
    councils,
    # After the councils: their secretaries and chairs write and approve the minutes.
    meetings,
    hearings,
    # After the hearings: their documents, contact people, consulted bodies and a follower.
    hearing_details,
    positions,
    # After the councils: Vestland's representatives and their courses.
    training,
    # Known-key app devices for the accounts whose role requires two-step sign-in.
    two_factor_demo,
]


class Command(BaseCommand):
    help = "Create (or complete) the demo content and demo accounts."

    def handle(self, *args, **options):
        demo = Demo()
        with transaction.atomic():
            for step in DEMO_STEPS:
                step.load(demo)
            # Last: signals index most of what the steps created; a rebuild also clears entries
            # left from an earlier database state.
            rebuild_index()
        if demo.created:
            self.stdout.write(self.style.SUCCESS(f"Demo content: created {len(demo.created)} objects."))
        else:
            self.stdout.write("Demo content already complete; nothing created.")
        self.stdout.write(f"Demo accounts use the password {DEMO_PASSWORD!r}.")
        for line in two_factor_demo.describe():
            self.stdout.write(line)
