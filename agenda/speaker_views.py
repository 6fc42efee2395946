"""Downloads of the seminar's PDFs, and the speakers' personal pages reached by signed links.

PDF views answer from the stored rendering while its fingerprint holds (agenda.pdf), with the
fingerprint as ETag so that browsers and proxies revalidate for free.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from agenda import formatting, pdf, services
from agenda.models import Event, Presentation, RenderedDocument, Session, SlideDeck, SpeakerLink
from idm_seminar.pagecache import (
    CONTENT_VERSION_SEQUENCE,
    PARTICIPANT_LISTS_SEQUENCE,
    content_versions,
)

RENDER_RETRY_SECONDS = 30
SLIDES_CONTENT_TYPES = {
    SlideDeck.FileType.PDF: "application/pdf",
    SlideDeck.FileType.PPTX: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}


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
    render: bool = True,
) -> HttpResponse | None:
    """The document's PDF, or 304 when the client holds this version; None when `render` is
    False and no current rendering is stored. Public documents are kept under `local_key` in
    this process's memory for the next requests of the same content version."""
    current = pdf.current_version(spec, version=version)
    if request.headers.get("If-None-Match"):
        etag = quote_etag(current.fingerprint[:40])
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _cache_headers(not_modified, etag, public=public)
    document = pdf.stored_document(current)
    if document is None:
        if not render:
            return None
        document = pdf.render_and_store(spec, current=current)
    served = pdf.ServedPdf(
        fingerprint=document.fingerprint,
        rendered_at=document.rendered_at.timestamp() if document.rendered_at else None,
        content=bytes(document.content),
        filename=filename,
    )
    if public and local_key:
        pdf.local_documents.put(local_key, served)
    return serve_pdf(request, served, public=public)


