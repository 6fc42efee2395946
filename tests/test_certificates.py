"""Certificates of attendance (registration.services.certificates): the PDF from the
participant's own page, read back with pypdf, and the organizers' action that e-mails each
checked-in participant their link."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from documents.models import RenderedDocument
from organizers import roles
from outbox.models import Message
from registration.models import Registration
from registration.services import certificates, privacy
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registration_registration_changelist"


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def address(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def event():
    return EventFactory(
        title="Migration and health",
        start_date=datetime.date(2026, 3, 23),
        end_date=datetime.date(2026, 3, 24),
    )


def participant(event, *, checked_in: bool = True, **fields) -> Registration:
    fields = {"status": Registration.Status.CONFIRMED, **fields}
    fields.setdefault("confirmed_at", timezone.now())
    fields.setdefault("queued_at", timezone.now())
    if checked_in:
        fields["checked_in_at"] = timezone.now()
    return RegistrationFactory(event=event, **fields)


def certificate_url(registration: Registration) -> str:
    with translation.override(registration.language):
        return reverse(
            "registration:certificate",
            kwargs={"event": registration.event.slug, "token": registration.token},
        )


def manage_url(registration: Registration) -> str:
    with translation.override(registration.language):
        return registration.get_absolute_url()


def test_certificate_names_participant_event_and_dates_in_french(client, event):
    registration = participant(
        event, language="fr", first_name="Awa", last_name="Ndiaye", country="DE"
    )

    response = client.get(certificate_url(registration))

    text = text_of(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert len(reader.pages) == 1
    assert "Awa Ndiaye" in text
    assert "Ministry of Health, Allemagne" in text
    assert "Migration and health" in text
    assert "23–24 mars 2026" in text


def test_certificate_in_english_for_an_english_participant(client, event):
    registration = participant(event, language="en", first_name="John", last_name="Smith")

    response = client.get(certificate_url(registration))

    text = text_of(response.content)
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "en"
    assert "This is to certify that" in text
    assert "John Smith" in text
    assert "23–24 March 2026" in text
    assert "CICG" in text


def test_self_service_page_links_certificate_when_checked_in(client, event):
    registration = participant(event, language="en")

    page = client.get(manage_url(registration))

    html = page.content.decode()
    link = re.search(r'href="([^"]+/certificate\.pdf)" id="certificate-link"', html)
    assert page.status_code == 200
    assert "Certificate of attendance (PDF)" in html
    assert link is not None
    assert client.get(link.group(1)).status_code == 200


def test_certificate_not_checked_in_has_no_link_and_404(client, event):
    registration = participant(event, language="en", checked_in=False)

    page = client.get(manage_url(registration))
    response = client.get(certificate_url(registration))

    assert page.status_code == 200
    assert "certificate.pdf" not in page.content.decode()
    assert response.status_code == 404


def test_certificate_before_event_begins_has_no_link_and_404(client):
    future = EventFactory()  # 2030
    registration = participant(future, language="en")

    page = client.get(manage_url(registration))
    response = client.get(certificate_url(registration))

    assert page.status_code == 200
    assert "certificate.pdf" not in page.content.decode()
    assert response.status_code == 404


def test_certificate_with_bad_token_is_refused(client, event):
    participant(event, language="en")
    with translation.override("en"):
        url = reverse("registration:certificate", kwargs={"event": event.slug, "token": "nope"})

    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


# --- The organizers' action ----------------------------------------------------------------------


def staff(client, django_user_model, role: roles.Role):
    user = django_user_model.objects.create_user(role.name, "staff@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=role.name))
    client.force_login(user)
    return client


def link_in(text: str) -> str:
    """The certificate's path in an e-mail's text (the site's address taken off)."""
    found = re.search(r"(\S+/certificate\.pdf)", text)
    assert found, text
    return found.group(1).removeprefix(settings.SITE_URL)


def send(client, registrations):
    return client.post(
        address(CHANGELIST),
        {"action": "send_certificates", "_selected_action": [r.pk for r in registrations]},
        follow=True,
    )


def test_send_certificates_emails_each_checked_in_participant_in_their_language(
    client, django_user_model, event
):
    french = participant(event, language="fr", email="fr@example.org")
    spanish = participant(event, language="es", email="es@example.org")
    absent = participant(event, language="en", email="absent@example.org", checked_in=False)
    manager = staff(client, django_user_model, roles.MANAGER)

    response = send(manager, [french, spanish, absent])

    messages = {m.recipient: m for m in Message.objects.filter(kind="registration.certificate")}
    shown = [str(m) for m in response.context["messages"]]
    assert set(messages) == {"fr@example.org", "es@example.org"}
    for registration, language in ((french, "fr"), (spanish, "es")):
        message = messages[registration.email]
        link = link_in(message.text)
        download = Client().get(link)
        assert message.language == language
        assert link.startswith(f"/{language}/{event.slug}/registration/")
        assert download.status_code == 200
        assert PdfReader(io.BytesIO(download.content)).trailer["/Root"]["/Lang"] == language
        assert registration.last_name in text_of(download.content)
    assert "2 certificates of attendance sent." in shown
    assert any(m.startswith("1 registration skipped") for m in shown)


def test_send_certificates_is_not_offered_to_the_desk(client, django_user_model, event):
    registration = participant(event, language="en")
    desk = staff(client, django_user_model, roles.DESK)

    page = desk.get(address(CHANGELIST))
    response = desk.post(
        address(CHANGELIST),
        {"action": "send_certificates", "_selected_action": [registration.pk]},
    )

    assert page.status_code == 200
    assert "send_certificates" not in page.content.decode()
    assert not Message.objects.filter(kind="registration.certificate").exists()
    assert response.status_code in (200, 302)


def test_certificate_marks_a_title_not_written_in_the_participants_language(event):
    registration = participant(event, language="fr")

    content = certificates.certificate_spec(registration).content()

    assert content["event"]["title"] == {"text": "Migration and health", "lang": "en"}
    assert content["lang"] == "fr"


def test_erasure_deletes_stored_certificate_and_its_emails(client, event):
    registration = participant(event, language="fr")
    client.get(certificate_url(registration))
    certificates.send_certificates(registrations=[registration])
    stored = RenderedDocument.objects.filter(key=certificates.certificate_key(registration))
    mails = Message.objects.filter(kind="registration.certificate", object_id=registration.pk)
    assert stored.exists() and mails.exists()

    privacy.erase_registration(registration)

    assert not stored.exists()
    assert not mails.exists()
