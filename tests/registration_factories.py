"""factory_boy factories for the registration models (used by tests/test_registration*.py)."""

import datetime

import factory
from django.utils import timezone

from registration import models
from tests.factories import EventFactory


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    """The event's settings row (every event has one, made with it), set to these values."""

    class Meta:
        model = models.RegistrationSettings

    event = factory.SubFactory(EventFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    capacity = 100

    @classmethod
    def _create(cls, model_class, *args, event, **kwargs):
        reg_settings, _created = model_class._default_manager.update_or_create(
            event=event, defaults=kwargs
        )
        return reg_settings


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    event = factory.SubFactory(EventFactory)
    honorific = "Ms."
    first_name = factory.Sequence(lambda n: f"Amina{n}")
    last_name = factory.Sequence(lambda n: f"Diallo{n}")
    position = "Director of Human Resources"
    organization = "Ministry of Health"
    sector = models.Sector.GOVERNMENT_HEALTH
    country = "SN"
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    days = factory.LazyAttribute(lambda o: o.event.days)
    consent_privacy = True


def form_data(event, **overrides) -> dict:
    """A valid POST of the registration form for `event`."""
    data = {
        "honorific": "Dr.",
        "first_name": "Kwame",
        "last_name": "Mensah",
        "position": "Chief Medical Officer",
        "organization": "Ghana Health Service",
        "sector": "gov_health",
        "country": "GH",
        "email": "kwame.mensah@example.org",
        "phone": "+233 30 268 4271",
        "days": [day.isoformat() for day in event.days],
        "dietary_needs": "",
        "accessibility_needs": "",
        "consent_privacy": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
