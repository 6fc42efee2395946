"""What the registration form and the admin keep of attendance days, phone numbers and names."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from agenda.models import Person
from registration.forms import RegistrationForm
from registration.models import Registration
from tests.factories import PersonFactory
from tests.registration_factories import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    form_data,
)

pytestmark = pytest.mark.django_db

BIDI_CONTROLS = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.fixture
def event():
    return RegistrationSettingsFactory().event


def test_registration_form_days_sent_three_times_are_kept_once(event):
    first, second = event.days[:2]
    sent = [second.isoformat(), first.isoformat(), second.isoformat(), second.isoformat()]

    form = RegistrationForm(form_data(event, days=sent), event=event)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["days"] == [first, second]


def test_registration_days_stored_twice_are_refused_by_the_database(event):
    registration = RegistrationFactory(event=event)
    day = event.days[0]

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(days=[day, day])

    assert refused.value.__cause__.diag.constraint_name == (
        "registration_registration_days_distinct"
    )


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("+41 22 717 91 11 ext. 123", "+41227179111;ext=123", "+41 22 717 91 11 ext. 123"),
        ("+41 22 717 91 11 x 45", "+41227179111;ext=45", "+41 22 717 91 11 ext. 45"),
        ("+41 22 717 91 11", "+41227179111", "+41 22 717 91 11"),
    ],
)
def test_registration_phone_extension_is_kept(client, event, typed, stored, shown):
    response = client.post(
        reverse("registration:register", args=[event.slug]), form_data(event, phone=typed)
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert (registration.phone, registration.phone_display) == (stored, shown)


def test_registration_phone_extension_too_long_is_refused(event):
    form = RegistrationForm(
        form_data(event, phone="+41 22 717 91 11 ext. 12345678901"), event=event
    )

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["phone"]] == ["phone_extension_too_long"]


@pytest.mark.parametrize("control", BIDI_CONTROLS)
@pytest.mark.parametrize("field", ["first_name", "last_name", "organization", "position"])
def test_registration_form_refuses_bidi_controls_in_names(event, field, control):
    form = RegistrationForm(form_data(event, **{field: f"Mensah{control}gnp.exe"}), event=event)

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()[field]] == ["bidi_control_characters"]


def test_registration_form_takes_right_to_left_names(event):
    form = RegistrationForm(
        form_data(event, first_name="محمد", last_name="כהן", organization="وزارة الصحة"),
        event=event,
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("field", ["first_name", "last_name", "post_nominals", "position_en"])
def test_admin_person_names_refuse_bidi_controls(admin_client, field):
    person = PersonFactory(first_name="Ama", last_name="Owusu")
    url = reverse("admin:agenda_person_change", args=[person.pk])
    data = {
        "honorific": "",
        "first_name": "Ama",
        "last_name": "Owusu",
        "post_nominals": "",
        "slug": person.slug,
        "position_en": "",
        "affiliation_note_en": "",
        "country": "",
        "bio_en": "",
        "email": "",
        field: "Owusu\u202eexe.",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()[field]] == [
        "bidi_control_characters"
    ]
    assert Person.objects.get(pk=person.pk).last_name == "Owusu"


def test_admin_registration_days_given_twice_are_a_form_error(admin_client, event):
    registration = RegistrationFactory(event=event)
    url = reverse("admin:registration_registration_change", args=[registration.pk])
    page = admin_client.get(url)
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and name != "days"
    }
    day = event.days[0].isoformat()
    data.update(
        {
            "days": f"{day},{day}",
            "emails-TOTAL_FORMS": "0",
            "emails-INITIAL_FORMS": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["__all__"]] == ["days_repeated"]
    registration.refresh_from_db()
    assert registration.days == event.days


def test_registration_change_form_shows_the_phone_with_its_extension_as_written(client, event):
    registration = RegistrationFactory(event=event, phone="+41227179111;ext=123")

    page = client.get(reverse("registration:edit", args=[event.slug, registration.token]))

    assert page.context["form"]["phone"].value() == "+41 22 717 91 11 ext. 123"
