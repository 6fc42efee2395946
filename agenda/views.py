"""Public pages of an event: overview, agenda, sessions, people, documents, calendars.

Every page reads a fixed number of queries however large the event (tests/test_query_counts.py
holds them to it), and anonymous reads are served from the shared cache (idm_seminar.pagecache).
"""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from agenda import content
from agenda.calendar import calendar_response
from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Event,
    Person,
    Presentation,
    PresentationSpeaker,
)
from idm_seminar.pagecache import PAGINATED, cached_public_page

EVENTS_PER_PAGE = 20
PEOPLE_PER_PAGE = 50


def agenda_items(event: Event, user) -> QuerySet[AgendaItem]:
    """The event's items visible to `user`, with everything an agenda shows, in four queries.

    Read through `event.items` so that each item knows its event without a query of its own.
    """
    speakers = PresentationSpeaker.objects.select_related("person__organization")
    presentations = Presentation.objects.prefetch_related(Prefetch("speaker_links", speakers))
    return (
        event.items.visible_to(user)
        .select_related("session", "room")
        .prefetch_related(
            Prefetch("presentations", presentations),
            Prefetch("roles", AgendaItemRole.objects.select_related("person__organization")),
        )
    )


def group_by_day(items) -> list[tuple[datetime.date, list[AgendaItem]]]:
    """(date, items) pairs in agenda order; items are already ordered by date and time."""
    days: list[tuple[datetime.date, list[AgendaItem]]] = []
    for item in items:
        if not days or days[-1][0] != item.date:
            days.append((item.date, []))
        days[-1][1].append(item)
    return days


def current_event(request):
    """Send visitors to the event that is running or comes next, else to the latest one."""
    events = Event.objects.published()
    event = (
        events.upcoming(timezone.now()).order_by("start_date", "pk").first()
        or events.order_by("-start_date", "pk").first()
    )
    if event is None:
        return render(request, "agenda/event_empty.html")
    return redirect(event)


