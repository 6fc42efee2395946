import datetime
import importlib
import io
import json
import re
import stat
import struct
import subprocess
import sys
import threading
import zipfile

import pytest
from django.contrib.admin import ModelAdmin, site
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.models import Event, Presentation, PresentationSpeaker
from documents.models import RenderedDocument
from speakers import services as speaker_services
from speakers.admin import send_brief_links_for_events
from speakers.models import SlideDeck, SpeakerLink
from tests.factories import AgendaItemFactory, PersonFactory, PresentationSpeakerFactory, upcoming
from tests.test_pdf_documents import pdf_text, speaker_of

pytestmark = pytest.mark.django_db


def page_url(event, token, name="speakers:page", **kwargs):
    return reverse(name, kwargs={"event": event.slug, "token": token, **kwargs})


@pytest.fixture
def seed_event(seed_event):
    """The seed seminar moved 90 days ahead: speakers change abstracts and slides only before
    their event ends (a past event's page is read-only, tests/test_speaker_links.py)."""
    return upcoming(seed_event)


@pytest.fixture
def speaker(seed_event):
    return speaker_of(seed_event.sessions.get(number=1))


@pytest.fixture
def token(speaker, seed_event):
    return speaker_services.issue_speaker_link(speaker, event=seed_event)[1]


