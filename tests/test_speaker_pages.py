import datetime
import io
import zipfile

import pytest
from django.contrib.admin import ModelAdmin, site
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.admin_pdf import send_brief_links_for_events
from agenda.models import Event, Presentation, RenderedDocument, SlideDeck, SpeakerLink
from tests.test_pdf_documents import pdf_text, speaker_of

pytestmark = pytest.mark.django_db


def page_url(event, token, name="agenda:speaker-page", **kwargs):
    return reverse(name, kwargs={"event": event.slug, "token": token, **kwargs})


@pytest.fixture
def speaker(seed_event):
    return speaker_of(seed_event.sessions.get(number=1))


@pytest.fixture
def token(speaker, seed_event):
    return services.issue_speaker_link(speaker, event=seed_event)[1]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_link_opens_that_speakers_page_only(client, seed_event, speaker, token):
    other = speaker_of(seed_event.sessions.get(number=2))

    response = client.get(page_url(seed_event, token))

    assert response.status_code == 200
    html = response.content.decode()
    assert speaker.full_name in html
    assert "Dr. Manuel Dayrit" in html  # co-panellist
    assert "Ms. Michele Klein-Solomon (JD)" in html  # discussant
    assert other.full_name not in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_tampered_link_opens_nothing(client, seed_event, token):
    data = signing.loads(token, salt=services.SPEAKER_LINK_SALT)
    forged = signing.dumps({"l": data["l"], "s": "guessed"}, salt="another-salt")

    assert client.get(page_url(seed_event, token[:-2] + "xx")).status_code == 404
    assert client.get(page_url(seed_event, forged)).status_code == 404
    assert client.get(page_url(seed_event, "not-a-token")).status_code == 404


def test_link_of_a_guessed_secret_opens_nothing(client, seed_event, token):
    data = signing.loads(token, salt=services.SPEAKER_LINK_SALT)
    guessed = signing.dumps(
        {"l": data["l"], "s": "guessed"}, salt=services.SPEAKER_LINK_SALT, compress=False
    )

    assert client.get(page_url(seed_event, guessed)).status_code == 404


def test_link_opens_nothing_in_another_event(client, seed_event, token):
    other_event = Event.objects.create(
        slug="another", title="Another", start_date=datetime.date(2031, 1, 1),
        end_date=datetime.date(2031, 1, 1), city="Geneva", organizer=seed_event.organizer,
        status=Event.Status.PUBLISHED,
    )  # fmt: skip

    assert client.get(page_url(other_event, token)).status_code == 404


def test_revoked_link_opens_nothing(client, seed_event, speaker, token):
    services.revoke_speaker_links(SpeakerLink.objects.filter(person=speaker))

    response = client.get(page_url(seed_event, token))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_reissued_link_replaces_the_old_one(client, seed_event, speaker, token):
    _link, new_token = services.issue_speaker_link(speaker, event=seed_event)

    assert client.get(page_url(seed_event, token)).status_code == 410
    assert client.get(page_url(seed_event, new_token)).status_code == 200
    assert SpeakerLink.objects.filter(person=speaker, revoked_at__isnull=True).count() == 1


def test_expired_link_opens_nothing(client, seed_event, speaker, token):
    now = timezone.now()
    SpeakerLink.objects.filter(person=speaker).update(
        created_at=now - datetime.timedelta(days=61), expires_at=now - datetime.timedelta(days=1)
    )

    response = client.get(page_url(seed_event, token))

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_brief_pdf_through_the_link(client, seed_event, speaker, token):
    response = client.get(page_url(seed_event, token, "agenda:speaker-brief-pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert speaker.full_name in pdf_text(RenderedDocument(content=response.content))


def test_send_brief_links_action_emails_working_links_after_commit(
    client, rf, seed_event, organizer, django_capture_on_commit_callbacks
):
    people = list(services.people_with_roles(seed_event))
    for number, person in enumerate(people[:3]):
        person.email = f"speaker{number}@example.org"
        person.save()
    request = rf.post("/admin/")
    request.user = organizer
    request._messages = _Messages()
    modeladmin = ModelAdmin(Event, site)

    with django_capture_on_commit_callbacks(execute=True):
        send_brief_links_for_events(modeladmin, request, Event.objects.filter(pk=seed_event.pk))
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert sorted(m.to[0] for m in mail.outbox) == [f"speaker{n}@example.org" for n in range(3)]
    message = mail.outbox[0]
    url = next(line for line in message.body.splitlines() if "/speaker/" in line).strip()
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200
    recipient = next(p for p in people if p.email == message.to[0])
    assert recipient.full_name in response.content.decode()
    assert SpeakerLink.objects.filter(sent_at__isnull=False).count() == 3


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)


def test_speaker_submits_an_abstract(client, seed_event, speaker, token):
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()

    response = client.post(
        page_url(seed_event, token, "agenda:speaker-abstract", presentation=presentation.pk),
        {"abstract": "Health workers move.\r\n\r\nPolicies can help."},
    )

    assert response.status_code == 302
    presentation.refresh_from_db()
    assert presentation.abstract == "Health workers move.\n\nPolicies can help."


def test_speaker_cannot_touch_someone_elses_presentation(client, seed_event, token, speaker):
    others = Presentation.objects.filter(item__event=seed_event).exclude(
        speaker_links__person=speaker
    )
    presentation = others.first()

    response = client.post(
        page_url(seed_event, token, "agenda:speaker-abstract", presentation=presentation.pk),
        {"abstract": "Not mine."},
    )

    assert response.status_code == 404
    presentation.refresh_from_db()
    assert presentation.abstract != "Not mine."


def _pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("slides.pdf", b"%PDF-1.7\n%fake but starts right\n", SlideDeck.FileType.PDF),
        ("slides.pptx", _pptx(), SlideDeck.FileType.PPTX),
        ("renamed.bin", _pptx(), SlideDeck.FileType.PPTX),
    ],
)
def test_speaker_uploads_pdf_or_pptx_slides(
    client, seed_event, speaker, token, media, name, content, file_type
):
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()

    response = client.post(
        page_url(seed_event, token, "agenda:speaker-slides", presentation=presentation.pk),
        {"slides": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )

    assert response.status_code == 302
    deck = SlideDeck.objects.get(presentation=presentation)
    assert deck.file_type == file_type
    assert deck.file.name.endswith("." + file_type)
    with deck.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("slides.pdf", b"MZ\x90\x00 an executable named .pdf"),
        ("slides.pptx", _docx()),
        ("slides.pptx", b"PK\x03\x04 not really a zip"),
        ("slides.pdf", b"<html><script>alert(1)</script>"),
    ],
)
def test_slides_of_another_type_are_refused(
    client, seed_event, speaker, token, media, name, content
):
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()

    response = client.post(
        page_url(seed_event, token, "agenda:speaker-slides", presentation=presentation.pk),
        {"slides": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )

    assert response.status_code == 400
    assert response.context["presentations"][0]["slides_form"].has_error("slides", "slides_type")
    assert SlideDeck.objects.count() == 0


def test_slides_above_the_size_limit_are_refused(
    client, seed_event, speaker, token, media, settings
):
    settings.SPEAKER_SLIDES_MAX_BYTES = 1024
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()

    response = client.post(
        page_url(seed_event, token, "agenda:speaker-slides", presentation=presentation.pk),
        {"slides": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)},
    )

    assert response.status_code == 400
    form = response.context["presentations"][0]["slides_form"]
    assert form.has_error("slides", "slides_too_large")
