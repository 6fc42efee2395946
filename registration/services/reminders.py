"""Scheduled reminders: what the daily `send_reminders` command sends.

- Participants: `RegistrationSettings.reminder_days_before` days before the event's first day,
  every confirmed registration (not erased) receives a reminder in its language with the event's
  dates, venue and its own link.
- Speakers: if `speaker_reminder_enabled`, the day before the first day each speaker of a
  published presentation receives their slots (title, day and time at the venue, room) in their
  language (Person.language), with a link to their speaker page if they have one in force: links
  are stored hashed, so the reminder issues a new one (speakers.services.issue_speaker_link),
  which replaces the old in the same transaction as the message.

The rule for when (`today` is the date at the event's venue): a reminder is due on its day only.
A run later that day still sends what an earlier run did not (a participant confirmed in the
meantime, a command that failed); a day on which the command did not run at all is not caught up
the next day, as a reminder of "3 days before" would arrive 2 days before, or after the event.

Never twice: each event's reminders are written with its settings row locked, skipping who has a
SentReminder, and every message is written with its SentReminder in one transaction (the unique
constraints stand behind it). Every message goes through the outbox (topic PARTICIPANT_TOPIC or
SPEAKER_TOPIC, object_id the registration or person), so it is kept and listed per recipient.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from agenda import content, formatting
from agenda.models import Person, PresentationSpeaker
from outbox import services as outbox
from registration.emails import compose_email, one_line
from registration.models import (
    Registration,
    RegistrationSettings,
    ReminderKind,
    SentReminder,
)
from speakers.models import SpeakerLink
from speakers.services import issue_speaker_link, speaker_page_url

PARTICIPANT_TOPIC = "registration.reminder"
SPEAKER_TOPIC = "speakers.reminder"
PARTICIPANT_EMAIL_KIND = "reminder"
SPEAKER_DAYS_BEFORE = 1

logger = logging.getLogger(__name__)


@dataclass
class RemindersSent:
    participants: int = 0
    speakers: int = 0
    failed_events: list[int] = field(default_factory=list)


def event_today(event, now: datetime.datetime) -> datetime.date:
    """The date at the event's venue at `now`."""
    return timezone.localdate(now, event.tzinfo)


def send_reminders(*, now: datetime.datetime | None = None) -> RemindersSent:
    """Send every reminder due on the day of `now` (at each event's venue) that was not sent.
    Returns how many messages were queued, and the settings rows whose event failed (logged;
    nothing of that event written)."""
    now = now or timezone.now()
    sent = RemindersSent()
    # Venues' dates are within a day of UTC's: a window of days keeps the query small.
    horizon = now.date()
    candidates = RegistrationSettings.objects.filter(
        event__start_date__gt=horizon - datetime.timedelta(days=1),
    ).exclude(reminder_days_before__isnull=True, speaker_reminder_enabled=False)
    for settings_id in candidates.values_list("pk", flat=True):
        # One event's failure writes nothing of its reminders (a later run that day retries
        # them) and does not keep the other events' reminders from going.
        try:
            participants, speakers = _remind_event(settings_id, now=now)
        except Exception:
            logger.exception("Reminders of registration settings %s failed", settings_id)
            sent.failed_events.append(settings_id)
            continue
        sent.participants += participants
        sent.speakers += speakers
    return sent


def _remind_event(settings_id: int, *, now: datetime.datetime) -> tuple[int, int]:
    participants = speakers = 0
    with transaction.atomic():
        row = (
            RegistrationSettings.objects.select_for_update()
            .select_related("event")
            .get(pk=settings_id)
        )
        today = event_today(row.event, now)
        days_left = (row.event.start_date - today).days
        if row.reminder_days_before and days_left == row.reminder_days_before:
            participants = _remind_participants(row.event, today=today)
        if row.speaker_reminder_enabled and days_left == SPEAKER_DAYS_BEFORE:
            speakers = _remind_speakers(row.event, today=today, now=now)
    return participants, speakers