@pytest.fixture
def media(settings, tmp_path):
    """Public and private media in a fresh folder each; returns the private one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


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
    assert response["Referrer-Policy"] == "same-origin"


def test_tampered_link_opens_nothing(client, seed_event, token):
    data = signing.loads(token, salt=speaker_services.SPEAKER_LINK_SALT)
    forged = signing.dumps({"l": data["l"], "s": "guessed"}, salt="another-salt")

    assert client.get(page_url(seed_event, token[:-2] + "xx")).status_code == 404
    assert client.get(page_url(seed_event, forged)).status_code == 404
    assert client.get(page_url(seed_event, "not-a-token")).status_code == 404


def test_link_of_a_guessed_secret_opens_nothing(client, seed_event, token):
    data = signing.loads(token, salt=speaker_services.SPEAKER_LINK_SALT)
    guessed = signing.dumps(
        {"l": data["l"], "s": "guessed"}, salt=speaker_services.SPEAKER_LINK_SALT, compress=False
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
    speaker_services.revoke_speaker_links(SpeakerLink.objects.filter(person=speaker))

    response = client.get(page_url(seed_event, token))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_reissued_link_replaces_the_old_one(client, seed_event, speaker, token):
    _link, new_token = speaker_services.issue_speaker_link(speaker, event=seed_event)

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
    response = client.get(page_url(seed_event, token, "speakers:brief-pdf"))

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
        page_url(seed_event, token, "speakers:abstract", presentation=presentation.pk),
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
        page_url(seed_event, token, "speakers:abstract", presentation=presentation.pk),
        {"abstract": "Not mine."},
    )

    assert response.status_code == 404
    presentation.refresh_from_db()
    assert presentation.abstract != "Not mine."


# --- What a browser sends: Origin, and the referrer policy that decides it ----------------------


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_speaker_page_referrer_policy_keeps_the_origin_header(client, seed_event, token):
    response = client.get(page_url(seed_event, token))

    # With "no-referrer" (header or meta tag) browsers send "Origin: null" with the page's forms.
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in response.content.decode()
    assert "no-referrer" not in response.content.decode()


def test_speaker_abstract_with_the_origin_a_browser_sends_is_saved(seed_event, speaker, token):
    browser = Client(enforce_csrf_checks=True)
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()
    csrf = _csrf_token(browser.get(page_url(seed_event, token)).content.decode())

    response = browser.post(
        page_url(seed_event, token, "speakers:abstract", presentation=presentation.pk),
        {"abstract": "Sent as Chromium sends it.", "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="http://testserver",
        HTTP_REFERER="http://testserver" + page_url(seed_event, token),
    )

    assert response.status_code == 302
    presentation.refresh_from_db()
    assert presentation.abstract == "Sent as Chromium sends it."


def test_speaker_abstract_with_a_null_origin_is_refused(seed_event, speaker, token):
    # What browsers send under "Referrer-Policy: no-referrer": the failure this page must avoid.
    browser = Client(enforce_csrf_checks=True)
    presentation = Presentation.objects.filter(speaker_links__person=speaker).first()
    csrf = _csrf_token(browser.get(page_url(seed_event, token)).content.decode())

    response = browser.post(
        page_url(seed_event, token, "speakers:abstract", presentation=presentation.pk),
        {"abstract": "Refused.", "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="null",
    )

    assert response.status_code == 403
    presentation.refresh_from_db()
    assert presentation.abstract != "Refused."


# --- Slides: structure, quota, size, privacy ----------------------------------------------------


def _pdf(filler: bytes = b"") -> bytes:
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + filler
        + b"trailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    )  # fmt: skip


def _pptx(extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        if extra:
            archive.writestr("ppt/media/image1.bin", extra)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _declaring_unpacked_size(archive: bytes, size: int) -> bytes:
    """The archive with its last entry claiming `size` bytes unpacked, as a zip bomb does."""
    entry = archive.rindex(b"PK\x01\x02")  # the central directory record
    return archive[: entry + 24] + struct.pack("<I", size) + archive[entry + 28 :]


def _upload(client, event, token, presentation, content, name="slides.pdf"):
    return client.post(
        page_url(event, token, "speakers:slides", presentation=presentation.pk),
        {"slides": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def _slides_form(response):
    form = next(
        entry["slides_form"]
        for entry in response.context["presentations"]
        if entry["slides_form"].is_bound
    )
    return form


@pytest.fixture
def presentation(speaker):
    return Presentation.objects.filter(speaker_links__person=speaker).first()


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("slides.pdf", _pdf(), SlideDeck.FileType.PDF),
        ("slides.pptx", _pptx(), SlideDeck.FileType.PPTX),
        ("renamed.bin", _pptx(), SlideDeck.FileType.PPTX),
        ("a-pdf-named.pptx", _pdf(), SlideDeck.FileType.PDF),
    ],
)
def test_speaker_uploads_pdf_or_pptx_slides(
    client, seed_event, token, presentation, media, name, content, file_type
):
    response = _upload(client, seed_event, token, presentation, content, name)

    assert response.status_code == 302
    deck = SlideDeck.objects.get(presentation=presentation)
    assert deck.file_type == file_type
    assert re.fullmatch(rf"slides/[0-9a-f]{{32}}\.{file_type}", deck.file.name)
    with deck.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("slides.pdf", b"MZ\x90\x00 an executable named .pdf", "slides_type"),
        ("slides.pptx", _docx(), "slides_type"),
        ("slides.pptx", b"PK\x03\x04 not really a zip", "slides_type"),
        ("slides.pdf", b"<html><script>alert(1)</script>", "slides_type"),
        ("slides.pdf", b"%PDF-1.7\n%cut short, no trailer\n", "slides_incomplete"),
    ],
)
def test_slides_of_another_type_are_refused(
    client, seed_event, token, presentation, media, name, content, code
):
    response = _upload(client, seed_event, token, presentation, content, name)

    assert response.status_code == 400
    assert _slides_form(response).has_error("slides", code)
    assert SlideDeck.objects.count() == 0
    assert not any(media.rglob("*.*"))


def test_slides_zip_bomb_is_refused(client, seed_event, token, presentation, media):
    bomb = _declaring_unpacked_size(_pptx(b"0" * 1000), 4_000_000_000)

    response = _upload(client, seed_event, token, presentation, bomb, "slides.pptx")

    assert response.status_code == 400
    form = _slides_form(response)
    assert form.has_error("slides", "slides_unpacked_too_large")
    assert "3.7\xa0GB" in form.errors["slides"][0]
    assert SlideDeck.objects.count() == 0


def test_slides_unpacking_past_the_setting_are_refused(
    client, seed_event, token, presentation, media, settings
):
    settings.SPEAKER_SLIDES_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = _pptx(b"\0" * (5 * 1024 * 1024))  # honest sizes, 5 MB of zeros in a few kB
    assert len(bomb) < 20_000

    response = _upload(client, seed_event, token, presentation, bomb, "slides.pptx")

    assert response.status_code == 400
    assert _slides_form(response).has_error("slides", "slides_unpacked_too_large")


def test_slides_above_the_size_limit_are_refused(
    client, seed_event, token, presentation, media, settings
):
    settings.SPEAKER_SLIDES_MAX_BYTES = 1024

    response = _upload(client, seed_event, token, presentation, _pdf(b"0" * 2000), "big.pdf")

    assert response.status_code == 400
    assert _slides_form(response).has_error("slides", "slides_too_large")


class _UnreadableBody(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def test_oversized_upload_body_is_refused_before_it_is_read(
    client, seed_event, token, presentation, media
):
    response = client.generic(
        "POST",
        page_url(seed_event, token, "speakers:slides", presentation=presentation.pk),
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": _UnreadableBody()},
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "Slides may be at most 25.0\xa0MB." in html
    assert page_url(seed_event, token) in html
    assert SlideDeck.objects.count() == 0


def test_oversized_body_elsewhere_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 100 * 1024 * 1024

    response = client.generic(
        "POST",
        "/admin/login/",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(101 * 1024 * 1024),
        **{"wsgi.input": _UnreadableBody()},
    )

    assert response.status_code == 413
    assert "at most 100.0\xa0MB in one request" in response.content.decode()


def test_slides_upload_just_under_the_body_limit_reaches_the_form(
    client, seed_event, token, presentation, media, settings
):
    settings.SPEAKER_SLIDES_MAX_BYTES = 1024

    response = _upload(client, seed_event, token, presentation, _pdf(b"0" * 1500), "big.pdf")

    assert response.status_code == 400  # refused by the form, with its message, not by a 413
    assert _slides_form(response).has_error("slides", "slides_too_large")


def test_new_slides_replace_the_old_file(
    client, seed_event, token, presentation, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, seed_event, token, presentation, _pdf(), "first.pdf")
    first = SlideDeck.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, seed_event, token, presentation, _pptx(), "second.pptx")

    assert response.status_code == 302
    second = SlideDeck.objects.get()
    assert second.file_type == SlideDeck.FileType.PPTX
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*.*")) == [second.file.name]
    assert not first.file.storage.exists(first.file.name)


def test_deleting_a_presentation_deletes_its_slides_file(
    client, seed_event, token, presentation, media, django_capture_on_commit_callbacks
):
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")
    deck = SlideDeck.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        presentation.delete()

    assert not deck.file.storage.exists(deck.file.name)


@pytest.fixture
def second_presentation(speaker, presentation):
    other = Presentation.objects.create(item=presentation.item, title="A second talk", order=9)
    PresentationSpeaker.objects.create(presentation=other, person=speaker)
    return other


def test_slides_past_the_file_quota_are_refused(
    client, seed_event, token, presentation, second_presentation, media, settings
):
    settings.SPEAKER_SLIDES_MAX_FILES = 1
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")

    refused = _upload(client, seed_event, token, second_presentation, _pdf(), "more.pdf")
    replaced = _upload(client, seed_event, token, presentation, _pptx(), "new.pptx")

    assert refused.status_code == 400
    assert _slides_form(refused).has_error("slides", "slides_quota_files")
    assert replaced.status_code == 302
    assert list(SlideDeck.objects.values_list("presentation", "file_type")) == [
        (presentation.pk, SlideDeck.FileType.PPTX)
    ]


def test_slides_past_the_byte_quota_are_refused(
    client, seed_event, token, presentation, second_presentation, media, settings
):
    settings.SPEAKER_SLIDES_QUOTA_BYTES = 3000
    _upload(client, seed_event, token, presentation, _pdf(b"0" * 2000), "slides.pdf")

    refused = _upload(client, seed_event, token, second_presentation, _pdf(b"0" * 1000))
    replaced = _upload(client, seed_event, token, presentation, _pdf(b"1" * 2800))

    assert refused.status_code == 400
    assert _slides_form(refused).has_error("slides", "slides_quota_bytes")
    assert replaced.status_code == 302
    assert SlideDeck.objects.get().size == len(_pdf(b"1" * 2800))


def test_slides_live_outside_public_media_under_random_names(
    client, seed_event, token, presentation, media, settings
):
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")
    deck = SlideDeck.objects.get()

    path = media / deck.file.name
    assert path.read_bytes() == _pdf()
    assert not path.resolve().is_relative_to(settings.MEDIA_ROOT.resolve())
    assert re.fullmatch(r"slides/[0-9a-f]{32}\.pdf", deck.file.name)
    with pytest.raises(ValueError):
        deck.file.url  # noqa: B018 - no URL exists to give out
    assert client.get(f"/media/{deck.file.name}").status_code == 404


def test_anonymous_get_of_a_slides_url_is_refused_speaker_and_organizer_get_the_file(
    client, seed_event, token, presentation, media, organizer, django_user_model
):
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")
    deck = SlideDeck.objects.get()
    admin_url = reverse("admin:agenda_presentation_slides", args=[presentation.pk, deck.pk])
    speaker_url = page_url(seed_event, token, "speakers:slides-file", deck=deck.pk)
    other = speaker_of(seed_event.sessions.get(number=2))
    other_token = speaker_services.issue_speaker_link(other, event=seed_event)[1]
    stranger_url = page_url(seed_event, other_token, "speakers:slides-file", deck=deck.pk)
    forged_url = page_url(seed_event, "not-a-token", "speakers:slides-file", deck=deck.pk)

    anonymous = Client().get(admin_url)
    participant = Client()
    participant.force_login(django_user_model.objects.create_user("someone", password="x" * 20))
    not_staff = participant.get(admin_url)
    stranger = Client().get(stranger_url)
    forged = Client().get(forged_url)
    by_speaker = Client().get(speaker_url)
    organizer_client = Client()
    organizer_client.force_login(organizer)
    by_organizer = organizer_client.get(admin_url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert not_staff.status_code == 302
    assert not_staff["Location"].startswith(reverse("admin:login"))
    assert stranger.status_code == 404
    assert forged.status_code == 404
    for response in (by_speaker, by_organizer):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == _pdf()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_speaker_page_lists_the_slides_with_their_download_link(
    client, seed_event, token, presentation, media
):
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")
    deck = SlideDeck.objects.get()

    html = client.get(page_url(seed_event, token)).content.decode()

    assert page_url(seed_event, token, "speakers:slides-file", deck=deck.pk) in html
    assert deck.download_name in html
    assert "Replace the slides" in html


def test_admin_presentation_page_links_the_slides_privately(
    client, seed_event, token, presentation, media, organizer
):
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")
    deck = SlideDeck.objects.get()
    client.force_login(organizer)

    response = client.get(reverse("admin:agenda_presentation_change", args=[presentation.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:agenda_presentation_slides", args=[presentation.pk, deck.pk]) in html
    assert deck.file.name not in html


def _slides_migration():
    return importlib.import_module("agenda.migrations.0006_private_slides")


def _apps_of_the_slides_migration():
    """The models as that migration saw them (SlideDeck was the agenda app's then)."""
    return MigrationLoader(connection).project_state(("agenda", "0006_private_slides")).apps


def _public_slides_as_the_old_code_left_them(presentation, speaker):
    """Two public uploads of one speaker, before the one-per-speaker constraint existed; returns
    their file names, older first."""
    public = storages["default"]
    old_names = [public.save(f"slides/{presentation.pk}/talk.pdf", ContentFile(_pdf(body)))
                 for body in (b"old", b"new")]  # fmt: skip
    with connection.schema_editor() as editor:
        editor.remove_constraint(SlideDeck, SlideDeck._meta.constraints[0])
    SlideDeck.objects.bulk_create(
        [
            SlideDeck(
                presentation=presentation, person=speaker, file=name, file_type="pdf", size=99
            )
            for name in old_names
        ]
    )
    SlideDeck.objects.filter(file=old_names[0]).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=1)
    )
    return old_names


