"""The Content-Security-Policy in Chromium: the public pages, the registration pages and the
admin load and work without one violation of the policy. Screenshots go to
/tmp/shots/hardening/ at 1280 and 390 px wide for a person to look at."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import PresentationSpeaker
from registration import services
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

SHOTS = Path("/tmp/shots/hardening")

# Playwright adds this before any script of the page, out of reach of the page's policy.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def open_event(transactional_db):
    event = EventFactory(
        slug="hrh-2030",
        title="Migration and Human Resources for Health: From Awareness to Action",
        start_date=datetime.date(2030, 3, 23),
        end_date=datetime.date(2030, 3, 24),
    )
    RegistrationSettingsFactory(
        event=event,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=20),
    )
    return event


class Visitor:
    """Opens pages in Chromium and collects every report of the policy being violated."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.violations: list[str] = []
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def collect(self) -> None:
        found = self.page.evaluate("window.__cspViolations || []")
        self.violations.extend(f"{self.page.url}: {text}" for text in found)

    def visit(self, path: str, shot: str | None = None) -> None:
        response = self.page.goto(f"{self.base}{path}")
        assert response.status < 400, (path, response.status)
        assert response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.collect()
        if shot:
            for width in (1280, 390):
                self.page.set_viewport_size({"width": width, "height": 900})
                self.page.screenshot(path=SHOTS / f"{shot}-{width}.png", full_page=True)
            self.page.set_viewport_size({"width": 1280, "height": 900})


def test_public_and_admin_pages_report_no_csp_violation(
    live_server, browser_page, seed_event, open_event, organizer, settings
):
    settings.SITE_URL = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    visitor = Visitor(browser_page, live_server.url)
    session = seed_event.sessions.order_by("number").first()
    person = (
        PresentationSpeaker.objects.filter(presentation__item__event=seed_event)
        .order_by("pk")
        .first()
        .person
    )
    registration = services.confirm_registration(RegistrationFactory(event=open_event))

    for path, shot in [
        ("/", "home"),
        (reverse("agenda:event-list"), None),
        (seed_event.get_absolute_url(), "event"),
        (reverse("agenda:agenda", args=[seed_event.slug]), "agenda"),
        (session.get_absolute_url(), "session"),
        (reverse("agenda:person-list", args=[seed_event.slug]), None),
        (reverse("agenda:person-detail", args=[seed_event.slug, person.slug]), None),
        (reverse("agenda:document-list", args=[seed_event.slug]), None),
        (reverse("proceedings:publication", args=[seed_event.slug]), None),
        (reverse("registration:register", args=[open_event.slug]), "registration-form"),
        (reverse("registration:privacy", args=[open_event.slug]), None),
        (reverse("registration:request-link", args=[open_event.slug]), "link-request"),
        (registration.get_absolute_url(), None),
        (
            reverse("registration:confirmation", args=[open_event.slug, registration.token]),
            "registration-confirmation",
        ),
    ]:
        visitor.visit(path, shot)

    # The honeypot of the link-request form is out of the keyboard's path.
    visitor.visit(reverse("registration:request-link", args=[open_event.slug]))
    browser_page.focus("#id_email")
    browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("document.activeElement.type") == "submit"

    # Should a browser's autofill fill the honeypot, the person is told and sends again.
    browser_page.fill("#id_email", "participant0@example.org")
    browser_page.evaluate("document.querySelector('#id_website').value = 'Ministry of Health'")
    browser_page.click("button[type=submit]")
    assert "A field meant to stay empty was filled in" in browser_page.inner_text("main")
    for width in (1280, 390):
        browser_page.set_viewport_size({"width": width, "height": 900})
        browser_page.screenshot(path=SHOTS / f"link-request-honeypot-{width}.png", full_page=True)
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    browser_page.click("button[type=submit]")
    assert browser_page.locator("h1").inner_text() == "Check your e-mail"
    visitor.collect()

    # Sending the registration form with errors shows the page again, still within the policy.
    visitor.visit(reverse("registration:register", args=[open_event.slug]))
    browser_page.click("button[type=submit]")
    browser_page.wait_for_selector("#form-errors")
    visitor.collect()

    visitor.visit(reverse("admin:login"), "admin-login")
    browser_page.fill("#id_username", "organizer")
    browser_page.fill("#id_password", "a-long-organizer-password")
    browser_page.click("input[type=submit]")
    browser_page.wait_for_selector("#site-name")
    visitor.collect()
    for path, shot in [
        (reverse("admin:index"), None),
        (reverse("admin:agenda_event_change", args=[seed_event.pk]), "admin-event"),
        (reverse("admin:agenda_event_translations", args=[seed_event.pk]), None),
        (reverse("admin:agenda_person_add"), None),
        (reverse("admin:agenda_agendaitem_changelist"), None),
        (reverse("admin:registration_registration_changelist"), None),
        (reverse("admin:registration_registration_change", args=[registration.pk]), None),
    ]:
        visitor.visit(path, shot)
    # Saving the event makes its history, whose page is django-simple-history's.
    visitor.visit(reverse("admin:agenda_session_change", args=[session.pk]))
    browser_page.fill("#id_title_en", f"{session.title} (revised)")
    browser_page.click("input[name=_continue]")
    browser_page.wait_for_selector(".messagelist .success")
    visitor.collect()
    visitor.visit(reverse("admin:agenda_session_history", args=[session.pk]), "admin-history")
    assert "(revised)" in browser_page.inner_text("#content")

    # The autocomplete widget (select2) opens and searches within the policy.
    visitor.visit(reverse("admin:agenda_event_change", args=[seed_event.pk]))
    browser_page.click("#select2-id_organizer-container")
    browser_page.keyboard.type("Inter")
    browser_page.wait_for_selector(".select2-results__option")
    visitor.collect()

    assert visitor.violations == []


def test_lockout_page_reports_no_csp_violation(live_server, browser_page, organizer):
    SHOTS.mkdir(parents=True, exist_ok=True)
    visitor = Visitor(browser_page, live_server.url)

    visitor.visit(reverse("admin:login"))
    for _ in range(5):
        browser_page.fill("#id_username", "organizer")
        browser_page.fill("#id_password", "not-the-password")
        browser_page.click("input[type=submit]")
        browser_page.wait_for_load_state("load")
    visitor.collect()
    for width in (1280, 390):
        browser_page.set_viewport_size({"width": width, "height": 900})
        browser_page.screenshot(path=SHOTS / f"admin-lockout-{width}.png", full_page=True)

    assert browser_page.locator("h1").inner_text() == "Sign-in locked"
    assert visitor.violations == []
