"""Organizers enter every text in English, French and Spanish on one admin form, and see per
event which texts still lack a language."""

import html
import re

import pytest
from django.contrib.admin import TabularInline
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation
from modeltranslation.admin import TranslationTabularInline

from agenda.admin_languages import search_in_every_language, tabular_inline
from agenda.models import (
    AgendaItem,
    Event,
    EventPartner,
    Organization,
    Person,
    Presentation,
    Room,
    Session,
)
from devtools.demo import generate_event
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    PresentationSpeakerFactory,
    SessionFactory,
)
from tests.test_admin_hostile_input import FormFields

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Planter le décor : la mobilité des personnels de santé"


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def change_form(client, obj) -> tuple[str, dict]:
    """The change page's address and the values a browser would send back from it."""
    meta = obj._meta
    url = url_in("en", f"admin:{meta.app_label}_{meta.model_name}_change", obj.pk)
    form = FormFields()
    form.feed(client.get(url).content.decode())
    return url, form.values


def translations_page(client, event, language: str = "en"):
    return client.get(url_in(language, "admin:agenda_event_translations", event.pk))


def test_session_form_has_a_title_input_per_language(admin_client, seed_event):
    session = seed_event.sessions.get(number=1)

    _url, values = change_form(admin_client, session)

    assert [name for name in values if name.startswith("title")] == [
        "title_en",
        "title_fr",
        "title_es",
    ]
    assert [name for name in values if name.startswith("theme")] == [
        "theme_en",
        "theme_fr",
        "theme_es",
    ]


def test_french_title_saved_in_the_admin_shows_on_the_french_session_page(
    admin_client, client, seed_event
):
    session = seed_event.sessions.get(number=1)
    url, values = change_form(admin_client, session)

    response = admin_client.post(url, {**values, "title_fr": FRENCH_TITLE})

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title_en, session.title_fr, session.title_es) == (
        "Setting the Scene: Mobility of Health Care Workers",
        FRENCH_TITLE,
        None,
    )
    with translation.override("fr"):
        french_url = session.get_absolute_url()
    french = client.get(french_url).content.decode()
    english = client.get(url_in("en", "agenda:session-detail", seed_event.slug, session.slug))
    assert french_url.startswith("/fr/")
    assert FRENCH_TITLE in french
    assert FRENCH_TITLE not in english.content.decode()


def test_english_stays_required_where_the_text_is_required(admin_client, seed_event):
    session = seed_event.sessions.get(number=1)
    url, values = change_form(admin_client, session)

    response = admin_client.post(url, {**values, "title_en": "", "title_fr": FRENCH_TITLE})

    errors = response.context["adminform"].form.errors.as_data()
    assert response.status_code == 200
    assert {name: [e.code for e in found] for name, found in errors.items()} == {
        "title_en": ["required"]
    }


def test_event_form_sets_the_original_language(admin_client, seed_event):
    url, values = change_form(admin_client, seed_event)

    response = admin_client.post(url, {**values, "original_language": "fr"})

    seed_event.refresh_from_db()
    assert response.status_code == 302
    assert seed_event.original_language == "fr"


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Organization, "name_fr", "Organisation mondiale de la \u202eSanté"),
        (Organization, "name_es", "Organización Mundial de la Salud\u200f"),
        (Person, "position_fr", "Directeur\u2066 général"),
        (Person, "position_es", "\u202bDirectora"),
    ],
)
def test_admin_refuses_text_direction_characters_in_every_language(
    admin_client, seed_event, model, field, value
):
    obj = model.objects.order_by("pk").first()
    url, values = change_form(admin_client, obj)

    response = admin_client.post(url, {**values, field: value})

    errors = response.context["adminform"].form.errors.as_data()
    assert response.status_code == 200
    assert [error.code for error in errors[field]] == ["bidi_control_characters"]
    obj.refresh_from_db()
    assert getattr(obj, field) is None


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_admin_search_finds_a_text_in_any_language(admin_client, seed_event, language):
    Session.objects.filter(number=2).update(title_es="Enfoques de política migratoria")

    response = admin_client.get(
        url_in(language, "admin:agenda_session_changelist"), {"q": "política"}
    )

    assert response.status_code == 200
    assert [session.number for session in response.context["cl"].result_list] == [2]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_event_list_filters_on_a_city_in_any_admin_language(admin_client, seed_event, language):
    url = url_in(language, "admin:agenda_event_changelist")
    EventFactory(city="Bangkok")

    response = admin_client.get(url, {"city_en": "Geneva"})

    assert [event.slug for event in response.context["cl"].result_list] == [seed_event.slug]


