"""Preparing a new seminar from an earlier one: the services, the admin action, and the local
rehearsal seminar that `make run` makes from the seed event."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from agenda import models as agenda_models
from agenda import services as agenda_services
from agenda.models import Event
from proceedings import models as proceedings_models
from registration import services
from registration.models import (
    BreakoutGroup,
    ParticipantCategory,
    Registration,
    RegistrationSettings,
)
from speakers import services as speaker_services
from speakers.models import SpeakerLink
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
NEW_START = datetime.date(2031, 6, 12)  # a Thursday, as 23 March 2006 was; summer time then
CHANGELIST = "admin:agenda_event_changelist"

# Every model of an event's structure, with how to find its rows of one event.
STRUCTURE = {
    agenda_models.EventPartner: "event",
    agenda_models.Room: "event",
    agenda_models.Session: "event",
    agenda_models.BackgroundPaper: "session__event",
    agenda_models.KeyQuestion: "paper__session__event",
    agenda_models.AgendaItem: "event",
    agenda_models.AgendaItemRole: "item__event",
    agenda_models.Presentation: "item__event",
    agenda_models.PresentationSpeaker: "presentation__item__event",
    agenda_models.Document: "event",
    agenda_models.PracticalInformation: "event",
    BreakoutGroup: "event",
    ParticipantCategory: "event",
}


def counts(event: Event) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(**{path: event}).count()
        for model, path in STRUCTURE.items()
    }


def snapshot(event: Event) -> list:
    """Everything of the event's rows, to compare before and after."""
    rows = [tuple(Event.objects.filter(pk=event.pk).values_list())]
    for model, path in STRUCTURE.items():
        rows.append(list(model.objects.filter(**{path: event}).order_by("pk").values_list()))
    rows.append(list(RegistrationSettings.objects.filter(event=event).values_list()))
    return rows


