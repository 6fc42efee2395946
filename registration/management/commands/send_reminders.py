"""Send the scheduled reminders due today: run daily (cron or a systemd timer).

Due means: today, at the event's venue, is the day the organizer set (participants: N days
before the first day; speakers: the day before). A run later the same day sends only what was
not sent yet (nothing twice); a day the command did not run is not caught up later
(registration.services.reminders).
"""

from django.core.management.base import BaseCommand, CommandError

from registration.services import reminders


class Command(BaseCommand):
    help = "Send the participant and speaker reminders due today, each once."

    def handle(self, *args, **options):
        sent = reminders.send_reminders()
        self.stdout.write(
            f"Reminders queued: {sent.participants} to participants, {sent.speakers} to speakers."
        )
        if sent.failed_events:
            # A non-zero exit, so that cron or systemd reports it; the log has the error.
            raise CommandError(f"Reminders failed for registration settings {sent.failed_events}")
