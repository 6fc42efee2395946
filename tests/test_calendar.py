import datetime

import icalendar
import pytest
from django.urls import reverse

from agenda.models import Event
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
    RoomFactory,
    SessionFactory,
)

UTC = datetime.UTC


@pytest.fixture
def event(db):
    event = EventFactory(
        slug="geneva-2006",
        start_date=datetime.date(2006, 3, 23),
        end_date=datetime.date(2006, 3, 24),
        venue="International Conference Centre Geneva",
        city="Geneva",
    )
    session = SessionFactory(event=event, number=1, title="Setting the Scene")
    item = AgendaItemFactory(
        event=event,
        session=session,
        date=datetime.date(2006, 3, 23),
        start_time=datetime.time(10, 30),
        end_time=datetime.time(11, 15),
        title="Setting the Scene: Mobility of Health Care Workers",
        room=RoomFactory(event=event, name="Room 2"),
    )
    PresentationSpeakerFactory(
        presentation=PresentationFactory(item=item, title="The scope of health worker migration"),
        person=PersonFactory(
            honorific="Dr.", first_name="Manuel", last_name="Dayrit", email="secret@example.org"
        ),
    )
    AgendaItemFactory(
        event=event,
        date=datetime.date(2006, 3, 24),
        start_time=datetime.time(16, 0),
        end_time=datetime.time(16, 30),
        kind="break",
        title="Break",
    )
    return event


def feed(client, address, *, host: str = "testserver") -> icalendar.Calendar:
    response = client.get(address, headers={"host": host})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def agenda_feed(client, event):
    return feed(client, reverse("agenda:agenda-ics", kwargs={"event": event.slug}))


def test_agenda_feed_has_one_event_per_item(client, event):
    calendar = agenda_feed(client, event)

    assert [str(e["SUMMARY"]) for e in calendar.events] == [
        "Setting the Scene: Mobility of Health Care Workers (Session I)",
        "Break",
    ]


def test_feed_times_are_geneva_time_with_their_time_zone(client, event):
    calendar = agenda_feed(client, event)
    session_item = calendar.events[0]

    assert session_item.start.astimezone(UTC) == datetime.datetime(2006, 3, 23, 9, 30, tzinfo=UTC)
    assert session_item.end.astimezone(UTC) == datetime.datetime(2006, 3, 23, 10, 15, tzinfo=UTC)
    assert session_item["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Zurich"]


def test_feed_describes_location_and_speakers(client, event):
    session_item = agenda_feed(client, event).events[0]

    assert str(session_item["LOCATION"]) == "Room 2, International Conference Centre Geneva, Geneva"
    assert "The scope of health worker migration" in session_item["DESCRIPTION"]
    assert "Dr. Manuel Dayrit" in session_item["DESCRIPTION"]
    assert "secret@example.org" not in session_item["DESCRIPTION"]


def test_feed_uids_are_stable_and_distinct(client, event, django_capture_on_commit_callbacks):
    first = [str(e["UID"]) for e in agenda_feed(client, event).events]
    with django_capture_on_commit_callbacks(execute=True):
        event.items.filter(kind="break").update(title="Coffee break")
        event.items.get(kind="break").save()
    second = [str(e["UID"]) for e in agenda_feed(client, event).events]

    assert first == second
    assert len(set(first)) == 2


def test_session_feed_has_only_the_session_items(client, event):
    address = reverse("agenda:session-ics", kwargs={"event": event.slug, "session": "session-1"})

    calendar = feed(client, address)

    assert len(calendar.events) == 1
    assert calendar.events[0].start.astimezone(UTC).hour == 9


def test_feed_leaves_out_unpublished_items(client, event):
    event.items.filter(kind="break").update(is_published=False)

    assert len(agenda_feed(client, event).events) == 1


def test_feed_of_draft_event_is_not_found(client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    response = client.get(reverse("agenda:agenda-ics", kwargs={"event": event.slug}))

    assert response.status_code == 404


def test_seed_feed_starts_session_one_at_half_past_nine_utc(client, seed_event):
    calendar = agenda_feed(client, seed_event)

    session_one = next(e for e in calendar.events if "(Session I)" in str(e["SUMMARY"]))

    assert session_one.start.astimezone(UTC) == datetime.datetime(2006, 3, 23, 9, 30, tzinfo=UTC)


def test_feed_links_point_at_the_site_whatever_host_was_asked(client, event, settings):
    settings.SITE_URL = "https://idm.example.org"

    calendar = feed(
        client, reverse("agenda:agenda-ics", kwargs={"event": event.slug}), host="localhost"
    )

    assert str(calendar["URL"]) == f"https://idm.example.org{event.get_absolute_url()}"
    assert all(str(e["URL"]).startswith("https://idm.example.org/") for e in calendar.events)
