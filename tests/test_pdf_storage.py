import datetime

import pytest
from django.contrib.admin import site as admin_site
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event, Person, Presentation
from documents import pdf
from documents import services as document_services
from documents.models import RenderedDocument
from proceedings import services as proceedings_services
from proceedings.models import Publication
from speakers import services as speaker_services
from speakers.admin import (
    send_brief_links_for_events,
    send_brief_links_for_people,
)
from speakers.models import SpeakerLink
from tests.test_pdf_documents import pdf_text, speaker_of, two_participants

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts the renderings WeasyPrint does, by document title."""
    calls = []
    real = pdf.html_to_pdf

    def counting(html):
        calls.append(html.split("<title>", 1)[1].split("</title>", 1)[0])
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


def paper_url(session):
    return reverse(
        "documents:session-paper-pdf", kwargs={"event": session.event.slug, "session": session.slug}
    )


def test_unchanged_document_is_served_from_storage_without_rendering(client, seed_event, renders):
    session = seed_event.sessions.get(number=1)

    first = client.get(paper_url(session))
    second = client.get(paper_url(session))

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert len(renders) == 1
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Last-Modified" in second


def test_other_processes_serve_the_stored_document_without_rendering(client, seed_event, renders):
    session = seed_event.sessions.get(number=1)
    first = client.get(paper_url(session))
    pdf.local_documents.clear()  # another web process: nothing in its memory or cache
    cache.clear()

    second = client.get(paper_url(session))

    assert second.content == first.content
    assert len(renders) == 1


def test_stored_document_is_shared_through_the_database(seed_event, renders):
    document_services.render_programme(seed_event)
    cache.clear()  # another process: no shortcut in its cache, only the stored rendering

    document = document_services.render_programme(seed_event)

    assert len(renders) == 1
    assert document.kind == RenderedDocument.Kind.PROGRAMME


def test_matching_etag_gets_304_without_rendering(client, seed_event, renders):
    url = reverse("documents:programme-pdf", kwargs={"event": seed_event.slug})
    etag = client.get(url)["ETag"]

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert len(renders) == 1


def test_if_modified_since_after_rendering_gets_304(client, seed_event):
    url = reverse("documents:programme-pdf", kwargs={"event": seed_event.slug})
    client.get(url)
    later = (timezone.now() + datetime.timedelta(minutes=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")

    response = client.get(url, headers={"If-Modified-Since": later})

    assert response.status_code == 304


def test_editing_a_session_title_changes_every_document_that_prints_it(
    client, seed_event, renders, django_capture_on_commit_callbacks, participants
):
    participants(two_participants)
    session = seed_event.sessions.get(number=1)
    other = seed_event.sessions.get(number=2)
    speaker = speaker_of(session)
    _link, token = speaker_services.issue_speaker_link(speaker, event=seed_event)
    urls = {
        "paper": paper_url(session),
        "other paper": paper_url(other),
        "programme": reverse("documents:programme-pdf", kwargs={"event": seed_event.slug}),
        "brief": reverse("speakers:brief-pdf", kwargs={"event": seed_event.slug, "token": token}),
        "proceedings": reverse("proceedings:pdf", kwargs={"event": seed_event.slug}),
    }
    with django_capture_on_commit_callbacks(execute=True):  # an organizer renders the book
        proceedings_services.queue_proceedings_render(seed_event)
    before = {name: client.get(url) for name, url in urls.items()}
    assert {name: r.status_code for name, r in before.items()} == dict.fromkeys(urls, 200)
    assert len(renders) == 5
    renders.clear()

    with django_capture_on_commit_callbacks(execute=True):  # as the admin saves it
        session.title = "Mobility of health workers, renamed"
        session.save()
    # Readers keep the last book, marked outdated, until an organizer renders it anew.
    outdated = client.get(urls["proceedings"])
    assert outdated.content == before["proceedings"].content
    assert outdated["X-Document-Status"] == "outdated"
    with django_capture_on_commit_callbacks(execute=True):
        proceedings_services.queue_proceedings_render(seed_event)
    after = {name: client.get(url) for name, url in urls.items()}

    changed = {name for name in urls if after[name].content != before[name].content}
    assert changed == {"paper", "programme", "brief", "proceedings"}
    for name in ("paper", "programme", "brief", "proceedings"):
        assert "Mobility of health workers, renamed" in pdf_text(
            RenderedDocument(content=after[name].content)
        )
    assert sorted(renders) == sorted(
        [
            "Session I: " + session.background_paper.title,
            "Programme: " + seed_event.title,
            f"Brief for {speaker.full_name}: {seed_event.title}",
            "International Dialogue on Migration No. 9 – " + seed_event.publication.title,
        ]
    )


def test_editing_a_paper_changes_its_pdf_at_the_next_download(
    client, seed_event, renders, django_capture_on_commit_callbacks
):
    session = seed_event.sessions.get(number=2)
    client.get(paper_url(session))
    paper = session.background_paper

    with django_capture_on_commit_callbacks(execute=True):
        paper.title = "A new title for the paper"
        paper.save()
    response = client.get(paper_url(session))

    assert "Session II: A new title for the paper" in pdf_text(
        RenderedDocument(content=response.content)
    )
    assert len(renders) == 2


def test_template_change_re_renders(seed_event, renders, monkeypatch):
    document_services.render_programme(seed_event)
    monkeypatch.setattr(pdf, "_cached_template_version", lambda: "another-version")

    document_services.render_programme(seed_event)

    assert len(renders) == 2


def test_session_without_paper_has_no_paper_pdf(client, seed_event):
    session = seed_event.sessions.get(number=3)

    assert client.get(paper_url(session)).status_code == 404


def test_draft_event_pdfs_are_for_organizers_only(client, seed_event, organizer):
    seed_event.status = seed_event.Status.DRAFT
    seed_event.save()
    url = reverse("documents:programme-pdf", kwargs={"event": seed_event.slug})

    anonymous = client.get(url)
    client.force_login(organizer)
    staff = client.get(url)

    assert anonymous.status_code == 404
    assert staff.status_code == 200
    assert "private" in staff["Cache-Control"]


def test_unpublished_proceedings_are_for_organizers_only(
    client, seed_event, organizer, django_capture_on_commit_callbacks
):
    publication = seed_event.publication
    publication.is_published = False
    publication.save()
    with django_capture_on_commit_callbacks(execute=True):  # the book is rendered
        proceedings_services.queue_proceedings_render(seed_event)
    url = reverse("proceedings:pdf", kwargs={"event": seed_event.slug})

    anonymous = client.get(url)
    client.force_login(organizer)
    staff = client.get(url)

    assert anonymous.status_code == 404
    assert staff.status_code == 200


# --- Admin ---------------------------------------------------------------------------------------


def test_admin_shows_render_state_previews_and_renders_in_background(
    client, seed_event, organizer, renders, django_capture_on_commit_callbacks
):
    publication = seed_event.publication
    client.force_login(organizer)
    change_url = reverse("admin:proceedings_publication_change", args=[publication.pk])

    never = client.get(change_url)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(reverse("admin:proceedings_publication_render", args=[publication.pk]))
    ready = client.get(change_url)
    preview = client.get(
        reverse("admin:proceedings_publication_proceedings", args=[publication.pk])
    )

    assert "Never rendered" in never.content.decode()
    assert queued.status_code == 302
    assert "Up to date:" in ready.content.decode()
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert "private" in preview["Cache-Control"]
    assert len(renders) == 1  # the preview served the book the background task rendered


def test_admin_pieces_pass_djangos_checks():
    models = [Publication, Event, Person, Presentation, SpeakerLink, RenderedDocument]

    errors = [error for model in models for error in admin_site._registry[model].check()]

    assert errors == []
    assert send_brief_links_for_events in admin_site._registry[Event].actions
    assert send_brief_links_for_people in admin_site._registry[Person].actions


def test_visitors_language_does_not_change_the_document(client, seed_event, renders):
    url = reverse("documents:programme-pdf", kwargs={"event": seed_event.slug})

    english = client.get(url)
    french = client.get(url, headers={"Accept-Language": "fr"})

    assert french.content == english.content
    assert len(renders) == 1
