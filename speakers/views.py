"""The speakers' personal pages, reached by signed links: their part in the programme, their
brief, and the forms for abstracts and slides.

Every answer is private (no shared caches, no search engines); the token in the address stays on
this site (settings.SECURE_REFERRER_POLICY). Every answer is in the speaker's language
(Person.language, set by organizers): the page asked for at another language's address sends
them to theirs, and the brief is in their language at any address.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from agenda import content, formatting
from agenda import services as agenda_services
from agenda.models import Event, Presentation
from documents import pdf
from documents.views import pdf_response
from speakers import services
from speakers.models import SlideDeck, SpeakerLink

SLIDES_CONTENT_TYPES = {
    SlideDeck.FileType.PDF: "application/pdf",
    SlideDeck.FileType.PPTX: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}


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
            "speakers/speaker_link_invalid.html",
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


def _their_address(request: HttpRequest, link: SpeakerLink) -> HttpResponse | None:
    """A redirect to the same page at the address of the speaker's language, when it was asked
    for at another's; None when it is theirs."""
    language = link.person.language
    if content.interface_language() == language:
        return None
    here = request.get_full_path()
    theirs = translate_url(here, language)
    return None if theirs == here else _private(redirect(theirs))


def _abstract_form(presentation: Presentation, *, event: Event, person) -> AbstractForm:
    """The form with the abstract as it stands in the speaker's language (or, where it has none
    yet, in the event's original language, marked with it)."""
    abstract = content.text(
        presentation, "abstract", original=event.original_language, language=person.language
    )
    form = AbstractForm(initial={"abstract": abstract.plain})
    if abstract.is_fallback:
        form.fields["abstract"].widget.attrs["lang"] = abstract.lang
    return form


def _speaker_context(link: SpeakerLink, token: str, **forms_by_presentation) -> dict:
    person, event = link.person, link.event
    slots = agenda_services.speaker_slots(person, event=event)
    presentations = []
    for slot in slots:
        item = slot["item"]
        titles = {
            presentation.pk: content.text(presentation, "title", original=event.original_language)
            for presentation in item.presentations.all()
        }
        for part in slot["parts"]:
            if part.get("id") in titles:
                part["presentation"] = titles[part["id"]]
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
            or _abstract_form(presentation, event=event, person=person),
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
        render(request, "speakers/speaker_page.html", _speaker_context(link, token), status=403)
    )


@require_GET
def speaker_page(request, event, token):
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    elsewhere = _their_address(request, link)
    if elsewhere is not None:
        return elsewhere
    return _private(render(request, "speakers/speaker_page.html", _speaker_context(link, token)))


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
    with translation.override(link.person.language):
        return _save_abstract(request, link, token, presentation)


def _save_abstract(request, link: SpeakerLink, token: str, presentation: int) -> HttpResponse:
    # Messages in words now (gettext), in the speaker's language, not when the response is sent.
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
        messages.success(request, gettext("Thank you: your abstract is saved."))
        return redirect("speakers:page", event=link.event.slug, token=token)
    context = _speaker_context(link, token, **{f"abstract_{presentation.pk}": form})
    return _private(render(request, "speakers/speaker_page.html", context, status=400))


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
    (speakers.slides.RequestBodyLimitMiddleware)."""
    link = _open_link(request, event, token)
    if isinstance(link, HttpResponse):
        return link
    with translation.override(link.person.language):
        return _save_slides(request, link, token, presentation)


def _save_slides(request, link: SpeakerLink, token: str, presentation: int) -> HttpResponse:
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
            messages.success(
                request, gettext("Thank you: your new slides replace the earlier ones.")
            )
        else:
            messages.success(request, gettext("Thank you: your slides are uploaded."))
        return redirect("speakers:page", event=link.event.slug, token=token)
    context = _speaker_context(link, token, **{f"slides_{presentation.pk}": form})
    return _private(render(request, "speakers/speaker_page.html", context, status=400))