def test_search_fields_name_every_language_of_a_translated_text():
    assert search_in_every_language(
        AgendaItem, ["title", "presentations__title", "^session__slug", "kind"]
    ) == [
        "title_en",
        "title_fr",
        "title_es",
        "presentations__title_en",
        "presentations__title_fr",
        "presentations__title_es",
        "^session__slug",
        "kind",
    ]


def test_inline_has_language_tabs_only_for_a_model_with_translated_texts():
    assert tabular_inline(Room) is TranslationTabularInline
    assert tabular_inline(EventPartner) is TabularInline


def test_admin_pages_load_no_asset_from_another_site(admin_client, seed_event):
    session = seed_event.sessions.get(number=1)
    page = admin_client.get(url_in("en", "admin:agenda_session_change", session.pk))

    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]*)"', page.content.decode())

    assert "/static/jquery-ui/jquery-ui.min.js" in assets
    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in assets
    assert [asset for asset in assets if not asset.startswith("/")] == []


def test_admin_login_in_french_and_spanish(client):
    french = html.unescape(client.get(url_in("fr", "admin:login")).content.decode())
    spanish = html.unescape(client.get(url_in("es", "admin:login")).content.decode())

    assert 'lang="fr"' in french
    assert "Nom d’utilisateur" in french
    assert "Séminaires de l'IDM – organisateurs" in french
    assert 'lang="es"' in spanish
    assert "Nombre de usuario" in spanish
    assert "Seminarios del IDM – organizadores" in spanish


@pytest.mark.parametrize(
    ("language", "fieldset", "save", "action"),
    [
        ("fr", "Dates et lieu", 'value="Enregistrer"', "Envoyer les liens vers les notes"),
        ("es", "Fechas y lugar", 'value="Guardar"', "Enviar enlaces a la nota informativa"),
    ],
)
def test_event_admin_in_french_and_spanish(
    admin_client, seed_event, language, fieldset, save, action
):
    change = admin_client.get(url_in(language, "admin:agenda_event_change", seed_event.pk))
    listing = admin_client.get(url_in(language, "admin:agenda_event_changelist"))

    assert f'<html lang="{language}"' in change.content.decode()
    assert fieldset in change.content.decode()
    assert save in change.content.decode()
    assert action in listing.content.decode()


# The page of missing translations


def fully_translated_event() -> Event:
    organizer = OrganizationFactory(
        name="Organization of Three Languages",
        name_fr="Organisation des trois langues",
        name_es="Organización de los tres idiomas",
    )
    return EventFactory(
        organizer=organizer,
        title="Seminar",
        title_fr="Séminaire",
        title_es="Seminario",
        city="Geneva",
        city_fr="Genève",
        city_es="Ginebra",
        venue="CICG",
        venue_fr="CICG",
        venue_es="CICG",
    )


def test_translations_page_lists_a_session_until_its_french_title_is_set(admin_client):
    event = fully_translated_event()
    session = SessionFactory(event=event, title="Opening", title_es="Apertura")

    before = translations_page(admin_client, event)
    Session.objects.filter(pk=session.pk).update(title_fr="Ouverture")
    after = translations_page(admin_client, event)

    change_url = url_in("en", "admin:agenda_session_change", session.pk)
    assert [(entry["obj"], entry["url"]) for entry in before.context["objects"]] == [
        (session, change_url)
    ]
    assert [
        (text["label"], text["text"], text["languages"])
        for text in before.context["objects"][0]["texts"]
    ] == [("title", "Opening", "French")]
    assert f'<a href="{change_url}">' in before.content.decode()
    assert before.context["counts"] == [("French", 1), ("Spanish", 0)]
    assert after.context["objects"] == []
    assert "Every text has its French and Spanish version." in after.content.decode()


def test_translations_page_links_inline_texts_to_the_page_that_edits_them(admin_client):
    event = fully_translated_event()
    room = Room.objects.create(event=event, name="Room 1", name_fr="Salle 1")

    response = translations_page(admin_client, event)

    assert [(entry["obj"], entry["url"]) for entry in response.context["objects"]] == [
        (room, url_in("en", "admin:agenda_event_change", event.pk))
    ]
    assert response.context["counts"] == [("French", 0), ("Spanish", 1)]