@pytest.fixture
def source(seed_event):
    """The seed event with what the seed lacks: registration settings, break-out groups,
    practical information, a registration and a speaker link."""
    RegistrationSettings.objects.create(
        event=seed_event,
        opens_at=datetime.datetime(2006, 1, 10, 9, 0, tzinfo=ZURICH),
        closes_at=datetime.datetime(2006, 3, 17, 18, 0, tzinfo=ZURICH),
        capacity=180,
        requires_approval=True,
    )
    ParticipantCategory.objects.create(
        event=seed_event,
        name_en="Member State delegation",
        name_fr="Délégation d'un État Membre",
        seats=40,
        approval="always",
        nomination="note_verbale",
        registers_delegations=True,
        asked_fields=["position", "phone"],
    )
    BreakoutGroup.objects.create(event=seed_event, name="Business", order=1)
    BreakoutGroup.objects.create(event=seed_event, name="Civil society", order=2)
    agenda_models.PracticalInformation.objects.create(
        event=seed_event, venue_details="Rue de Varembé 17", arrival_minutes=45
    )
    RegistrationFactory(event=seed_event)
    person = agenda_models.Person.objects.filter(speaker_links__isnull=False).first()
    SpeakerLink.objects.create(
        event=seed_event,
        person=person,
        token_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    return seed_event


def prepare(source: Event, **overrides) -> Event:
    arguments = {"title": "Health workers on the move", "slug": "hrh-2031", "start_date": NEW_START}
    return services.prepare_event_copy(source, **{**arguments, **overrides})


def test_prepare_event_copy_copies_structure_as_draft(source):
    before = snapshot(source)

    event = prepare(source)

    assert (event.title, event.slug, event.status) == (
        "Health workers on the move",
        "hrh-2031",
        Event.Status.DRAFT,
    )
    assert (event.start_date, event.end_date) == (NEW_START, NEW_START + datetime.timedelta(1))
    assert (event.venue, event.organizer_id, event.rehearsal_of_id) == (
        source.venue,
        source.organizer_id,
        None,
    )
    assert counts(event) == counts(source)
    assert counts(event)["AgendaItem"] == 11
    assert [item.history.count() for item in event.items.all()] == [1] * 11
    assert snapshot(source) == before


def test_prepare_event_copy_moves_agenda_by_the_event_shift(source):
    shift = NEW_START - source.start_date

    event = prepare(source)

    def schedule(of: Event):
        return list(
            of.items.order_by("date", "start_time", "order", "pk").values_list(
                "date", "start_time", "end_time", "title", "session__number", "room__name"
            )
        )

    assert schedule(event) == [(day + shift, *rest) for day, *rest in schedule(source)]
    assert {item.date for item in event.items.all()} <= set(event.days)


def test_prepare_event_copy_shares_people_and_points_inside_the_copy(source):
    event = prepare(source)

    copied_people = set(
        agenda_models.PresentationSpeaker.objects.filter(
            presentation__item__event=event
        ).values_list("person_id", "presentation__title")
    )
    source_people = set(
        agenda_models.PresentationSpeaker.objects.filter(
            presentation__item__event=source
        ).values_list("person_id", "presentation__title")
    )
    assert copied_people == source_people
    assert agenda_models.Person.objects.count() == 24
    assert set(event.items.exclude(session=None).values_list("session__event", flat=True)) == {
        event.pk
    }
    assert set(event.items.exclude(room=None).values_list("room__event", flat=True)) == {event.pk}
    assert set(event.documents.exclude(session=None).values_list("session__event", flat=True)) <= {
        event.pk
    }


def test_prepare_event_copy_leaves_out_what_people_made(source):
    event = prepare(source)

    assert Registration.objects.filter(event=event).count() == 0
    assert SpeakerLink.objects.filter(event=event).count() == 0
    assert not proceedings_models.Publication.objects.filter(event=event).exists()
    assert Registration.objects.filter(event=source).count() == 1


def test_prepare_event_copy_moves_registration_dates_at_the_same_local_time(source):
    event = prepare(source)

    copied = RegistrationSettings.objects.get(event=event)
    assert timezone.localtime(copied.opens_at, ZURICH).replace(tzinfo=None) == datetime.datetime(
        2031, 4, 1, 9, 0
    )
    assert timezone.localtime(copied.closes_at, ZURICH).replace(tzinfo=None) == datetime.datetime(
        2031, 6, 6, 18, 0
    )
    assert (copied.capacity, copied.requires_approval) == (180, True)
    copied.full_clean()
    assert list(event.breakout_groups.values_list("name", "order")) == [
        ("Business", 1),
        ("Civil society", 2),
    ]
    assert list(
        event.participant_categories.values_list(
            "name_en", "name_fr", "seats", "approval", "nomination", "asked_fields"
        )
    ) == [
        (
            "Member State delegation",
            "Délégation d'un État Membre",
            40,
            "always",
            "note_verbale",
            ["position", "phone"],
        )
    ]


def test_prepare_event_copy_refuses_a_taken_slug(source):
    events_before = Event.objects.count()

    with pytest.raises(ValidationError) as raised:
        prepare(source, slug=source.slug)

    assert raised.value.error_dict["slug"][0].code == "slug_taken"
    assert Event.objects.count() == events_before


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"slug": "not a slug"}, "slug", "invalid"),
        ({"title": "  "}, "title", "required"),
        ({"title": "x" * 301}, "title", "max_length"),
        ({"start_date": datetime.date.max}, "start_date", "date_out_of_range"),
    ],
)
def test_prepare_event_copy_refuses_bad_input(source, overrides, field, code):
    with pytest.raises(ValidationError) as raised:
        prepare(source, **overrides)

    assert raised.value.error_dict[field][0].code == code
    assert Event.objects.count() == 1


