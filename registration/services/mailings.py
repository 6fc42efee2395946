"""Organizers write to an event's registrants: who receives a mailing, its words for each of
them, a test send to the organizer, and the send.

Invariants kept here:
- Each recipient gets the mailing in their language (Registration.language) with their own
  signed link; a language the organizer did not write gets the English words, marked so in the
  recipient's language.
- A mailing is sent once. `send_mailing` locks the mailing's row, writes every message and every
  MailingRecipient with bulk inserts and sets `sent_at`, all in one transaction: a second send,
  or two at once, finds it sent and changes nothing; a failure leaves nothing written.
- Delivery is the outbox's (retries, one sending per message); the messages stay in the outbox,
  each tied to its recipient (topic "registration.mailing", object_id the registration).
"""

import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda import content
from outbox import services as outbox
from outbox.models import Message
from registration.emails import one_line, site_url
from registration.models import Mailing, MailingRecipient, Registration

OUTBOX_TOPIC = "registration.mailing"
KIND = "registration.mailing"
TEST_KIND = "registration.mailing_test"
TEST_TOPIC = "registration.mailing_test"
SUBJECT_ROOM = Message._meta.get_field("subject").max_length


class MailingError(Exception):
    """The mailing cannot be sent as asked; the message says why, for the organizer."""


class MailingAlreadySent(MailingError):
    pass


class NoRecipients(MailingError):
    pass


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    text: str
    in_english: bool  # the recipient's language was not written: the English words, marked


def recipients(mailing: Mailing):
    """The registrations the mailing goes to: the event's, not erased, matching every choice
    made on the mailing; with no status chosen, the active ones (not cancelled or rejected)."""
    registrations = Registration.objects.filter(event_id=mailing.event_id, erased_at__isnull=True)
    if mailing.status:
        registrations = registrations.filter(status=mailing.status)
    else:
        registrations = registrations.filter(status__in=Registration.ACTIVE_STATUSES)
    for field in ("category_id", "delegation_id", "breakout_group_id"):
        if getattr(mailing, field):
            registrations = registrations.filter(**{field: getattr(mailing, field)})
    if mailing.country:
        registrations = registrations.filter(country=mailing.country)
    if mailing.checked_in:
        registrations = registrations.filter(checked_in_at__isnull=mailing.checked_in == "no")
    return registrations.order_by("pk")


def fill(words: str, values: dict[str, str]) -> str:
    """The words with each {placeholder} of `values` replaced and {{ }} made single braces.
    The words were validated (registration.models.mailings); words that were not (written
    outside the admin) are never evaluated as a format string: anything else is left as it
    is."""
    try:
        parts = list(string.Formatter().parse(words))
    except ValueError:
        return words
    out = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is None:
            continue
        if field in values and not spec and not conversion:
            out.append(values[field])
        else:
            out.append(
                "{"
                + field
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
    return "".join(out)


class _Writer:
    """Renders a mailing in one language: the event's title and the marker computed once."""

    def __init__(self, mailing: Mailing, language: str):
        self.language = language
        event = mailing.event
        written = mailing.words(language)
        self.in_english = written is None
        self.subject, self.text = written or mailing.words("en")
        with translation.override(language):
            self.event_title = content.text(
                event, "title", original=event.original_language, language=language
            ).plain
            self.marker = _("[In English]") if self.in_english and language != "en" else ""

    def render(self, *, name: str, link: str) -> Rendered:
        values = {"name": name, "event": self.event_title, "link": link}
        subject = one_line(fill(self.subject, values))
        if self.marker:
            subject = f"{self.marker} {subject}"
        # {event} many times over could outgrow the outbox's subject.
        subject = subject[: SUBJECT_ROOM - 1] + "…" if len(subject) > SUBJECT_ROOM else subject
        return Rendered(self.language, subject, fill(self.text, values), bool(self.marker))

    def render_for(self, registration: Registration) -> Rendered:
        with translation.override(self.language):
            return self.render(
                name=registration.full_name, link=site_url(registration.get_absolute_url())
            )


def preview(mailing: Mailing, language: str) -> Rendered:
    """The mailing as a recipient in `language` would read it: rendered for the first such
    recipient, or for a sample person and link if there is none."""
    writer = _Writer(mailing, language)
    sample = recipients(mailing).filter(language=language).select_related("event").first()
    if sample is not None:
        return writer.render_for(sample)
    with translation.override(language):
        link = site_url(f"/{language}/…")
        return writer.render(name="Amina Diallo", link=link)


def send_test(mailing: Mailing, *, address: str) -> list[Message]:
    """Queue the mailing to the organizer's own `address` through the outbox, once per language
    it is written in, rendered for a sample recipient. Returns the messages."""
    messages = []
    with transaction.atomic():
        for language, _name in settings.LANGUAGES:
            if language != "en" and mailing.words(language) is None:
                continue
            rendered = preview(mailing, language)
            messages.append(
                outbox.queue_email(
                    recipient=address,
                    subject=rendered.subject,
                    text=rendered.text,
                    language=language,
                    kind=TEST_KIND,
                    topic=TEST_TOPIC,
                    object_id=mailing.pk,
                )
            )
    return messages


def send_mailing(*, mailing_id: int) -> int:
    """Send the mailing: one outbox message per recipient, in their language with their own
    link, written with bulk inserts in one transaction with its MailingRecipient rows and the
    mailing's `sent_at`. Raises MailingAlreadySent if it was sent (a second click, or two at
    once), NoRecipients if nobody matches. Returns how many messages were queued."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().select_related("event").get(pk=mailing_id)
        if mailing.sent_at is not None:
            raise MailingAlreadySent(_("This mailing was sent already."))
        people = list(
            recipients(mailing).only("pk", "event_id", "access_key", "language", "email", *NAME)
        )
        if not people:
            raise NoRecipients(_("No registration matches the recipients chosen."))
        messages = list(_messages(mailing, people))
        outbox.queue_emails(messages)
        MailingRecipient.objects.bulk_create(
            [
                MailingRecipient(mailing=mailing, registration=person, message=message)
                for person, message in zip(people, messages, strict=True)
            ],
            batch_size=500,
        )
        mailing.sent_at = timezone.now()
        mailing.recipient_count = len(people)
        mailing.save(update_fields=["sent_at", "recipient_count"])
    return len(people)


NAME = ("honorific", "first_name", "last_name")


def _messages(mailing: Mailing, people: Iterable[Registration]):
    writers: dict[str, _Writer] = {}
    for person in people:
        person.event = mailing.event  # one event for all: no query per recipient
        writer = writers.get(person.language)
        if writer is None:
            writer = writers[person.language] = _Writer(mailing, person.language)
        rendered = writer.render_for(person)
        yield Message(
            recipient=person.email,
            language=person.language,
            subject=rendered.subject,
            text=rendered.text,
            kind=KIND,
            topic=OUTBOX_TOPIC,
            object_id=person.pk,
        )