def test_migration_moves_public_slides_to_private_storage_keeping_the_newest(
    seed_event, speaker, presentation, media, django_capture_on_commit_callbacks
):
    old_names = _public_slides_as_the_old_code_left_them(presentation, speaker)

    with django_capture_on_commit_callbacks(execute=True):
        _slides_migration().move_slides_to_private_storage(_apps_of_the_slides_migration(), None)

    deck = SlideDeck.objects.get()
    assert re.fullmatch(r"slides/[0-9a-f]{32}\.pdf", deck.file.name)
    with deck.file.open("rb") as stored:
        assert stored.read() == _pdf(b"new")
    assert [storages["default"].exists(name) for name in old_names] == [False, False]


def test_migration_rolled_back_leaves_the_public_slides(
    seed_event, speaker, presentation, media, django_capture_on_commit_callbacks
):
    old_names = _public_slides_as_the_old_code_left_them(presentation, speaker)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _slides_migration().move_slides_to_private_storage(_apps_of_the_slides_migration(), None)
        raise RuntimeError("a later operation of the migration failed")

    assert callbacks == []
    assert sorted(SlideDeck.objects.values_list("file", flat=True)) == sorted(old_names)
    assert [storages["default"].exists(name) for name in old_names] == [True, True]


def test_migration_reversed_moves_the_slides_back_to_public_storage(
    seed_event, speaker, presentation, media, django_capture_on_commit_callbacks
):
    _public_slides_as_the_old_code_left_them(presentation, speaker)
    migration = _slides_migration()
    with django_capture_on_commit_callbacks(execute=True):
        migration.move_slides_to_private_storage(_apps_of_the_slides_migration(), None)
    private_name = SlideDeck.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        migration.move_slides_back_to_public_storage(_apps_of_the_slides_migration(), None)

    public_name = SlideDeck.objects.values_list("file", flat=True).get()
    with storages["default"].open(public_name, "rb") as stored:
        assert stored.read() == _pdf(b"new")
    assert storages["private"].exists(private_name) is False


