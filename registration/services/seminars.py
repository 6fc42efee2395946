"""Preparing a seminar from an earlier one: the registration app's half of the agenda's copy
(agenda.services.copy_event), and the local rehearsal seminar a newcomer tries the site on.

The agenda app never imports this app, so the copy of an event's registration settings and
break-out groups is made here, in the transaction of the agenda's copy. No registration and no
e-mail is ever copied: a new seminar starts with nobody registered.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import services as agenda_services
from agenda.models import Event
from registration.models import (
    BreakoutGroup,
    ParticipantCategory,
    RegistrationSettings,
    settings_for,
)


def _shift_datetime(moment: datetime.datetime | None, *, days: int, event: Event):
    """The same wall-clock time at the event's venue, `days` later (DST-proof)."""
    if moment is None:
        return None
    local = timezone.localtime(moment, event.tzinfo).replace(tzinfo=None)
    return timezone.make_aware(local + datetime.timedelta(days=days), event.tzinfo)


# What a category decides, copied as it is to the next seminar (its names are per language).
CATEGORY_RULES = [
    "order",
    "seats",
    "approval",
    "nomination",
    "registers_delegations",
    "asked_fields",
]


def prepare_event_copy(source: Event, *, title: str, slug: str, start_date: datetime.date) -> Event:
    """Prepare a new seminar from `source` (agenda.services.copy_event), with its registration.

    Effects, in the same transaction as the agenda's copy (a failure leaves nothing): the new
    draft event gets a copy of the source's registration settings, its opening and closing
    dates moved by as many days as the event (same time of day at the venue), and copies of its
    participant categories (seats, approval, documents and fields asked) and break-out groups
    (with their seats), their names in every language. No registration, delegation or e-mail is
    copied.
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
        ParticipantCategory.objects.bulk_create(
            ParticipantCategory(
                event=event,
                **{name: getattr(category, name) for name in CATEGORY_RULES},
                **{
                    f"{field}_{code}": getattr(category, f"{field}_{code}")
                    for field in ("name", "description")
                    for code, _name in settings.LANGUAGES
                },
            )
            for category in source.participant_categories.all()
        )
        BreakoutGroup.objects.bulk_create(
            BreakoutGroup(
                event=event,
                order=group.order,
                seats=group.seats,
                # Every language's name (registration.translation), whatever the active one.
                **{
                    f"name_{code}": getattr(group, f"name_{code}")
                    for code, _name in settings.LANGUAGES
                },
            )
            for group in source.breakout_groups.all()
        )
    return event


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
    rehearsal of `source` (every one of its pages then says so), and its registration opens now
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
    return event, True
