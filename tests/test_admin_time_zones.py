"""Every admin page that shows a moment shows it in the time zone of the event it belongs to."""

import datetime

import pytest
from django.urls import reverse

from agenda.models import Presentation
from outbox.models import Message
from registration.models import RegistrationEmail
from registration.services import send_link
from speakers.models import SlideDeck
from tests.registration_factories import RegistrationFactory

pytestmark = pytest.mark.django_db

NOON_UTC = datetime.datetime(2006, 3, 23, 12, 0, tzinfo=datetime.UTC)
NINE_PM_TOKYO = "March 23, 2006, 9 p.m."


@pytest.fixture
def tokyo_event(seed_event):
    seed_event.time_zone = "Asia/Tokyo"
    seed_event.save()
    return seed_event


def test_presentation_admin_shows_when_slides_were_uploaded_in_the_events_zone(
    admin_client, tokyo_event
):
    presentation = Presentation.objects.filter(item__event=tokyo_event).first()
    deck = SlideDeck.objects.create(
        presentation=presentation,
        person=presentation.speakers.first(),
        file="slides/0123456789abcdef0123456789abcdef.pdf",
        file_type=SlideDeck.FileType.PDF,
        size=1000,
    )
    SlideDeck.objects.filter(pk=deck.pk).update(uploaded_at=NOON_UTC)

    html = admin_client.get(
        reverse("admin:agenda_presentation_change", args=[presentation.pk])
    ).content.decode()

    assert NINE_PM_TOKYO in html
    assert "March 23, 2006, noon" not in html


def test_registration_emails_show_their_times_in_the_events_zone(admin_client, tokyo_event):
    registration = RegistrationFactory(event=tokyo_event)
    send_link(registration)
    email = RegistrationEmail.objects.get(registration=registration)
    RegistrationEmail.objects.filter(pk=email.pk).update(created_at=NOON_UTC)
    Message.objects.filter(pk=email.message_id).update(state="sent", sent_at=NOON_UTC)

    change = admin_client.get(
        reverse("admin:registration_registration_change", args=[registration.pk])
    )

    assert change.content.decode().count(NINE_PM_TOKYO) == 2
