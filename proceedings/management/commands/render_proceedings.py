"""Ask the worker to render every out-of-date proceedings book (`make run` calls this each time).

Readers never start the rendering of a book (it takes seconds to minutes); organizers do, from
the admin, and this command does it for all events at once: after loading data, or from a
scheduler after a night of edits. Up-to-date books and those already waiting are left alone.

A book is rendered in each language the publication is available in (its title is written in
it: proceedings.services.available_languages), the languages its page offers; `--language`
renders one language, available or not (a book in a language whose texts are missing prints
them in the original language, marked so).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agenda.models import Event
from proceedings import services


class Command(BaseCommand):
    help = (
        "Queue the rendering of the proceedings of every event (or of --event) whose stored "
        "book is missing or out of date, in each language the publication is available in (or "
        "in --language). The task worker renders them (at once in development)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", help="Slug of the one event to consider.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The one language to render the books in.",
        )

    def handle(self, *args, event=None, language=None, **options):
        events = Event.objects.filter(publication__isnull=False).select_related(
            "organizer", "publication"
        )
        if event is not None:
            events = events.filter(slug=event)
            if not events.exists():
                raise CommandError(f"No event “{event}” with a publication.")
        queued = current = 0
        for each in events.order_by("start_date", "pk"):
            languages = [language] if language else services.available_languages(each.publication)
            for code in languages:
                _document, is_current = services.proceedings_status(each, language=code)
                if is_current:
                    current += 1
                elif services.queue_proceedings_render(each, language=code):
                    queued += 1
        if options["verbosity"] >= 1:
            self.stdout.write(f"Proceedings: {queued} queued for rendering, {current} up to date.")