def _remind_participants(event, *, today: datetime.date) -> int:
    reminded = SentReminder.objects.filter(
        kind=ReminderKind.PARTICIPANT, registration__event=event
    ).values("registration_id")
    people = (
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, erased_at__isnull=True
        )
        .exclude(pk__in=reminded)
        .order_by("pk")
    )
    count = 0
    for registration in people:
        registration.event = event
        subject, text, _attachments = compose_email(registration, PARTICIPANT_EMAIL_KIND)
        message = outbox.queue_email(
            recipient=registration.email,
            subject=subject,
            text=text,
            language=registration.language,
            kind=PARTICIPANT_TOPIC,
            topic=PARTICIPANT_TOPIC,
            object_id=registration.pk,
        )
        SentReminder.objects.create(
            event=event,
            kind=ReminderKind.PARTICIPANT,
            registration=registration,
            message=message,
            sent_on=today,
        )
        count += 1
    return count


def speaker_slots(event) -> dict[Person, list[PresentationSpeaker]]:
    """Each speaker of the event's published items with an e-mail address, and their slots in
    the order of the programme."""
    rows = (
        PresentationSpeaker.objects.filter(
            presentation__item__event=event, presentation__item__is_published=True
        )
        .exclude(person__email="")
        .select_related("person", "presentation__item__room")
        .order_by(
            "presentation__item__date",
            "presentation__item__start_time",
            "presentation__order",
            "pk",
        )
    )
    slots: dict[Person, list[PresentationSpeaker]] = {}
    for row in rows:
        slots.setdefault(row.person, []).append(row)
    return slots


def _remind_speakers(event, *, today: datetime.date, now: datetime.datetime) -> int:
    reminded = set(
        SentReminder.objects.filter(kind=ReminderKind.SPEAKER, event=event).values_list(
            "person_id", flat=True
        )
    )
    with_link = set(
        SpeakerLink.objects.filter(
            event=event, revoked_at__isnull=True, expires_at__gt=now
        ).values_list("person_id", flat=True)
    )
    count = 0
    for person, slots in speaker_slots(event).items():
        if person.pk in reminded:
            continue
        url = ""
        if person.pk in with_link:
            _link, token = issue_speaker_link(person, event=event)
            url = speaker_page_url(event, token, language=person.language)
        subject, text = compose_speaker_reminder(event, person=person, slots=slots, url=url)
        message = outbox.queue_email(
            recipient=person.email,
            subject=subject,
            text=text,
            language=person.language,
            kind=SPEAKER_TOPIC,
            topic=SPEAKER_TOPIC,
            object_id=person.pk,
        )
        SentReminder.objects.create(
            event=event, kind=ReminderKind.SPEAKER, person=person, message=message, sent_on=today
        )
        count += 1
    return count


def compose_speaker_reminder(event, *, person: Person, slots, url: str) -> tuple[str, str]:
    """The subject and text of a speaker's reminder, in the person's language."""
    language = person.language
    original = event.original_language
    with translation.override(language):
        title = content.text(event, "title", original=original, language=language).plain
        lines = []
        for slot in slots:
            item = slot.presentation.item
            start, end = (formats.time_format(t) for t in (item.start_time, item.end_time))
            when = f"{formatting.day_month_year(item.date)}, {start}–{end}"
            room = (
                content.text(item.room, "name", original=original, language=language).plain
                if item.room_id
                else ""
            )
            lines.append(
                {
                    "title": content.text(
                        slot.presentation, "title", original=original, language=language
                    ).plain,
                    "item": content.text(item, "title", original=original, language=language).plain,
                    "when": when,
                    "room": room,
                }
            )
        context = {
            "person": person,
            "event_title": title,
            "venue": content.place(event, language=language).plain,
            "slots": lines,
            "url": url,
        }
        subject = one_line(
            ngettext(
                "Tomorrow at %(title)s: your slot",
                "Tomorrow at %(title)s: your slots",
                len(lines),
            )
            % {"title": title}
        )
        text = render_to_string("speakers/email/reminder.txt", context)
    return subject, text