def test_prepare_event_copy_failing_half_way_leaves_nothing(source, monkeypatch):
    rows_before = {model: model.objects.count() for model in STRUCTURE}

    def fail(*args, **kwargs):
        raise IntegrityError("the database refused the break-out groups")

    # The registration part fails after the agenda's copy was written in full.
    monkeypatch.setattr(BreakoutGroup.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        prepare(source)

    assert Event.objects.count() == 1
    assert {model: model.objects.count() for model in STRUCTURE} == rows_before
    assert RegistrationSettings.objects.count() == 1


# The admin action ---------------------------------------------------------------------------


def run_action(client, events, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": "prepare_new_seminar", "_selected_action": [e.pk for e in events], **extra},
    )


def test_prepare_new_seminar_action_suggests_next_year(admin_client, source):
    response = run_action(admin_client, [source])

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "title": source.title,
        "slug": "migration-and-human-resources-for-health-2007",
        "start_date": datetime.date(2007, 3, 23),
    }
    assert "Registrations, speakers" in response.content.decode()


def test_prepare_new_seminar_action_makes_draft_and_opens_it(admin_client, source):
    response = run_action(
        admin_client,
        [source],
        apply="1",
        title="Health workers on the move",
        slug="hrh-2031",
        start_date="2031-06-12",
    )

    event = Event.objects.get(slug="hrh-2031")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:agenda_event_change", args=[event.pk])
    assert event.status == Event.Status.DRAFT
    assert counts(event) == counts(source)
    follow = admin_client.get(response["Location"])
    assert "is prepared as a draft" in follow.content.decode()


