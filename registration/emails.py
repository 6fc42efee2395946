"""What a registration e-mail says, and what became of it once sent.

Not a service: nothing here decides that an e-mail is owed. The services decide it, in the
transaction of the change that owes it, and write the message to the outbox
(registration.services.registering.queue_email); this module only writes the message's words
from the registration as it is now (`compose_email`), the same way for every caller, migration
0005 included. The outbox delivers the message and reports the outcome, which
`record_mail_outcomes` copies back to the registration, where organizers list and filter on it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox.models import Message
from registration.calendar import event_calendar
from registration.models import Registration, RegistrationEmail

Kind = RegistrationEmail.Kind

# Kinds of e-mail that carry the event's calendar entry.
CALENDAR_KINDS = {Kind.CONFIRM_ADDRESS, Kind.SEAT_CONFIRMED, Kind.PROMOTED}
# The outbox's name for what caused a registration e-mail.
OUTBOX_TOPIC = "registration.registration"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def compose_email(registration: Registration, kind: str) -> tuple[str, str, list]:
    """The subject, text and attachments ((filename, content, mimetype)) of a registration
    e-mail of this kind, written from the registration as it is now."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        "manage_url": site_url(registration.get_absolute_url()),
        "event_url": site_url(event.get_absolute_url()),
        "new_link_url": site_url(reverse("registration:request-link", args=[event.slug])),
        "link_days": settings.REGISTRATION_LINK_MAX_AGE_DAYS,
        "waiting_position": registration.waiting_position,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"registration/email/{kind}_subject.txt", context).split()
        )
        text = render_to_string(f"registration/email/{kind}.txt", context)
    attachments = []
    if kind in CALENDAR_KINDS:
        attachments.append((f"{event.slug}.ics", event_calendar(event).decode(), "text/calendar"))
    return subject, text, attachments


def record_mail_outcomes(messages: list[Message]) -> None:
    """Copy the outcome of delivered or failed registration e-mails to their registrations
    (`confirmation_sent_at`, `last_mail_error`), which the admin lists and filters on. Called
    by the outbox after each delivery attempt, in the transaction that records it."""
    for message in messages:
        if message.topic != OUTBOX_TOPIC:
            continue
        # One statement per registration; a batch rarely holds two e-mails of one registration.
        if message.sent_at:
            changes = {"confirmation_sent_at": message.sent_at, "last_mail_error": ""}
        else:
            changes = {"last_mail_error": message.last_error}
        Registration.objects.filter(pk=message.object_id).update(**changes)
