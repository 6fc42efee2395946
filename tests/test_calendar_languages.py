"""Calendars in English, French and Spanish (issue 10): organizers' texts in the feed's language,
and the LANGUAGE parameter on a property whose texts all fall back to another language."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.test_calendar import event, feed  # noqa: F401 (event is a fixture)

pytestmark = pytest.mark.django_db


def address(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def session_label(language: str) -> str:
    with translation.override(language):
        return gettext("Session %(number)s") % {"number": "I"}


@pytest.fixture
def french_session(event, django_capture_on_commit_callbacks):  # noqa: F811
    session = event.sessions.get()
    item = event.items.get(session=session)
    with django_capture_on_commit_callbacks(execute=True):  # as the admin saves them
        session.title_fr = "Planter le décor"
        session.save()
        item.title_fr = "Planter le décor : la mobilité des personnels de santé"
        item.save()
    return session


def session_item(calendar):
    return next(vevent for vevent in calendar.events if "décor" in str(vevent["SUMMARY"]) or
                "Scene" in str(vevent["SUMMARY"]))  # fmt: skip


def test_french_feed_shows_the_french_titles(client, event, french_session):  # noqa: F811
    calendar = feed(client, address("agenda:agenda-ics", "fr", event=event.slug))

    vevent = session_item(calendar)
    assert str(vevent["SUMMARY"]) == (
        f"Planter le décor : la mobilité des personnels de santé ({session_label('fr')})"
    )
    assert "LANGUAGE" not in vevent["SUMMARY"].params
    assert str(vevent["DESCRIPTION"]).startswith(f"{session_label('fr')}: Planter le décor")


def test_spanish_feed_marks_the_english_titles_it_falls_back_to(
    client,
    event,  # noqa: F811
    french_session,
):
    calendar = feed(client, address("agenda:agenda-ics", "es", event=event.slug))

    vevent = session_item(calendar)
    assert str(vevent["SUMMARY"]) == (
        f"Setting the Scene: Mobility of Health Care Workers ({session_label('es')})"
    )
    assert vevent["SUMMARY"].params["LANGUAGE"] == "en"
    # Every organizers' text of the description is English: the whole property says so.
    assert vevent["DESCRIPTION"].params["LANGUAGE"] == "en"
    assert vevent["LOCATION"].params["LANGUAGE"] == "en"
    assert calendar["X-WR-CALNAME"].params["LANGUAGE"] == "en"


def test_a_description_mixing_languages_carries_no_language(
    client,
    event,  # noqa: F811
    french_session,
):
    vevent = session_item(feed(client, address("agenda:agenda-ics", "fr", event=event.slug)))

    # The session's title is French, the presentation's English.
    assert "The scope of health worker migration" in str(vevent["DESCRIPTION"])
    assert "LANGUAGE" not in vevent["DESCRIPTION"].params


def test_session_feed_is_named_in_the_feeds_language(client, event, french_session):  # noqa: F811
    french = feed(
        client,
        address("agenda:session-ics", "fr", event=event.slug, session=french_session.slug),
    )
    spanish = feed(
        client,
        address("agenda:session-ics", "es", event=event.slug, session=french_session.slug),
    )

    assert str(french["X-WR-CALNAME"]) == f"{session_label('fr')}: Planter le décor"
    assert str(french["NAME"]) == str(french["X-WR-CALNAME"])
    assert "LANGUAGE" not in french["X-WR-CALNAME"].params
    assert str(spanish["X-WR-CALNAME"]) == f"{session_label('es')}: Setting the Scene"
    assert spanish["NAME"].params["LANGUAGE"] == "en"


def test_event_feed_is_named_after_the_events_title_in_the_feeds_language(
    client,
    event,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        event.title_es = "Migración y recursos humanos para la salud"
        event.save()

    spanish = feed(client, address("agenda:agenda-ics", "es", event=event.slug))
    english = feed(client, address("agenda:agenda-ics", "en", event=event.slug))

    assert str(spanish["X-WR-CALNAME"]) == "Migración y recursos humanos para la salud"
    assert str(english["X-WR-CALNAME"]) == event.title_en
    assert str(spanish["URL"]).endswith(f"/es/{event.slug}/")


def test_english_feed_carries_no_language_parameter(client, event):  # noqa: F811
    calendar = feed(client, address("agenda:agenda-ics", "en", event=event.slug))

    assert "LANGUAGE" not in calendar.to_ical().decode()
    assert str(calendar["X-WR-CALNAME"]) == event.title_en


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_feeds_read_as_many_queries_in_every_language(
    client,
    organizer,
    event,  # noqa: F811
    django_assert_num_queries,
    language,
):
    client.force_login(organizer)
    session = event.sessions.get()

    with django_assert_num_queries(7):
        client.get(address("agenda:agenda-ics", language, event=event.slug))
    with django_assert_num_queries(8):
        client.get(address("agenda:session-ics", language, event=event.slug, session=session.slug))
