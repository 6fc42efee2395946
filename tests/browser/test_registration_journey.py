"""A participant's journey in Chromium, as a newcomer makes it on the rehearsal seminar: from the
home page to the form, register, follow the e-mailed link, confirm, change a preference, cancel;
meanwhile a second participant waits for a seat and is told when it is theirs. E-mails are read
from the mail folder as a newcomer reads var/mail/ (the files' text); screenshots go to
/tmp/shots/newcomer/."""

import pytest
from django.core.management import call_command

from agenda.models import Event
from registration import services
from registration.models import BreakoutGroup, Registration, RegistrationSettings
from tests.browser.support import SHOTS, inbox

SEED_SLUG = "migration-and-human-resources-for-health"


@pytest.fixture
def rehearsal(transactional_db):
    """The site after a first `make run`: the seed event and its rehearsal copy, here with one
    seat so that the second participant waits, and two break-out groups to choose from."""
    call_command("load_seed_event", verbosity=0)
    event, _ = services.prepare_rehearsal_event(Event.objects.get(slug=SEED_SLUG))
    RegistrationSettings.objects.filter(event=event).update(capacity=1)
    BreakoutGroup.objects.create(event=event, name="Partnerships with business", order=1)
    BreakoutGroup.objects.create(event=event, name="Civil society and diaspora", order=2)
    return event


NGO = "Non-governmental organization and civil society"


def register(page, *, first_name, last_name, email, country):
    if page.locator("#participant-categories").count():
        page.get_by_role("link", name=NGO).click()
    page.select_option("#id_honorific", "Dr.")
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", last_name)
    page.fill("#id_position", "Director of Human Resources for Health")
    page.fill("#id_organization", "Health Workers Without Borders")
    page.select_option("#id_sector", "ngo")
    page.select_option("#id_country", country)
    page.fill("#id_email", email)
    page.check("#id_consent_privacy")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your e-mail"


def test_participant_registers_confirms_changes_cancels_and_frees_seat_for_waiting_list(
    live_server, browser_page, rehearsal, mail_folder, settings
):
    settings.SITE_URL = live_server.url
    shots = SHOTS / "newcomer"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page

    # From the home page to the rehearsal seminar, its notice, and its registration form.
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == rehearsal.title
    assert page.locator("#rehearsal-notice").is_visible()
    page.screenshot(path=shots / "journey-home.png", full_page=True)
    page.locator(".event-actions").get_by_role("link", name="Register").click()
    assert page.locator("h1").inner_text() == "Register to attend"
    # The rehearsal has IOM's usual categories: she registers for her NGO.
    page.screenshot(path=shots / "journey-categories.png", full_page=True)
    page.get_by_role("link", name=NGO).click()

    page.fill("#id_first_name", "Nadia")
    page.fill("#id_email", "not-an-address")
    page.click("button[type=submit]")
    assert page.locator("#form-errors").is_visible()
    page.screenshot(path=shots / "journey-form-errors.png", full_page=True)

    page.fill("#id_phone", "+212 537 76 11 21")
    register(
        page,
        first_name="Nadia",
        last_name="Benali",
        email="nadia.benali@example.org",
        country="MA",
    )

    # Nadia's e-mail: confirm her address; she takes the only seat.
    [confirm_mail] = inbox(mail_folder, "nadia.benali@example.org")
    assert confirm_mail.subject == f"Confirm your registration: {rehearsal.title}"
    page.goto(confirm_mail.link_to("registration"))
    page.click("text=Confirm my registration")
    assert page.locator("#registration-status").get_attribute("data-status") == "confirmed"
    assert "We look forward to welcoming you" in page.locator("#registration-status").inner_text()
    page.screenshot(path=shots / "journey-confirmed.png", full_page=True)
    nadia_url = page.url

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
    page.click("text=Back to my registration")

    # A second participant, in a browser of her own, finds the seminar full.
    other = page.context.browser.new_page(viewport={"width": 390, "height": 844})
    other.goto(f"{live_server.url}/")
    other.get_by_role("button", name="Show menu").click()
    other.locator("#site-nav").get_by_role("link", name="Register").click()
    register(other, first_name="Amina", last_name="Diallo", email="amina@example.org", country="SN")
    other.goto(inbox(mail_folder, "amina@example.org")[0].link_to("registration"))
    other.click("text=Confirm my registration")
    assert other.locator("#registration-status").get_attribute("data-status") == "waiting"
    assert "number 1 on the waiting" in other.locator("#registration-status").inner_text()
    other.screenshot(path=shots / "journey-waiting-390.png", full_page=True)

    # Nadia cancels; her seat goes to Amina, who is told by e-mail.
    page.goto(nadia_url)
    page.click("text=Cancel my registration")
    page.click("text=Yes, cancel my registration")
    assert page.locator("#registration-status").get_attribute("data-status") == "cancelled"
    page.screenshot(path=shots / "journey-cancelled.png", full_page=True)

    promoted = inbox(mail_folder, "amina@example.org")[-1]
    assert promoted.subject == f"A seat is now yours: {rehearsal.title}"
    assert "a seat has freed up" in promoted.text
    assert "Your registration is confirmed." in promoted.text
    other.goto(promoted.link_to("registration"))
    assert other.locator("#registration-status").get_attribute("data-status") == "confirmed"
    other.screenshot(path=shots / "journey-promoted-390.png", full_page=True)

    assert [m.subject.split(":")[0] for m in inbox(mail_folder, "nadia.benali@example.org")] == [
        "Confirm your registration",
        "Your seat is confirmed",
        "Your registration is cancelled",
    ]
    assert [m.subject.split(":")[0] for m in inbox(mail_folder, "amina@example.org")] == [
        "Confirm your registration",
        "You are on the waiting list",
        "A seat is now yours",
    ]
    nadia = Registration.objects.get(email="nadia.benali@example.org")
    assert nadia.breakout_group.name == "Civil society and diaspora"
    assert nadia.category.name == NGO
