"""Load the seed event (the Geneva 2006 seminar) into an empty database.

`make run` calls this every time it starts, so it must never load the seed twice nor overwrite
what organizers have since entered: it loads only while the database has no event at all.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.commands import loaddata
from django.db import transaction

from agenda.models import Event

SEED_FIXTURES = [settings.BASE_DIR / "fixtures" / "geneva-2006.json"]


class Command(BaseCommand):
    help = "Load the seed event from fixtures/ when the database has no event yet."

    def handle(self, *args, **options):
        with transaction.atomic():
            if Event.objects.exists():
                self.report(options, "Skipped the seed event: the database already has events.")
                return
            loader = loaddata.Command()
            call_command(loader, *SEED_FIXTURES, verbosity=0)
            event = Event.objects.get()
        self.report(
            options,
            f"Loaded the seed event “{event.title}” ({loader.loaded_object_count} objects).",
            style=self.style.SUCCESS,
        )

    def report(self, options, message, style=None):
        if options["verbosity"] >= 1:
            self.stdout.write(style(message) if style else message)
