"""What a registration e-mail says, and what became of it once sent.

Not a service: nothing here decides that an e-mail is owed. The services decide it, in the
transaction of the change that owes it, and write the message to the outbox
(registration.services.registering.queue_email); this module only writes the message's words
from the registration as it is now (`compose_email`), the same way for every caller, migration
0005 included. The outbox delivers the message and reports the outcome, which
`record_mail_outcomes` copies back to the registration, where organizers list and filter on it.

Every e-mail is written in the participant's language (Registration.language), whatever the
language of the request or task that owes it: its words, dates, the names of things organizers
wrote (agenda.content chooses them), the links to the participant's pages and the calendar entry.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agenda import content
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


def one_line(text: str) -> str:
    """The text on one line, its runs of spaces and line breaks made one space; the no-break
    spaces French typography puts before a colon are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def compose_email(registration: Registration, kind: str) -> tuple[str, str, list]:
    """The subject, text and attachments ((filename, content, mimetype)) of a registration
    e-mail of this kind, written from the registration as it is now, in its language."""
    event = registration.event
    language = registration.language
    with translation.override(language):
        context = {
            "registration": registration,
            "event": event,
            # Plain text: a name organizers have not written in this language is given in the
            # event's original one (agenda.content), with nothing to mark it in a text e-mail.
            "event_title": content.text(
                event, "title", original=event.original_language, language=language
            ).plain,
            "venue": content.place(event, language=language).plain,
            "breakout_group": (
                content.text(
                    registration.breakout_group,
                    "name",
                    original=event.original_language,
                    language=language,
                ).plain
                if registration.breakout_group_id
                else ""
            ),
            "kind": kind,
            "manage_url": site_url(registration.get_absolute_url()),
            "event_url": site_url(event.get_absolute_url()),
            "new_link_url": site_url(reverse("registration:request-link", args=[event.slug])),
            "link_days": settings.REGISTRATION_LINK_MAX_AGE_DAYS,
            "waiting_position": registration.waiting_position,
        }
        subject = one_line(render_to_string(f"registration/email/{kind}_subject.txt", context))
        text = render_to_string(f"registration/email/{kind}.txt", context)
    attachments = []
    if kind in CALENDAR_KINDS:
        calendar = event_calendar(event, language=language).decode()
        attachments.append((f"{event.slug}.ics", calendar, "text/calendar"))
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
