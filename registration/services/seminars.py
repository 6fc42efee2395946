"""Preparing a seminar from an earlier one: the registration app's half of the agenda's copy
(agenda.services.copy_event), and the local rehearsal seminar a newcomer tries the site on.

The agenda app never imports this app, so the copy of an event's registration settings,
participant categories, questions and break-out groups is made here, in the transaction of the
agenda's copy. No registration, delegation, answer and no e-mail is ever copied: a new seminar
starts with nobody registered.

IOM's usual participant categories (`USUAL_CATEGORIES`) are offered to an event that has none:
the rehearsal seminar gets them, so that a newcomer can try registering as a delegation.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import services as agenda_services
from agenda.models import Event
from registration.models import (
    ApprovalRule,
    BreakoutGroup,
    NominationKind,
    OptionalField,
    ParticipantCategory,
    Question,
    QuestionOption,
    RegistrationSettings,
    settings_for,
)


def _shift_datetime(moment: datetime.datetime | None, *, days: int, event: Event):
    """The same wall-clock time at the event's venue, `days` later (DST-proof)."""
    if moment is None:
        return None
    local = timezone.localtime(moment, event.tzinfo).replace(tzinfo=None)
    return timezone.make_aware(local + datetime.timedelta(days=days), event.tzinfo)


def prepare_event_copy(source: Event, *, title: str, slug: str, start_date: datetime.date) -> Event:
    """Prepare a new seminar from `source` (agenda.services.copy_event), with its registration.

    Effects, in the same transaction as the agenda's copy (a failure leaves nothing): the new
    draft event gets a copy of the source's registration settings, its opening and closing
    dates moved by as many days as the event (same time of day at the venue), and copies of its
    participant categories, questions with their options, and break-out groups (their texts in
    every language, their seats). No registration, delegation, answer or e-mail is copied.
    Raises ValidationError as copy_event does.
    """
    with transaction.atomic():
        event = agenda_services.copy_event(source, title=title, slug=slug, start_date=start_date)
        days = (event.start_date - source.start_date).days
        source_settings = RegistrationSettings.objects.filter(event=source).first()
        if source_settings is not None:
            # The new event has its (closed) settings row already (registration.signals).
            RegistrationSettings.objects.update_or_create(
                event=event,
                defaults={
                    "opens_at": _shift_datetime(source_settings.opens_at, days=days, event=event),
                    "closes_at": _shift_datetime(source_settings.closes_at, days=days, event=event),
                    "capacity": source_settings.capacity,
                    "requires_approval": source_settings.requires_approval,
                    "public_list_enabled": source_settings.public_list_enabled,
                },
            )
        BreakoutGroup.objects.bulk_create(
            BreakoutGroup(
                event=event, order=group.order, seats=group.seats, **_texts(group, "name")
            )
            for group in source.breakout_groups.all()
        )
        _copy_categories_and_questions(source, event)
    return event


def _texts(row, *fields: str) -> dict:
    """Every language's column of the translated fields (registration.translation), whatever
    the active language."""
    return {
        f"{field}_{code}": getattr(row, f"{field}_{code}")
        for field in fields
        for code, _name in settings.LANGUAGES
    }


def _copy_categories_and_questions(source: Event, event: Event) -> None:
    categories = {}
    for category in source.participant_categories.all():
        categories[category.pk] = ParticipantCategory.objects.create(
            event=event,
            order=category.order,
            seats=category.seats,
            approval=category.approval,
            nomination=category.nomination,
            registers_delegations=category.registers_delegations,
            asked_fields=list(category.asked_fields),
            **_texts(category, "name", "description"),
        )
    questions = source.questions.prefetch_related("categories", "options")
    for question in questions:
        copy = Question.objects.create(
            event=event,
            kind=question.kind,
            required=question.required,
            order=question.order,
            **_texts(question, "label", "help_text"),
        )
        copy.categories.set([categories[c.pk] for c in question.categories.all()])
        QuestionOption.objects.bulk_create(
            QuestionOption(
                question=copy, order=option.order, seats=option.seats, **_texts(option, "label")
            )
            for option in question.options.all()
        )


