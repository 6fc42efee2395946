"""Registration operations: register, confirm, approve, reject, cancel, promote, erase, e-mail.

Views, admin actions, management commands and tests all call these functions.

Invariants kept here:
- Confirmed registrations of an event never exceed its capacity. Every operation that can take or
  free a seat first locks the event's RegistrationSettings row (SELECT ... FOR UPDATE), then the
  registration rows, always in that order, and counts seats inside that lock.
- The waiting list is served in the order registrations asked for a seat (`queued_at`, set under
  the lock); a freed seat goes to the first in line at once.
- Every e-mail owed to a participant is written to the outbox (with a RegistrationEmail row
  pointing at it) in the same transaction as the change that made it necessary, and delivered
  by the outbox after commit. A mail server failure leaves the message waiting (with its error)
  for `send_outbox` or the admin's Outbox to retry: it never rolls back or loses a registration.
"""

import datetime
import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda import services as agenda_services
from agenda.models import Event
from idm_seminar.tasks import enqueue_on_commit
from outbox import services as outbox
from outbox.models import Message
from registration.calendar import event_calendar
from registration.models import (
    BreakoutGroup,
    Registration,
    RegistrationEmail,
    RegistrationSettings,
    normalize_email,
)

Status = Registration.Status
Kind = RegistrationEmail.Kind

# A participant who asks for their link again within this time gets no second e-mail.
LINK_RESEND_INTERVAL = datetime.timedelta(minutes=2)
# Kinds of e-mail that carry the event's calendar entry.
CALENDAR_KINDS = {Kind.CONFIRM_ADDRESS, Kind.SEAT_CONFIRMED, Kind.PROMOTED}
# The outbox's name for what caused a registration e-mail.
OUTBOX_TOPIC = "registration.registration"


class RegistrationClosed(Exception):
    """The event does not take registrations now; `state` says why (see RegistrationSettings)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


class RegistrationStateError(Exception):
    """The registration is not in a state that allows the operation."""


class NoSeatAvailable(RegistrationStateError):
    """Every seat is taken."""


# Settings and seats ---------------------------------------------------------------------------


def settings_for(event: Event) -> RegistrationSettings:
    """The event's registration settings; unsaved defaults (closed, 100 seats) when it has none.

    Uses the settings loaded with the event (select_related("registration_settings")) if any.
    """
    try:
        return event.registration_settings
    except RegistrationSettings.DoesNotExist:
        return RegistrationSettings(event=event)


def _lock_seats(event_id: int) -> RegistrationSettings:
    """Lock the event's settings row: the one lock that serializes every change of seats."""
    queryset = RegistrationSettings.objects.all()
    if settings.REGISTRATION_SEAT_LOCK:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(event_id=event_id)
    except RegistrationSettings.DoesNotExist:
        RegistrationSettings.objects.get_or_create(event_id=event_id)
        return queryset.get(event_id=event_id)


