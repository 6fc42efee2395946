from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = (
        "Send the outbox's waiting e-mails whose next attempt is due (mail server down earlier, "
        "worker behind). Run it every few minutes; it is safe to run while the site is up and "
        "beside another run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="include_not_due",
            help="Also send waiting e-mails whose back-off has not run out (server known back).",
        )

    def handle(self, *args, limit, include_not_due, **options):
        sent, not_sent = services.send_outbox(limit=limit, include_not_due=include_not_due)
        self.stdout.write(f"{sent} e-mails sent, {not_sent} not sent.")
        if not_sent:
            self.stderr.write("Some e-mails could not be sent; see the admin's Outbox.")
