"""Ask the worker to render every out-of-date proceedings book (`make run` calls this each time).

Readers never start the rendering of a book (it takes seconds to minutes); organizers do, from
the admin, and this command does it for all events at once: after loading data, or from a
scheduler after a night of edits. Up-to-date books and those already waiting are left alone.
"""

from django.core.management.base import BaseCommand, CommandError

from agenda.models import Event
from proceedings import services


class Command(BaseCommand):
    help = (
        "Queue the rendering of the proceedings of every event (or of --event) whose stored "
        "book is missing or out of date. The task worker renders them (at once in development)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", help="Slug of the one event to consider.")

    def handle(self, *args, event=None, **options):
        events = Event.objects.filter(publication__isnull=False).select_related("organizer")
        if event is not None:
            events = events.filter(slug=event)
            if not events.exists():
                raise CommandError(f"No event “{event}” with a publication.")
        queued = current = 0
        for each in events.order_by("start_date", "pk"):
            _document, is_current = services.proceedings_status(each)
            if is_current:
                current += 1
            elif services.queue_proceedings_render(each):
                queued += 1
        if options["verbosity"] >= 1:
            self.stdout.write(f"Proceedings: {queued} queued for rendering, {current} up to date.")
