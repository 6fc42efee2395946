import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agenda import formatting
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


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("fr", "2006-03-23", "2006-03-23", "23 mars 2006"),
        ("fr", "2006-03-23", "2006-03-24", "23–24 mars 2006"),
        ("fr", "2006-12-30", "2007-01-02", "30 décembre 2006 – 2 janvier 2007"),
        ("es", "2006-03-23", "2006-03-23", "23 de marzo de 2006"),
        ("es", "2006-03-23", "2006-03-24", "23–24 de marzo de 2006"),
        ("es", "2006-03-30", "2006-04-02", "30 de marzo – 2 de abril de 2006"),
        ("es", "2006-12-30", "2007-01-02", "30 de diciembre de 2006 – 2 de enero de 2007"),
    ],
)
def test_date_range_in_french_and_spanish(language, start, end, expected):
    with translation.override(language):
        assert date_range(day(start), day(end)) == expected


@pytest.mark.parametrize(
    ("language", "long_day", "agenda_day", "weekday_and_day", "day_month_year"),
    [
        (
            "en",
            "Thursday, 12 March 2026",
            "Thursday 12 March 2026",
            "Thursday 12 March",
            "12 March 2026",
        ),
        ("fr", "jeudi 12 mars 2026", "jeudi 12 mars 2026", "jeudi 12 mars", "12 mars 2026"),
        (
            "es",
            "jueves, 12 de marzo de 2026",
            "jueves, 12 de marzo de 2026",
            "jueves, 12 de marzo",
            "12 de marzo de 2026",
        ),
        # A language the site has no formats for writes days as English does.
        (
            "de",
            "Donnerstag, 12 März 2026",
            "Donnerstag 12 März 2026",
            "Donnerstag 12 März",
            "12 März 2026",
        ),
    ],
)
def test_days_are_written_in_the_active_language(
    language, long_day, agenda_day, weekday_and_day, day_month_year
):
    thursday = day("2026-03-12")

    with translation.override(language):
        assert formatting.long_day(thursday) == long_day
        assert formatting.agenda_day(thursday) == agenda_day
        assert formatting.weekday_and_day(thursday) == weekday_and_day
        assert formatting.day_month_year(thursday) == day_month_year


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


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "20 December 2026, 06:34"),
        ("fr", "20 décembre 2026, 06:34"),
        ("es", "20 de diciembre de 2026, 06:34"),
    ],
)
def test_a_moment_is_written_in_the_active_language(language, expected):
    moment = datetime.datetime(2026, 12, 20, 6, 34)

    with translation.override(language):
        written = formatting.day_month_year_time(moment)

    assert written == expected


@pytest.mark.django_db
def test_registration_form_says_when_it_closes_in_the_pages_language(client):
    from django.utils import timezone

    event = EventFactory(start_date=datetime.date(2030, 3, 30), end_date=datetime.date(2030, 4, 2))
    closes = timezone.make_aware(datetime.datetime(2030, 3, 1, 18, 0))
    RegistrationSettingsFactory(
        event=event, opens_at=timezone.now() - datetime.timedelta(days=1), closes_at=closes
    )
    with translation.override("es"):
        url = reverse("registration:register", args=[event.slug])

    html = client.get(url).content.decode()

    assert "1 de marzo de 2030, 18:00" in html
