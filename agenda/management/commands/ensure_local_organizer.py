"""Create the local organizer account on the first `make run`, and say how to log in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "organizer"


class Command(BaseCommand):
    help = "Create a local organizer (superuser) with a generated password, printed once."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "Refusing to create the local organizer in production: use createsuperuser."
            )
        admin_url = f"{settings.SITE_URL}/admin/"
        user_model = get_user_model()
        if user_model.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"Organizers log in at {admin_url} as '{USERNAME}' with the password printed on "
                f"the first run (forgotten? .venv/bin/python manage.py changepassword {USERNAME})."
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(USERNAME, "organizer@localhost", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Local organizer created. Log in at {admin_url} as '{USERNAME}' with password "
                f"{password}  (shown only this once)."
            )
        )
