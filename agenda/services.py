"""Operations on the agenda that views, admin actions, tasks and tests call alike.

The programme as documents and speakers' pages read it (`agenda_queryset`, `speaker_slots`);
preparing a new seminar from an earlier one. PDFs are the documents app's; speakers' links,
abstracts and slides the speakers app's.
"""

import copy
import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Event,
    KeyQuestion,
    Person,
    PracticalInformation,
    Presentation,
    PresentationSpeaker,
)

logger = logging.getLogger(__name__)


# --- The programme as the documents and the speakers' pages read it -------------------------


def agenda_queryset(event: Event):
    """The event's published items with their sessions, roles, presentations and speakers."""
    speakers = PresentationSpeaker.objects.select_related("person__organization")
    presentations = Presentation.objects.prefetch_related(Prefetch("speaker_links", speakers))
    return (
        AgendaItem.objects.filter(event=event, is_published=True)
        .select_related("session", "room")
        .prefetch_related(
            Prefetch("presentations", presentations),
            Prefetch("roles", AgendaItemRole.objects.select_related("person__organization")),
        )
        .order_by("date", "start_time", "order", "pk")
    )


# --- Speakers' slots and briefs ------------------------------------------------------------------


def people_with_roles(event: Event):
    """Everyone who speaks in, discusses, chairs or moderates an item of the event."""
    return (
        Person.objects.filter(
            Q(speaker_links__presentation__item__event=event) | Q(item_roles__item__event=event)
        )
        .select_related("organization")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def events_with_roles(person: Person) -> list[int]:
    """The events in whose agenda the person has a part."""
    return list(
        Event.objects.filter(
            Q(items__presentations__speaker_links__person=person) | Q(items__roles__person=person)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def speaker_slots(
    person: Person, *, event: Event, items: list[AgendaItem] | None = None
) -> list[dict[str, Any]]:
    """Each agenda item where the person has a part, with that part, in agenda order.

    `items`, the event's agenda already read with `agenda_queryset`, saves reading it again.
    """
    if items is None:
        items = (
            agenda_queryset(event)
            .filter(Q(presentations__speaker_links__person=person) | Q(roles__person=person))
            .distinct()
        )
    slots = []
    for item in items:
        if not any(role.person_id == person.pk for role in item.roles.all()) and not any(
            link.person_id == person.pk
            for presentation in item.presentations.all()
            for link in presentation.speaker_links.all()
        ):
            continue
        parts = [
            {"role": str(AgendaItemRole.Role(role.role).label), "presentation": ""}
            for role in item.roles.all()
            if role.person_id == person.pk
        ]
        parts += [
            {"role": _("Speaker"), "presentation": presentation.title, "id": presentation.pk}
            for presentation in item.presentations.all()
            if any(link.person_id == person.pk for link in presentation.speaker_links.all())
        ]
        slots.append({"item": item, "parts": parts})
    return slots


# --- Preparing a new seminar from an earlier one ------------------------------------------------


def _duplicate(row, **changes):
    """An unsaved copy of `row` with `changes`; the original is not touched."""
    duplicate = copy.copy(row)
    duplicate.pk = None
    duplicate._state.adding = True
    for field, value in changes.items():
        setattr(duplicate, field, value)
    return duplicate


def _insert_copies(rows, *, each=None, **relinks) -> dict[int, Any]:
    """Insert a copy of each row, in one statement with its history, the foreign keys named in
    `relinks` pointed through the given {old id: new row} maps, and the changes `each(row)`
    returns. Returns {old id: copy}.

    bulk_create sends no post_save: the new event's own save advances the content version.
    """
    rows = list(rows)
    if not rows:
        return {}
    copies = [
        _duplicate(
            row,
            **{
                field: mapping.get(getattr(row, f"{field}_id"))
                for field, mapping in relinks.items()
            },
            **(each(row) if each else {}),
        )
        for row in rows
    ]
    bulk_create_with_history(copies, type(rows[0]))
    return {row.pk: duplicate for row, duplicate in zip(rows, copies, strict=True)}


def _slug_taken(slug: str) -> ValidationError:
    return ValidationError(
        _("Another event already uses the address “%(slug)s”: choose another one."),
        code="slug_taken",
        params={"slug": slug},
    )


def validate_new_event_slug(slug: str) -> None:
    """Check that `slug` can be the address of a new event; changes nothing.

    Raises ValidationError (codes invalid, max_length, slug_taken) when it cannot. Forms that
    ask for a new event's address call this, so they show the error copy_event() would raise.
    """
    for validator in Event._meta.get_field("slug").validators:
        validator(slug)
    if Event.objects.filter(slug=slug).exists():
        raise _slug_taken(slug)


def _validate_new_event(*, title: str, slug: str, start_date: datetime.date, span: int) -> None:
    errors: dict[str, ValidationError] = {}
    title_field = Event._meta.get_field("title")
    if not title.strip():
        errors["title"] = ValidationError(_("Give the new seminar a title."), code="required")
    elif len(title) > title_field.max_length:
        errors["title"] = ValidationError(
            _("A title has at most %(max)d characters."),
            code="max_length",
            params={"max": title_field.max_length},
        )
    try:
        validate_new_event_slug(slug)
    except ValidationError as error:
        errors["slug"] = error
    if start_date > datetime.date.max - datetime.timedelta(days=span):
        errors["start_date"] = ValidationError(
            _("The new seminar would end after the last date the calendar can hold."),
            code="date_out_of_range",
        )
    if errors:
        raise ValidationError(errors)


def copy_event(source: Event, *, title: str, slug: str, start_date: datetime.date) -> Event:
    """Prepare a new seminar from `source`: a copy of its structure, as a draft, on new dates.

    Effects, in one transaction (a failure leaves nothing behind):
    - a new Event with `title`, `slug` and `start_date` (its last day as many days later as the
      source's), status DRAFT, no number in the series, everything else as the source's;
    - copies of its partners, rooms, sessions with their background papers and key questions,
      agenda items (each moved by as many days as the event, with its room, session and roles),
      presentations with their speakers (not their abstracts), documents (the same stored files)
      and the practical information for speakers.
    People and organizations are shared records: the copies point to the same ones. Nothing of
    what speakers and participants made is copied: no abstracts, speaker links, slides or
    rendered PDFs, and no publication (the proceedings belong to the event that took place).
    The registration app copies its own settings through registration.services.prepare_event_copy.

    Raises ValidationError (codes required, max_length, invalid, slug_taken, date_out_of_range),
    keyed by field name, when the new event cannot be made.
    """
    span = (source.end_date - source.start_date).days
    _validate_new_event(title=title, slug=slug, start_date=start_date, span=span)
    shift = start_date - source.start_date
    try:
        return _copy_event_rows(
            source, title=title, slug=slug, start_date=start_date, span=span, shift=shift
        )
    except IntegrityError as error:
        # Another organizer took the address between the check above and the insert.
        if getattr(error.__cause__, "diag", None) is None or (
            error.__cause__.diag.constraint_name != "agenda_event_slug_key"
        ):
            raise
        raise ValidationError({"slug": _slug_taken(slug)}) from error


def _copy_event_rows(
    source: Event,
    *,
    title: str,
    slug: str,
    start_date: datetime.date,
    span: int,
    shift: datetime.timedelta,
) -> Event:
    with transaction.atomic():
        event = _duplicate(
            source,
            title=title,
            slug=slug,
            start_date=start_date,
            end_date=start_date + datetime.timedelta(days=span),
            status=Event.Status.DRAFT,
            series_number=None,
            rehearsal_of=None,
        )
        event.save()
        this_event = {source.pk: event}
        _insert_copies(source.partners.all(), event=this_event)
        rooms = _insert_copies(source.rooms.all(), event=this_event)
        sessions = _insert_copies(source.sessions.all(), event=this_event)
        papers = _insert_copies(
            BackgroundPaper.objects.filter(session__event=source), session=sessions
        )
        _insert_copies(KeyQuestion.objects.filter(paper__session__event=source), paper=papers)
        items = _insert_copies(
            source.items.all(),
            each=lambda item: {"date": item.date + shift},
            event=this_event,
            session=sessions,
            room=rooms,
        )
        _insert_copies(AgendaItemRole.objects.filter(item__event=source), item=items)
        presentations = _insert_copies(
            Presentation.objects.filter(item__event=source),
            each=lambda presentation: {"abstract": ""},  # the speaker writes it anew
            item=items,
        )
        _insert_copies(
            PresentationSpeaker.objects.filter(presentation__item__event=source),
            presentation=presentations,
        )
        _insert_copies(source.documents.all(), event=this_event, session=sessions)
        _insert_copies(PracticalInformation.objects.filter(event=source), event=this_event)
    return event
