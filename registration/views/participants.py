import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agenda import content
from agenda.models import Event
from documents import pdf
from documents.views import from_memory, language_suffix, pdf_response
from registration import links, ratelimit
from registration.calendar import event_calendar
from registration.forms import (
    RegistrationChangeForm,
    RegistrationForm,
    RequestLinkForm,
    breakout_groups,
)
from registration.forms.questions import questions_for
from registration.models import (
    PARTICIPANT_LISTS_SEQUENCE,
    ParticipantCategory,
    Registration,
    settings_for,
)
from registration.services import (
    answers,
    certificates,
    lists,
    participant_lists,
    registering,
)


def _event(request, slug: str) -> Event:
    events = Event.objects.visible_to(request.user).select_related(
        "registration_settings", "rehearsal_of"
    )
    return get_object_or_404(events, slug=slug)


def _rate_limited(request, event) -> HttpResponse:
    response = render(request, "registration/rate_limited.html", {"event": event}, status=429)
    response["Retry-After"] = "600"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """Pages reached through a participant's link: never cached, never indexed. The link is never
    sent to other sites: settings.SECURE_REFERRER_POLICY ("same-origin") is on every response."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _open_context(request, slug: str) -> tuple[Event, dict]:
    event = _event(request, slug)
    reg_settings = settings_for(event)
    context = {"event": event, "registration_settings": reg_settings, "state": reg_settings.state()}
    return event, context


def register(request, event):
    """The registration form; where the event has participant categories, the page where
    participants choose theirs first (each category's form is at register_category)."""
    event, context = _open_context(request, event)
    if context["state"] != "open":
        return render(request, "registration/registration_closed.html", context)
    categories = list(ParticipantCategory.objects.filter(event=event))
    if categories:
        default = context["registration_settings"].requires_approval
        for category in categories:
            category.requires_approval_here = category.requires_approval(event_default=default)
        context["categories"] = categories
        return render(request, "registration/registration_categories.html", context)
    return _register(request, event, context, category=None)


def register_category(request, event, category):
    """The registration form of one participant category: its fields, its questions, its
    nomination document. Delegations register through their focal point's form."""
    event, context = _open_context(request, event)
    category = get_object_or_404(ParticipantCategory, event=event, pk=category)
    if context["state"] != "open":
        return render(request, "registration/registration_closed.html", context)
    if category.registers_delegations:
        try:
            return redirect(
                reverse("registration:delegation-register", args=[event.slug, category.pk])
            )
        except NoReverseMatch:
            raise Http404(_("Delegations do not register here.")) from None
    return _register(request, event, context, category=category)


def _register(request, event, context: dict, *, category: ParticipantCategory | None):
    context["category"] = category
    default = context["registration_settings"].requires_approval
    context["requires_approval"] = (
        category.requires_approval(event_default=default) if category is not None else default
    )
    questions = questions_for(event, category)
    if request.method != "POST":
        return _blank_form_page(request, context, questions=questions)
    # One transaction for the attempt's count and the registration: one commit, not two.
    with transaction.atomic():
        if not ratelimit.allow("register", ratelimit.client_address(request)):
            return _rate_limited(request, event)
        form = RegistrationForm(
            request.POST,
            request.FILES,
            event=event,
            category=category,
            questions=questions,
            full=answers.full_choices(event),
        )
        if form.is_valid():
            try:
                answers.register_with_answers(
                    event,
                    details=form.registration_details(),
                    answers=form.answers(),
                    category=category,
                    nomination=form.cleaned_data.get("nomination"),
                    language=content.interface_language(),
                )
            except registering.RegistrationClosed as closed:
                context["state"] = closed.state
                return render(request, "registration/registration_closed.html", context)
            except answers.ChoiceFull as full:
                form.refuse_full(full)
            else:
                return redirect("registration:register-done", event=event.slug)
    context["form"] = form
    return render(request, "registration/registration_form.html", context)


# The blank form page by what it shows: it is the same for every anonymous visitor but for the
# CSRF token, and rendering its 250 countries through templates costs more than all the rest of
# the request.
_blank_form_pages: dict[tuple, str] = {}
CSRF_TOKEN_SLOT = "csrf-token-of-the-request"


def _columns(obj) -> tuple:
    values = (getattr(obj, field.attname) for field in obj._meta.concrete_fields)
    return tuple(tuple(value) if isinstance(value, list) else value for value in values)


def _blank_form_page(request, context: dict, *, questions: list) -> HttpResponse:
    """The registration page with a blank form, rendered once per process for the same event row,
    registration settings, category, questions and options, break-out groups, full choices and
    language; only the CSRF token is put in per request. Visitors with a session (organizers) or
    messages get a fresh page.

    The page shows nothing of the agenda but the event's own row, so every column of that row is
    part of the key, and any edit of the event renders a new page; so are the category's, the
    questions' and the options' columns, and which choices are full.
    """
    event = context["event"]
    category = context["category"]
    full = answers.full_choices(event)

    def form():
        return RegistrationForm(event=event, category=category, questions=questions, full=full)

    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in (
        request.COOKIES
    ):
        context["form"] = form()
        return render(request, "registration/registration_form.html", context)
    reg_settings = context["registration_settings"]
    key = (
        request.path,
        get_language(),
        _columns(event),
        _columns(reg_settings),
        tuple((pk, str(name), name.lang) for pk, name in breakout_groups(event)),
        _columns(category) if category is not None else None,
        tuple(
            (_columns(question), tuple(_columns(option) for option in question.options.all()))
            for question in questions
        ),
        tuple(sorted(full.options)),
        tuple(sorted(full.groups)),
    )
    page = _blank_form_pages.get(key)
    if page is None:
        context = {**context, "form": form(), "csrf_token": CSRF_TOKEN_SLOT}
        page = render_to_string("registration/registration_form.html", context, request)
        if len(_blank_form_pages) >= 256:
            _blank_form_pages.clear()
        _blank_form_pages[key] = page
    return HttpResponse(page.replace(CSRF_TOKEN_SLOT, get_token(request)))


def register_done(request, event):
    event = _event(request, event)
    return render(request, "registration/registration_done.html", {"event": event})


def privacy(request, event):
    event = _event(request, event)
    return render(request, "registration/privacy_notice.html", {"event": event})


def request_link(request, event):
    event = _event(request, event)
    if request.method == "POST":
        # One transaction, one commit, for the attempt's count and the queued task.
        with transaction.atomic():
            if not ratelimit.allow("request-link", ratelimit.client_address(request)):
                return _rate_limited(request, event)
            form = RequestLinkForm(request.POST)
            valid = form.is_valid()
            if valid:
                registering.request_link(event, email=form.cleaned_data["email"])
        if valid:
            context = {"event": event, "link_days": settings.REGISTRATION_LINK_MAX_AGE_DAYS}
            return render(request, "registration/link_sent.html", context)
    else:
        form = RequestLinkForm()
    return render(request, "registration/link_request.html", {"event": event, "form": form})


def participant_list(request, event):
    event = _event(request, event)
    if not settings_for(event).public_list_enabled:
        raise Http404(_("The list of participants is not published."))
    participants = lists.public_participants(event)
    return render(
        request,
        "registration/participant_list.html",
        {"event": event, "participants": participants},
    )


def participant_list_pdf(request, event):
    """The public list of participants as a PDF in the address's language, by category and
    country; stored and served again while the list and the templates are unchanged."""
    version, key, response = from_memory(request, also=(PARTICIPANT_LISTS_SEQUENCE,))
    if response is not None:
        return response
    event = _event(request, event)
    if not settings_for(event).public_list_enabled:
        raise Http404(_("The list of participants is not published."))
    spec = participant_lists.public_list_spec(event, language=get_language())
    return pdf_response(
        request,
        spec,
        filename=pdf.pdf_filename(event.slug, "participants", language_suffix(spec.language)),
        public=event.is_published,
        version=version,
        local_key=key,
    )


# Pages reached from the participant's signed link ----------------------------------------------


class BadLink(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _registration(request, event_slug: str, token: str) -> Registration:
    try:
        key = uuid.UUID(hex=links.read_token(token))
    except links.LinkExpired as error:
        raise BadLink("expired") from error
    except (links.LinkInvalid, ValueError) as error:
        raise BadLink("invalid") from error
    try:
        # get(), not first(): the access key is unique, and first() would order by the event.
        return Registration.objects.select_related(
            "event__rehearsal_of", "breakout_group", "category"
        ).get(
            event__in=Event.objects.visible_to(request.user),
            event__slug=event_slug,
            access_key=key,
            erased_at__isnull=True,
        )
    except Registration.DoesNotExist:
        _event(request, event_slug)  # 404 for an unknown event, before the bad-link page
        raise BadLink("invalid") from None


def _bad_link(request, event_slug: str, reason: str) -> HttpResponse:
    event = _event(request, event_slug)
    context = {"event": event, "reason": reason, "form": RequestLinkForm()}
    return _private(render(request, "registration/link_invalid.html", context, status=400))


def from_link(view):
    """Resolve the signed link to its registration, or answer with the bad-link page.

    The participant's pages are in their language (Registration.language): a page asked for at
    another language's address is sent to the same page at theirs (a link shared between
    languages, an old link, the language switcher); the switcher does not change their language,
    the form that changes their details does. A POST is answered where it was sent, in their
    language, and sends them on to their language's address.
    """

    def wrapper(request, event, token):
        try:
            registration = _registration(request, event, token)
        except BadLink as bad:
            return _bad_link(request, event, bad.reason)
        if request.method in ("GET", "HEAD") and content.interface_language() != (
            registration.language
        ):
            here = request.get_full_path()
            theirs = translate_url(here, registration.language)
            if theirs != here:
                return _private(redirect(theirs))
        with translation.override(registration.language):
            return _private(view(request, registration, token))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@from_link
def manage(request, registration, token):
    context = {
        "event": registration.event,
        "registration": registration,
        "token": token,
        "waiting_position": registration.waiting_position,
        "answers": answers.answers_of(registration),
        "certificate_available": certificates.is_available(registration),
    }
    return render(request, "registration/registration_detail.html", context)


@require_POST
@from_link
def confirm(request, registration, token):
    registration = registering.confirm_registration(registration)
    messages.success(request, _("Thank you: your e-mail address is confirmed."))
    return redirect("registration:manage", event=registration.event.slug, token=token)


@from_link
def edit(request, registration, token):
    if not registration.is_active:
        messages.info(request, _("This registration can no longer be changed."))
        return redirect("registration:manage", event=registration.event.slug, token=token)
    event = registration.event
    form_kwargs = {
        "instance": registration,
        "event": event,
        "category": registration.category,
        "questions": questions_for(event, registration.category),
        "full": answers.full_choices(event, exclude=registration),
    }
    if request.method == "POST":
        form = RegistrationChangeForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                registration = answers.update_with_answers(
                    registration, details=form.registration_details(), answers=form.answers()
                )
            except answers.ChoiceFull as full:
                form.refuse_full(full)
            except registering.RegistrationStateError as error:
                messages.error(request, str(error))
                return redirect("registration:manage", event=event.slug, token=token)
            else:
                # Told, and taken back to their page, in the language they may have just chosen.
                with translation.override(registration.language):
                    messages.success(request, _("Your changes are saved."))
                    return redirect("registration:manage", event=event.slug, token=token)
    else:
        form = RegistrationChangeForm(**form_kwargs)
    context = {"event": event, "registration": registration, "token": token, "form": form}
    return render(request, "registration/registration_edit.html", context)


@from_link
def cancel(request, registration, token):
    if request.method == "POST":
        registering.cancel_registration(registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("registration:manage", event=registration.event.slug, token=token)
    context = {"event": registration.event, "registration": registration, "token": token}
    return render(request, "registration/registration_confirm_cancel.html", context)


@require_POST
@from_link
def reactivate(request, registration, token):
    try:
        _registration, dropped = answers.reactivate_with_choices(registration)
    except registering.RegistrationClosed:
        messages.error(request, _("Registration for this event is closed."))
    except registering.RegistrationStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is active again."))
        if dropped:
            messages.warning(
                request,
                _("No seat is left for: %(choices)s. Change your registration to choose again.")
                % {"choices": "; ".join(dropped)},
            )
    return redirect("registration:manage", event=registration.event.slug, token=token)


@from_link
def confirmation(request, registration, token):
    context = {"event": registration.event, "registration": registration, "token": token}
    return render(request, "registration/registration_confirmation.html", context)


@from_link
def calendar(request, registration, token):
    response = HttpResponse(
        event_calendar(registration.event, language=registration.language),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    return response