def _lock_registration(registration: Registration) -> Registration:
    """The registration as it is now, locked; keeps the event already loaded with it."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if Registration.event.is_cached(registration):
        locked.event = registration.event
    return locked


def seats_taken(event: Event | int) -> int:
    event_id = event if isinstance(event, int) else event.pk
    return Registration.objects.filter(event_id=event_id, status=Status.CONFIRMED).count()


SEAT_REQUEST_FIELDS = [
    "status",
    "queued_at",
    "confirmed_at",
    "email_confirmed_at",
    "approved_at",
    "updated_at",
]


def _take_seat_or_wait(registration: Registration, reg_settings: RegistrationSettings) -> None:
    """Give a seat if one is free, or put the registration at the end of the waiting list.

    Call with the seat lock held.
    """
    queue = Registration.objects.filter(event_id=reg_settings.event_id).aggregate(
        taken=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )
    free = reg_settings.capacity - queue["taken"]
    if free > 0 and queue["waiting"]:
        # Those already waiting come first (seats freed while nobody was promoted).
        free -= len(_promote_waiting(reg_settings, free=free))
    now = timezone.now()
    registration.queued_at = now
    if free > 0:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        kind = Kind.SEAT_CONFIRMED
    else:
        registration.status = Status.WAITING
        kind = Kind.WAITING_LIST
    registration.save(update_fields=SEAT_REQUEST_FIELDS)
    _queue_email(registration, kind)


def _promote_waiting(
    reg_settings: RegistrationSettings, *, free: int | None = None
) -> list[Registration]:
    """Give free seats to the first on the waiting list, in order. Call with the seat lock held.

    `free` is the number of free seats when the caller has just counted them.
    """
    if free is None:
        free = reg_settings.capacity - seats_taken(reg_settings.event_id)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.waiting()
        .filter(event_id=reg_settings.event_id)
        .select_for_update(of=("self",))[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        _queue_email(registration, Kind.PROMOTED)
    return promoted


def fill_free_seats(event: Event) -> list[Registration]:
    """Promote from the waiting list into every free seat (after the capacity was raised)."""
    with transaction.atomic():
        return _promote_waiting(_lock_seats(event.pk))


# The participant's operations -----------------------------------------------------------------


def register(
    event: Event, *, details: dict[str, Any], now: datetime.datetime | None = None
) -> tuple[Registration, bool]:
    """Record a registration and owe its owner the e-mail with the link to confirm it.

    `details` are validated model field values (RegistrationForm.registration_details()). When
    the address is already registered for the event, nothing is created: the existing
    registration's owner is sent their link again. Returns (registration, created).
    Raises RegistrationClosed outside the event's registration period.
    """
    now = now or timezone.now()
    reg_settings = settings_for(event)
    state = reg_settings.state(now)
    if state != "open":
        raise RegistrationClosed(state)
    registration = Registration(event=event, created_at=now, **details)
    try:
        with transaction.atomic():
            registration.save()
            _queue_email(registration, Kind.CONFIRM_ADDRESS)
    except IntegrityError as error:
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if constraint != "registration_registration_unique_email":
            raise
        existing = Registration.objects.not_erased().get(
            event=event, email_normalized=normalize_email(details["email"])
        )
        send_link(existing)
        return existing, False
    return registration, True


def send_link(registration: Registration) -> bool:
    """Owe the participant an e-mail with their link, unless one went out moments ago.

    A registration that still awaits e-mail confirmation gets the confirmation e-mail again.
    Returns whether an e-mail was queued.
    """
    if registration.erased_at is not None:
        return False
    with transaction.atomic():
        registration = _lock_registration(registration)
        recent = registration.emails.filter(
            kind__in=[Kind.CONFIRM_ADDRESS, Kind.LINK],
            created_at__gte=timezone.now() - LINK_RESEND_INTERVAL,
        ).exists()
        if recent:
            return False
        kind = Kind.CONFIRM_ADDRESS if registration.status == Status.PENDING else Kind.LINK
        _queue_email(registration, kind)
    return True


def request_link(event: Event, *, email: str) -> None:
    """Queue the sending of the link of the registration made with this address, if there is one.

    Does the same work whatever the address: it only queues a task (send_requested_link), in
    the same way for every address, and the task looks the address up. So neither the answer nor
    its timing tells a visitor whether the address is registered. Returns nothing on purpose.
    """
    enqueue_on_commit("registration.tasks.send_requested_link", event.pk, normalize_email(email))


def send_requested_link(event_id: int, *, email_normalized: str) -> bool:
    """The queued half of request_link: owe the link to the registration made with this address
    for the event (see send_link); an unknown address is sent nothing, so that the site never
    mails an address that did not register. Returns whether an e-mail was queued."""
    registration = (
        Registration.objects.not_erased()
        .filter(event_id=event_id, email_normalized=email_normalized)
        .first()
    )
    if registration is None:
        return False
    return send_link(registration)


def confirm_registration(registration: Registration) -> Registration:
    """Confirm the participant's e-mail address (the second step of the double opt-in).

    Without approval the registration takes a free seat or joins the waiting list; with approval
    it waits for an organizer. Confirming twice changes nothing.
    """
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if registration.status != Status.PENDING or registration.erased_at is not None:
            return registration
        registration.email_confirmed_at = timezone.now()
        if reg_settings.requires_approval:
            registration.status = Status.AWAITING_APPROVAL
            registration.save()
            _queue_email(registration, Kind.AWAITING_APPROVAL)
        else:
            _take_seat_or_wait(registration, reg_settings)
    return registration


def update_registration(registration: Registration, *, details: dict[str, Any]) -> Registration:
    """Change the participant's details and preferences (never the address or the status)."""
    details = {key: value for key, value in details.items() if key != "email"}
    with transaction.atomic():
        registration = _lock_registration(registration)
        if not registration.is_active:
            raise RegistrationStateError(_("This registration can no longer be changed."))
        for field, value in details.items():
            setattr(registration, field, value)
        registration.save()
    return registration


