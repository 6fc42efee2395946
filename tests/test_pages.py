import datetime
import re
import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse, translate_url
from django.utils import timezone

from agenda.models import AgendaItemRole, BackgroundPaper, Document, Event, KeyQuestion, Person
from proceedings.models import Publication
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

SECRET_EMAIL = "private.speaker@example.org"


@pytest.fixture
def event(db):
    """A small published event: one session with a paper, an item, a speaker and a discussant."""
    event = EventFactory(
        slug="health-workers",
        title="Health Workers on the Move",
        series_theme="Partnerships in Migration",
        start_date=datetime.date(2030, 3, 21),
        end_date=datetime.date(2030, 3, 22),
        introduction="Why this seminar.",
        overview="First paragraph of the overview.\n\nSecond paragraph of the overview.",
        objectives="Move from awareness to action.",
    )
    event.partners.create(organization=OrganizationFactory(name="World Health Organization"))
    event.partners.create(
        organization=OrganizationFactory(name="Government of Ireland"), role="co_sponsor"
    )
    session = SessionFactory(event=event, number=1, title="Setting the Scene")
    paper = BackgroundPaper.objects.create(
        session=session, title="Mobility of health workers", body="Para one.\n\nPara two."
    )
    KeyQuestion.objects.create(paper=paper, order=1, text="What are the patterns of mobility?")
    KeyQuestion.objects.create(paper=paper, order=2, text="What is at stake?")
    SessionFactory(event=event, number=3, title="Engaging Businesses")
    item = AgendaItemFactory(
        event=event,
        session=session,
        date=datetime.date(2030, 3, 21),
        start_time=datetime.time(10, 30),
        end_time=datetime.time(11, 15),
        kind="session",
        title="Setting the Scene: Mobility",
        description="Opening questions.\n\nMore questions.",
        room=RoomFactory(event=event, name="Room 2"),
    )
    speaker = PersonFactory(
        honorific="Dr.",
        first_name="Luigi",
        last_name="Bertinato",
        slug="luigi-bertinato",
        position="Director",
        organization=OrganizationFactory(name="Veneto Region"),
        email=SECRET_EMAIL,
        bio="Works on health policy.",
    )
    presentation = PresentationFactory(item=item, title="Partnership for health")
    PresentationSpeakerFactory(presentation=presentation, person=speaker, label="Italy")
    discussant = PersonFactory(
        honorific="Ms.", first_name="Michele", last_name="Klein-Solomon", slug="michele-ks"
    )
    AgendaItemRole.objects.create(item=item, person=discussant)
    AgendaItemFactory(
        event=event,
        date=datetime.date(2030, 3, 22),
        start_time=datetime.time(16, 0),
        end_time=datetime.time(16, 30),
        kind="break",
        title="Coffee break",
    )
    Document.objects.create(event=event, kind="related", title="EU Strategy for Action")
    Publication.objects.create(
        event=event,
        series_number=9,
        title="Proceedings of the seminar",
        issn="1726-2224",
        pages=147,
        year=2031,
        languages="English",
        summary="What the book holds.",
        is_published=True,
    )
    return event


def url(name, event, **kwargs):
    name = name if ":" in name else f"agenda:{name}"
    return reverse(name, kwargs={"event": event.slug, **kwargs})


