"""Remove a person's two-step sign-in devices (app and backup codes) when they lost both: they
enrol again at their next sign-in (and must, if their role requires it)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.security.two_factor import turn_off


class Command(BaseCommand):
    help = "Remove a person's two-step sign-in devices so they enrol again at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account has the username {username!r}.")
        turn_off(user=user)
        self.stdout.write(f"Two-step sign-in devices of {username} removed; they enrol again at their next sign-in.")