def cancel_registration(registration: Registration) -> Registration:
    """Cancel at the participant's request; a freed seat goes to the first on the waiting list."""
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if not registration.is_active:
            return registration
        had_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save()
        _queue_email(registration, Kind.CANCELLED)
        if had_seat:
            _promote_waiting(reg_settings)
    return registration


def reactivate_registration(registration: Registration) -> Registration:
    """Take back a cancellation: the registration asks for a seat again, at the end of the line
    (or waits for approval again where organizers approve). Only while registration is open."""
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if registration.status != Status.CANCELLED or registration.erased_at is not None:
            raise RegistrationStateError(_("Only a cancelled registration can be renewed."))
        if not reg_settings.is_open():
            raise RegistrationClosed(reg_settings.state())
        registration.cancelled_at = None
        registration.confirmed_at = None
        registration.approved_at = None
        # The request comes through the e-mailed link, which proves the address.
        registration.email_confirmed_at = registration.email_confirmed_at or timezone.now()
        if reg_settings.requires_approval:
            registration.status = Status.AWAITING_APPROVAL
            registration.save()
            _queue_email(registration, Kind.AWAITING_APPROVAL)
        else:
            _take_seat_or_wait(registration, reg_settings)
            registration.save(update_fields=["cancelled_at", "updated_at"])
    return registration


# Organizers' operations -----------------------------------------------------------------------


def approve_registration(registration: Registration) -> Registration:
    """Approve a registration whose address is confirmed: it takes a seat or joins the list."""
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if registration.status != Status.AWAITING_APPROVAL:
            raise RegistrationStateError(_("Only registrations awaiting approval can be approved."))
        registration.approved_at = timezone.now()
        _take_seat_or_wait(registration, reg_settings)
    return registration


def reject_registration(registration: Registration, *, reason: str) -> Registration:
    """Reject a registration and e-mail the reason; a freed seat goes to the next in line."""
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if not registration.is_active:
            raise RegistrationStateError(_("Only active registrations can be rejected."))
        had_seat = registration.status == Status.CONFIRMED
        registration.status = Status.REJECTED
        registration.rejected_at = timezone.now()
        registration.rejection_reason = reason[:1000]
        registration.save()
        _queue_email(registration, Kind.REJECTED)
        if had_seat:
            _promote_waiting(reg_settings)
    return registration


def give_seat(registration: Registration, *, add_seat_if_full: bool = False) -> Registration:
    """Move a registration from the waiting list to a seat, out of turn.

    Free seats already went to the first in line, so this normally needs one more seat: with
    `add_seat_if_full` the capacity is raised by one; without it NoSeatAvailable is raised.
    """
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if registration.status != Status.WAITING:
            raise RegistrationStateError(_("Only registrations on the waiting list can be moved."))
        if seats_taken(reg_settings.event_id) >= reg_settings.capacity:
            if not add_seat_if_full:
                raise NoSeatAvailable(_("Every seat is taken."))
            reg_settings.capacity = seats_taken(reg_settings.event_id) + 1
            reg_settings.save(update_fields=["capacity"])
        registration.status = Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save()
        _queue_email(registration, Kind.PROMOTED)
    return registration


