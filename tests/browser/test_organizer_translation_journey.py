"""An organizer translates in Chromium: log in to the admin, open Session I, enter its French
title in the French tab of the title and save; French readers see it on the page, in the
session's French background paper (text read back) and French calendar; Spanish readers get the
English original, marked as English. The admin's tabs load and work without a script error or
a violation of the Content-Security-Policy. Screenshots go to /tmp/shots/translations/."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agenda.models import Event
from tests.browser.support import SHOTS
from tests.browser.test_content_security_policy import LISTEN_FOR_VIOLATIONS

TRANSLATION_SHOTS = SHOTS / "translations"
PASSWORD = "a-long-organizer-password"
ENGLISH_TITLE = "Setting the Scene: Mobility of Health Care Workers"
FRENCH_TITLE = "Planter le décor : la mobilité des personnels de santé"


@pytest.fixture
def seminar(transactional_db, settings, live_server, django_user_model):
    call_command("load_seed_event", verbosity=0)
    settings.SITE_URL = live_server.url
    django_user_model.objects.create_user(
        "organizer", "organizer@example.org", PASSWORD, is_staff=True, is_superuser=True
    )
    return Event.objects.get(slug="migration-and-human-resources-for-health")


def address(live_server, language: str, obj) -> str:
    with translation.override(language):
        return f"{live_server.url}{obj.get_absolute_url()}"


def test_organizer_enters_a_french_title_in_its_tab(live_server, browser_page, seminar):
    session = seminar.sessions.get(number=1)
    TRANSLATION_SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    errors: list[str] = []
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"),
    )

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.click("#content-main a:text-is('Sessions')")
    page.click(f"text={session}")
    # The title's three inputs are tabs: English shows first, French a click away.
    page.locator("a[href='#tab_id_title_fr']").wait_for()
    assert page.is_visible("#id_title_en")
    assert not page.is_visible("#id_title_fr")
    page.click("a[href='#tab_id_title_fr']")
    assert page.is_visible("#id_title_fr")
    assert not page.is_visible("#id_title_en")
    page.fill("#id_title_fr", FRENCH_TITLE)
    page.screenshot(path=TRANSLATION_SHOTS / "session-french-tab.png", full_page=True)
    page.click("input[name=_save]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    errors += page.evaluate("window.__cspViolations")

    # The event's page says how many texts still lack a language and lists them.
    page.goto(f"{live_server.url}{reverse('admin:agenda_event_change', args=[seminar.pk])}")
    errors += page.evaluate("window.__cspViolations")
    page.click("a.translations-link")
    assert page.locator("h1").inner_text().startswith("Translations of")
    page.screenshot(path=TRANSLATION_SHOTS / "missing-translations.png", full_page=True)
    errors += page.evaluate("window.__cspViolations")
    assert errors == []

    reader = page.context.browser.new_page()
    reader.goto(address(live_server, "fr", session))
    assert FRENCH_TITLE in reader.locator("h1").inner_text()
    reader.screenshot(path=TRANSLATION_SHOTS / "session-in-french.png", full_page=True)
    # The French background paper and the French calendar of the session print it too: the
    # links a French reader follows from the session's page.
    with translation.override("fr"):
        paper = reverse("documents:session-paper-pdf", args=[seminar.slug, session.slug])
        calendar = reverse("agenda:session-ics", args=[seminar.slug, session.slug])
    assert reader.locator(f"a[href='{paper}']").count() == 1
    assert reader.locator(f"a[href='{calendar}']").count() == 1
    pdf = reader.request.get(f"{live_server.url}{paper}")
    assert pdf.headers["content-type"] == "application/pdf"
    pdf_reader = PdfReader(io.BytesIO(pdf.body()))
    pdf_words = " ".join(" ".join(p.extract_text().split()) for p in pdf_reader.pages)
    assert FRENCH_TITLE in pdf_words
    assert pdf_reader.trailer["/Root"]["/Lang"] == "fr"
    ics = reader.request.get(f"{live_server.url}{calendar}").text()
    assert FRENCH_TITLE in ics.replace("\r\n ", "").replace("\\,", ",")
    reader.goto(address(live_server, "es", session))
    reader.screenshot(path=TRANSLATION_SHOTS / "session-in-spanish.png", full_page=True)
    assert FRENCH_TITLE not in reader.locator("h1").inner_text()
    assert reader.locator("h1 [lang=en]").all_inner_texts() == [ENGLISH_TITLE]
