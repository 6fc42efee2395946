"""The lists of participants (registration.services.participant_lists): the public PDF per
language, from the public participants page, and the organizers' internal list as PDF or Excel,
read back with pypdf and openpyxl."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from organizers import roles
from registration.models import ParticipantCategory, Registration
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

pytestmark = pytest.mark.django_db

Status = Registration.Status
SETTINGS_URL = "admin:registration_registrationsettings_participant_list"


def read_pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def text_of(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in read_pdf(content).pages)


def address(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def event():
    event = EventFactory()
    RegistrationSettingsFactory(event=event, public_list_enabled=True)
    return event


@pytest.fixture
def categories(event):
    return (
        ParticipantCategory.objects.create(event=event, name="Member States", order=0),
        ParticipantCategory.objects.create(event=event, name="Observers", order=1),
    )


def listed(event, first_name: str, last_name: str, **fields) -> Registration:
    fields = {"status": Status.CONFIRMED, "consent_public_list": True, **fields}
    if fields["status"] == Status.CONFIRMED:
        fields.setdefault("confirmed_at", timezone.now())
        fields.setdefault("queued_at", timezone.now())
    return RegistrationFactory(event=event, first_name=first_name, last_name=last_name, **fields)


@pytest.fixture
def participants(event, categories):
    member_states, observers = categories
    return [
        listed(event, "Amina", "Diallo", category=member_states, country="SN", honorific="Mr."),
        listed(event, "Hans", "Weber", category=observers, country="DE", organization="GIZ"),
        listed(event, "Nour", "Hassan", category=observers, country="EG", phone="+41227179111"),
        listed(event, "Ana", "Pérez", category=None, country="ES"),
        listed(event, "Louis", "Martin", category=observers, country="FR"),
        listed(
            event, "Secret", "Quiet", category=observers, country="DE", consent_public_list=False
        ),
        listed(event, "Pending", "Person", category=observers, country="EG", status="pending"),
    ]


def test_public_list_pdf_groups_consenting_participants_by_category_then_country(
    client, participants
):
    response = client.get(
        address("registration:participant-list-pdf", "en", participants[0].event.slug)
    )

    text = text_of(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    order = [
        text.index(part)
        for part in (
            "Member States",
            "SENEGAL",
            "Mr. Amina Diallo",
            "Observers",
            "EGYPT",
            "Ms. Nour Hassan",
            "FRANCE",
            "Ms. Louis Martin",
            "GERMANY",
            "Ms. Hans Weber",
            "Other participants",
            "SPAIN",
            "Ms. Ana Pérez",
        )
    ]
    assert order == sorted(order)
    assert "Quiet" not in text
    assert "Pending" not in text
    assert "5 participants" in text


def test_public_list_pdf_in_french_has_french_words_order_and_language(client, participants):
    response = client.get(
        address("registration:participant-list-pdf", "fr", participants[0].event.slug)
    )

    text = text_of(response.content)
    assert read_pdf(response.content).trailer["/Root"]["/Lang"] == "fr"
    assert response["Content-Disposition"].endswith('-fr.pdf"')
    with translation.override("fr"):
        heading = gettext("List of participants")
        honorific = str(Registration(honorific="Mr.").full_name)
    assert heading in text
    assert f"{honorific} Amina Diallo" in text
    # Égypte among the E, before France: the French alphabetical order, not the code points'.
    assert text.index("ALLEMAGNE") < text.index("ÉGYPTE") < text.index("FRANCE")
    assert "GERMANY" not in text


def test_public_list_pdf_follows_the_list_when_it_changes(
    client, participants, categories, django_capture_on_commit_callbacks
):
    event = participants[0].event
    url = address("registration:participant-list-pdf", "en", event.slug)
    first = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        listed(event, "Kwame", "Mensah", category=categories[0], country="GH")

    second = client.get(url)

    assert "Kwame Mensah" not in text_of(first.content)
    assert "Kwame Mensah" in text_of(second.content)
    assert first["ETag"] != second["ETag"]


def test_public_list_pdf_when_unpublished_is_not_found(client, participants):
    event = participants[0].event
    RegistrationSettingsFactory(event=event, public_list_enabled=False)

    response = client.get(address("registration:participant-list-pdf", "en", event.slug))

    assert response.status_code == 404


def test_public_list_pdf_withdrawn_is_no_longer_served_from_memory(
    client, participants, categories, django_capture_on_commit_callbacks
):
    event = participants[0].event
    url = address("registration:participant-list-pdf", "en", event.slug)
    published = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        categories[0].name = "States members of IOM"
        categories[0].save()
    renamed = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        reg_settings = event.registration_settings
        reg_settings.public_list_enabled = False
        reg_settings.save()

    withdrawn = client.get(url)

    assert published.status_code == renamed.status_code == 200
    assert "States members of IOM" in text_of(renamed.content)
    assert withdrawn.status_code == 404


def test_participants_page_links_the_pdf_in_its_language(client, participants):
    event = participants[0].event

    page = client.get(address("registration:participant-list", "fr", event.slug))

    assert page.status_code == 200
    assert f'href="/fr/{event.slug}/participants.pdf"' in page.content.decode()


def test_public_list_pdf_without_participants_says_so(client, event):
    response = client.get(address("registration:participant-list-pdf", "en", event.slug))

    assert response.status_code == 200
    assert "No participant is listed yet." in text_of(response.content)


def test_public_list_pdf_prints_hostile_names_as_text(client, event):
    long_organization = "Ministry of " + "Very Long Names " * 11
    listed(event, "<script>alert(1)</script>", "نور الهدى", country="EG")
    listed(event, "Zoe", "O'Brien & <b>Sons</b>", organization=long_organization, country="IE")
    # A bidi override written into the database past the forms' validators.
    listed(event, "Eve", "\u202eLiam", organization="\u202bRTL\u202c Mission", country="IE")

    response = client.get(address("registration:participant-list-pdf", "en", event.slug))

    reader = read_pdf(response.content)
    text = text_of(response.content)
    assert response.status_code == 200
    assert len(reader.pages) >= 1
    assert "<script>alert(1)</script>" in text
    assert "<b>Sons</b>" in text
    assert "Very Long Names Very Long Names" in text
    assert "Mission" in text


# --- The internal list ----------------------------------------------------------------------


def staff(client, django_user_model, role: roles.Role):
    user = django_user_model.objects.create_user(role.name, "staff@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=role.name))
    client.force_login(user)
    return client


def post_list(client, event, **data):
    url = address(SETTINGS_URL, "en", event.registration_settings.pk)
    return client.post(url, {"statuses": ["confirmed"], "output": "pdf", **data})


def test_internal_list_pdf_has_chosen_columns_for_chosen_statuses(
    client, django_user_model, participants
):
    event = participants[0].event
    Registration.objects.filter(pk=participants[2].pk).update(checked_in_at=timezone.now())
    manager = staff(client, django_user_model, roles.MANAGER)

    response = post_list(
        manager, event, columns=["email", "phone", "checked_in"], statuses=["confirmed", "pending"]
    )

    text = text_of(response.content)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert "Quiet" in text  # no consent asked: the organizers' list
    assert "Pending Person" in text
    assert participants[2].email in text.replace(" ", "")  # long addresses break across lines
    assert "+41 22 717 91 11" in text
    assert "Director of Human Resources" in text
    assert text.index("Member States") < text.index("Observers") < text.index("Other participants")


def test_internal_list_defaults_to_confirmed_participants(client, django_user_model, participants):
    event = participants[0].event
    manager = staff(client, django_user_model, roles.MANAGER)

    form = manager.get(address(SETTINGS_URL, "en", event.registration_settings.pk))
    response = post_list(manager, event)

    assert form.status_code == 200
    assert form.context["form"]["statuses"].value() == [Status.CONFIRMED]
    assert "Pending Person" not in text_of(response.content)


def test_internal_list_in_the_admins_language(client, django_user_model, participants):
    event = participants[0].event
    manager = staff(client, django_user_model, roles.MANAGER)
    url = address(SETTINGS_URL, "fr", event.registration_settings.pk)

    response = manager.post(url, {"statuses": ["confirmed"], "output": "pdf"})

    assert read_pdf(response.content).trailer["/Root"]["/Lang"] == "fr"
    assert "ALLEMAGNE" in text_of(response.content)


def test_internal_list_excel_is_in_pdf_order_and_formula_safe(
    client, django_user_model, event, categories
):
    listed(event, '=HYPERLINK("http://evil")', "Zed", category=categories[1], country="DE")
    listed(event, "Amina", "Diallo", category=categories[0], country="SN", position="+1 chief")
    manager = staff(client, django_user_model, roles.MANAGER)

    response = post_list(manager, event, output="xlsx", columns=["status", "head_of_delegation"])

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert response["Content-Disposition"].startswith("attachment;")
    assert rows[0] == [
        "Category",
        "Country",
        "Name",
        "Position",
        "Organization",
        "Status",
        "Head of delegation",
    ]
    assert rows[1][:4] == ["Member States", "Senegal", "Ms. Amina Diallo", "'+1 chief"]
    assert rows[2][:3] == ["Observers", "Germany", 'Ms. =HYPERLINK("http://evil") Zed']
    assert rows[2][5] == "Confirmed"
    assert all(
        not str(value).startswith(("=", "+", "-", "@")) for row in rows for value in row if value
    )


def test_internal_list_with_no_status_chosen_is_refused(client, django_user_model, event):
    manager = staff(client, django_user_model, roles.MANAGER)

    response = post_list(manager, event, statuses=[])

    assert response.status_code == 200
    assert response.context["form"].errors["statuses"][0] == "This field is required."
    assert response.context["form"]["statuses"].errors.as_data()[0].code == "required"


@pytest.mark.parametrize("role", [roles.DESK, roles.EDITOR])
def test_internal_list_is_refused_to_desk_and_editor(client, django_user_model, event, role):
    user = staff(client, django_user_model, role)
    url = address(SETTINGS_URL, "en", event.registration_settings.pk)

    assert user.get(url).status_code == 403
    assert post_list(user, event).status_code == 403


def test_settings_page_links_the_internal_list_for_managers_only(client, django_user_model, event):
    url = address(
        "admin:registration_registrationsettings_change", "en", event.registration_settings.pk
    )
    list_url = address(SETTINGS_URL, "en", event.registration_settings.pk)
    manager = staff(client, django_user_model, roles.MANAGER)

    page = manager.get(url)

    assert list_url in page.content.decode()


def run_action(client, registrations):
    return client.post(
        address("admin:registration_registration_changelist", "en"),
        {"action": "participant_list", "_selected_action": [r.pk for r in registrations]},
    )


def test_registrations_action_opens_the_events_list_form(client, django_user_model, participants):
    event = participants[0].event
    manager = staff(client, django_user_model, roles.MANAGER)

    response = run_action(manager, participants[:2])

    assert response.status_code == 302
    assert response["Location"] == address(SETTINGS_URL, "en", event.registration_settings.pk)


def test_registrations_action_across_events_is_refused(client, django_user_model, participants):
    other = RegistrationFactory()
    manager = staff(client, django_user_model, roles.MANAGER)

    response = run_action(manager, [participants[0], other])

    assert response.status_code == 302
    assert response["Location"] == address("admin:registration_registration_changelist", "en")


@pytest.mark.parametrize(("role", "changelist_status"), [(roles.DESK, 200), (roles.EDITOR, 403)])
def test_registrations_action_is_not_offered_to_desk_or_editor(
    client, django_user_model, participants, role, changelist_status
):
    user = staff(client, django_user_model, role)

    page = user.get(address("admin:registration_registration_changelist", "en"))
    response = run_action(user, participants[:1])

    assert page.status_code == changelist_status
    assert 'value="participant_list"' not in page.content.decode()
    if changelist_status == 200:  # the desk: not one of its actions, the admin runs nothing
        assert response.status_code == 302
        assert response["Location"] == address("admin:registration_registration_changelist", "en")
    else:
        assert response.status_code == 403
