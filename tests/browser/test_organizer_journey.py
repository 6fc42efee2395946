"""An organizer's journey in Chromium: log in to the admin, rename a session and find the new title
on the public page and in the next download of its background paper, approve a registration and
export the list. Screenshots go to /tmp/shots/speakers/ for a person to look at."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from agenda.models import Event
from registration.models import Registration
from tests.browser.support import SHOTS
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

ORGANIZER_SHOTS = SHOTS / "speakers"
PASSWORD = "a-long-organizer-password"
NEW_TITLE = "Health Workers on the Move: Setting the Scene"


@pytest.fixture
def seminar(transactional_db, settings, live_server, django_user_model):
    call_command("load_seed_event", verbosity=0)
    settings.SITE_URL = live_server.url
    django_user_model.objects.create_user(
        "organizer", "organizer@example.org", PASSWORD, is_staff=True, is_superuser=True
    )
    event = Event.objects.get(slug="migration-and-human-resources-for-health")
    # Registration closed before the seminar (as the issue asks of every event); organizers
    # still approve and export afterwards.
    starts = datetime.datetime.combine(event.start_date, datetime.time(9), tzinfo=datetime.UTC)
    RegistrationSettingsFactory(
        event=event,
        capacity=80,
        opens_at=starts - datetime.timedelta(days=60),
        closes_at=starts - datetime.timedelta(days=3),
    )
    RegistrationFactory(
        event=event,
        first_name="Nadia",
        last_name="Benali",
        email="nadia.benali@example.org",
        status=Registration.Status.AWAITING_APPROVAL,
        email_confirmed_at=timezone.now(),
    )
    return event


def _paper_text(visitor) -> str:
    """The background paper as a reader gets it: from the link on the session page."""
    href = visitor.get_by_text("Download the background paper (PDF)").evaluate("a => a.href")
    response = visitor.context.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(page.extract_text() for page in reader.pages)


def test_organizer_renames_a_session_approves_and_exports(live_server, browser_page, seminar):
    event = seminar
    session = event.sessions.get(number=1)
    session_url = f"{live_server.url}{session.get_absolute_url()}"
    ORGANIZER_SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    visitor = page.context.browser.new_page()  # a reader of the public site, not logged in
    visitor.goto(session_url)
    assert NEW_TITLE not in visitor.locator("main").inner_text()
    assert NEW_TITLE not in _paper_text(visitor)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.click("#content-main a:text-is('Sessions')")
    page.click(f"text={session}")
    page.fill("#id_title_en", NEW_TITLE)
    page.click("input[name=_save]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    # Public pages may stay a minute in the browser's cache: the reader reloads, as people do.
    visitor.reload()
    assert NEW_TITLE in visitor.locator("h1").inner_text()
    assert NEW_TITLE in " ".join(_paper_text(visitor).split())
    visitor.screenshot(path=ORGANIZER_SHOTS / "organizer-session-renamed.png", full_page=True)

    page.goto(f"{live_server.url}/admin/registration/registration/")
    row = page.locator("#result_list tr", has_text="Benali")
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    assert "1 registrations approved." in page.locator(".messagelist").inner_text()
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    page.screenshot(path=ORGANIZER_SHOTS / "organizer-registration-approved.png")

    page.check("#action-toggle")
    page.select_option("select[name=action]", "export_csv")
    with page.expect_download() as export:
        page.click("button[name=index]")
    assert export.value.suggested_filename == "registrations.csv"
    with open(export.value.path(), encoding="utf-8-sig", newline="") as exported:
        rows = list(csv.reader(exported))
    header, records = rows[0], rows[1:]
    assert len(records) == 1
    record = dict(zip(header, records[0], strict=True))
    assert "Benali" in record.values()
    assert "nadia.benali@example.org" in record.values()
