"""The proceedings in each language (issue 10): a book per language, rendered in the background
per language, and a publication page that lists the languages the publication is available in.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from documents.models import RenderedDocument
from proceedings import services
from tests.test_pdf_documents import pdf_text, read_pdf
from tests.test_proceedings_rendering import worker_queue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

FRENCH_TITLE = (
    "Migration et ressources humaines pour la santé : de la prise de conscience à l’action"
)


def address(name: str, language: str, event) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"event": event.slug})


@pytest.fixture
def french_publication(seed_event, django_capture_on_commit_callbacks):
    publication = seed_event.publication
    with django_capture_on_commit_callbacks(execute=True):
        publication.title_fr = FRENCH_TITLE
        publication.summary_fr = "Ce que contient le livre."
        publication.save()
    return publication


def book_languages(event) -> list[str]:
    return sorted(
        RenderedDocument.objects.filter(event=event, kind="proceedings").values_list(
            "language", flat=True
        )
    )


def test_a_publication_is_available_in_the_languages_its_title_is_written_in(
    french_publication,
):
    assert services.available_languages(french_publication) == ["en", "fr"]


def test_each_language_has_its_own_book(seed_event, french_publication):
    french = services.render_proceedings(seed_event, language="fr")
    spanish = services.render_proceedings(seed_event, language="es")

    assert book_languages(seed_event) == ["es", "fr"]
    assert read_pdf(french).trailer["/Root"]["/Lang"] == "fr"
    assert read_pdf(spanish).trailer["/Root"]["/Lang"] == "es"
    french_text, spanish_text = pdf_text(french), pdf_text(spanish)
    assert FRENCH_TITLE in french_text
    assert "Migration and Human Resources for Health: From Awareness to Action" in spanish_text
    assert FRENCH_TITLE not in spanish_text
    with translation.override("fr"):
        assert read_pdf(french).metadata.title.startswith(
            translation.gettext("%(series)s No. %(number)s")
            % {"series": translation.gettext("International Dialogue on Migration"), "number": 9}
        )


def test_an_organizer_queues_the_book_of_the_language_asked(
    client,
    seed_event,
    organizer,
    worker_queue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(address("proceedings:pdf", "es", seed_event))

    assert response.status_code == 503
    assert [result.args for result in worker_queue] == [[seed_event.pk, "es"]]
    assert book_languages(seed_event) == ["es"]


def test_the_worker_renders_the_queued_language_and_readers_get_it(
    client, seed_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs it at once here
        assert services.queue_proceedings_render(seed_event, language="fr")

    french = client.get(address("proceedings:pdf", "fr", seed_event))
    english = client.get(address("proceedings:pdf", "en", seed_event))

    assert french.status_code == 200
    assert read_pdf(french).trailer["/Root"]["/Lang"] == "fr"
    assert french["Content-Disposition"].endswith('-fr.pdf"')
    assert english.status_code == 503  # never rendered in English: readers do not start it


def test_render_proceedings_command_renders_each_available_language(
    seed_event,
    french_publication,
    worker_queue,  # noqa: F811
):
    available, spanish = StringIO(), StringIO()

    call_command("render_proceedings", stdout=available)
    call_command("render_proceedings", "--language", "es", stdout=spanish)

    assert "2 queued for rendering, 0 up to date" in available.getvalue()
    assert "1 queued for rendering, 0 up to date" in spanish.getvalue()
    assert book_languages(seed_event) == ["en", "es", "fr"]


def test_publication_page_lists_its_languages_with_their_books(client, french_publication):
    event = french_publication.event

    html = client.get(address("proceedings:publication", "es", event)).content.decode()

    english_book = address("proceedings:pdf", "en", event)
    french_book = address("proceedings:pdf", "fr", event)
    assert english_book == f"/{event.slug}/proceedings.pdf"
    assert french_book == f"/fr/{event.slug}/proceedings.pdf"
    assert f'href="{english_book}" hreflang="en"' in html
    assert f'href="{french_book}" hreflang="fr"' in html
    assert address("proceedings:pdf", "es", event) not in html
    english, french = (get_language_info(code)["name_local"] for code in ("en", "fr"))
    assert f'<dd><span lang="en">{english}</span>, <span lang="fr">{french}</span></dd>' in html


def test_publication_page_prints_its_texts_in_the_pages_language_or_marked(
    client, french_publication
):
    event = french_publication.event

    french = client.get(address("proceedings:publication", "fr", event)).content.decode()
    spanish = client.get(address("proceedings:publication", "es", event)).content.decode()

    assert f"<h1>{FRENCH_TITLE}</h1>" in french
    assert "<p>Ce que contient le livre.</p>" in french
    assert '<h1 lang="en">Migration and Human Resources for Health' in spanish
    assert '<li><span lang="en">Foreword</span></li>' in spanish


def test_publication_page_reads_as_many_queries_in_every_language(
    client, organizer, french_publication, django_assert_num_queries
):
    client.force_login(organizer)
    for language in ("en", "fr", "es"):
        with django_assert_num_queries(5):
            response = client.get(
                address("proceedings:publication", language, french_publication.event)
            )
        assert response.status_code == 200
