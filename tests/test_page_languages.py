"""The public pages in French and Spanish: organizers' texts in the reader's language, marked with
their own language where they fall back, and days written as each language writes them."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from agenda.models import AgendaItemRole, BackgroundPaper, Document, KeyQuestion
from agenda.models.sessions import DEFAULT_QUESTIONS_INTRODUCTION
from idm_seminar.pagecache import database_unavailable_response
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
    RoomFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(
        slug="health-workers",
        title="Health Workers on the Move",
        start_date=datetime.date(2030, 3, 21),
        end_date=datetime.date(2030, 3, 22),
        venue="CICG",
        city="Geneva",
        introduction="Why this seminar.\n\nA second paragraph.",
    )
    session = SessionFactory(event=event, number=1, title="Setting the Scene")
    paper = BackgroundPaper.objects.create(
        session=session, title="Mobility of health workers", body="Para one.\n\nPara two."
    )
    KeyQuestion.objects.create(paper=paper, order=1, text="What is at stake?")
    item = AgendaItemFactory(
        event=event,
        session=session,
        date=datetime.date(2030, 3, 21),
        title="Opening of the seminar",
        room=RoomFactory(event=event, name="Room 2"),
    )
    speaker = PersonFactory(
        slug="luigi-bertinato",
        position="Director",
        organization=OrganizationFactory(name="Veneto Region"),
    )
    presentation = PresentationFactory(item=item, title="Partnership for health")
    PresentationSpeakerFactory(presentation=presentation, person=speaker, label="Italy")
    AgendaItemRole.objects.create(item=item, person=PersonFactory(slug="discussant"))
    return event


def url(name: str, event, language: str = "en", **kwargs) -> str:
    return translate_url(
        reverse(f"agenda:{name}", kwargs={"event": event.slug, **kwargs}), language
    )


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def html_lang(html: str) -> str:
    return re.search(r"<html[^>]* lang=\"([^\"]*)\"", html).group(1)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def squeeze(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


PAGES = [
    ("event-detail", {}),
    ("agenda", {}),
    ("session-detail", {"session": "session-1"}),
    ("person-list", {}),
    ("person-detail", {"person": "luigi-bertinato"}),
    ("document-list", {}),
]


def test_session_title_in_french_shows_on_french_page_and_english_is_marked_on_spanish(
    client, event
):
    session = event.sessions.get(number=1)
    session.title_fr = "Planter le décor"
    session.save()

    french = page(client, url("session-detail", event, "fr", session="session-1"))
    spanish = page(client, url("session-detail", event, "es", session="session-1"))

    assert "</span> Planter le décor</h1>" in french
    assert "Setting the Scene" not in french
    assert '</span> <span lang="en">Setting the Scene</span></h1>' in spanish
    # Where no element can mark a text, it is printed plain.
    assert "Planter le décor – " in title(french)
    assert "Setting the Scene – " in title(spanish)
    assert "<span" not in title(spanish)


def test_session_title_in_french_shows_on_every_french_page_that_names_it(client, event):
    session = event.sessions.get(number=1)
    session.title_fr = "Planter le décor"
    session.save()

    for name in ("event-detail", "document-list"):
        html = page(client, url(name, event, "fr"))
        assert "Planter le décor" in html, name
        assert "Setting the Scene" not in html, name


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_html_lang_is_the_language_of_the_address(client, event, name, kwargs, language):
    assert html_lang(page(client, url(name, event, language, **kwargs))) == language


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_html_lang_of_event_list_and_missing_page_is_the_language_of_the_address(
    client, event, language
):
    prefix = "" if language == "en" else f"/{language}"
    missing = client.get(f"{prefix}/no-such-seminar/agenda/")

    assert html_lang(page(client, translate_url(reverse("agenda:event-list"), language))) == (
        language
    )
    assert missing.status_code == 404
    assert html_lang(missing.content.decode()) == language


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_alternates_and_switcher_point_to_the_same_page_in_each_language(client, event, language):
    path = url("session-detail", event, "en", session="session-1")
    expected = {"en": path, "fr": f"/fr{path}", "es": f"/es{path}"}

    html = page(client, url("session-detail", event, language, session="session-1"))
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    switcher = html.split('class="language-switcher', 1)[1].split("</ul>", 1)[0]
    links = {
        code: href
        for href, code in re.findall(
            r'<a class="nav-link[^"]*" href="([^"]+)" lang="(\w+)"', switcher
        )
    }

    assert alternates == {
        **{code: f"{settings.SITE_URL}{address}" for code, address in expected.items()},
        "x-default": f"{settings.SITE_URL}{path}",
    }
    assert links == expected
    assert f'href="{expected[language]}" lang="{language}" hreflang="{language}" aria-current' in (
        switcher
    )


def test_french_file_of_a_related_document_is_linked_on_the_french_page(client, event):
    Document.objects.create(
        event=event,
        kind="related",
        title_en="Health strategy",
        title_fr="Stratégie de santé",
        file_en="documents/strategy.pdf",
        file_fr="documents/strategie.pdf",
    )

    french = page(client, url("document-list", event, "fr"))
    spanish = page(client, url("document-list", event, "es"))
    english = page(client, url("document-list", event, "en"))

    assert '<a href="/media/documents/strategie.pdf" hreflang="fr">Stratégie de santé</a>' in (
        french
    )
    assert "strategy.pdf" not in french
    assert (
        '<a href="/media/documents/strategy.pdf" hreflang="en">'
        '<span lang="en">Health strategy</span></a> '
        '<span class="document__language">(inglés)</span>'
    ) in spanish
    assert '<a href="/media/documents/strategy.pdf" hreflang="en">Health strategy</a>' in english
    assert "document__language" not in english


def test_document_with_only_an_english_address_is_linked_and_says_so(client, event):
    session = event.sessions.get(number=1)
    Document.objects.create(
        event=event, session=session, kind="link", title="IOM", url="https://www.iom.int/"
    )

    french = page(client, url("session-detail", event, "fr", session="session-1"))

    assert 'href="https://www.iom.int/" hreflang="en"><span lang="en">IOM</span></a>' in french
    assert '<span class="document__language">(anglais)</span>' in french


def test_days_are_written_as_each_language_writes_them(client, event):
    french = squeeze(page(client, url("agenda", event, "fr")))
    spanish = squeeze(page(client, url("agenda", event, "es")))
    spanish_session = squeeze(page(client, url("session-detail", event, "es", session="session-1")))
    spanish_person = squeeze(
        page(client, url("person-detail", event, "es", person="luigi-bertinato"))
    )

    assert "21–22 mars 2030" in french
    assert "jeudi 21 mars 2030" in french
    assert "21–22 de marzo de 2030" in spanish
    assert "jueves, 21 de marzo de 2030" in spanish
    assert "jueves, 21 de marzo" in spanish  # the day links
    assert "jueves, 21 de marzo de 2030" in spanish_session
    assert "jueves, 21 de marzo de 2030, 10:00–11:00" in spanish_person
    assert "21 marzo 2030" not in spanish


def test_english_pages_write_days_as_before(client, event):
    english = squeeze(page(client, url("agenda", event)))

    assert "21–22 March 2030" in english
    assert "Thursday 21 March 2030" in english


def test_event_written_in_french_shows_its_french_texts_marked_on_english_pages(client):
    event = EventFactory(slug="seminaire", original_language="fr")
    event.title_en = ""
    event.title_fr = "Les travailleurs de la santé en mouvement"
    event.venue_en, event.city_en = "", ""
    event.venue_fr, event.city_fr = "CICG", "Genève"
    event.introduction_fr = "Pourquoi ce séminaire.\n\nUn second paragraphe."
    event.save()

    html = page(client, event.get_absolute_url())
    listing = page(client, reverse("agenda:event-list"))

    assert html_lang(html) == "en"
    assert '<h1><span lang="fr">Les travailleurs de la santé en mouvement</span></h1>' in html
    assert (
        '<div lang="fr"><p>Pourquoi ce séminaire.</p>\n\n<p>Un second paragraphe.</p></div>'
    ) in html
    assert '<span lang="fr">CICG</span>, <span lang="fr">Genève</span>' in html
    assert title(html).startswith("Les travailleurs de la santé en mouvement – ")
    assert '<span lang="fr">Les travailleurs de la santé en mouvement</span></a>' in listing


def test_event_written_in_french_prefers_french_over_english_on_spanish_pages(client):
    event = EventFactory(slug="seminaire", original_language="fr", title="Health workers")
    event.title_fr = "Les travailleurs de la santé"
    event.save()

    address = event.get_absolute_url()

    spanish = page(client, translate_url(address, "es"))
    english = page(client, address)

    assert '<h1><span lang="fr">Les travailleurs de la santé</span></h1>' in spanish
    assert "<h1>Health workers</h1>" in english


def test_paper_paragraphs_falling_back_are_marked_on_their_element(client, event):
    paper = BackgroundPaper.objects.get(session__event=event)
    paper.title_es = "Movilidad de los trabajadores de la salud"
    paper.save()

    html = page(client, url("session-detail", event, "es", session="session-1"))

    assert '<h3 class="background-paper__title">Movilidad de los trabajadores de la salud</h3>' in (
        html
    )
    assert '<p lang="en">Para one.</p><p lang="en">Para two.</p>' in html
    assert '<li lang="en">What is at stake?</li>' in html


def test_default_introduction_to_key_questions_is_in_the_page_language(client, event):
    html = page(client, url("session-detail", event, "fr", session="session-1"))

    # The sentence every paper starts with is the interface's, never marked as English.
    assert "<p>" + _french_questions_introduction() + "</p>" in html


def _french_questions_introduction() -> str:
    with translation.override("fr"):
        return translation.gettext(DEFAULT_QUESTIONS_INTRODUCTION)


def test_agenda_item_texts_fall_back_marked_and_follow_the_page(client, event):
    item = event.items.get()
    item.title_fr = "Ouverture du séminaire"
    item.description_en = "Opening questions."
    item.save()
    room = item.room
    room.name_fr = "Salle 2"
    room.save()

    html = page(client, url("agenda", event, "fr"))

    assert ">Ouverture du séminaire</h3>" in html
    assert '<div class="agenda-item__description"><div lang="en"><p>Opening questions.</p>' in html
    assert "</span>Salle 2</span>" in html
    assert '<p class="presentation__title" lang="en">Partnership for health</p>' in html
    assert '<span class="person__label"><span lang="en">Italy</span>' in html
    assert '<span lang="en">Director</span>, <span lang="en">Veneto Region</span>' in html


def test_presentation_repeating_its_item_title_in_french_is_printed_once(client, event):
    item = event.items.get()
    item.title_fr = "Partenariat pour la santé"
    item.save()
    presentation = item.presentations.get()
    presentation.title_fr = "Partenariat pour la santé"
    presentation.save()

    french = page(client, url("agenda", event, "fr"))
    english = page(client, url("agenda", event))

    assert french.count("Partenariat pour la santé") == 1
    assert "Partnership for health" in english


def test_person_texts_in_spanish_show_on_spanish_person_page(client, event):
    speaker = event.items.get().presentations.get().speaker_links.get().person
    speaker.position_es = "Director general"
    speaker.bio_en = "Works on health policy."
    speaker.save()
    link = speaker.speaker_links.get()
    link.label_es = "Italia"
    link.save()

    html = page(client, url("person-detail", event, "es", person="luigi-bertinato"))

    assert 'Director general, <span lang="en">Veneto Region</span>' in html
    assert "(Italia)" in html
    assert '<div lang="en"><p>Works on health policy.</p></div>' in html


def test_organizer_name_with_acronym_falls_back_marked(client, event):
    organizer = event.organizer
    organizer.acronym_en = "IOM"
    organizer.acronym_fr = "OIM"
    organizer.name_fr = "Organisation internationale pour les migrations"
    organizer.save()

    french = page(client, url("event-detail", event, "fr"))
    spanish = page(client, url("event-detail", event, "es"))

    assert "Organisation internationale pour les migrations (OIM)" in french
    assert (
        '<span lang="en">International Organization for Migration</span> '
        '<span lang="en">(IOM)</span>'
    ) in spanish


def test_unavailable_page_names_the_language_it_is_written_in():
    with translation.override("es"):
        html = database_unavailable_response().content.decode()

    assert html_lang(html) == "es"
