import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from registration import services
from registration.models import ParticipantCategory, Registration
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Status = Registration.Status
CHANGELIST = "admin:registration_registration_changelist"


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=1).event


def run_action(client, action, registrations, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in registrations], **extra},
    )


def test_changelist_filters_and_search(admin_client, event):
    RegistrationFactory(event=event, last_name="Okafor", country="NG")
    RegistrationFactory(event=event, last_name="Tanaka", country="JP")

    found = admin_client.get(reverse(CHANGELIST), {"q": "okafor"})
    filtered = admin_client.get(reverse(CHANGELIST), {"country": "JP", "status": "pending"})

    assert [r.last_name for r in found.context["cl"].result_list] == ["Okafor"]
    assert [r.last_name for r in filtered.context["cl"].result_list] == ["Tanaka"]


def test_approve_action(admin_client, event):
    event.registration_settings.requires_approval = True
    event.registration_settings.save()
    registration = services.confirm_registration(RegistrationFactory(event=event))

    run_action(admin_client, "approve", [registration])

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_reject_action_asks_for_reason_then_mails_it(
    admin_client, event, django_capture_on_commit_callbacks
):
    registration = services.confirm_registration(RegistrationFactory(event=event))

    form_page = run_action(admin_client, "reject", [registration])
    with django_capture_on_commit_callbacks(execute=True):
        done = run_action(
            admin_client, "reject", [registration], apply="1", reason="The room is for delegates."
        )

    assert form_page.status_code == 200
    assert b"Reason, sent to the participants" in form_page.content
    assert done.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.REJECTED
    assert "The room is for delegates." in mail.outbox[-1].body


def test_reject_action_without_reason_shows_form_again(admin_client, event):
    registration = RegistrationFactory(event=event)

    response = run_action(admin_client, "reject", [registration], apply="1", reason="")

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Status.PENDING


def test_move_from_waiting_list_action(admin_client, event):
    services.confirm_registration(RegistrationFactory(event=event))
    waiting = services.confirm_registration(RegistrationFactory(event=event))

    run_action(admin_client, "move_from_waiting_list", [waiting])

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_export_csv_neutralizes_formulas(admin_client, event):
    registration = RegistrationFactory(event=event, organization='=HYPERLINK("x")')

    response = run_action(admin_client, "export_csv", [registration])

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["number", "status", "honorific"]
    assert rows[1][6] == '\'=HYPERLINK("x")'
    assert len(rows) == 2


def test_export_excel(admin_client, event):
    registration = RegistrationFactory(event=event, last_name="Ñúñez", organization="=1+1")

    response = run_action(admin_client, "export_excel", [registration])

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][4] == "Ñúñez"
    assert rows[1][6] == "'=1+1"


def test_erase_action_leaves_counts(admin_client, event):
    registration = RegistrationFactory(event=event, country="KE")

    run_action(admin_client, "erase", [registration])

    registration.refresh_from_db()
    assert registration.erased_at is not None
    assert registration.email == ""
    counts = services.registration_counts(event)
    assert counts["country"] == [("Kenya", 1)]


def test_event_admin_links_to_registration_settings_instead_of_showing_them(admin_client, event):
    services.confirm_registration(RegistrationFactory(event=event))

    response = admin_client.get(reverse("admin:agenda_event_change", args=[event.pk]))

    html = response.content.decode()
    settings_url = reverse(
        "admin:registration_registrationsettings_change", args=[event.registration_settings.pk]
    )
    assert response.status_code == 200
    assert f'href="{settings_url}"' in html
    assert "registration_settings-0-capacity" not in html
    assert "seats taken" not in html


def test_registration_settings_page_shows_settings_and_counts(admin_client, event):
    services.confirm_registration(RegistrationFactory(event=event))

    response = admin_client.get(
        reverse(
            "admin:registration_registrationsettings_change",
            args=[event.registration_settings.pk],
        )
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="capacity"' in html
    assert "1 of 1" in html
    assert "Senegal" in html


def test_registration_change_page_renders(admin_client, event):
    registration = RegistrationFactory(event=event)

    response = admin_client.get(
        reverse("admin:registration_registration_change", args=[registration.pk])
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", "-1"),
        ("capacity", "9" * 30),
        ("participant_categories-0-seats", "abc"),
        ("participant_categories-0-asked_fields", "no_such_field"),
        ("participant_categories-0-approval", "\x00"),
        ("breakout_groups-0-seats", "-5"),
    ],
)
def test_registration_settings_page_answers_hostile_values_with_field_errors(
    admin_client, event, field, value
):
    url = reverse(
        "admin:registration_registrationsettings_change", args=[event.registration_settings.pk]
    )
    data = {
        "capacity": "1",
        "participant_categories-TOTAL_FORMS": "1",
        "participant_categories-INITIAL_FORMS": "0",
        "participant_categories-0-name_en": "NGO",
        "participant_categories-0-order": "0",
        "participant_categories-0-approval": "event",
        "breakout_groups-TOTAL_FORMS": "1",
        "breakout_groups-INITIAL_FORMS": "0",
        "breakout_groups-0-name_en": "Ethics",
        "breakout_groups-0-order": "0",
        field: value,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["errors"]
    event.registration_settings.refresh_from_db()
    assert event.registration_settings.capacity == 1
    assert not event.participant_categories.exists()
    assert not event.breakout_groups.exists()


def test_registration_counts_by_category_and_country_count_active_registrations(event):
    states = ParticipantCategory.objects.create(event=event, name="Member State delegation")
    ngos = ParticipantCategory.objects.create(event=event, name="NGO and civil society", order=1)
    RegistrationFactory(event=event, category=states, country="KE")
    RegistrationFactory(event=event, category=states, country="KE")
    RegistrationFactory(event=event, category=ngos, country="FR")
    RegistrationFactory(event=event, country="CH")
    RegistrationFactory(event=event, category=ngos, country="FR", status=Status.CANCELLED)

    counts = services.registration_counts(event)

    assert counts["category"] == [
        ("Member State delegation", 2),
        ("NGO and civil society", 1),
        ("No category", 1),
    ]
    assert counts["country_category"] == [
        ("Kenya", "Member State delegation", 2),
        ("France", "NGO and civil society", 1),
        ("Switzerland", "No category", 1),
    ]
