"""Create the local organizer account on the first `make run`, and one demo account per role
(registration desk, registration manager, programme editor) to try what each role sees; say how
to log in. Local only: refused in production, where accounts are made with createsuperuser and
given a role in the admin (Users → the user → Groups)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from organizers import roles

USERNAME = "organizer"

# The demo accounts, one per role short of the administrator (the organizer is a superuser).
DEMO_USERS = [("desk", roles.DESK), ("manager", roles.MANAGER), ("editor", roles.EDITOR)]


class Command(BaseCommand):
    help = (
        "Create a local organizer (superuser) and a demo user per role, with generated "
        "passwords printed once."
    )

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
        else:
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(USERNAME, "organizer@localhost", password)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Local organizer created. Log in at {admin_url} as '{USERNAME}' with "
                    f"password {password}  (shown only this once)."
                )
            )
        self.ensure_demo_users(user_model)

    def ensure_demo_users(self, user_model):
        """One staff account per role, made once; its password is printed only then."""
        for username, role in DEMO_USERS:
            if user_model.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                username, f"{username}@localhost", password, is_staff=True
            )
            user.groups.add(Group.objects.get(name=role.name))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo {role.name.lower()} created: log in as '{username}' with password "
                    f"{password}  (shown only this once)."
                )
            )
