import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agenda.formatting import date_range
from documents import services as document_services
from registration import services as registration_services
from registration.models import RegistrationEmail
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2006-03-23", "2006-03-23", "23 March 2006"),
        ("2006-03-23", "2006-03-24", "23–24 March 2006"),
        ("2006-03-30", "2006-04-02", "30 March – 2 April 2006"),
        ("2006-12-30", "2007-01-02", "30 December 2006 – 2 January 2007"),
    ],
)
def test_date_range_writes_days_as_people_do(start, end, expected):
    assert date_range(day(start), day(end)) == expected


def test_date_range_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        date_range(day("2006-03-24"), day("2006-03-23"))


def test_date_range_follows_the_active_language():
    with translation.override("fr"):
        assert date_range(day("2006-03-30"), day("2006-04-02")) == "30 mars – 2 avril 2006"


def squeeze(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@pytest.mark.django_db
def test_date_range_reads_the_same_on_pages_emails_and_pdfs(client):
    event = EventFactory(start_date=day("2031-03-30"), end_date=day("2031-04-02"))
    RegistrationSettingsFactory(event=event)
    registration = RegistrationFactory(event=event)
    expected = "30 March – 2 April 2031"

    event_page = squeeze(client.get(event.get_absolute_url()).text)
    form_page = squeeze(client.get(reverse("registration:register", args=[event.slug])).text)
    _subject, body, _attachments = registration_services.compose_email(
        registration, RegistrationEmail.Kind.SEAT_CONFIRMED
    )
    programme = PdfReader(io.BytesIO(bytes(document_services.render_programme(event).content)))
    programme_text = " ".join(programme.pages[0].extract_text().split())

    assert expected in event_page
    assert expected in form_page
    assert expected in body
    assert expected in programme_text
    for page in (event_page, form_page, body, programme_text):
        assert "30 March 2031 – 2 April 2031" not in page
