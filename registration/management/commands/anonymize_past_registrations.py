from django.conf import settings
from django.core.management.base import BaseCommand

from registration.services import privacy


class Command(BaseCommand):
    help = (
        "Erase the personal data of registrations for events that ended more than the retention "
        "period ago (REGISTRATION_RETENTION_DAYS), keeping anonymous counts. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retention-days",
            type=int,
            default=settings.REGISTRATION_RETENTION_DAYS,
            help="Days after an event's end to keep personal data (default: %(default)s).",
        )

    def handle(self, *args, retention_days, **options):
        erased = privacy.anonymize_past_registrations(retention_days=retention_days)
        self.stdout.write(f"{erased} registrations anonymized.")
