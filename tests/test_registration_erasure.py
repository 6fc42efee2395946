"""Erasure reaches what this issue added: a registration's answers and uploaded files, and a
delegation's focal point, nomination document and members; anonymous counts remain."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from registration import services
from registration.models import (
    Answer,
    Delegation,
    Nomination,
    ParticipantCategory,
    Question,
    QuestionOption,
    Registration,
)
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=10).event


@pytest.fixture
def states(event):
    return ParticipantCategory.objects.create(
        event=event,
        name_en="Member State delegation",
        registers_delegations=True,
        nomination=ParticipantCategory.Nomination.NOTE_VERBALE,
    )


def nomination(**owner) -> Nomination:
    row = Nomination(kind="note_verbale", size=len(PDF), sha256="0" * 64, **owner)
    row.file.save("note.pdf", ContentFile(PDF), save=False)
    row.save()
    return row


def test_erase_registration_deletes_its_answers_and_files_after_commit(
    event, private_root, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event)
    visit = Question.objects.create(event=event, kind="single_choice", label_en="Site visit")
    hospital = QuestionOption.objects.create(question=visit, label_en="Hospital", seats=5)
    letter = Question.objects.create(event=event, kind="file", label_en="Letter")
    Answer.objects.create(registration=registration, question=visit).options.set([hospital])
    answer = Answer(registration=registration, question=letter, file_name="letter.pdf")
    answer.file.save("x.pdf", ContentFile(PDF))
    own = nomination(registration=registration)
    files = [private_root / answer.file.name, private_root / own.file.name]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_registration(registration)

    assert not Answer.objects.filter(registration=registration).exists()
    assert not Nomination.objects.exists()
    assert not any(path.exists() for path in files)
    assert hospital.answers.count() == 0  # its seat is free again


def test_erase_registration_rolled_back_keeps_the_files(
    event, private_root, monkeypatch, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event)
    own = nomination(registration=registration)
    path = private_root / own.file.name
    monkeypatch.setattr(
        "registration.services.privacy._forget_in_history",
        lambda *args: (_ for _ in ()).throw(RuntimeError("database went away")),
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.erase_registration(registration)

    assert path.exists()
    assert Nomination.objects.get().pk == own.pk
    assert Registration.objects.get().erased_at is None


def test_erase_delegation_erases_focal_point_members_and_note_verbale(
    event, states, private_root, django_capture_on_commit_callbacks
):
    delegation = Delegation.objects.create(
        event=event,
        category=states,
        country="GH",
        organization="Permanent Mission of Ghana",
        focal_point_name="Ama Owusu",
        focal_point_email="ama@example.org",
    )
    members = [
        RegistrationFactory(event=event, category=states, delegation=delegation, country="GH")
        for _n in range(2)
    ]
    note = nomination(delegation=delegation)
    key = delegation.access_key

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_delegation(delegation)

    delegation.refresh_from_db()
    assert (delegation.organization, delegation.focal_point_email) == ("", "")
    assert delegation.erased_at is not None and delegation.access_key != key
    assert (delegation.country.code, delegation.category) == ("GH", states)
    assert not (private_root / note.file.name).exists()
    assert [
        (m.first_name, m.email, m.category_id, m.country.code)
        for m in Registration.objects.filter(pk__in=[m.pk for m in members])
    ] == [("", "", states.pk, "GH")] * 2


def test_anonymize_past_registrations_erases_delegations_of_past_events(
    states, private_root, settings
):
    event = states.event
    event.start_date = event.end_date = timezone.localdate() - datetime.timedelta(days=400)
    event.save()
    delegation = Delegation.objects.create(
        event=event,
        category=states,
        country="PH",
        organization="Permanent Mission of the Philippines",
        focal_point_name="Jose Reyes",
        focal_point_email="jose@example.org",
    )
    RegistrationFactory(event=event, category=states, delegation=delegation, days=event.days)
    RegistrationFactory(event=event, days=event.days)

    erased = services.anonymize_past_registrations(retention_days=365)

    assert erased == 2
    assert Delegation.objects.get().erased_at is not None
    assert not Registration.objects.not_erased().exists()
