"""Registration follows the event's dates: a past event is closed and offers no "Register",
registration cannot close after the event ends, and personal data are kept for a time counted
from the event's last day."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from registration import services
from registration.models import Registration, RegistrationEmail, RegistrationSettings
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Status = Registration.Status
REGISTER_BUTTON = re.compile(r'<a [^>]*href="/[^"]*/register/"[^>]*>\s*Register\s*</a>')


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_seed_event_registration_page_says_closed_with_its_dates(client, seed_event):
    response = client.get(reverse("registration:register", args=[seed_event.slug]))

    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "Registration for this event has closed: the event took place on 23–24 March 2006." in text
    )
    assert "not open yet" not in text
    assert 'name="first_name"' not in text


def test_closed_registration_page_says_since_when(client, db):
    event = EventFactory(start_date=days_ago(20), end_date=days_ago(19))
    RegistrationSettingsFactory(
        event=event,
        opens_at=datetime.datetime(2020, 1, 6, 9, 0, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2020, 2, 7, 17, 0, tzinfo=datetime.UTC),
    )

    response = client.get(reverse("registration:register", args=[event.slug]))

    assert "Registration for this event has closed (on 7 February 2020, 18:00 CET)." in (
        response.content.decode()
    )


def test_registration_state_is_closed_once_the_event_began_even_if_never_scheduled(db):
    event = EventFactory(start_date=days_ago(3), end_date=days_ago(2))
    reg_settings = RegistrationSettings(event=event)

    assert reg_settings.state() == "closed"
    assert reg_settings.closed_since() is None
    with pytest.raises(services.RegistrationClosed) as raised:
        services.register(event, details={})
    assert raised.value.state == "closed"


@pytest.mark.parametrize("name", ["agenda:event-detail", "agenda:agenda", "agenda:person-list"])
def test_past_event_pages_offer_no_register_button(client, seed_event, name):
    response = client.get(reverse(name, args=[seed_event.slug]))

    assert response.status_code == 200
    assert REGISTER_BUTTON.findall(response.content.decode()) == []


def test_coming_event_pages_offer_register_button(client, db):
    event = RegistrationSettingsFactory().event

    response = client.get(reverse("agenda:event-detail", args=[event.slug]))

    assert len(REGISTER_BUTTON.findall(response.content.decode())) == 2  # header and page


def test_registration_settings_closing_after_the_event_is_refused(db):
    event = EventFactory(start_date=datetime.date(2006, 3, 23), end_date=datetime.date(2006, 3, 24))
    reg_settings = RegistrationSettings(
        event=event,
        opens_at=datetime.datetime(2006, 1, 10, 9, 0, tzinfo=event.tzinfo),
        closes_at=datetime.datetime(2027, 1, 1, 12, 0, tzinfo=event.tzinfo),
    )

    with pytest.raises(ValidationError) as raised:
        reg_settings.full_clean()

    assert [e.code for e in raised.value.error_dict["closes_at"]] == ["closes_after_event"]
    assert "24 March 2006" in raised.value.error_dict["closes_at"][0].message % (
        raised.value.error_dict["closes_at"][0].params
    )


def test_registration_settings_opening_after_the_event_is_refused(db):
    event = EventFactory(start_date=datetime.date(2006, 3, 23), end_date=datetime.date(2006, 3, 24))
    reg_settings = RegistrationSettings(
        event=event, opens_at=datetime.datetime(2026, 1, 1, 9, 0, tzinfo=event.tzinfo)
    )

    with pytest.raises(ValidationError) as raised:
        reg_settings.full_clean()

    assert [e.code for e in raised.value.error_dict["opens_at"]] == ["opens_after_event"]


def test_registration_settings_may_close_at_the_end_of_the_last_day(db):
    event = EventFactory(start_date=datetime.date(2030, 3, 23), end_date=datetime.date(2030, 3, 24))
    reg_settings = event.registration_settings  # the row every event has
    reg_settings.opens_at = datetime.datetime(2030, 1, 10, 9, 0, tzinfo=event.tzinfo)
    reg_settings.closes_at = datetime.datetime(2030, 3, 25, 0, 0, tzinfo=event.tzinfo)

    reg_settings.full_clean()


def admin_change_data(response) -> dict:
    """The POST data of an admin change page as it was shown, inlines included."""
    data = {**response.context["adminform"].form.initial}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for number, form in enumerate(formset.initial_forms):
            for name, field in form.fields.items():
                key = f"{formset.prefix}-{number}-{name}"
                value = form.initial.get(name, field.initial)
                if isinstance(value, datetime.datetime):  # the admin's split date and time
                    local = timezone.localtime(value)
                    data[f"{key}_0"], data[f"{key}_1"] = local.date(), local.time()
                else:
                    data[key] = value
    return {key: value for key, value in data.items() if value is not None}


def test_registration_settings_admin_refuses_closing_after_the_event(admin_client, db):
    event = EventFactory(start_date=datetime.date(2030, 3, 23), end_date=datetime.date(2030, 3, 24))
    reg_settings = RegistrationSettingsFactory(event=event)
    change_url = reverse("admin:registration_registrationsettings_change", args=[reg_settings.pk])
    data = admin_change_data(admin_client.get(change_url))
    data["closes_at_0"] = "2031-01-01"
    data["closes_at_1"] = "12:00"

    response = admin_client.post(change_url, data)

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert [e.code for e in form.errors.as_data()["closes_at"]] == ["closes_after_event"]
    assert "Registration cannot close after the event ends (on 24 March 2030)" in (
        response.content.decode()
    )
    closes_at = reg_settings.closes_at
    reg_settings.refresh_from_db()
    assert reg_settings.closes_at == closes_at


def test_event_admin_refuses_moving_the_event_before_registration_closes(admin_client, db):
    event = EventFactory(start_date=datetime.date(2030, 3, 23), end_date=datetime.date(2030, 3, 24))
    RegistrationSettingsFactory(
        event=event,
        opens_at=datetime.datetime(2030, 1, 10, 9, 0, tzinfo=event.tzinfo),
        closes_at=datetime.datetime(2030, 3, 20, 18, 0, tzinfo=event.tzinfo),
    )
    change_url = reverse("admin:agenda_event_change", args=[event.pk])
    data = admin_change_data(admin_client.get(change_url))
    data["start_date"] = data["end_date"] = "2030-03-02"

    response = admin_client.post(change_url, data)

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert [e.code for e in form.errors.as_data()["end_date"]] == ["closes_after_event"]
    assert "Change them first (Registration settings)" in response.content.decode()
    event.refresh_from_db()
    assert event.end_date == datetime.date(2030, 3, 24)


def test_anonymize_keeps_registrations_of_an_event_that_ended_recently(db, settings):
    settings.REGISTRATION_RETENTION_DAYS = 365
    # Began long ago, ended 10 days ago: counted from its end, it is kept.
    event = EventFactory(start_date=days_ago(400), end_date=days_ago(10))
    registration = RegistrationFactory(event=event, days=[event.start_date])

    erased = services.anonymize_past_registrations()

    registration.refresh_from_db()
    assert erased == 0
    assert registration.erased_at is None


def test_anonymize_erases_registrations_of_an_event_that_ended_before_retention(db, settings):
    settings.REGISTRATION_RETENTION_DAYS = 365
    kept = RegistrationFactory(event=EventFactory(start_date=days_ago(365), end_date=days_ago(365)))
    erased_one = RegistrationFactory(
        event=EventFactory(start_date=days_ago(367), end_date=days_ago(366))
    )

    erased = services.anonymize_past_registrations()

    kept.refresh_from_db()
    erased_one.refresh_from_db()
    assert erased == 1
    assert kept.erased_at is None
    assert erased_one.erased_at is not None


@pytest.mark.parametrize(
    ("start", "welcome"), [(datetime.date(2030, 3, 23), True), (days_ago(30), False)]
)
def test_confirmed_registration_page_welcomes_only_to_events_to_come(client, db, start, welcome):
    event = EventFactory(start_date=start, end_date=start + datetime.timedelta(days=1))
    registration = RegistrationFactory(
        event=event,
        status=Status.CONFIRMED,
        confirmed_at=timezone.now(),
        queued_at=timezone.now(),
    )

    response = client.get(registration.get_absolute_url())

    assert ("We look forward to welcoming you" in response.content.decode()) is welcome


@pytest.mark.parametrize(
    "kind", [RegistrationEmail.Kind.SEAT_CONFIRMED, RegistrationEmail.Kind.PROMOTED]
)
@pytest.mark.parametrize(
    ("start", "welcome"), [(datetime.date(2030, 3, 23), True), (days_ago(30), False)]
)
def test_seat_emails_welcome_only_to_events_to_come(db, kind, start, welcome):
    event = EventFactory(start_date=start, end_date=start + datetime.timedelta(days=1))
    registration = RegistrationFactory(
        event=event, status=Status.CONFIRMED, confirmed_at=timezone.now(), queued_at=timezone.now()
    )
    _subject, body, _attachments = services.compose_email(registration, kind)

    assert ("We look forward to welcoming you." in body) is welcome
    assert ("If you can no longer come" in body) is welcome


# The site's zone is always a day or two ahead of the venue's: an event whose last day is today
# at the venue has ended by the site's calendar, though it is still running where it is held.
AHEAD, VENUE = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def _running_at_a_venue_behind_the_site(settings):
    settings.TIME_ZONE = AHEAD
    last_day = timezone.localdate(timezone=zoneinfo.ZoneInfo(VENUE))
    return EventFactory(
        start_date=last_day - datetime.timedelta(days=1), end_date=last_day, time_zone=VENUE
    )


def test_event_list_shows_an_event_as_upcoming_while_its_last_day_runs_at_its_venue(
    client, db, settings
):
    running = _running_at_a_venue_behind_the_site(settings)
    EventFactory(start_date=days_ago(40), end_date=days_ago(39))

    listing = client.get(reverse("agenda:event-list"))
    home = client.get(reverse("agenda:event-current"))

    assert [e.is_upcoming for e in listing.context["events"]] == [True, False]
    assert listing.context["events"][0] == running
    assert home.url == running.get_absolute_url()


def test_anonymize_keeps_registrations_while_the_last_day_runs_at_the_venue(db, settings):
    event = _running_at_a_venue_behind_the_site(settings)
    registration = RegistrationFactory(event=event, days=[event.start_date])

    erased = services.anonymize_past_registrations(retention_days=0)

    registration.refresh_from_db()
    assert erased == 0
    assert registration.erased_at is None


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Europe/Zurich", "Pacific/Pago_Pago"])
def test_event_ended_in_sql_agrees_with_has_ended_at_every_venue(db, zone):
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    events = [
        EventFactory(start_date=day, end_date=day, time_zone=zone)
        for day in (today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1))
    ]
    now = timezone.now()

    ended = set(Event.objects.ended(now))
    upcoming = set(Event.objects.upcoming(now))

    assert ended == {e for e in events if e.has_ended} == {events[0]}
    assert upcoming == {events[1], events[2]}
    assert events[0].ends_at == datetime.datetime.combine(
        today, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(zone)
    )
