"""Speaker links over time: no new links for an event that has ended, whose speaker page is
read-only; links that work until after the event; the admin's reports of who was skipped; the
Speaker links admin list."""

import datetime

import pytest
from django.contrib.messages import constants as message_levels
from django.core import mail
from django.urls import reverse

from agenda import services
from agenda.models import Presentation
from outbox.models import Message
from speakers import services as speaker_services
from speakers.models import SlideDeck, SpeakerLink
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
    upcoming,
)
from tests.test_pdf_documents import speaker_of

pytestmark = pytest.mark.django_db


def _action(client, model: str, action: str, pks, captured) -> list:
    """Run an admin action through the changelist as an organizer; the messages it left."""
    with captured(execute=True):
        response = client.post(
            reverse(f"admin:agenda_{model}_changelist"),
            {"action": action, "_selected_action": [str(pk) for pk in pks]},
            follow=True,
        )
    assert response.status_code == 200
    return list(response.context["messages"])


@pytest.fixture
def admin_client_(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def speaker(seed_event):
    person = speaker_of(seed_event.sessions.get(number=1))
    person.email = "speaker@example.org"
    person.save()
    return person


# --- 1. Events that have ended get no new links; their speaker page is read-only --------------


def test_people_action_for_a_past_event_sends_nothing_and_says_why(
    admin_client_, seed_event, speaker, django_capture_on_commit_callbacks
):
    messages = _action(
        admin_client_, "person", "send_brief_links_for_people", [speaker.pk],
        django_capture_on_commit_callbacks,
    )  # fmt: skip

    assert mail.outbox == []
    assert not SpeakerLink.objects.filter(person=speaker).exists()
    [warning] = messages
    assert warning.level == message_levels.WARNING
    assert seed_event.title in warning.message
    assert "23–24 March 2006" in warning.message
    assert speaker.full_name in warning.message


def test_deliver_for_an_event_that_ended_meanwhile_issues_nothing(seed_event, speaker):
    link = speaker_services.deliver_speaker_link(speaker, event=seed_event)

    assert link is None
    assert mail.outbox == []
    assert not SpeakerLink.objects.exists()


@pytest.fixture
def past_link(seed_event, speaker):
    """A link issued while the seminar was ahead, opened after it took place."""
    return speaker_services.issue_speaker_link(speaker, event=seed_event)[1]


def _page(event, token, name="speakers:page", **kwargs):
    return reverse(name, kwargs={"event": event.slug, "token": token, **kwargs})


def test_speaker_page_of_a_past_event_shows_slots_and_brief_but_no_forms(
    client, seed_event, speaker, past_link
):
    response = client.get(_page(seed_event, past_link))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This seminar took place on 23–24 March 2006" in html
    assert _page(seed_event, past_link, "speakers:brief-pdf") in html
    assert "Your part in the programme" in html
    assert "<form" not in html.split('id="slots-title"', 1)[1]
    assert "Save the abstract" not in html
    assert "Upload the slides" not in html


def test_abstract_for_a_past_event_is_refused_and_nothing_changes(
    client, seed_event, speaker, past_link
):
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()
    before = presentation.abstract

    response = client.post(
        _page(seed_event, past_link, "speakers:abstract", presentation=presentation.pk),
        {"abstract": "Too late."},
    )

    assert response.status_code == 403
    assert "abstracts and slides can no longer be changed" in response.content.decode()
    presentation.refresh_from_db()
    assert presentation.abstract == before


def test_slides_for_a_past_event_are_refused_and_nothing_is_stored(
    client, seed_event, speaker, past_link, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()
    upload = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        _page(seed_event, past_link, "speakers:slides", presentation=presentation.pk),
        {"slides": SimpleUploadedFile("s.pdf", upload, content_type="application/pdf")},
    )

    assert response.status_code == 403
    assert "abstracts and slides can no longer be changed" in response.content.decode()
    assert not SlideDeck.objects.exists()
    assert not (tmp_path / "private").exists() or not any((tmp_path / "private").rglob("*.pdf"))


# --- 2. A link works until after the event ----------------------------------------------------


def test_link_sent_months_ahead_works_until_after_the_event(seed_event, speaker):
    event = upcoming(seed_event, days_ahead=90)

    link, _token = speaker_services.issue_speaker_link(speaker, event=event)

    last_day_over = datetime.datetime.combine(
        event.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=event.tzinfo
    )
    assert link.expires_at >= last_day_over + datetime.timedelta(days=7)


def test_link_works_at_least_the_minimum_days_of_the_setting(seed_event, speaker, settings):
    settings.SPEAKER_LINK_MIN_DAYS = 200
    event = upcoming(seed_event, days_ahead=10)

    link, _token = speaker_services.issue_speaker_link(speaker, event=event)

    validity = link.expires_at - link.created_at
    assert abs(validity - datetime.timedelta(days=200)) < datetime.timedelta(minutes=1)


def test_speaker_link_mail_goes_through_the_outbox_and_marks_the_link_sent(
    seed_event, speaker, django_capture_on_commit_callbacks
):
    event = upcoming(seed_event)

    with django_capture_on_commit_callbacks(execute=True):
        speaker_services.send_speaker_links(event, people=[speaker])

    link = SpeakerLink.objects.get()
    message = Message.objects.get()
    assert (message.kind, message.topic, message.object_id, message.state) == (
        "speakers.speaker_link",
        speaker_services.SPEAKER_LINK_TOPIC,
        link.pk,
        Message.State.SENT,
    )
    assert link.sent_at == message.sent_at
    assert [m.to for m in mail.outbox] == [["speaker@example.org"]]


# --- 3. Both actions name the people skipped, and why ------------------------------------------


def test_events_action_names_people_without_an_address(
    admin_client_, seed_event, speaker, django_capture_on_commit_callbacks
):
    event = upcoming(seed_event)
    without = [p for p in services.people_with_roles(event) if not p.email]

    messages = _action(
        admin_client_, "event", "send_brief_links_for_events", [event.pk],
        django_capture_on_commit_callbacks,
    )  # fmt: skip

    assert [m.to for m in mail.outbox] == [["speaker@example.org"]]
    success, warning = messages
    assert success.level == message_levels.SUCCESS
    assert success.message.startswith("1 e-mail with a new link is on its way")
    assert warning.level == message_levels.WARNING
    assert "no e-mail address" in warning.message
    assert without and all(person.full_name in warning.message for person in without)
    assert speaker.full_name not in warning.message


def test_people_action_names_who_was_skipped_and_why(
    admin_client_, seed_event, speaker, django_capture_on_commit_callbacks
):
    event = upcoming(seed_event)
    no_role = PersonFactory(email="nobody@example.org")
    no_address = PersonFactory(email="")
    PresentationSpeakerFactory(
        person=no_address,
        presentation=PresentationFactory(item=AgendaItemFactory(event=event)),
    )
    past = EventFactory(start_date=datetime.date(2010, 5, 3), end_date=datetime.date(2010, 5, 4))
    PresentationSpeakerFactory(
        person=speaker, presentation=PresentationFactory(item=AgendaItemFactory(event=past))
    )

    messages = _action(
        admin_client_, "person", "send_brief_links_for_people",
        [speaker.pk, no_role.pk, no_address.pk], django_capture_on_commit_callbacks,
    )  # fmt: skip

    assert [m.to for m in mail.outbox] == [["speaker@example.org"]]
    assert SpeakerLink.objects.get().event == event
    texts = {m.message for m in messages if m.level == message_levels.WARNING}
    assert texts == {
        f"No new link for “{past.title}”, which took place on 3–4 May 2010 (its speaker pages "
        f"are read-only now): {speaker.full_name}.",
        f"No link sent for “{event.title}” to {no_address.full_name}: no e-mail address (add "
        "it on the person's page, then send again).",
        f"No link sent to {no_role.full_name}: no role in the programme of any event.",
    }


# --- 4. The Speaker links admin list -----------------------------------------------------------


def test_speaker_link_list_explains_where_links_come_from(admin_client_):
    response = admin_client_.get(reverse("admin:speakers_speakerlink_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="speaker-links-help"' in html
    assert reverse("admin:agenda_person_changelist") in html
    assert reverse("admin:agenda_event_changelist") in html
    assert "Send brief links" in html


@pytest.mark.parametrize(("value", "expected"), [("yes", {"revoked"}), ("no", {"in force"})])
def test_speaker_link_revoked_filter_reads_yes_or_no(
    admin_client_, seed_event, speaker, value, expected
):
    event = upcoming(seed_event)
    revoked, _token = speaker_services.issue_speaker_link(speaker, event=event)
    in_force, _token = speaker_services.issue_speaker_link(speaker, event=event)
    names = {revoked.pk: "revoked", in_force.pk: "in force"}

    response = admin_client_.get(
        reverse("admin:speakers_speakerlink_changelist"), {"revoked": value}
    )

    assert response.status_code == 200
    assert {names[link.pk] for link in response.context["cl"].result_list} == expected
    html = response.content.decode()
    assert "?revoked=yes" in html and "?revoked=no" in html
    assert "Not empty" not in html


def test_speaker_link_revoked_filter_ignores_an_unknown_value(admin_client_, seed_event, speaker):
    speaker_services.issue_speaker_link(speaker, event=upcoming(seed_event))

    response = admin_client_.get(reverse("admin:speakers_speakerlink_changelist"), {"revoked": "x"})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