def page(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


PUBLIC_PAGES = [
    ("event-detail", {}),
    ("agenda", {}),
    ("session-detail", {"session": "session-1"}),
    ("person-list", {}),
    ("person-detail", {"person": "luigi-bertinato"}),
    ("document-list", {}),
    ("proceedings:publication", {}),
    ("agenda-ics", {}),
    ("session-ics", {"session": "session-1"}),
]


def test_site_root_redirects_to_upcoming_event(client, event):
    EventFactory(start_date=datetime.date(2001, 1, 1), end_date=datetime.date(2001, 1, 2))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()


def test_site_root_redirects_to_running_event_before_later_ones(client, db):
    today = timezone.localdate()
    running = EventFactory(start_date=today - datetime.timedelta(days=1), end_date=today)
    later = today + datetime.timedelta(days=30)
    EventFactory(start_date=later, end_date=later)

    response = client.get("/")

    assert response["Location"] == running.get_absolute_url()


def test_site_root_redirects_to_latest_past_event_without_upcoming_one(client, db):
    EventFactory(start_date=datetime.date(2001, 1, 1), end_date=datetime.date(2001, 1, 2))
    latest = EventFactory(
        start_date=datetime.date(2006, 3, 23), end_date=datetime.date(2006, 3, 24)
    )
    EventFactory(status=Event.Status.DRAFT)

    response = client.get("/")

    assert response["Location"] == latest.get_absolute_url()


def test_site_root_of_empty_site_shows_empty_state(client, db):
    EventFactory(status=Event.Status.DRAFT)

    html = page(client, "/")

    assert "No seminar has been published yet." in html
    assert html.count("<h1") == 1


def test_event_list_shows_upcoming_before_past(client, event):
    EventFactory(
        title="An old seminar",
        start_date=datetime.date(2001, 1, 1),
        end_date=datetime.date(2001, 1, 2),
    )
    EventFactory(title="A hidden draft", status=Event.Status.DRAFT)

    html = page(client, reverse("agenda:event-list"))

    assert html.index("Health Workers on the Move") < html.index("An old seminar")
    assert html.index("Upcoming and current seminars") < html.index("Past seminars")
    assert "A hidden draft" not in html


def test_event_list_paginates_by_twenty(client, db):
    EventFactory.create_batch(21, start_date=datetime.date(2001, 1, 1))

    first = client.get(reverse("agenda:event-list"))
    second = client.get(reverse("agenda:event-list") + "?page=2")

    assert len(first.context["events"]) == 20
    assert len(second.context["events"]) == 1


def test_overview_shows_event_content(client, event):
    html = page(client, event.get_absolute_url())

    assert "<h1>Health Workers on the Move</h1>" in html
    assert "Partnerships in Migration" in html
    assert "21–22 March 2030" in html
    assert "CICG, Geneva" in html
    assert "<p>Second paragraph of the overview.</p>" in html
    assert "Move from awareness to action." in html
    assert "International Organization for Migration" in html
    assert "World Health Organization" in html
    assert "Government of Ireland" in html
    assert url("agenda", event) in html
    assert url("document-list", event) in html


def test_agenda_has_a_heading_per_day_with_weekday(client, event):
    html = page(client, url("agenda", event))

    assert html.count("<h1") == 1
    assert '<time datetime="2030-03-21">Thursday 21 March 2030</time></h2>' in html
    assert '<time datetime="2030-03-22">Friday 22 March 2030</time></h2>' in html


def test_agenda_item_shows_times_kind_session_room_and_people(client, event):
    html = page(client, url("agenda", event))

    assert '<time datetime="2030-03-21T10:30+01:00">10:30</time>' in html
    assert '<time datetime="2030-03-21T11:15+01:00">11:15</time>' in html
    assert ">Session</span>" in html
    assert f'href="{url("session-detail", event, session="session-1")}">Session I</a>' in html
    assert "Room 2" in html
    assert "<p>More questions.</p>" in html
    assert "Partnership for health" in html
    assert '<span class="person__label">Italy:</span>' in html
    assert f'href="{url("person-detail", event, person="luigi-bertinato")}"' in html
    assert "Dr. Luigi Bertinato" in html
    assert ", Director, Veneto Region" in html
    assert "Discussant:" in html
    assert "Ms. Michele Klein-Solomon" in html
    assert url("agenda-ics", event) in html


def test_session_page_shows_items_paper_and_key_questions(client, event):
    html = page(client, url("session-detail", event, session="session-1"))

    assert '<span class="session-label">Session I</span> Setting the Scene</h1>' in html
    assert "Setting the Scene: Mobility" in html
    assert "Dr. Luigi Bertinato" in html
    assert "Ms. Michele Klein-Solomon" in html
    assert "<p>Para two.</p>" in html
    assert "<li>What are the patterns of mobility?</li><li>What is at stake?</li>" in html.replace(
        "\n", ""
    ).replace("    ", "")
    assert url("session-ics", event, session="session-1") in html


def test_session_without_paper_says_it_is_not_yet_available(client, event):
    html = page(client, url("session-detail", event, session="session-3"))

    assert "The background paper of this session is not yet available." in html


def test_unknown_session_is_not_found(client, event):
    assert client.get(url("session-detail", event, session="session-9")).status_code == 404


def test_people_index_lists_speakers_and_discussants_alphabetically(client, event):
    PersonFactory(last_name="Aardvark", slug="no-role")

    response = client.get(url("person-list", event))

    assert [p.slug for p in response.context["people"]] == ["luigi-bertinato", "michele-ks"]
    assert "Director, Veneto Region" in response.content.decode()


def test_people_index_paginates_by_fifty(client, event):
    item = event.items.first()
    for person in PersonFactory.create_batch(50):
        AgendaItemRole.objects.create(item=item, person=person)

    first = client.get(url("person-list", event))
    second = client.get(url("person-list", event) + "?page=2")

    assert len(first.context["people"]) == 50
    assert len(second.context["people"]) == 2


def test_people_index_labels_each_role_by_its_name(client, event):
    item = event.items.get(kind="session")
    AgendaItemRole.objects.create(
        item=item, person=PersonFactory(last_name="Chairman"), role="chair"
    )
    AgendaItemRole.objects.create(
        item=item, person=PersonFactory(last_name="Reporter"), role="rapporteur"
    )

    html = page(client, url("person-list", event))

    badges = re.findall(r'<span class="badge role-badge[^"]*">([^<]*)</span>', html)
    assert sorted(badges) == ["Chair", "Discussant", "Rapporteur", "Speaker"]
    assert "Discussant or chair" not in html


def test_item_and_its_only_presentation_of_the_same_title_print_it_once(client, seed_event):
    item = seed_event.items.get(title="Welcoming remarks")
    session = seed_event.sessions.get(number=1)
    AgendaItemFactory(
        event=seed_event,
        session=session,
        date=item.date,
        start_time=datetime.time(12, 0),
        end_time=datetime.time(12, 30),
        title="Two talks",
    )
    for title in ("Two talks", "Another talk"):
        PresentationFactory(item=seed_event.items.get(title="Two talks"), title=title)

    agenda = page(client, url("agenda", seed_event))
    session_page = page(client, url("session-detail", seed_event, session=session.slug))

    assert agenda.count("Welcoming remarks") == 1
    assert session_page.count(">Two talks<") == 2  # the item's heading and its first talk


def test_person_page_lists_every_role_in_the_agenda(client, event):
    item = event.items.get(kind="session")
    speaker = Person.objects.get(slug="luigi-bertinato")
    AgendaItemRole.objects.create(item=item, person=speaker, role="chair")

    html = page(client, url("person-detail", event, person="luigi-bertinato"))

    assert "<h1>Dr. Luigi Bertinato</h1>" in html
    assert "Director, Veneto Region" in html
    assert "Speaker (Italy)" in html
    assert "Partnership for health" in html
    assert "Chair" in html
    assert "Thursday 21 March 2030, 10:30–11:15" in html
    assert "Works on health policy." in html


def test_person_without_role_in_event_is_not_found(client, event):
    PersonFactory(slug="someone-else")
    other_event = EventFactory()
    PresentationSpeakerFactory(
        presentation=PresentationFactory(item=AgendaItemFactory(event=other_event)),
        person=PersonFactory(slug="other-speaker"),
    )

    assert client.get(url("person-detail", event, person="someone-else")).status_code == 404
    assert client.get(url("person-detail", event, person="other-speaker")).status_code == 404


def test_documents_page_lists_papers_and_documents(client, event):
    html = page(client, url("document-list", event))

    assert "Background papers" in html
    assert "Session I: Setting the Scene" in html
    assert "background paper not yet available" in html
    assert "EU Strategy for Action" in html


def test_publication_page_shows_the_proceedings(client, event):
    html = page(client, url("proceedings:publication", event))

    assert "<h1>Proceedings of the seminar</h1>" in html
    assert "International Dialogue on Migration No. 9" in html
    assert "1726-2224" in html
    assert "147 pages" in html
    assert "2031" in html
    assert "English" in html
    assert "What the book holds." in html


def test_unpublished_publication_is_shown_to_organizers_only(client, event, organizer):
    Publication.objects.filter(event=event).update(is_published=False)

    anonymous = page(client, url("proceedings:publication", event))
    client.force_login(organizer)
    staff = page(client, url("proceedings:publication", event))

    assert "Proceedings of the seminar" not in anonymous
    assert "have not been published yet" in anonymous
    assert "Proceedings of the seminar" in staff


def test_publication_page_without_publication_shows_empty_state(client, event):
    Publication.objects.filter(event=event).delete()

    html = page(client, url("proceedings:publication", event))

    assert "have not been published yet" in html


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_page_of_published_event_answers(client, event, name, kwargs):
    assert client.get(url(name, event, **kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_draft_event_is_not_found_for_visitors(client, event, name, kwargs):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    assert client.get(url(name, event, **kwargs)).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_draft_event_is_shown_to_organizers(client, event, organizer, name, kwargs):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    client.force_login(organizer)

    response = client.get(url(name, event, **kwargs))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_unknown_event_is_not_found(client, db):
    response = client.get("/no-such-seminar/agenda/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unpublished_item_is_hidden_from_visitors(client, event, organizer):
    event.items.filter(kind="session").update(is_published=False)

    anonymous = page(client, url("agenda", event))
    person = client.get(url("person-detail", event, person="luigi-bertinato"))
    client.force_login(organizer)
    staff = page(client, url("agenda", event))

    assert "Partnership for health" not in anonymous
    assert person.status_code == 404
    assert "Partnership for health" in staff


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_private_email_is_never_shown(client, event, organizer, name, kwargs):
    client.force_login(organizer)

    response = client.get(url(name, event, **kwargs))

    assert SECRET_EMAIL not in response.content.decode()


def test_pages_have_landmarks_and_one_h1(client, event):
    for name, kwargs in PUBLIC_PAGES[:7]:
        html = page(client, url(name, event, **kwargs))
        assert html.count("<h1") == 1, name
        assert "<header" in html
        assert '<main id="main"' in html
        assert "<footer" in html
        assert "<nav" in html


def test_cached_page_is_served_again_until_content_changes(
    client, event, django_assert_num_queries, django_capture_on_commit_callbacks
):
    address = url("session-detail", event, session="session-1")
    page(client, address)
    session = event.sessions.get(number=1)

    # Without a commit the content version stays, so the cached page is what visitors get.
    session.title = "Stale until committed"
    session.save()
    with django_assert_num_queries(0):  # only the raw version check; the page from memory
        stale = page(client, address)
    with django_capture_on_commit_callbacks(execute=True):
        session.title = "Mobility of Health Care Workers"
        session.save()
    fresh = page(client, address)

    assert "Stale until committed" not in stale
    assert "Setting the Scene" in stale
    assert "Mobility of Health Care Workers" in fresh


def test_conditional_get_with_etag_is_not_modified(client, event):
    address = url("agenda", event)
    first = client.get(address)

    second = client.get(address, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert second.status_code == 304
    assert second.content == b""


def test_cached_page_is_answered_with_every_header_of_the_first_answer(client, event):
    address = url("agenda", event)
    first = client.get(address)

    second = client.get(address)  # from memory, ahead of sessions, locale, CSRF and the rest

    assert second.content == first.content
    assert dict(second.headers) == dict(first.headers)
    for header in ("X-Frame-Options", "Content-Language", "Referrer-Policy", "ETag", "Vary"):
        assert header in second, header


def test_cached_page_follows_the_address_language(client, event):
    # Each language has its address (issue 10): an English address is English whatever the
    # browser prefers, and the French page is cached apart from it.
    address = url("agenda", event)
    english = client.get(address, headers={"accept-language": "en"})
    asked_in_french = client.get(address, headers={"accept-language": "fr"})

    french = client.get(translate_url(address, "fr"), headers={"accept-language": "en"})

    assert english["Content-Language"] == asked_in_french["Content-Language"] == "en"
    assert asked_in_french["ETag"] == english["ETag"]
    assert french["Content-Language"] == "fr"
    assert french["ETag"] != english["ETag"]


def test_visitor_with_messages_sees_them_on_a_cached_page(client, event):
    from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

    address = url("agenda", event)
    page(client, address)  # cached for visitors without messages
    RegistrationSettingsFactory(event=event)
    registration = RegistrationFactory(event=event)
    client.post(registration.get_absolute_url() + "confirm/")  # a message waits in a cookie

    html = page(client, address)

    assert "your e-mail address is confirmed" in html
    assert "your e-mail address is confirmed" not in page(client, address)  # shown once


def test_seed_agenda_shows_both_days_and_the_sessions(client, seed_event):
    html = page(client, url("agenda", seed_event))

    assert "Thursday 23 March 2006" in html
    assert "Friday 24 March 2006" in html
    assert "Session IV" in html
    assert '<span class="person__label">Italy:</span>' in html


def test_seed_session_three_has_no_paper_yet(client, seed_event):
    html = page(client, url("session-detail", seed_event, session="session-3"))

    assert "not yet available" in html
    assert "Engaging Businesses and Civil Society" in html


@pytest.mark.django_db(transaction=True)
def test_edit_committed_by_another_connection_shows_on_the_next_request(client):
    session = SessionFactory(title="Setting the scene")
    address = session.get_absolute_url()
    assert "Setting the scene" in page(client, address)  # now cached in this process

    def edit_elsewhere():
        # Another web process: its own connection, its own transaction.
        try:
            with transaction.atomic():
                session.title = "Policy approaches"
                session.save()
        finally:
            connection.close()

    worker = threading.Thread(target=edit_elsewhere)
    worker.start()
    worker.join()

    assert "Policy approaches" in page(client, address)
