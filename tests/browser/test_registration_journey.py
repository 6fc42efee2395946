"""A participant's journey in Chromium: register, follow the e-mailed link, change a preference,
cancel. Screenshots go to /tmp/shots/ for a person to look at."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from registration.models import BreakoutGroup, Registration
from tests.browser.support import SHOTS
from tests.factories import EventFactory
from tests.registration_factories import RegistrationSettingsFactory


@pytest.fixture
def open_event(transactional_db):
    event = EventFactory(
        slug="hrh-2030",
        title="Migration and Human Resources for Health: From Awareness to Action",
        start_date=datetime.date(2030, 3, 23),
        end_date=datetime.date(2030, 3, 24),
        venue="International Conference Centre",
    )
    RegistrationSettingsFactory(
        event=event,
        capacity=80,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=20),
    )
    BreakoutGroup.objects.create(event=event, name="Partnerships with business", order=1)
    BreakoutGroup.objects.create(event=event, name="Civil society and diaspora", order=2)
    return event


def test_participant_registers_confirms_changes_and_cancels(
    live_server, browser_page, open_event, settings
):
    settings.SITE_URL = live_server.url
    SHOTS.mkdir(exist_ok=True)
    page = browser_page

    page.goto(f"{live_server.url}/{open_event.slug}/register/")
    assert page.locator("h1").inner_text() == "Register to attend"
    page.screenshot(path=SHOTS / "registration-form.png", full_page=True)

    page.fill("#id_first_name", "Nadia")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_phone", "12")
    page.click("button[type=submit]")
    assert page.locator("#form-errors").is_visible()
    assert page.locator(".invalid-feedback, .is-invalid").count() > 0
    page.screenshot(path=SHOTS / "registration-errors.png", full_page=True)

    page.select_option("#id_honorific", "Dr.")
    page.fill("#id_first_name", "Nadia")
    page.fill("#id_last_name", "Benali")
    page.fill("#id_position", "Director of Human Resources for Health")
    page.fill("#id_organization", "Ministry of Health")
    page.select_option("#id_sector", "gov_health")
    page.select_option("#id_country", "MA")
    page.fill("#id_email", "nadia.benali@example.org")
    page.fill("#id_phone", "+212 537 76 11 21")
    page.check("#id_consent_privacy")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    page.screenshot(path=SHOTS / "registration-check-email.png", full_page=True)

    assert Registration.objects.get().status == Registration.Status.PENDING
    link = re.search(r"https?://\S+/registration/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.click("text=Confirm my registration")
    assert page.locator("#registration-status").get_attribute("data-status") == "confirmed"
    page.screenshot(path=SHOTS / "registration-confirmed.png", full_page=True)

    page.click("text=Change my details")
    page.select_option("#id_breakout_group", label="Civil society and diaspora")
    page.fill("#id_dietary_needs", "Halal meals")
    page.click("text=Save my changes")
    assert page.locator("#breakout-group").inner_text() == "Civil society and diaspora"
    assert page.locator("#dietary-needs").inner_text() == "Halal meals"

    page.click("text=Confirmation to print")
    assert (
        "This confirms that Dr. Nadia Benali"
        in page.locator("#confirmation-statement").inner_text()
    )
    page.screenshot(path=SHOTS / "registration-confirmation.png", full_page=True)
    page.click("text=Back to my registration")

    page.click("text=Cancel my registration")
    page.click("text=Yes, cancel my registration")
    assert page.locator("#registration-status").get_attribute("data-status") == "cancelled"
    page.screenshot(path=SHOTS / "registration-cancelled.png", full_page=True)

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.breakout_group.name == "Civil society and diaspora"
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Confirm your registration",
        "Your seat is confirmed",
        "Your registration is cancelled",
    ]
