"""A participant's journey on the Spanish site, in Chromium: from the Spanish registration form
of the rehearsal seminar to the e-mailed link (read from the mail folder), confirm; every e-mail
and page of theirs is Spanish, even when the link is opened at the English address.
Screenshots go to /tmp/shots/newcomer-es/."""

import re

import pytest
from django.core.management import call_command

from agenda.models import Event
from registration import services
from registration.models import BreakoutGroup, Registration
from tests.browser.support import SHOTS, inbox
from tests.test_registration_languages import translated

SEED_SLUG = "migration-and-human-resources-for-health"


@pytest.fixture
def rehearsal(transactional_db):
    """The site after a first `make run`, with a break-out group named in Spanish and one not."""
    call_command("load_seed_event", verbosity=0)
    event, _ = services.prepare_rehearsal_event(Event.objects.get(slug=SEED_SLUG))
    BreakoutGroup.objects.create(
        event=event, name_en="Partnerships with business", name_es="Alianzas con empresas"
    )
    BreakoutGroup.objects.create(event=event, name_en="Civil society and diaspora", order=1)
    return event


def test_participant_registers_on_the_spanish_site_and_is_answered_in_spanish(
    live_server, browser_page, rehearsal, mail_folder, settings
):
    settings.SITE_URL = live_server.url
    shots = SHOTS / "newcomer-es"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page

    page.goto(f"{live_server.url}/es/{rehearsal.slug}/register/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == translated("es", "Register to attend")
    # IOM's usual categories of the rehearsal, named in Spanish.
    page.get_by_role("link", name="Organización no gubernamental y sociedad civil").click()
    assert page.locator("h1").inner_text() == translated("es", "Register to attend")
    english_group = page.locator("#id_breakout_group option", has_text="Civil society")
    assert english_group.get_attribute("lang") == "en"
    page.select_option("#id_breakout_group", label="Alianzas con empresas")
    page.select_option("#id_honorific", "Dr.")
    page.fill("#id_first_name", "Lucía")
    page.fill("#id_last_name", "Fernández")
    page.fill("#id_position", "Directora de Recursos Humanos para la Salud")
    page.fill("#id_organization", "Colegio Médico del Perú")
    page.select_option("#id_sector", "professional_association")
    page.select_option("#id_country", "PE")
    page.fill("#id_email", "lucia.fernandez@example.org")
    page.check("#id_consent_privacy")
    page.screenshot(path=shots / "form.png", full_page=True)
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == translated("es", "Check your e-mail")

    [confirm_mail] = inbox(mail_folder, "lucia.fernandez@example.org")
    assert confirm_mail.subject == translated(
        "es", "Confirm your registration: %(title)s", title=rehearsal.title
    )
    link = confirm_mail.link_to("registration")
    assert f"/es/{rehearsal.slug}/registration/" in link

    # Opened at the English address (a link copied without its language), the page is Spanish.
    page.goto(link.replace(f"/es/{rehearsal.slug}/", f"/{rehearsal.slug}/"))
    assert page.url == link
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name=translated("es", "Confirm my registration")).click()
    status = page.locator("#registration-status")
    assert status.get_attribute("data-status") == "confirmed"
    assert translated("es", "Your seat is reserved. We look forward to welcoming you.") in (
        status.inner_text()
    )
    assert page.locator("#breakout-group").inner_text() == "Alianzas con empresas"
    page.screenshot(path=shots / "confirmed.png", full_page=True)

    seat_mail = inbox(mail_folder, "lucia.fernandez@example.org")[-1]
    assert seat_mail.subject == translated(
        "es", "Your seat is confirmed: %(title)s", title=rehearsal.title
    )
    assert "Alianzas con empresas" in seat_mail.text
    assert re.search(rf"/es/{rehearsal.slug}/registration/\S+/", seat_mail.text)
    assert Registration.objects.get(email="lucia.fernandez@example.org").language == "es"
