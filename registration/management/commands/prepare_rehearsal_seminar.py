"""Make the local rehearsal seminar from the seed event, once (`make run` calls this each time)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agenda.models import Event
from registration.services import seminars

# The Geneva 2006 seminar, as fixtures/geneva-2006.json names it.
SEED_EVENT_SLUG = "migration-and-human-resources-for-health"


class Command(BaseCommand):
    help = (
        "Make a published copy of the seed event dated a few months ahead, with registration "
        "open, for trying the site locally. Does nothing when one exists; refuses in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=SEED_EVENT_SLUG,
            help="Slug of the event to copy (default: the seed event, %(default)s).",
        )

    def handle(self, *args, source, **options):
        source_event = Event.objects.filter(slug=source).first()
        if source_event is None:
            self.stdout.write(f"No rehearsal seminar made: there is no event “{source}”.")
            return
        try:
            event, created = seminars.prepare_rehearsal_event(source_event)
        except seminars.RehearsalRefused as error:
            raise CommandError(f"Refusing: {error}") from error
        except ValidationError as error:
            raise CommandError(
                f"Could not make the rehearsal seminar: {' '.join(error.messages)}"
            ) from error
        url = f"{settings.SITE_URL}{event.get_absolute_url()}"
        starts = f"{event.start_date.day} {event.start_date:%B %Y}"
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Made the rehearsal seminar “{event.title}” ({starts}), "
                    f"registration open: {url}"
                )
            )
        else:
            self.stdout.write(f"The rehearsal seminar is at {url}")
