from django.core.management.base import BaseCommand

from registration import services


class Command(BaseCommand):
    help = (
        "Send again every registration e-mail that could not be sent (mail server down). "
        "Run it every few minutes; it is safe to run while the site is up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, limit, **options):
        sent, failed = services.send_pending_emails(limit=limit)
        self.stdout.write(f"{sent} e-mails sent, {failed} still failing.")
        if failed:
            self.stderr.write("Some e-mails could not be sent; see the registrations' last error.")