UPLOADERS = 6


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_of_one_speaker_stay_within_the_file_quota(media, settings):
    settings.SPEAKER_SLIDES_MAX_FILES = 3
    item = AgendaItemFactory()
    speaker = PersonFactory()
    presentations = [
        PresentationSpeakerFactory(presentation__item=item, person=speaker).presentation
        for _ in range(UPLOADERS)
    ]
    barrier = threading.Barrier(UPLOADERS)
    refused: list[str] = []
    errors: list[BaseException] = []

    def upload(presentation):
        try:
            barrier.wait(timeout=30)
            speaker_services.upload_slides(
                presentation, person=speaker, upload=SimpleUploadedFile("s.pdf", _pdf())
            )
        except ValidationError as error:
            refused.append(error.code)
        except BaseException as error:  # every other failure counts
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(p,)) for p in presentations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert refused == ["slides_quota_files"] * (UPLOADERS - 3)
    names = set(SlideDeck.objects.values_list("file", flat=True))
    assert len(names) == 3
    assert {p.relative_to(media).as_posix() for p in media.rglob("*.*")} == names


def test_speaker_page_queries_do_not_grow_with_slides(
    client, seed_event, token, presentation, second_presentation, media, django_assert_num_queries
):
    for talk in (presentation, second_presentation):
        _upload(client, seed_event, token, talk, _pdf(), "slides.pdf")

    with django_assert_num_queries(9):
        response = client.get(page_url(seed_event, token))

    assert response.content.decode().count("Slides received") == 2