def test_prepare_new_seminar_action_shows_errors(admin_client, source):
    response = run_action(
        admin_client, [source], apply="1", title="", slug=source.slug, start_date="31/02/2031"
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert {field: [e.code for e in errors] for field, errors in form.errors.as_data().items()} == {
        "title": ["required"],
        "slug": ["slug_taken"],
        "start_date": ["invalid"],
    }
    assert Event.objects.count() == 1


def test_prepare_new_seminar_action_takes_one_event(admin_client, source):
    other = EventFactory()

    response = run_action(admin_client, [source, other])

    assert response.status_code == 302
    assert Event.objects.count() == 2
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Choose one event: a new seminar is prepared from one event at a time."]


# The local rehearsal seminar ---------------------------------------------------------------


def test_rehearsal_command_makes_published_open_copy_once(seed_event):
    out = io.StringIO()

    call_command("prepare_rehearsal_seminar", stdout=out)
    call_command("prepare_rehearsal_seminar", stdout=out)

    rehearsal = Event.objects.get(rehearsal_of=seed_event)
    today = timezone.localdate()
    assert Event.objects.count() == 2
    assert rehearsal.status == Event.Status.PUBLISHED
    assert today + services.REHEARSAL_LEAD <= rehearsal.start_date
    assert rehearsal.start_date < today + services.REHEARSAL_LEAD + datetime.timedelta(days=7)
    assert rehearsal.start_date.weekday() == seed_event.start_date.weekday()
    assert services.settings_for(rehearsal).state() == "open"
    assert counts(rehearsal) == counts(seed_event)
    assert out.getvalue().splitlines()[1] == (
        f"The rehearsal seminar is at http://127.0.0.1:8000/{rehearsal.slug}/"
    )


def test_rehearsal_command_refuses_in_production(seed_event, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("prepare_rehearsal_seminar", stdout=io.StringIO())

    with pytest.raises(services.RehearsalRefused):
        services.prepare_rehearsal_event(seed_event)
    assert Event.objects.count() == 1


def test_rehearsal_command_without_seed_makes_nothing(db):
    out = io.StringIO()

    call_command("prepare_rehearsal_seminar", stdout=out)

    assert Event.objects.count() == 0
    assert "No rehearsal seminar made" in out.getvalue()


def test_rehearsal_pages_say_it_is_a_copy(client, seed_event):
    rehearsal, _ = services.prepare_rehearsal_event(seed_event)
    session = rehearsal.sessions.first()
    urls = [
        rehearsal.get_absolute_url(),
        reverse("agenda:agenda", args=[rehearsal.slug]),
        session.get_absolute_url(),
        reverse("agenda:person-list", args=[rehearsal.slug]),
        reverse("agenda:document-list", args=[rehearsal.slug]),
        reverse("registration:register", args=[rehearsal.slug]),
    ]

    pages = {url: client.get(url) for url in urls}

    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(urls, 200)
    for page in pages.values():
        assert 'id="rehearsal-notice"' in page.content.decode()
        assert seed_event.get_absolute_url() in page.content.decode()
    assert 'id="rehearsal-notice"' not in client.get(seed_event.get_absolute_url()).content.decode()


def test_home_page_leads_to_rehearsal_and_lists_the_original(client, seed_event):
    rehearsal, _ = services.prepare_rehearsal_event(seed_event)

    home = client.get("/")
    listing = client.get(reverse("agenda:event-list")).content.decode()

    assert home["Location"] == rehearsal.get_absolute_url()
    assert listing.index(rehearsal.get_absolute_url()) < listing.index(
        seed_event.get_absolute_url()
    )


def test_prepare_event_copy_slug_taken_meanwhile_is_a_validation_error(source, monkeypatch):
    # As when another organizer takes the address between the check and the insert.
    monkeypatch.setattr(agenda_services, "_validate_new_event", lambda **kwargs: None)

    with pytest.raises(ValidationError) as raised:
        prepare(source, slug=source.slug)

    assert raised.value.error_dict["slug"][0].code == "slug_taken"
    assert Event.objects.count() == 1


def test_prepare_new_seminar_action_shows_the_copys_own_errors_on_their_fields(
    admin_client, source
):
    response = run_action(
        admin_client, [source], apply="1", title="Late", slug="late", start_date="9999-12-31"
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert {field: [e.code for e in errors] for field, errors in form.errors.as_data().items()} == {
        "start_date": ["date_out_of_range"]
    }
    assert Event.objects.count() == 1


def test_rehearsal_command_replaces_a_rehearsal_that_has_ended(seed_event):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    stale, _ = services.prepare_rehearsal_event(seed_event, now=long_ago)
    RegistrationFactory(event=stale)
    out = io.StringIO()

    call_command("prepare_rehearsal_seminar", stdout=out)
    call_command("prepare_rehearsal_seminar", stdout=out)

    rehearsal = Event.objects.get(rehearsal_of=seed_event)
    assert stale.has_ended
    assert not Event.objects.filter(pk=stale.pk).exists()
    assert rehearsal.start_date >= timezone.localdate() + services.REHEARSAL_LEAD
    assert services.settings_for(rehearsal).state() == "open"
    assert counts(rehearsal) == counts(seed_event)
    assert out.getvalue().count("Made the rehearsal seminar") == 1


def test_rehearsal_command_replaces_a_rehearsal_whose_registration_closed(seed_event):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    stale, _ = services.prepare_rehearsal_event(seed_event, now=an_hour_ago)
    RegistrationSettings.objects.filter(event=stale).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    call_command("prepare_rehearsal_seminar", stdout=io.StringIO())

    rehearsal = Event.objects.get(rehearsal_of=seed_event)
    assert rehearsal.pk != stale.pk
    assert services.settings_for(rehearsal).state() == "open"


def test_prepare_event_copy_leaves_out_the_abstracts_speakers_wrote(source):
    presentation = agenda_models.Presentation.objects.filter(item__event=source).first()
    speaker_services.submit_abstract(
        presentation,
        person=presentation.speakers.first(),
        text="What the speaker wrote for 2006.",
    )

    event = prepare(source)

    copies = agenda_models.Presentation.objects.filter(item__event=event)
    assert copies.filter(title=presentation.title).exists()
    assert set(copies.values_list("abstract", flat=True)) == {""}
    presentation.refresh_from_db()
    assert presentation.abstract == "What the speaker wrote for 2006."
