"""Scheduled reminders (registration.services.reminders, the send_reminders command and the
settings page's fields): due on their day only, each recipient once, in their language, with
their link and, for speakers, their slots."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from agenda.models import Room
from outbox.models import Message
from registration.models import Registration, SentReminder
from registration.services import registering, reminders
from speakers.models import SpeakerLink
from speakers.services import issue_speaker_link, open_speaker_link
from tests.factories import (
    AgendaItemFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
)
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Status = Registration.Status
UTC = datetime.UTC


def confirmed(event, **fields) -> Registration:
    """A registration confirmed the way participants confirm (double opt-in, a free seat)."""
    return registering.confirm_registration(RegistrationFactory(event=event, **fields))


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=UTC)


@pytest.fixture
def event(db):
    reg_settings = RegistrationSettingsFactory(reminder_days_before=3)
    return reg_settings.event


def days_before(event, days: int) -> datetime.datetime:
    return noon(event.start_date - datetime.timedelta(days=days))


def participant_messages():
    return Message.objects.filter(topic=reminders.PARTICIPANT_TOPIC)


def test_send_reminders_sends_participants_on_their_day_once_in_their_language(event):
    english = confirmed(event, language="en")
    french = confirmed(event, language="fr")

    sent = reminders.send_reminders(now=days_before(event, 3))

    assert sent.participants == 2
    messages = {m.object_id: m for m in participant_messages()}
    assert set(messages) == {english.pk, french.pk}
    assert messages[english.pk].recipient == english.email
    assert messages[english.pk].subject == f"Reminder: {event.title}"
    assert "23–24 March 2030, CICG, Geneva" in messages[english.pk].text
    assert messages[french.pk].language == "fr"
    assert "23–24 mars 2030" in messages[french.pk].text
    with translation.override("en"):
        english_link = english.get_absolute_url().rsplit("/", 2)[-2]
    with translation.override("fr"):
        french_link = french.get_absolute_url().rsplit("/", 2)[-2]
    assert english_link in messages[english.pk].text
    assert french_link in messages[french.pk].text
    assert "/fr/" in messages[french.pk].text
    assert SentReminder.objects.filter(registration=english).count() == 1


@pytest.mark.parametrize("days", [4, 2, 0])
def test_send_reminders_other_days_send_nothing(event, days):
    confirmed(event)

    sent = reminders.send_reminders(now=days_before(event, days))

    assert sent.participants == 0
    assert not participant_messages().exists()


def test_send_reminders_without_days_set_sends_nothing(event):
    event.registration_settings.reminder_days_before = None
    event.registration_settings.save()
    confirmed(event)

    sent = reminders.send_reminders(now=days_before(event, 3))

    assert sent.participants == 0


def test_send_reminders_twice_the_same_day_sends_once_and_catches_up_newcomers(event):
    first = confirmed(event)
    reminders.send_reminders(now=days_before(event, 3))
    later = confirmed(event)

    sent = reminders.send_reminders(now=days_before(event, 3) + datetime.timedelta(hours=5))

    assert sent.participants == 1
    assert sorted(participant_messages().values_list("object_id", flat=True)) == sorted(
        [first.pk, later.pk]
    )


def test_send_reminders_skips_cancelled_and_unconfirmed(event):
    registering.cancel_registration(confirmed(event))
    RegistrationFactory(event=event)

    sent = reminders.send_reminders(now=days_before(event, 3))

    assert sent.participants == 0
    assert not participant_messages().exists()


def test_send_reminders_command_run_twice_sends_nothing_the_second_time(event):
    event.registration_settings.reminder_days_before = 1
    event.registration_settings.save()
    confirmed(event)

    # The command uses the real clock: the reminder is due today only if the event is tomorrow.
    today = reminders.event_today(event, datetime.datetime.now(UTC))
    event.start_date = today + datetime.timedelta(days=1)
    event.end_date = event.start_date
    event.save()
    call_command("send_reminders")
    call_command("send_reminders")

    assert participant_messages().count() == 1


@pytest.fixture
def speaker_event(event):
    event.registration_settings.speaker_reminder_enabled = True
    event.registration_settings.save()
    return event


def speaker_with_slots(event, *, language="fr"):
    person = PersonFactory(email=f"{language}@example.org", language=language)
    room, _created = Room.objects.get_or_create(
        event=event, name_en="Room XVII", defaults={"name_fr": "Salle XVII"}
    )
    for start in (datetime.time(14, 30), datetime.time(9, 0)):
        end = start.replace(hour=start.hour + 1)
        item = AgendaItemFactory(
            event=event, room=room, start_time=start, end_time=end, title=f"Panel {start}"
        )
        PresentationSpeakerFactory(
            person=person, presentation=PresentationFactory(item=item, title=f"Talk {start}")
        )
    return person


def test_send_reminders_speakers_get_their_slots_in_their_language_the_day_before(
    speaker_event,
):
    person = speaker_with_slots(speaker_event, language="fr")
    other = speaker_with_slots(speaker_event, language="en")

    sent = reminders.send_reminders(now=days_before(speaker_event, 1))

    assert sent.speakers == 2
    message = Message.objects.get(topic=reminders.SPEAKER_TOPIC, object_id=person.pk)
    assert message.recipient == person.email
    assert message.language == "fr"
    assert "Salle XVII" in message.text
    assert "23 mars 2030" in message.text
    assert message.text.index("Talk 09:00:00") < message.text.index("Talk 14:30:00")
    assert Message.objects.filter(topic=reminders.SPEAKER_TOPIC, object_id=other.pk).exists()


def test_send_reminders_speaker_with_a_link_gets_a_new_one_and_once(speaker_event):
    person = speaker_with_slots(speaker_event, language="en")
    old, _token = issue_speaker_link(person, event=speaker_event)

    reminders.send_reminders(now=days_before(speaker_event, 1))
    again = reminders.send_reminders(now=days_before(speaker_event, 1))

    assert again.speakers == 0
    message = Message.objects.get(topic=reminders.SPEAKER_TOPIC)
    current = SpeakerLink.objects.get(event=speaker_event, person=person, revoked_at=None)
    assert current.pk != old.pk
    token = re.search(r"/speaker/([^/\s]+)/", message.text).group(1)
    assert open_speaker_link(token, event=speaker_event) == current
    assert "Room XVII" in message.text


def test_send_reminders_speakers_not_when_turned_off(event):
    speaker_with_slots(event)

    sent = reminders.send_reminders(now=days_before(event, 1))

    assert sent.speakers == 0
    assert not Message.objects.filter(topic=reminders.SPEAKER_TOPIC).exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("-1", "min_value"), ("0", "min_value"), ("400", "max_value"), ("x", "invalid")],
)
def test_registration_settings_page_refuses_bad_reminder_days(admin_client, event, value, expected):
    url = reverse(
        "admin:registration_registrationsettings_change", args=[event.registration_settings.pk]
    )
    data = {
        "capacity": "1",
        "reminder_days_before": value,
        "participant_categories-TOTAL_FORMS": "0",
        "participant_categories-INITIAL_FORMS": "0",
        "breakout_groups-TOTAL_FORMS": "0",
        "breakout_groups-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["reminder_days_before"]
    assert [error.code for error in errors] == [expected]
    event.registration_settings.refresh_from_db()
    assert event.registration_settings.reminder_days_before == 3


def test_registration_settings_page_saves_reminders(admin_client, event):
    url = reverse(
        "admin:registration_registrationsettings_change", args=[event.registration_settings.pk]
    )
    data = {
        "capacity": "1",
        "reminder_days_before": "7",
        "speaker_reminder_enabled": "on",
        "participant_categories-TOTAL_FORMS": "0",
        "participant_categories-INITIAL_FORMS": "0",
        "breakout_groups-TOTAL_FORMS": "0",
        "breakout_groups-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    event.registration_settings.refresh_from_db()
    assert event.registration_settings.reminder_days_before == 7
    assert event.registration_settings.speaker_reminder_enabled


def test_registration_page_lists_the_reminder_received(admin_client, event):
    registration = confirmed(event)
    reminders.send_reminders(now=days_before(event, 3))
    message = Message.objects.get(topic=reminders.PARTICIPANT_TOPIC)

    response = admin_client.get(
        reverse("admin:registration_registration_change", args=[registration.pk])
    )

    assert response.status_code == 200
    assert reverse("admin:outbox_message_change", args=[message.pk]) in response.content.decode()


def test_send_reminders_one_failing_event_writes_nothing_and_others_still_go(event, monkeypatch):
    broken = RegistrationSettingsFactory(reminder_days_before=3).event
    confirmed(event)
    confirmed(broken)
    original = reminders.compose_email

    def compose(registration, kind):
        if registration.event_id == broken.pk:
            raise RuntimeError("template error")
        return original(registration, kind)

    monkeypatch.setattr(reminders, "compose_email", compose)

    sent = reminders.send_reminders(now=days_before(event, 3))

    assert sent.participants == 1
    assert sent.failed_events == [broken.registration_settings.pk]
    assert not SentReminder.objects.filter(event=broken).exists()
    assert (
        not participant_messages()
        .filter(recipient__contains="@")
        .exclude(object_id__in=event.registrations.values("pk"))
        .exists()
    )
