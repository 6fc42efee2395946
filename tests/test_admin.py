"""Organizers edit the agenda in the admin; the public pages and the history follow."""

import datetime

import pytest
from django.urls import reverse

from agenda.models import AgendaItem, Presentation
from documents.models import RenderedDocument
from proceedings import services as proceedings_services
from tests.factories import (
    AgendaItemFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
    RoomFactory,
    SessionFactory,
)
from tests.registration_factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_client(client, organizer):
    response = client.post(
        reverse("admin:login"),
        {"username": "organizer", "password": "a-long-organizer-password", "next": "/admin/"},
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def two_sessions():
    first = SessionFactory(title="Setting the scene")
    second = SessionFactory(event=first.event, title="Policy approaches")
    first_item = AgendaItemFactory(event=first.event, session=first, title="Opening plenary")
    second_item = AgendaItemFactory(
        event=first.event,
        session=second,
        title="Case studies",
        start_time=datetime.time(15),
        end_time=datetime.time(18),
    )
    presentation = PresentationFactory(
        item=first_item, title="The scope of health worker migration"
    )
    PresentationSpeakerFactory(presentation=presentation, person__last_name="Dayrit")
    return first, second, second_item, presentation


def presentation_form(presentation, *, item, new_speaker=None):
    links = list(presentation.speaker_links.all())
    data = {
        "item": item.pk,
        "title_en": presentation.title,
        "abstract_en": presentation.abstract,
        "order": presentation.order,
        "speaker_links-TOTAL_FORMS": len(links) + (new_speaker is not None),
        "speaker_links-INITIAL_FORMS": len(links),
        "speaker_links-MIN_NUM_FORMS": 0,
        "speaker_links-MAX_NUM_FORMS": 1000,
        "slides-TOTAL_FORMS": 0,
        "slides-INITIAL_FORMS": 0,
    }
    for index, link in enumerate(links):
        data |= {
            f"speaker_links-{index}-id": link.pk,
            f"speaker_links-{index}-presentation": presentation.pk,
            f"speaker_links-{index}-person": link.person_id,
            f"speaker_links-{index}-label_en": link.label,
            f"speaker_links-{index}-order": link.order,
        }
    if new_speaker is not None:
        index = len(links)
        data |= {
            f"speaker_links-{index}-presentation": presentation.pk,
            f"speaker_links-{index}-person": new_speaker.pk,
            f"speaker_links-{index}-label_en": "",
            f"speaker_links-{index}-order": 1,
        }
    return data


def test_organizer_moves_a_presentation_and_adds_a_speaker(
    organizer_client, client, two_sessions, django_capture_on_commit_callbacks
):
    first, second, second_item, presentation = two_sessions
    new_speaker = PersonFactory(first_name="Susan", last_name="Maybud", position="Health Services")
    change_url = reverse("admin:agenda_presentation_change", args=[presentation.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            change_url, presentation_form(presentation, item=second_item, new_speaker=new_speaker)
        )

    assert response.status_code == 302, response.context["adminform"].errors
    presentation.refresh_from_db()
    assert presentation.item == second_item
    assert [p.last_name for p in presentation.speakers.order_by("last_name")] == [
        "Dayrit",
        "Maybud",
    ]

    organizer_client.logout()
    second_page = client.get(second.get_absolute_url()).content.decode()
    first_page = client.get(first.get_absolute_url()).content.decode()
    assert "The scope of health worker migration" in second_page
    assert "Susan Maybud" in second_page
    assert "The scope of health worker migration" not in first_page


def test_admin_history_shows_who_changed_a_presentation(organizer_client, two_sessions, organizer):
    _, _, second_item, presentation = two_sessions

    response = organizer_client.post(
        reverse("admin:agenda_presentation_change", args=[presentation.pk]),
        presentation_form(presentation, item=second_item),
    )

    assert response.status_code == 302
    latest = presentation.history.latest()
    assert latest.history_user == organizer
    assert latest.item_id == second_item.pk
    history_page = organizer_client.get(
        reverse("admin:agenda_presentation_history", args=[presentation.pk])
    )
    assert history_page.status_code == 200
    assert "organizer" in history_page.content.decode()


def test_overlapping_item_in_the_same_room_is_refused_naming_both(organizer_client):
    room = RoomFactory(name="Main conference room")
    AgendaItemFactory(
        event=room.event,
        room=room,
        title="Press Conference",
        start_time=datetime.time(13, 30),
        end_time=datetime.time(14, 30),
    )
    data = {
        "event": room.event.pk,
        "date": room.event.start_date.isoformat(),
        "start_time": "14:00",
        "end_time": "15:00",
        "kind": AgendaItem.Kind.PLENARY,
        "title_en": "Policy approaches",
        "room": room.pk,
        "order": 0,
        "is_published": "on",
        "presentations-TOTAL_FORMS": 0,
        "presentations-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
    }

    response = organizer_client.post(reverse("admin:agenda_agendaitem_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["start_time"]] == ["room_overlap"]
    message = errors["start_time"][0].message % errors["start_time"][0].params
    assert "Policy approaches" in message
    assert "Press Conference" in message
    assert AgendaItem.objects.filter(title="Policy approaches").count() == 0


def test_item_outside_the_event_days_is_refused_in_the_admin(organizer_client):
    room = RoomFactory()
    data = {
        "event": room.event.pk,
        "date": (room.event.end_date + datetime.timedelta(days=1)).isoformat(),
        "start_time": "09:00",
        "end_time": "08:00",
        "kind": AgendaItem.Kind.BREAK,
        "title_en": "Coffee",
        "order": 0,
        "presentations-TOTAL_FORMS": 0,
        "presentations-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
    }

    response = organizer_client.post(reverse("admin:agenda_agendaitem_add"), data)

    errors = response.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors["date"]] == ["outside_event"]
    assert [e.code for e in errors["end_time"]] == ["ends_before_start"]
    assert not AgendaItem.objects.filter(title="Coffee").exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:agenda_event_changelist",
        "admin:agenda_agendaitem_changelist",
        "admin:agenda_session_changelist",
        "admin:agenda_person_changelist",
        "admin:agenda_presentation_changelist",
        "admin:agenda_document_changelist",
        "admin:proceedings_publication_changelist",
    ],
)
def test_admin_lists_open_for_organizers(organizer_client, two_sessions, url_name):
    response = organizer_client.get(reverse(url_name), {"q": "scope"})

    assert response.status_code == 200


def test_admin_change_pages_open_for_organizers(organizer_client, two_sessions):
    first, _, second_item, presentation = two_sessions
    for url in [
        reverse("admin:agenda_event_change", args=[first.event.pk]),
        reverse("admin:agenda_session_change", args=[first.pk]),
        reverse("admin:agenda_agendaitem_change", args=[second_item.pk]),
        reverse("admin:agenda_presentation_change", args=[presentation.pk]),
    ]:
        assert organizer_client.get(url).status_code == 200, url


def test_presentation_count_unchanged_by_a_refused_move(organizer_client, two_sessions):
    _, _, _, presentation = two_sessions

    response = organizer_client.post(
        reverse("admin:agenda_presentation_change", args=[presentation.pk]),
        presentation_form(presentation, item=presentation.item) | {"title_en": ""},
    )

    assert response.status_code == 200
    assert Presentation.objects.get(pk=presentation.pk).title == presentation.title


def test_admin_shows_times_in_the_events_time_zone(organizer_client, seed_event):
    seed_event.time_zone = "Asia/Tokyo"
    seed_event.save()
    document = proceedings_services.render_proceedings(seed_event)
    noon_utc = datetime.datetime(2006, 3, 23, 12, 0, tzinfo=datetime.UTC)
    RenderedDocument.objects.filter(pk=document.pk).update(rendered_at=noon_utc)
    publication_page = reverse(
        "admin:proceedings_publication_change", args=[seed_event.publication.pk]
    )
    document_page = reverse("admin:documents_rendereddocument_change", args=[document.pk])
    registration = RegistrationFactory(event=seed_event, created_at=noon_utc)
    registration_page = reverse("admin:registration_registration_change", args=[registration.pk])

    publication_html = organizer_client.get(publication_page).content.decode()
    document_html = organizer_client.get(document_page).content.decode()
    registration_html = organizer_client.get(registration_page).content.decode()

    assert "rendered 23 March 2006, 21:00 JST" in publication_html
    assert "March 23, 2006, 9 p.m." in document_html
    assert "March 23, 2006, noon" not in document_html
    assert "March 23, 2006, 9 p.m." in registration_html


def test_item_admin_names_every_kind_of_role(organizer_client, two_sessions):
    item = AgendaItem.objects.first()

    html = organizer_client.get(reverse("admin:agenda_agendaitem_change", args=[item.pk])).text

    assert "Chairs, discussants, moderators and rapporteurs" in html
    assert "Discussants and chairs" not in html
