"""Print the current two-step sign-in code of a demo account (made by load_demo), so developers
sign in as the admin, a moderator or a hearing owner without a phone. Refuses any other device."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.security.demo import current_code, demo_device


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo account (admin, moderator, horingseier)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        device = demo_device(user) if user is not None else None
        if device is None:
            raise CommandError(f"{username!r} has no demo device (only load_demo's demo accounts have one).")
        self.stdout.write(current_code(device))