class EventMixin:
    """Finds the event of the URL among those the user may see (drafts: organizers only)."""

    @cached_property
    def event(self) -> Event:
        events = Event.objects.visible_to(self.request.user).select_related(
            "organizer", "rehearsal_of"
        )
        return get_object_or_404(events, slug=self.kwargs["event"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


@method_decorator(cached_public_page(query=PAGINATED), name="dispatch")
class EventListView(ListView):
    """Upcoming events first (soonest first), then past events (latest first)."""

    template_name = "agenda/event_list.html"
    context_object_name = "events"
    paginate_by = EVENTS_PER_PAGE

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .with_is_upcoming(timezone.now())
            .annotate(upcoming_start=Case(When(is_upcoming=True, then=F("start_date"))))
            .order_by(
                F("is_upcoming").desc(),
                F("upcoming_start").asc(nulls_last=True),
                "-start_date",
                "pk",
            )
        )


@method_decorator(cached_public_page, name="dispatch")
class EventDetailView(EventMixin, TemplateView):
    template_name = "agenda/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = self.event.partners.select_related("organization")
        context["partners"] = [p for p in partners if p.role == p.Role.PARTNER]
        context["co_sponsors"] = [p for p in partners if p.role == p.Role.CO_SPONSOR]
        context["sessions"] = list(self.event.sessions.all())
        return context


@method_decorator(cached_public_page, name="dispatch")
class AgendaView(EventMixin, TemplateView):
    template_name = "agenda/agenda.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = group_by_day(agenda_items(self.event, self.request.user))
        return context


@method_decorator(cached_public_page, name="dispatch")
class SessionDetailView(EventMixin, DetailView):
    template_name = "agenda/session_detail.html"
    context_object_name = "session"

    def get_object(self, queryset=None):
        sessions = self.event.sessions.select_related("background_paper").prefetch_related(
            "background_paper__key_questions",
            "documents",
            Prefetch("items", queryset=agenda_items(self.event, self.request.user)),
        )
        return get_object_or_404(sessions, slug=self.kwargs["session"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["paper"] = self.object.background_paper
        except BackgroundPaper.DoesNotExist:
            context["paper"] = None
        context["items"] = self.object.items.all()
        # A document without file or address stands for the session itself: no link to here.
        original = self.event.original_language
        context["documents"] = [
            d
            for d in self.object.documents.all()
            if content.document_link(d, original=original) is not None
        ]
        return context


def event_people(event: Event, user):
    """People who speak at, discuss, chair or otherwise hold a role in an item the user may see."""
    items = event.items.visible_to(user).values("pk")
    speaks = PresentationSpeaker.objects.filter(person=OuterRef("pk"), presentation__item__in=items)
    holds_role = AgendaItemRole.objects.filter(person=OuterRef("pk"), item__in=items)
    return (
        Person.objects.annotate(
            is_speaker=Exists(speaks),
            has_item_role=Exists(holds_role),
            role_kinds=ArraySubquery(holds_role.order_by("role").values("role").distinct()),
        )
        .filter(Q(is_speaker=True) | Q(has_item_role=True))
        .select_related("organization")
    )


@method_decorator(cached_public_page(query=PAGINATED), name="dispatch")
class PersonListView(EventMixin, ListView):
    template_name = "agenda/person_list.html"
    context_object_name = "people"
    paginate_by = PEOPLE_PER_PAGE

    def get_queryset(self):
        return event_people(self.event, self.request.user).order_by("last_name", "first_name", "pk")


@method_decorator(cached_public_page, name="dispatch")
class PersonDetailView(EventMixin, DetailView):
    """A person's roles in this event's agenda; people without one are not part of the event."""

    template_name = "agenda/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        person = get_object_or_404(
            Person.objects.select_related("organization"), slug=self.kwargs["person"]
        )
        items = self.event.items.visible_to(self.request.user)
        self.speaker_links = list(
            person.speaker_links.filter(presentation__item__in=items)
            .select_related("presentation__item__session", "presentation__item__room")
            .order_by(
                "presentation__item__date",
                "presentation__item__start_time",
                "presentation__item__order",
                "presentation__order",
                "pk",
            )
        )
        self.item_roles = list(
            person.item_roles.filter(item__in=items)
            .select_related("item__session", "item__room")
            .order_by("item__date", "item__start_time", "item__order", "order", "pk")
        )
        if not self.speaker_links and not self.item_roles:
            raise Http404("This person has no role in this event.")
        for link in self.speaker_links:
            link.presentation.item.event = self.event
        for role in self.item_roles:
            role.item.event = self.event
        return person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["speaker_links"] = self.speaker_links
        context["item_roles"] = self.item_roles
        return context


@method_decorator(cached_public_page, name="dispatch")
class DocumentListView(EventMixin, TemplateView):
    template_name = "agenda/document_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        documents = list(self.event.documents.select_related("session"))
        context["related_documents"] = [d for d in documents if d.kind == d.Kind.RELATED]
        context["event_documents"] = [d for d in documents if d.kind == d.Kind.EVENT]
        context["links"] = [d for d in documents if d.kind == d.Kind.LINK]
        context["sessions"] = list(self.event.sessions.select_related("background_paper"))
        return context


def visible_event(request, slug: str) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), slug=slug)


@cached_public_page
def agenda_calendar(request, event):
    event = visible_event(request, event)
    items = agenda_items(event, request.user)
    return calendar_response(event, items, filename=f"{event.slug}.ics")


@cached_public_page
def session_calendar(request, event, session):
    event = visible_event(request, event)
    session = get_object_or_404(event.sessions, slug=session)
    items = agenda_items(event, request.user).filter(session=session)
    return calendar_response(
        event, items, filename=f"{event.slug}-{session.slug}.ics", session=session
    )
