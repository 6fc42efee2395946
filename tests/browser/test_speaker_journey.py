"""A speaker's journey in Chromium: an organizer sends brief links from the admin; the speaker
opens the e-mailed link (read from the mail folder), downloads the brief, submits an abstract,
uploads and replaces slides.

Chromium sends real Origin and Referer headers with the forms, so a referrer policy that makes
it send "Origin: null" (and the CSRF check answer 403) fails here. Screenshots go to
/tmp/shots/speakers/ for a person to look at.
"""

import io
import zipfile

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from agenda.models import Event, Presentation
from speakers.models import SlideDeck
from tests.browser.support import SHOTS, inbox
from tests.factories import upcoming

SPEAKER_SHOTS = SHOTS / "speakers"
PASSWORD = "a-long-organizer-password"


def _pdf_slides() -> bytes:
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    )


def _pptx_slides() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


@pytest.fixture
def seminar(transactional_db, settings, tmp_path, live_server, django_user_model):
    call_command("load_seed_event", verbosity=0)
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    django_user_model.objects.create_user(
        "organizer", "organizer@example.org", PASSWORD, is_staff=True, is_superuser=True
    )
    # Moved ahead: the seed seminar took place in 2006, and a past event gets no new links.
    event = upcoming(Event.objects.get(slug="migration-and-human-resources-for-health"))
    presentation = event.sessions.get(number=1).items.first().presentations.first()
    speaker = presentation.speaker_links.first().person
    speaker.email = "speaker@example.org"
    speaker.save()
    return event, presentation, speaker


def test_speaker_gets_link_downloads_brief_submits_abstract_and_replaces_slides(
    live_server, browser_page, seminar, mail_folder, settings
):
    _event, presentation, speaker = seminar
    SPEAKER_SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page  # the speaker's browser
    organizer = page.context.browser.new_page(viewport={"width": 1280, "height": 900})

    # The organizer sends the speaker a brief link from the admin.
    organizer.goto(f"{live_server.url}/admin/login/")
    organizer.fill("#id_username", "organizer")
    organizer.fill("#id_password", PASSWORD)
    organizer.click("input[type=submit]")
    organizer.goto(f"{live_server.url}/admin/agenda/person/?q={speaker.last_name}")
    organizer.check(f"input[name=_selected_action][value='{speaker.pk}']")
    organizer.select_option("select[name=action]", "send_brief_links_for_people")
    organizer.click("button[name=index]")
    assert (
        organizer.locator(".messagelist")
        .inner_text()
        .startswith("1 e-mail with a new link is on its way;")
    )

    # The speaker opens the link from the e-mail, as the mail folder shows it.
    [brief_mail] = inbox(mail_folder, "speaker@example.org")
    page.goto(brief_mail.link_to("speaker"))
    assert page.locator("h1").inner_text() == speaker.full_name
    slots = page.locator("section[aria-labelledby=slots-title]")
    assert presentation.item.title in slots.inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SPEAKER_SHOTS / f"speaker-page-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})

    with page.expect_download() as brief:
        page.click("text=Download your session brief (PDF)")
    assert brief.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(brief.value.path())
    assert speaker.last_name in " ".join(p.extract_text() for p in reader.pages)

    section = page.locator(f"section[aria-labelledby=presentation-{presentation.pk}]")
    section.locator("textarea[name=abstract]").fill("Health workers move; policies can help.")
    section.locator("text=Save the abstract").click()
    assert page.locator(".alert-success").inner_text() == "Thank you: your abstract is saved."
    presentation.refresh_from_db()
    assert presentation.abstract == "Health workers move; policies can help."

    # A file that is not slides is refused with a message, on the page.
    section = page.locator(f"section[aria-labelledby=presentation-{presentation.pk}]")
    section.locator("input[name=slides]").set_input_files(
        files=[{"name": "slides.pdf", "mimeType": "application/pdf", "buffer": b"<html>no</html>"}]
    )
    section.locator("text=Upload the slides").click()
    section = page.locator(f"section[aria-labelledby=presentation-{presentation.pk}]")
    error = section.locator(".invalid-feedback")
    assert "must be a PDF or a PowerPoint" in error.inner_text()
    page.screenshot(path=SPEAKER_SHOTS / "slides-error-type.png", full_page=True)

    section.locator("input[name=slides]").set_input_files(
        files=[{"name": "talk.pdf", "mimeType": "application/pdf", "buffer": _pdf_slides()}]
    )
    section.locator("text=Upload the slides").click()
    assert page.locator(".alert-success").inner_text() == "Thank you: your slides are uploaded."
    received = page.locator("[data-testid=slides-received]")
    assert "PDF" in received.inner_text()
    with page.expect_download() as download:
        received.locator("a").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as downloaded:
        assert downloaded.read() == _pdf_slides()
    first = SlideDeck.objects.get()
    pptx = _pptx_slides()

    section.locator("input[name=slides]").set_input_files(
        files=[{"name": "talk.pptx", "mimeType": "application/zip", "buffer": pptx}]
    )
    section.locator("text=Replace the slides").click()
    assert (
        page.locator(".alert-success").inner_text()
        == "Thank you: your new slides replace the earlier ones."
    )
    assert "PowerPoint (PPTX)" in page.locator("[data-testid=slides-received]").inner_text()
    page.screenshot(path=SPEAKER_SHOTS / "slides-replaced.png", full_page=True)
    deck = SlideDeck.objects.get()
    assert deck.file_type == SlideDeck.FileType.PPTX
    assert not first.file.storage.exists(first.file.name)

    # A file over the limit is refused before it is read, with a page that says the limit.
    settings.SPEAKER_SLIDES_MAX_BYTES = 100 * 1024
    huge = _pdf_slides() + b"0" * (400 * 1024)
    section.locator("input[name=slides]").set_input_files(
        files=[{"name": "huge.pdf", "mimeType": "application/pdf", "buffer": huge}]
    )
    section.locator("text=Replace the slides").click()
    assert page.locator("h1").inner_text() == "The file is too large"
    assert "Slides may be at most 100.0\xa0KB." in page.locator("main").inner_text()
    page.screenshot(path=SPEAKER_SHOTS / "slides-error-too-large.png", full_page=True)
    page.click("text=Back to your speaker page")
    assert page.locator("h1").inner_text() == speaker.full_name
    assert SlideDeck.objects.get().pk == deck.pk

    # The organizer gets the slides from the presentation's admin page; a stranger does not.
    organizer.goto(f"{live_server.url}/admin/agenda/presentation/{presentation.pk}/change/")
    with organizer.expect_download() as from_admin:
        organizer.click(f"text={deck.download_name}")
    with open(from_admin.value.path(), "rb") as downloaded:
        assert downloaded.read() == pptx
    organizer.screenshot(path=SPEAKER_SHOTS / "admin-presentation-slides.png", full_page=True)
    href = organizer.get_by_text(deck.download_name).evaluate("a => a.href")
    stranger = page.context.browser.new_page()
    stranger.goto(href)
    assert stranger.url.startswith(f"{live_server.url}/admin/login/")
    assert Presentation.objects.get(pk=presentation.pk).abstract
