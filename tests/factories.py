"""factory_boy factories for the agenda models; tests build exactly the data they need."""

import datetime

import factory
from django.db.models import F
from django.utils import timezone

from agenda import models


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = models.Organization.Kind.IGO


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    honorific = "Dr."
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    position = "Director"
    organization = factory.SubFactory(OrganizationFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Seminar {n}")
    start_date = datetime.date(2030, 3, 23)
    end_date = datetime.date(2030, 3, 24)
    city = "Geneva"
    venue = "CICG"
    organizer = factory.SubFactory(
        OrganizationFactory, name="International Organization for Migration"
    )
    status = models.Event.Status.PUBLISHED


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Session

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.LazyAttribute(lambda o: f"session-{o.number}")
    title = factory.Sequence(lambda n: f"Session title {n}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    event = factory.SubFactory(EventFactory)
    date = factory.LazyAttribute(lambda o: o.event.start_date)
    start_time = datetime.time(10, 0)
    end_time = datetime.time(11, 0)
    kind = models.AgendaItem.Kind.PLENARY
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Presentation

    item = factory.SubFactory(AgendaItemFactory)
    title = factory.Sequence(lambda n: f"Presentation {n}")


class PresentationSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PresentationSpeaker

    presentation = factory.SubFactory(PresentationFactory)
    person = factory.SubFactory(PersonFactory)


def move_event(event: models.Event, *, start_date: datetime.date) -> models.Event:
    """Move the event and its agenda items to begin on `start_date` (the database keeps items
    within their event's days at every step, so the range first widens, then narrows)."""
    shift = start_date - event.start_date
    start, end = event.start_date + shift, event.end_date + shift
    events = models.Event.objects.filter(pk=event.pk)
    events.update(start_date=min(start, event.start_date), end_date=max(end, event.end_date))
    models.AgendaItem.objects.filter(event=event).update(date=F("date") + shift)
    events.update(start_date=start, end_date=end)
    event.refresh_from_db()
    return event


def upcoming(event: models.Event, *, days_ahead: int = 90) -> models.Event:
    return move_event(event, start_date=timezone.localdate() + datetime.timedelta(days=days_ahead))