def resend_confirmation(registration: Registration) -> int:
    """Send again what the participant is owed: the unsent e-mails, or else the e-mail of their
    current status (with their link). Returns the number of e-mails queued."""
    if registration.erased_at is not None:
        return 0
    unsent = Message.objects.filter(
        pk__in=registration.emails.values("message_id"), state__in=["waiting", "failed"]
    )
    if unsent:
        return outbox.resend_messages(unsent)
    kind = {
        Status.PENDING: Kind.CONFIRM_ADDRESS,
        Status.AWAITING_APPROVAL: Kind.AWAITING_APPROVAL,
        Status.CONFIRMED: Kind.SEAT_CONFIRMED,
        Status.WAITING: Kind.WAITING_LIST,
        Status.REJECTED: Kind.REJECTED,
        Status.CANCELLED: Kind.CANCELLED,
    }[registration.status]
    with transaction.atomic():
        _queue_email(registration, kind)
    return 1


# Preparing seminars ---------------------------------------------------------------------------


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
    break-out groups. No registration and no e-mail is copied. Raises ValidationError as
    copy_event does.
    """
    with transaction.atomic():
        event = agenda_services.copy_event(source, title=title, slug=slug, start_date=start_date)
        days = (event.start_date - source.start_date).days
        source_settings = RegistrationSettings.objects.filter(event=source).first()
        if source_settings is not None:
            RegistrationSettings.objects.create(
                event=event,
                opens_at=_shift_datetime(source_settings.opens_at, days=days, event=event),
                closes_at=_shift_datetime(source_settings.closes_at, days=days, event=event),
                capacity=source_settings.capacity,
                requires_approval=source_settings.requires_approval,
                public_list_enabled=source_settings.public_list_enabled,
            )
        BreakoutGroup.objects.bulk_create(
            BreakoutGroup(event=event, name=group.name, order=group.order)
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


# Privacy --------------------------------------------------------------------------------------

ERASED_FIELDS = {
    "honorific": "",
    "first_name": "",
    "last_name": "",
    "position": "",
    "organization": "",
    "email": "",
    "phone": "",
    "dietary_needs": "",
    "accessibility_needs": "",
    "rejection_reason": "",
    "last_mail_error": "",
    "consent_public_list": False,
    "consent_proceedings_list": False,
}


def erase_registration(registration: Registration) -> Registration:
    """Erase the participant's personal data, keeping only what anonymous counts need
    (status, sector, country, days, dates).

    An active registration of an event still to come is cancelled first, so its seat goes to the
    next in line. Links already sent stop working, owed e-mails are dropped, and the admin's
    history no longer names the participant.
    """
    with transaction.atomic():
        reg_settings = _lock_seats(registration.event_id)
        registration = _lock_registration(registration)
        if registration.erased_at is not None:
            return registration
        now = timezone.now()
        had_seat = registration.status == Status.CONFIRMED
        event_over = now >= registration.event.ends_at
        if registration.is_active and not event_over:
            registration.status = Status.CANCELLED
            registration.cancelled_at = now
        for field, value in ERASED_FIELDS.items():
            setattr(registration, field, value)
        registration.access_key = uuid.uuid4()
        registration.erased_at = now
        registration.save()
        # The RegistrationEmail rows go with their messages (on_delete=CASCADE).
        Message.objects.filter(pk__in=registration.emails.values("message_id")).delete()
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration),
            object_id=str(registration.pk),
        ).update(object_repr=str(registration), change_message="")
        if had_seat and registration.status != Status.CONFIRMED:
            _promote_waiting(reg_settings)
    return registration


def anonymize_past_registrations(
    *, retention_days: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Erase registrations of events that ended (Event.ends_at) more than `retention_days`
    before `now`.

    Returns how many registrations were erased.
    """
    if retention_days is None:
        retention_days = settings.REGISTRATION_RETENTION_DAYS
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    erased = 0
    past_events = Event.objects.ended(cutoff)
    for registration in Registration.objects.not_erased().filter(event__in=past_events):
        erase_registration(registration)
        erased += 1
    return erased