def test_private_media_inside_public_media_is_refused_at_start(tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media" / "private"),
        "DATABASE_URL": "postgres://nobody@localhost/none",
    }

    started = subprocess.run(
        [sys.executable, "-c", "import idm_seminar.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.returncode == 1
    assert "PRIVATE_MEDIA_ROOT must not lie inside the public MEDIA_ROOT" in started.stderr


def test_private_slides_are_stored_for_the_owner_only(
    client, seed_event, token, presentation, media
):
    _upload(client, seed_event, token, presentation, _pdf(), "slides.pdf")

    stored = media / SlideDeck.objects.get().file.name

    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700


def test_private_storage_backend_is_read_from_the_environment(tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "idm_seminar.settings",
        "PRIVATE_STORAGE_BACKEND": "django.core.files.storage.InMemoryStorage",
        "PRIVATE_STORAGE_OPTIONS": json.dumps({"location": str(tmp_path / "bucket")}),
        "DATABASE_URL": "postgres://nobody@localhost/none",
    }
    show_storage = (
        "from django.core.files.storage import storages; "
        "private = storages['private']; "
        "print(type(private).__name__, private.location)"
    )

    started = subprocess.run(
        [sys.executable, "-c", show_storage],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.stderr == ""
    assert started.stdout.split() == ["InMemoryStorage", str(tmp_path / "bucket")]


def test_private_storage_options_not_a_json_object_are_refused_at_start():
    environment = {
        "PATH": "/usr/bin:/bin",
        "PRIVATE_STORAGE_OPTIONS": '["bucket"]',
        "DATABASE_URL": "postgres://nobody@localhost/none",
    }

    started = subprocess.run(
        [sys.executable, "-c", "import idm_seminar.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.returncode == 1
    assert "PRIVATE_STORAGE_OPTIONS must be a JSON object" in started.stderr


def test_upload_slides_tells_whether_it_replaced_the_earlier_deck(speaker, presentation, media):
    first = speaker_services.upload_slides(
        presentation, person=speaker, upload=SimpleUploadedFile("a.pdf", _pdf(b"first"))
    )

    second = speaker_services.upload_slides(
        presentation, person=speaker, upload=SimpleUploadedFile("b.pdf", _pdf(b"second"))
    )

    assert (first.replaced, second.replaced) == (False, True)
    assert SlideDeck.objects.get() == second.deck


def test_slides_uploaded_again_are_thanked_for_replacing_the_earlier_ones(
    client, seed_event, token, presentation, media
):
    first = client.get(_upload(client, seed_event, token, presentation, _pdf(b"first")).url)

    second = client.get(_upload(client, seed_event, token, presentation, _pdf(b"second")).url)

    assert [str(m) for m in first.context["messages"]] == ["Thank you: your slides are uploaded."]
    assert [str(m) for m in second.context["messages"]] == [
        "Thank you: your new slides replace the earlier ones."
    ]
