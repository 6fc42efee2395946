from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = (
        "Former name of `send_outbox --all`: send every waiting e-mail of the outbox now, "
        "registration e-mails and the others alike."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, limit, **options):
        sent, not_sent = services.send_outbox(limit=limit, include_not_due=True)
        self.stdout.write(f"{sent} e-mails sent, {not_sent} not sent.")
        if not_sent:
            self.stderr.write("Some e-mails could not be sent; see the admin's Outbox.")
