"""Downloads of the seminar's PDFs, in the language of the address (/fr/... is French).

PDF views answer from the stored rendering while its fingerprint holds (documents.pdf decides),
with the fingerprint as ETag so that browsers and proxies revalidate for free.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from agenda.models import Event, Session
from documents import pdf, services
from idm_seminar.pagecache import (
    CONTENT_VERSION_SEQUENCE,
    content_versions,
)


def _visible_event(request: HttpRequest, slug: str) -> Event:
    events = Event.objects.visible_to(request.user).select_related("organizer")
    return get_object_or_404(events, slug=slug)


def pdf_response(
    request: HttpRequest,
    spec: pdf.DocumentSpec,
    *,
    filename: str,
    public: bool,
    version: int | None = None,
    local_key: str | None = None,
    request_render: Callable[[], object] | None = None,
) -> HttpResponse | None:
    """The document's PDF, or 304 when the client holds this version.

    documents.pdf says whether the stored rendering is current and renders what may be rendered
    during a request; this only serves or asks. For a document rendered in the background
    (`spec.background`) that is not current, `request_render`, when given (organizers'
    requests), asks the worker for a new rendering, and the reader gets the last rendering
    meanwhile, or None when there is none yet. Current public documents are kept under
    `local_key` in this process's memory for the next requests of the same content version.
    """
    current = pdf.current_version(spec, version=version)
    if current.is_stored and request.headers.get("If-None-Match"):
        etag = quote_etag(current.fingerprint[:40])
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _cache_headers(not_modified, etag, public=public)
    document = pdf.current_document(spec, current)
    if document is None and request_render is not None:
        request_render()  # a task backend that runs tasks at once has rendered it by now
        document = pdf.current_document(spec, pdf.current_version(spec, version=version))
    if document is None:
        last = pdf.last_rendering(spec)
        if last is None:
            return None
        return serve_pdf(request, _served(last, filename), public=public, outdated=True)
    served = _served(document, filename)
    if public and local_key:
        pdf.local_documents.put(local_key, served)
    return serve_pdf(request, served, public=public)


def language_suffix(language: str) -> str:
    """What a PDF's file name adds for its language: nothing in English (the names people
    already have), "fr" or "es" otherwise, so that two languages do not share a file name."""
    return "" if language == settings.LANGUAGE_CODE else language


def _served(document, filename: str) -> pdf.ServedPdf:
    return pdf.ServedPdf(
        fingerprint=document.fingerprint,
        rendered_at=document.rendered_at.timestamp() if document.rendered_at else None,
        content=bytes(document.content),
        filename=filename,
    )


def serve_pdf(
    request: HttpRequest, served: pdf.ServedPdf, *, public: bool, outdated: bool = False
) -> HttpResponse:
    """The PDF with its validators. An `outdated` one (a newer rendering is due) is marked so,
    and caches must ask again before reusing it."""
    etag = quote_etag(served.fingerprint[:40])
    response = get_conditional_response(request, etag=etag, last_modified=served.rendered_at)
    if response is None:
        response = HttpResponse(served.content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{served.filename}"'
    if served.rendered_at:
        response["Last-Modified"] = http_date(served.rendered_at)
    if outdated:
        response["X-Document-Status"] = "outdated"
    return _cache_headers(response, etag, public=public, revalidate=outdated)


def _cache_headers(
    response: HttpResponse, etag: str, *, public: bool, revalidate: bool = False
) -> HttpResponse:
    response["ETag"] = etag
    if public and not revalidate:
        patch_cache_control(response, public=True, max_age=60)
    elif public:
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def from_memory(
    request: HttpRequest, *, also: tuple[str, ...] = ()
) -> tuple[int, str, HttpResponse | None]:
    """The content version, this request's key in memory, and the response if it is there.

    `also` names further versions the document depends on, read in the same round trip.
    """
    version, *others = content_versions(CONTENT_VERSION_SEQUENCE, *also)
    extra = ":".join(str(other) for other in others)
    key = pdf.local_key(request.path, version=version, extra=extra)
    served = pdf.local_documents.get(key)
    return version, key, serve_pdf(request, served, public=True) if served else None


@require_GET
def session_paper_pdf(request, event, session):
    version, key, response = from_memory(request)
    if response is not None:
        return response
    event = _visible_event(request, event)
    session = get_object_or_404(
        Session.objects.filter(event=event, background_paper__isnull=False), slug=session
    )
    session.event = event
    spec = services.session_paper_spec(session, language=request.LANGUAGE_CODE)
    return pdf_response(
        request,
        spec,
        filename=pdf.pdf_filename(
            event.slug,
            f"session-{session.roman}",
            "background-paper",
            language_suffix(spec.language),
        ),
        public=event.is_published,
        version=version,
        local_key=key,
    )


@require_GET
def programme_pdf(request, event):
    version, key, response = from_memory(request)
    if response is not None:
        return response
    event = _visible_event(request, event)
    spec = services.programme_spec(event, language=request.LANGUAGE_CODE)
    return pdf_response(
        request,
        spec,
        filename=pdf.pdf_filename(event.slug, "programme", language_suffix(spec.language)),
        public=event.is_published,
        version=version,
        local_key=key,
    )