def serve_pdf(request: HttpRequest, served: pdf.ServedPdf, *, public: bool) -> HttpResponse:
    etag = quote_etag(served.fingerprint[:40])
    response = get_conditional_response(request, etag=etag, last_modified=served.rendered_at)
    if response is None:
        response = HttpResponse(served.content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{served.filename}"'
    if served.rendered_at:
        response["Last-Modified"] = http_date(served.rendered_at)
    return _cache_headers(response, etag, public=public)


def _cache_headers(response: HttpResponse, etag: str, *, public: bool) -> HttpResponse:
    response["ETag"] = etag
    if public:
        patch_cache_control(response, public=True, max_age=60)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _from_memory(
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
    version, key, response = _from_memory(request)
    if response is not None:
        return response
    event = _visible_event(request, event)
    session = get_object_or_404(
        Session.objects.filter(event=event, background_paper__isnull=False), slug=session
    )
    session.event = event
    return pdf_response(
        request,
        services.session_paper_spec(session),
        filename=pdf.pdf_filename(event.slug, f"session-{session.roman}", "background-paper"),
        public=event.is_published,
        version=version,
        local_key=key,
    )


@require_GET
def programme_pdf(request, event):
    version, key, response = _from_memory(request)
    if response is not None:
        return response
    event = _visible_event(request, event)
    return pdf_response(
        request,
        services.programme_spec(event),
        filename=pdf.pdf_filename(event.slug, "programme"),
        public=event.is_published,
        version=version,
        local_key=key,
    )


@require_GET
def proceedings_pdf(request, event):
    """The published proceedings (organizers may read them before publishing).

    A book takes long to render: when the stored one is out of date, rendering is queued and,
    unless the task backend ran it at once, the reader is asked to come back shortly.
    """
    # Only public books are kept in memory, so a hit needs no look-up of the event.
    version, key, response = _from_memory(request, also=(PARTICIPANT_LISTS_SEQUENCE,))
    if response is not None:
        return response
    events = Event.objects.visible_to(request.user).select_related("organizer", "publication")
    event = get_object_or_404(events, slug=event)
    publication = getattr(event, "publication", None)
    if publication is None or not (publication.is_published or request.user.is_staff):
        raise Http404
    public = publication.is_published and event.is_published
    spec = services.proceedings_spec(event)
    filename = pdf.pdf_filename(f"idm-{publication.series_number}", publication.title)
    options = {"filename": filename, "public": public, "version": version, "local_key": key}
    response = pdf_response(request, spec, render=False, **options)
    if response is not None:
        return response
    stored = (
        RenderedDocument.objects.filter(event=event, kind=spec.kind, key=spec.key)
        .defer("content")
        .first()
    )
    if stored is None or stored.state not in {
        RenderedDocument.State.QUEUED,
        RenderedDocument.State.RENDERING,
    }:
        services.queue_proceedings_render(event, after_commit=False)
    response = pdf_response(request, spec, render=False, **options)
    if response is not None:
        return response
    waiting = render(
        request,
        "agenda/speaker_pdf_pending.html",
        {"event": event, "publication": publication, "retry": RENDER_RETRY_SECONDS},
        status=503,
    )
    waiting["Retry-After"] = str(RENDER_RETRY_SECONDS)
    patch_cache_control(waiting, no_store=True)
    return waiting


# --- Speakers' pages -----------------------------------------------------------------------------


class AbstractForm(forms.Form):
    abstract = forms.CharField(
        label=_("Abstract"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=services.ABSTRACT_MAX_CHARACTERS,
        help_text=_("Plain text; separate paragraphs with an empty line."),
    )


class SlidesForm(forms.Form):
    slides = forms.FileField(
        label=_("File to upload"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.pptx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
        ),
    )


def _open_link(request: HttpRequest, event_slug: str, token: str) -> SpeakerLink | HttpResponse:
    event = get_object_or_404(Event.objects.select_related("organizer"), slug=event_slug)
    try:
        return services.open_speaker_link(token, event=event)
    except services.SpeakerLinkError as error:
        status = 404 if error.code == "invalid" else 410
        response = render(
            request,
            "agenda/speaker_link_invalid.html",
            {"event": event, "reason": error.code},
            status=status,
        )
        return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    # The token in the URL stays on this site (settings.SECURE_REFERRER_POLICY, sent with every
    # response); the page is kept out of shared caches and search engines as well.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def slides_response(deck: SlideDeck) -> FileResponse:
    """The deck's file as a download that no browser renders or sniffs, kept out of caches."""
    try:
        handle = deck.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=deck.download_name,
        content_type=SLIDES_CONTENT_TYPES[deck.file_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _speaker_context(link: SpeakerLink, token: str, **forms_by_presentation) -> dict:
    person, event = link.person, link.event
    slots = services.speaker_slots(person, event=event)
    presentations = []
    for slot in slots:
        item = slot["item"]
        slot["co_speakers"] = [
            speaker_link
            for presentation in item.presentations.all()
            for speaker_link in presentation.speaker_links.all()
            if speaker_link.person_id != person.pk
        ]
        slot["discussants"] = [role for role in item.roles.all() if role.person_id != person.pk]
        for presentation in item.presentations.all():
            if any(s.person_id == person.pk for s in presentation.speaker_links.all()):
                presentations.append(presentation)
    decks = {}
    for deck in SlideDeck.objects.filter(
        presentation__in=[p.pk for p in presentations], person=person
    ).select_related("presentation"):
        decks[deck.presentation_id] = deck
    entries = [
        {
            "presentation": presentation,
            "abstract_form": forms_by_presentation.get(f"abstract_{presentation.pk}")
            or AbstractForm(initial={"abstract": presentation.abstract}),
            "slides_form": forms_by_presentation.get(f"slides_{presentation.pk}") or SlidesForm(),
            "deck": decks.get(presentation.pk),
        }
        for presentation in presentations
    ]
    return {
        "event": event,
        "person": person,
        "link": link,
        "token": token,
        "slots": slots,
        "presentations": entries,
        "quota": services.slides_quota(person, event=event),
        # Once the event has ended the page only shows what was: no abstract or slides forms.
        "read_only": event.has_ended,
    }


def _refuse_after_event(request: HttpRequest, link: SpeakerLink, token: str) -> HttpResponse:
    """The read-only page, with a message saying why a change was refused (nothing changed)."""
    messages.error(
        request,
        _(
            "This seminar took place on %(dates)s: abstracts and slides can no longer be "
            "changed. Please write to the organizers if something must be corrected."
        )
        % {"dates": formatting.date_range(link.event.start_date, link.event.end_date)},
    )
    return _private(
        render(request, "agenda/speaker_page.html", _speaker_context(link, token), status=403)
    )


@require_GET
def speaker_page(request, event, token):
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    return _private(render(request, "agenda/speaker_page.html", _speaker_context(link, token)))


@require_GET
def speaker_brief_pdf(request, event, token):
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    spec = services.speaker_brief_spec(link.person, event=link.event)
    filename = pdf.pdf_filename(link.event.slug, "brief", link.person.last_name)
    return pdf_response(request, spec, filename=filename, public=False)


def _speaker_presentation(link: SpeakerLink, presentation_id: int) -> Presentation:
    return get_object_or_404(
        Presentation.objects.filter(
            item__event=link.event, speaker_links__person=link.person
        ).distinct(),
        pk=presentation_id,
    )


@require_POST
def speaker_abstract(request, event, token, presentation):
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    if link.event.has_ended:
        return _refuse_after_event(request, link, token)
    presentation = _speaker_presentation(link, presentation)
    form = AbstractForm(request.POST)
    if form.is_valid():
        try:
            services.submit_abstract(
                presentation, person=link.person, text=form.cleaned_data["abstract"]
            )
        except ValidationError as error:
            form.add_error("abstract", error)
    if form.is_valid():
        messages.success(request, _("Thank you: your abstract is saved."))
        return redirect("agenda:speaker-page", event=link.event.slug, token=token)
    context = _speaker_context(link, token, **{f"abstract_{presentation.pk}": form})
    return _private(render(request, "agenda/speaker_page.html", context, status=400))


@require_GET
def speaker_slides_file(request, event, token, deck):
    """A deck of slides, for the speaker who uploaded it only (through their link)."""
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    deck = get_object_or_404(
        SlideDeck.objects.filter(
            presentation__item__event=link.event, person=link.person
        ).select_related("presentation"),
        pk=deck,
    )
    return slides_response(deck)


@require_POST
def speaker_slides(request, event, token, presentation):
    """Upload or replace slides. Bodies larger than one file are refused before this view runs
    (agenda.slides.RequestBodyLimitMiddleware)."""
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    if link.event.has_ended:
        return _refuse_after_event(request, link, token)
    presentation = _speaker_presentation(link, presentation)
    form = SlidesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            uploaded = services.upload_slides(
                presentation, person=link.person, upload=form.cleaned_data["slides"]
            )
        except ValidationError as error:
            form.add_error("slides", error)
    if form.is_valid():
        if uploaded.replaced:
            messages.success(request, _("Thank you: your new slides replace the earlier ones."))
        else:
            messages.success(request, _("Thank you: your slides are uploaded."))
        return redirect("agenda:speaker-page", event=link.event.slug, token=token)
    context = _speaker_context(link, token, **{f"slides_{presentation.pk}": form})
    return _private(render(request, "agenda/speaker_page.html", context, status=400))
