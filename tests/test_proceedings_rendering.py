"""The proceedings' book renders in the worker only: readers never start it, failures retry.

Issue 9 point 5. The book takes seconds to minutes to render; before, any anonymous GET of an
out-of-date book queued a rendering, and re-queued on every request after a failure.
"""

import datetime

import pytest
from django.tasks import task_backends
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from documents import background, pdf
from documents.models import RenderedDocument
from proceedings import services, tasks
from tests.test_pdf_storage import renders  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DEFERRING_BACKEND = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def worker_queue():
    """A task backend that keeps what is enqueued (with its run_after) instead of running it."""
    with override_settings(TASKS=DEFERRING_BACKEND):
        backend = task_backends["default"]
        backend.clear()
        yield backend.results


@pytest.fixture
def failing_weasyprint(monkeypatch):
    def fail(html):
        raise OSError("WeasyPrint ran out of memory")

    monkeypatch.setattr(pdf, "html_to_pdf", fail)


def book_url(event):
    return reverse("proceedings:pdf", kwargs={"event": event.slug})


def row(event) -> RenderedDocument:
    return RenderedDocument.objects.defer("content").get(event=event, kind="proceedings")


def test_a_reader_never_starts_a_render(client, seed_event, renders, worker_queue):  # noqa: F811
    response = client.get(book_url(seed_event))
    again = client.get(book_url(seed_event))

    assert response.status_code == again.status_code == 503
    assert "not available yet" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert "no-store" in response["Cache-Control"]
    assert worker_queue == []
    assert renders == []
    assert not RenderedDocument.objects.filter(kind="proceedings").exists()


def test_an_organizers_request_queues_one_render_and_readers_wait(
    client, seed_event, organizer, worker_queue, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        staff = client.get(book_url(seed_event))
        staff_again = client.get(book_url(seed_event))
    client.logout()
    reader = client.get(book_url(seed_event))

    assert staff.status_code == staff_again.status_code == reader.status_code == 503
    assert "being prepared" in reader.content.decode()
    assert reader["Retry-After"] == "30"
    assert [result.args for result in worker_queue] == [[seed_event.pk, "en"]]
    assert row(seed_event).state == RenderedDocument.State.QUEUED


def test_readers_get_the_last_book_while_a_newer_one_is_due(
    client,
    seed_event,
    renders,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_proceedings_render(seed_event)
    first = client.get(book_url(seed_event))
    with django_capture_on_commit_callbacks(execute=True):
        session = seed_event.sessions.get(number=1)
        session.title = "Renamed"
        session.save()

    outdated = client.get(book_url(seed_event))

    assert first.status_code == outdated.status_code == 200
    assert "X-Document-Status" not in first
    assert outdated.content == first.content
    assert outdated["X-Document-Status"] == "outdated"
    assert "no-cache" in outdated["Cache-Control"]
    assert len(renders) == 1


def test_background_render_records_its_state(seed_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_proceedings_render(seed_event)

    document, current = services.proceedings_status(seed_event)
    assert document.state == RenderedDocument.State.READY
    assert current is True
    assert document.pages >= 5


def test_a_failed_render_is_retried_by_the_worker_with_back_off(
    client, seed_event, worker_queue, failing_weasyprint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_proceedings_render(seed_event)
    delays = []
    for attempt in range(1, background.MAX_ATTEMPTS + 1):
        started = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.render_proceedings_task.call(seed_event.pk)  # as the worker runs it
        document = row(seed_event)
        assert document.state == RenderedDocument.State.FAILED
        assert document.attempts == attempt
        assert "out of memory" in document.error
        if document.retry_at:
            delays.append(round((document.retry_at - started).total_seconds() / 60))
            assert worker_queue[-1].task.run_after == document.retry_at
        # Readers meanwhile neither render nor queue anything.
        assert client.get(book_url(seed_event)).status_code == 503

    assert delays == [2, 4, 8, 16]
    assert len(worker_queue) == 1 + len(delays)  # the request, then one retry per failure
    assert row(seed_event).retry_at is None  # given up: an organizer asks again


def test_asking_again_after_giving_up_renders_the_book(
    seed_event, monkeypatch, django_capture_on_commit_callbacks
):
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: (_ for _ in ()).throw(OSError("down")))
    for _attempt in range(background.MAX_ATTEMPTS):
        services.run_proceedings_render(seed_event)
    assert row(seed_event).attempts == background.MAX_ATTEMPTS
    monkeypatch.setattr(pdf, "html_to_pdf", real)

    with django_capture_on_commit_callbacks(execute=True):
        asked = services.queue_proceedings_render(seed_event)

    document, current = services.proceedings_status(seed_event)
    assert asked is True
    assert (document.state, document.attempts, document.error, current) == (
        RenderedDocument.State.READY,
        0,
        "",
        True,
    )


def test_a_lost_render_can_be_asked_for_again(seed_event, worker_queue):
    services.queue_proceedings_render(seed_event)
    assert services.queue_proceedings_render(seed_event) is False
    RenderedDocument.objects.filter(event=seed_event).update(
        state_changed_at=timezone.now() - background.LOST_AFTER - datetime.timedelta(minutes=1)
    )

    assert services.queue_proceedings_render(seed_event) is True


def test_the_admin_shows_a_failure_and_its_next_attempt(
    client, seed_event, organizer, failing_weasyprint, worker_queue
):
    services.run_proceedings_render(seed_event)
    client.force_login(organizer)

    page = client.get(
        reverse("admin:proceedings_publication_change", args=[seed_event.publication.pk])
    )

    text = page.content.decode()
    assert "Rendering failed (attempt 1 of 5), tried again at" in text
    assert "out of memory" in text


def test_render_proceedings_command_queues_only_out_of_date_books(
    seed_event, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    first, second = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("render_proceedings", stdout=first)
    call_command("render_proceedings", stdout=second)

    assert "1 queued for rendering, 0 up to date" in first.getvalue()
    assert "0 queued for rendering, 1 up to date" in second.getvalue()
