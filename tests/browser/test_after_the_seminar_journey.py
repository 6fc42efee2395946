"""After the seminar, in Chromium: a registration manager writes to the participants from the
admin (preview, then send once), each participant gets the mailing in their language from the
mail folder; a participant checked in at the desk opens their page from the e-mailed link and
downloads their certificate of attendance, in their language."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pypdf import PdfReader

from outbox.services import send_outbox
from registration import services
from tests.browser.support import SHOTS, inbox
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

PASSWORD = "a-long-manager-password"


@pytest.fixture
def seminar(transactional_db, live_server, settings, django_user_model):
    """A seminar that began yesterday, with a French and a Spanish participant checked in."""
    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    event = EventFactory(
        slug="idm-2026",
        title="Migration and Human Resources for Health",
        start_date=today - datetime.timedelta(days=1),
        end_date=today,
    )
    RegistrationSettingsFactory(
        event=event,
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=2),
    )
    people = []
    for first, last, email, language in [
        ("Camille", "Durand", "camille@example.org", "fr"),
        ("Lucía", "Fernández", "lucia@example.org", "es"),
    ]:
        registration = RegistrationFactory(
            event=event, first_name=first, last_name=last, email=email, language=language
        )
        registration = services.confirm_registration(registration)
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
        people.append(registration)
    manager = django_user_model.objects.create_user(
        "manager", "manager@example.org", PASSWORD, is_staff=True
    )
    manager.groups.add(Group.objects.get(name="Registration manager"))
    return event, people


def test_manager_mails_participants_who_download_their_certificate(
    live_server, browser_page, seminar, mail_folder
):
    event, _people = seminar
    shots = SHOTS / "after-the-seminar"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    # The manager writes the mailing in English and French; Spanish readers get the English.
    page.goto(f"{live_server.url}/admin/registration/mailing/add/")
    page.select_option("#id_event", str(event.pk))
    page.fill("#id_subject_en", "Thank you for coming to {event}")
    page.fill("#id_text_en", "Dear {name},\n\nYour certificate is on your page: {link}")
    page.fill("#id_subject_fr", "Merci de votre participation à {event}")
    page.fill("#id_text_fr", "{name},\n\nVotre attestation est sur votre page : {link}")
    page.click("input[name=_continue]")
    assert "Merci de votre participation à Migration" in page.locator("main").inner_text()
    page.screenshot(path=shots / "mailing-preview.png", full_page=True)
    page.get_by_role("link", name="Send…").click()
    page.click("input[type=submit]")
    assert "on its way to 2 registrations" in page.locator(".messagelist").inner_text()
    send_outbox()

    [french] = inbox(mail_folder, "camille@example.org")[-1:]
    [spanish] = inbox(mail_folder, "lucia@example.org")[-1:]
    assert french.subject == f"Merci de votre participation à {event.title}"
    assert spanish.subject.startswith("[")  # the English, marked in Spanish
    assert "Thank you for coming" in spanish.subject

    # Camille opens her page from the mailing and downloads her certificate, in French.
    page.goto(french.link_to("registration"))
    assert page.locator("html").get_attribute("lang") == "fr"
    link = page.locator("#certificate-link")
    assert link.is_visible()
    # Fetched in the browser's context (its cookies, its headers): a PDF, not a page.
    certificate = page.request.get(live_server.url + link.get_attribute("href"))
    assert certificate.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(certificate.body()))
    text = reader.pages[0].extract_text()
    assert "Camille Durand" in text
    assert "ATTESTATION DE PARTICIPATION" in text.upper()
    page.screenshot(path=shots / "participant-page-fr.png", full_page=True)