def test_translations_page_of_a_french_event_looks_for_english_and_spanish(admin_client):
    event = fully_translated_event()
    Event.objects.filter(pk=event.pk).update(original_language="fr")
    SessionFactory(event=event, title="Opening", title_fr="Ouverture", title_es="Apertura")
    Session.objects.filter(event=event).update(theme_fr="Les questions du jour")

    response = translations_page(admin_client, event)

    assert response.context["counts"] == [("English", 1), ("Spanish", 1)]


def test_translations_page_covers_every_kind_of_text_of_the_seed_event(admin_client, seed_event):
    response = translations_page(admin_client, seed_event)

    kinds = {str(entry["kind"]) for entry in response.context["objects"]}
    assert kinds == {
        "event",
        "room",
        "session",
        "background paper",
        "key question",
        "agenda item",
        "presentation",
        "speaker",
        "person",
        "organization",
        "document",
        "publication",
        "part",
    }


def test_translations_page_lists_the_people_of_its_event_only(admin_client):
    event = fully_translated_event()
    speaker = PresentationSpeakerFactory(
        presentation__item__event=event, person__position="Chair", person__organization=None
    )
    PresentationSpeakerFactory(person__position="Director", person__organization=None)
    Presentation.objects.update(title_fr="Exposé", title_es="Ponencia")
    AgendaItem.objects.update(title_fr="Point", title_es="Punto")

    response = translations_page(admin_client, event)

    assert [entry["obj"] for entry in response.context["objects"]] == [speaker.person]


def test_event_page_and_list_link_to_the_missing_translations(admin_client, seed_event):
    report_url = url_in("en", "admin:agenda_event_translations", seed_event.pk)
    total = translations_page(admin_client, seed_event).context["total"]

    change = admin_client.get(url_in("en", "admin:agenda_event_change", seed_event.pk))
    listing = admin_client.get(url_in("en", "admin:agenda_event_changelist"))

    link = f'<a href="{report_url}"'
    assert total > 100
    assert f"Translations: {total} missing</a>" in change.content.decode()
    assert link in change.content.decode()
    assert f"{link}>Translations: {total} missing</a>" in listing.content.decode()


def test_translations_page_reads_as_many_queries_for_a_large_event_as_for_the_seed(
    admin_client, seed_event, django_assert_num_queries
):
    large = generate_event(scale=10, slug="large")
    # One query per kind of text (break-out groups' names among them, registration's), however
    # many texts an event has.
    with django_assert_num_queries(21):
        small_page = translations_page(admin_client, seed_event)
    with django_assert_num_queries(21):
        large_page = translations_page(admin_client, large)

    assert small_page.status_code == large_page.status_code == 200
    assert len(large_page.context["objects"]) > 5 * len(small_page.context["objects"])


def test_event_list_reads_the_same_queries_for_one_event_as_for_two(
    admin_client, seed_event, django_assert_max_num_queries, django_assert_num_queries
):
    url = url_in("en", "admin:agenda_event_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(40) as one:
        admin_client.get(url)
    generate_event(scale=10, slug="large")

    with django_assert_num_queries(len(one.captured_queries)):
        response = admin_client.get(url)

    assert len(response.context["cl"].result_list) == 2


def test_translations_page_is_shown_to_staff_who_may_view_the_event(django_user_model, seed_event):
    staff = django_user_model.objects.create_user("staff", password="x" * 20, is_staff=True)
    client = Client()
    client.force_login(staff)
    refused = translations_page(client, seed_event)
    staff.user_permissions.add(Permission.objects.get(codename="view_event"))

    allowed = translations_page(client, seed_event)

    assert refused.status_code == 403
    assert allowed.status_code == 200
    # Only the pages this organizer may open are links.
    links = {entry["url"] for entry in allowed.context["objects"]}
    assert links == {None, url_in("en", "admin:agenda_event_change", seed_event.pk)}


def test_translations_page_is_closed_to_visitors(client, seed_event):
    response = translations_page(client, seed_event)

    assert response.status_code == 302
    assert response["Location"].startswith(url_in("en", "admin:login"))


@pytest.mark.parametrize("object_id", ["abc", "9" * 30, "0"])
def test_translations_page_of_no_event_answers_404(admin_client, object_id):
    response = admin_client.get(f"/admin/agenda/event/{object_id}/translations/")

    assert response.status_code == 404


def test_translations_page_in_french_names_the_languages_in_french(admin_client, seed_event):
    response = translations_page(admin_client, seed_event, "fr")

    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert [language for language, _count in response.context["counts"]] == [
        "Français",
        "Espagnol",
    ]
