"""The publication's page, and the proceedings' book as a download.

A book takes long to render: it is rendered by the worker only, and served as last rendered.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_info
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from agenda import content
from agenda.models import Event
from agenda.views import EventMixin
from documents import background, parts, pdf
from documents.views import from_memory, language_suffix, pdf_response
from idm_seminar.pagecache import cached_public_page
from proceedings import services
from proceedings.models import Publication
from registration.models import PARTICIPANT_LISTS_SEQUENCE

RENDER_RETRY_SECONDS = 30
NOT_READY_RETRY_SECONDS = 3600


@method_decorator(cached_public_page, name="dispatch")
class PublicationView(EventMixin, TemplateView):
    """The proceedings; until published, organizers see them and visitors an empty state.

    The page lists the languages the publication is available in, each with its book.
    """

    template_name = "proceedings/publication_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publications = Publication.objects.filter(event=self.event).prefetch_related("parts")
        if not self.request.user.is_staff:
            publications = publications.filter(is_published=True)
        publication = context["publication"] = publications.first()
        if publication is not None:
            language = content.interface_language()
            context["series"] = parts.text(
                publication, "series", original=self.event.original_language, language=language
            )
            context["publication_languages"] = language_versions(
                publication, event=self.event, current=language
            )
        return context


def language_versions(publication: Publication, *, event: Event, current: str) -> list[dict]:
    """Each language the publication is available in: its code, its name in that language
    (as the language switcher names it), the address of its book and whether it is the page's
    language."""
    versions = []
    for code in services.available_languages(publication):
        with translation.override(code):
            url = reverse("proceedings:pdf", kwargs={"event": event.slug})
        versions.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return versions


@require_GET
def proceedings_pdf(request, event):
    """The published proceedings (organizers may read them before publishing).

    The book renders in the background only: readers get its last rendering, or a page saying
    it is being prepared; an organizer's request for an out-of-date book asks the worker for a
    new one (documents.views.pdf_response).
    """
    # Only current public books are kept in memory, so a hit needs no look-up of the event.
    version, key, response = from_memory(request, also=(PARTICIPANT_LISTS_SEQUENCE,))
    if response is not None:
        return response
    events = Event.objects.visible_to(request.user).select_related("organizer", "publication")
    event = get_object_or_404(events, slug=event)
    publication = getattr(event, "publication", None)
    if publication is None or not (publication.is_published or request.user.is_staff):
        raise Http404
    spec = services.proceedings_spec(event, language=request.LANGUAGE_CODE)
    title = content.text(publication, "title", original=event.original_language)
    response = pdf_response(
        request,
        spec,
        filename=pdf.pdf_filename(
            f"idm-{publication.series_number}", title.plain, language_suffix(spec.language)
        ),
        public=publication.is_published and event.is_published,
        version=version,
        local_key=key,
        request_render=(
            (lambda: services.queue_proceedings_render(event, language=spec.language))
            if request.user.is_staff
            else None
        ),
    )
    if response is not None:
        return response
    document = spec.documents.defer("content").first()
    preparing = background.is_pending(document)
    waiting = render(
        request,
        "proceedings/pending.html",
        {
            "event": event,
            "publication": publication,
            "preparing": preparing,
            "retry": RENDER_RETRY_SECONDS,
        },
        status=503,
    )
    waiting["Retry-After"] = str(RENDER_RETRY_SECONDS if preparing else NOT_READY_RETRY_SECONDS)
    patch_cache_control(waiting, no_store=True)
    return waiting