# IOM's usual participant categories of an IDM seminar, in the three languages: States register
# as delegations with a Note Verbale, organizations with a nomination letter; organizers approve
# those; others follow the event's approval setting.
USUAL_CATEGORIES = [
    {
        "name": (
            "Member State delegation",
            "Délégation d'un État Membre",
            "Delegación de un Estado Miembro",
        ),
        "description": (
            "Registered by the Permanent Mission's focal point, with a Note Verbale.",
            "Inscrite par le point focal de la Mission permanente, avec une note verbale.",
            "Inscrita por el punto focal de la Misión Permanente, con una nota verbal.",
        ),
        "approval": ApprovalRule.ALWAYS,
        "nomination": NominationKind.NOTE_VERBALE,
        "registers_delegations": True,
    },
    {
        "name": (
            "Observer State delegation",
            "Délégation d'un État observateur",
            "Delegación de un Estado Observador",
        ),
        "description": (
            "Registered by the Permanent Mission's focal point, with a Note Verbale.",
            "Inscrite par le point focal de la Mission permanente, avec une note verbale.",
            "Inscrita por el punto focal de la Misión Permanente, con una nota verbal.",
        ),
        "approval": ApprovalRule.ALWAYS,
        "nomination": NominationKind.NOTE_VERBALE,
        "registers_delegations": True,
    },
    {
        "name": (
            "Intergovernmental organization",
            "Organisation intergouvernementale",
            "Organización intergubernamental",
        ),
        "description": (
            "Participants nominated by their organization, with a nomination letter.",
            "Participants désignés par leur organisation, avec une lettre de désignation.",
            "Participantes designados por su organización, con una carta de designación.",
        ),
        "approval": ApprovalRule.ALWAYS,
        "nomination": NominationKind.NOMINATION_LETTER,
        "registers_delegations": True,
    },
    {
        "name": (
            "Non-governmental organization and civil society",
            "Organisation non gouvernementale et société civile",
            "Organización no gubernamental y sociedad civil",
        ),
        "description": (
            "Non-governmental organizations, diaspora associations, trade unions.",
            "Organisations non gouvernementales, associations de la diaspora, syndicats.",
            "Organizaciones no gubernamentales, asociaciones de la diáspora, sindicatos.",
        ),
        "approval": ApprovalRule.EVENT,
        "nomination": NominationKind.NONE,
        "registers_delegations": False,
    },
    {
        "name": ("Private sector", "Secteur privé", "Sector privado"),
        "description": ("", "", ""),
        "approval": ApprovalRule.EVENT,
        "nomination": NominationKind.NONE,
        "registers_delegations": False,
    },
    {
        "name": ("Academia", "Milieu universitaire", "Sector académico"),
        "description": ("", "", ""),
        "approval": ApprovalRule.EVENT,
        "nomination": NominationKind.NONE,
        "registers_delegations": False,
    },
    {
        "name": ("Media", "Médias", "Medios de comunicación"),
        "description": (
            "Journalists accredited to cover the seminar.",
            "Journalistes accrédités pour couvrir le séminaire.",
            "Periodistas acreditados para cubrir el seminario.",
        ),
        "approval": ApprovalRule.ALWAYS,
        "nomination": NominationKind.NONE,
        "registers_delegations": False,
    },
]


def add_usual_categories(event: Event) -> list[ParticipantCategory]:
    """Give an event IOM's usual participant categories (USUAL_CATEGORIES), in the three
    languages, unless it has categories already. Returns the categories made (none when it had
    some)."""
    with transaction.atomic():
        if event.participant_categories.exists():
            return []
        languages = [code for code, _name in settings.LANGUAGES]
        made = []
        for order, usual in enumerate(USUAL_CATEGORIES, start=1):
            # English always (the original); a language without a text falls back to it.
            texts = {
                f"{field}_{code}": usual[field][index]
                if index == 0
                else usual[field][index] or None
                for field in ("name", "description")
                for index, code in enumerate(languages)
            }
            made.append(
                ParticipantCategory.objects.create(
                    event=event,
                    order=order,
                    approval=usual["approval"],
                    nomination=usual["nomination"],
                    registers_delegations=usual["registers_delegations"],
                    asked_fields=[
                        field
                        for field in OptionalField.values
                        if not (usual["registers_delegations"] and field == "sector")
                    ],
                    **texts,
                )
            )
        return made


class RehearsalRefused(Exception):
    """A rehearsal seminar is made only in a local installation, never in production."""


# A rehearsal seminar starts this long after the day it is made, on the source's weekday.
REHEARSAL_LEAD = datetime.timedelta(days=90)


def prepare_rehearsal_event(
    source: Event, *, now: datetime.datetime | None = None
) -> tuple[Event, bool]:
    """Make the local rehearsal seminar from `source`, once: a published copy dated some three
    months ahead whose registration is open now, so a newcomer can try every page.

    Effects, in one transaction: prepare_event_copy() on the first day, at least REHEARSAL_LEAD
    from today, that falls on the source's weekday; the copy is published, marked as the
    rehearsal of `source` (every one of its pages then says so), with IOM's usual participant
    categories where the source has none, and its registration opens now
    and closes when it starts. When a rehearsal seminar exists and is still current (not ended,
    registration not closed) nothing is made; a stale one is deleted, with everything tried on
    it (registrations included), and a new one made in its place.
    Returns (event, created). Raises RehearsalRefused in production, and ValidationError when
    the copy cannot be made (its address is taken by another event).
    """
    if settings.PRODUCTION:
        raise RehearsalRefused(_("A rehearsal seminar is never made in production."))
    now = now or timezone.now()
    with transaction.atomic():
        rehearsals = Event.objects.filter(rehearsal_of__isnull=False).select_related(
            "registration_settings"
        )
        current = [
            event
            for event in rehearsals.order_by("pk")
            if now < event.ends_at and settings_for(event).state(now) != "closed"
        ]
        if current:
            return current[0], False
        rehearsals.delete()
        earliest = timezone.localdate(now, source.tzinfo) + REHEARSAL_LEAD
        start_date = earliest + datetime.timedelta(
            days=(source.start_date.weekday() - earliest.weekday()) % 7
        )
        event = prepare_event_copy(
            source,
            title=(_("%(title)s (local rehearsal)") % {"title": source.title})[
                : Event._meta.get_field("title").max_length
            ],
            slug=f"rehearsal-{source.slug}"[: Event._meta.get_field("slug").max_length],
            start_date=start_date,
        )
        event.status = Event.Status.PUBLISHED
        event.rehearsal_of = source
        event.save(update_fields=["status", "rehearsal_of"])
        RegistrationSettings.objects.update_or_create(
            event=event, defaults={"opens_at": now, "closes_at": None}
        )
        add_usual_categories(event)
    return event, True
