"""A participant of an intergovernmental organization registers in their category: chooses it,
answers the organizers' questions (one field visit already full), uploads the nomination letter,
confirms from the e-mail and finds their category and answers on their page."""

import pytest
from django.utils import timezone

from registration.models import (
    Answer,
    Nomination,
    Question,
    QuestionKind,
    QuestionOption,
    Registration,
)
from tests.browser.support import SHOTS, inbox
from tests.questions_factories import PDF_BYTES, CategoryFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory


@pytest.fixture
def event(transactional_db):
    event = RegistrationSettingsFactory(capacity=50).event
    igo = CategoryFactory(
        event=event,
        name="Intergovernmental organization",
        description="Staff of intergovernmental organizations.",
        nomination="nomination_letter",
        asked_fields=["position", "phone"],
    )
    CategoryFactory(event=event, name="Media")
    visit = Question.objects.create(
        event=event, kind=QuestionKind.SINGLE_CHOICE, label="Field visit", required=True
    )
    port = QuestionOption.objects.create(question=visit, label="Port", seats=1, order=1)
    QuestionOption.objects.create(question=visit, label="Health centre", seats=10, order=2)
    Question.objects.create(event=event, kind=QuestionKind.YES_NO, label="Interpretation?")
    letter = Question.objects.create(event=event, kind=QuestionKind.FILE, label="Agenda note")
    letter.categories.set([igo])
    now = timezone.now()
    holder = RegistrationFactory(event=event, status="confirmed", confirmed_at=now, queued_at=now)
    Answer.objects.create(registration=holder, question=visit).options.set([port])
    return event


def test_participant_registers_in_a_category_with_answers_and_nomination(
    live_server, browser_page, event, mail_folder, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    shots = SHOTS / "i11" / "A"
    shots.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(PDF_BYTES)
    page = browser_page

    page.goto(f"{live_server.url}/{event.slug}/register/")
    page.get_by_role("link", name="Intergovernmental organization").click()
    assert (
        page.locator("#registration-category")
        .inner_text()
        .startswith("Intergovernmental organization")
    )
    assert page.locator("#id_sector").count() == 0
    assert page.get_by_label("Port (full)").is_disabled()
    page.fill("#id_first_name", "Lina")
    page.fill("#id_last_name", "Haddad")
    page.fill("#id_organization", "League of Arab States")
    page.select_option("#id_country", "EG")
    page.fill("#id_email", "lina.haddad@example.org")
    page.get_by_label("Health centre").check()
    page.get_by_label("Yes").check()
    page.set_input_files("#id_nomination", pdf)
    page.set_input_files(f"#id_question_{Question.objects.get(label='Agenda note').pk}", pdf)
    page.check("#id_consent_privacy")
    page.screenshot(path=shots / "journey-category-form.png", full_page=True)
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your e-mail"

    [mail] = inbox(mail_folder, "lina.haddad@example.org")
    page.goto(mail.link_to("registration"))
    page.click("text=Confirm my registration")

    assert page.locator("#registration-status").get_attribute("data-status") == "confirmed"
    assert page.locator("#registration-category").inner_text() == "Intergovernmental organization"
    terms = page.locator(".registration-summary dt").all_inner_texts()
    assert "Sector" not in terms
    assert "Dietary needs" not in terms
    assert "Phone" in terms
    answers = page.locator(".registration-answer").all_inner_texts()
    assert answers == ["Health centre", "yes", "letter.pdf"]
    registration = Registration.objects.get(email="lina.haddad@example.org")
    assert Nomination.objects.get(registration=registration).original_name == "letter.pdf"
    page.screenshot(path=shots / "journey-category-page.png", full_page=True)