# Reading --------------------------------------------------------------------------------------


def _participant_rows(queryset) -> list[dict[str, str]]:
    return [
        {
            "name": registration.full_name,
            "organization": registration.organization,
            "country": str(registration.country.name),
        }
        for registration in queryset.order_by("last_name", "first_name", "pk")
    ]


def proceedings_participants(event: Event) -> list[dict[str, str]]:
    """Confirmed participants who agreed to appear in the proceedings' list of participants.

    Keys: name, organization, country (the country's name). The proceedings app reads it.
    """
    return _participant_rows(Registration.objects.on_proceedings_list().filter(event=event))


def public_participants(event: Event) -> list[dict[str, str]]:
    """Confirmed participants who agreed to appear in the public list (same keys as above)."""
    return _participant_rows(Registration.objects.on_public_list().filter(event=event))


def registration_counts(event: Event) -> dict[str, list[tuple[str, int]]]:
    """Registrations of the event counted by status, sector and country (erased ones included)."""
    registrations = Registration.objects.filter(event=event)
    by_status = dict(registrations.values_list("status").annotate(n=Count("pk")))
    by_sector = Counter(dict(registrations.values_list("sector").annotate(n=Count("pk"))))
    by_country = registrations.values_list("country").annotate(n=Count("pk")).order_by("-n")
    return {
        "status": [(label, by_status.get(value, 0)) for value, label in Status.choices],
        "sector": [
            (label, by_sector[value])
            for value, label in Registration.Sector.choices
            if by_sector[value]
        ],
        "country": [
            (str(Registration(country=code).country.name), n) for code, n in by_country if code
        ],
    }


# E-mail ---------------------------------------------------------------------------------------


def _queue_email(registration: Registration, kind: str) -> RegistrationEmail:
    """Owe an e-mail: write it to the outbox, written from the registration as it is now, with
    the RegistrationEmail that ties it to the registration; the outbox delivers it after commit."""
    subject, text, attachments = compose_email(registration, kind)
    message = outbox.queue_email(
        recipient=registration.email,
        subject=subject,
        text=text,
        attachments=attachments,
        language=settings.LANGUAGE_CODE,
        kind=f"registration.{kind}",
        topic=OUTBOX_TOPIC,
        object_id=registration.pk,
    )
    return RegistrationEmail.objects.create(
        registration=registration, kind=kind, message=message, created_at=message.created_at
    )


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def compose_email(registration: Registration, kind: str) -> tuple[str, str, list]:
    """The subject, text and attachments ((filename, content, mimetype)) of a registration
    e-mail of this kind, written from the registration as it is now."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        "manage_url": site_url(registration.get_absolute_url()),
        "event_url": site_url(event.get_absolute_url()),
        "new_link_url": site_url(reverse("registration:request-link", args=[event.slug])),
        "link_days": settings.REGISTRATION_LINK_MAX_AGE_DAYS,
        "waiting_position": registration.waiting_position,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"registration/email/{kind}_subject.txt", context).split()
        )
        text = render_to_string(f"registration/email/{kind}.txt", context)
    attachments = []
    if kind in CALENDAR_KINDS:
        attachments.append((f"{event.slug}.ics", event_calendar(event).decode(), "text/calendar"))
    return subject, text, attachments


def record_mail_outcomes(messages: list[Message]) -> None:
    """Copy the outcome of delivered or failed registration e-mails to their registrations
    (`confirmation_sent_at`, `last_mail_error`), which the admin lists and filters on. Called
    by the outbox after each delivery attempt, in the transaction that records it."""
    for message in messages:
        if message.topic != OUTBOX_TOPIC:
            continue
        # One statement per registration; a batch rarely holds two e-mails of one registration.
        if message.sent_at:
            changes = {"confirmation_sent_at": message.sent_at, "last_mail_error": ""}
        else:
            changes = {"last_mail_error": message.last_error}
        Registration.objects.filter(pk=message.object_id).update(**changes)
