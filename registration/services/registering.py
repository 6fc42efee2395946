"""The participant's side of a registration: register, get the link, confirm the address, change
the details, cancel, come back; and the seats and e-mails every change of status goes through.

Every change a participant makes happens in this module (with the models and
registration.emails): following a registration from the form to the outbox never leads into
another services module. The organizers' decisions (organizers) and erasure (privacy) take and
free seats with the helpers defined here, so that there is one way of doing it.

Invariants kept here:
- Confirmed registrations of an event never exceed its capacity. Every operation that can take or
  free a seat first locks the event's RegistrationSettings row (`lock_seats`, SELECT ... FOR
  UPDATE), then the registration rows, always in that order, and counts seats inside that lock.
- The waiting list is served in the order registrations asked for a seat (`queued_at`, set under
  the lock); a freed seat goes to the first in line at once (`promote_waiting`).
- Every e-mail owed to a participant is written to the outbox (with a RegistrationEmail row
  pointing at it) in the same transaction as the change that made it necessary (`queue_email`),
  and delivered by the outbox after commit. A mail server failure leaves the message waiting
  (with its error) for `send_outbox` or the admin's Outbox to retry: it never rolls back or loses
  a registration.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Event
from idm_seminar.tasks import enqueue_on_commit
from outbox import services as outbox
from registration.emails import OUTBOX_TOPIC, compose_email
from registration.models import (
    ParticipantCategory,
    Registration,
    RegistrationEmail,
    RegistrationSettings,
    normalize_email,
    settings_for,
)

Status = Registration.Status
Kind = RegistrationEmail.Kind

# A participant who asks for their link again within this time gets no second e-mail.
LINK_RESEND_INTERVAL = datetime.timedelta(minutes=2)


class RegistrationClosed(Exception):
    """The event does not take registrations now; `state` says why (see RegistrationSettings)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


class RegistrationStateError(Exception):
    """The registration is not in a state that allows the operation."""


class NoSeatAvailable(RegistrationStateError):
    """Every seat is taken."""


# Seats ----------------------------------------------------------------------------------------


def lock_seats(event_id: int) -> RegistrationSettings:
    """Lock the event's settings row: the one lock that serializes every change of seats."""
    queryset = RegistrationSettings.objects.all()
    if settings.REGISTRATION_SEAT_LOCK:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(event_id=event_id)
    except RegistrationSettings.DoesNotExist:
        RegistrationSettings.objects.get_or_create(event_id=event_id)
        return queryset.get(event_id=event_id)


def lock_registration(registration: Registration) -> Registration:
    """The registration as it is now, locked; keeps the event already loaded with it."""
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("category", "delegation")
        .get(pk=registration.pk)
    )
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


def needs_approval(registration: Registration, reg_settings: RegistrationSettings) -> bool:
    """Whether a confirmed address waits for an organizer: the category's rule (or the event's,
    where the category follows it, or has none); never for a member of a delegation organizers
    have already approved as a whole."""
    delegation = registration.delegation
    if delegation is not None and delegation.approved_at is not None:
        return False
    if registration.category_id is not None:
        return registration.category.requires_approval(event_default=reg_settings.requires_approval)
    return reg_settings.requires_approval


class _FreeSeats:
    """The free seats of an event and of its categories with seats, counted once under the seat
    lock and kept up to date as seats are given."""

    def __init__(self, reg_settings: RegistrationSettings) -> None:
        confirmed = Registration.objects.filter(
            event_id=reg_settings.event_id, status=Status.CONFIRMED
        )
        self.event = reg_settings.capacity - confirmed.count()
        self.categories = {
            category.pk: category.seats - category.taken
            for category in ParticipantCategory.objects.filter(
                event_id=reg_settings.event_id, seats__isnull=False
            ).annotate(
                taken=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED))
            )
        }

    def available_to(self, registration: Registration) -> bool:
        if self.event <= 0:
            return False
        return self.categories.get(registration.category_id, 1) > 0

    def take(self, registration: Registration) -> None:
        self.event -= 1
        if registration.category_id in self.categories:
            self.categories[registration.category_id] -= 1


def take_seat_or_wait(registration: Registration, reg_settings: RegistrationSettings) -> None:
    """Give a seat if one is free, in the event and in the registration's category (where it has
    seats of its own), or put the registration at the end of the waiting list.

    Call with the seat lock held.
    """
    free = _FreeSeats(reg_settings)
    if free.event > 0:
        # Those already waiting come first (seats freed while nobody was promoted).
        promote_waiting(reg_settings, free=free)
    now = timezone.now()
    registration.queued_at = now
    if free.available_to(registration):
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        kind = Kind.SEAT_CONFIRMED
    else:
        registration.status = Status.WAITING
        kind = Kind.WAITING_LIST
    registration.save(update_fields=SEAT_REQUEST_FIELDS)
    queue_email(registration, kind)


def promote_waiting(
    reg_settings: RegistrationSettings, *, free: _FreeSeats | None = None
) -> list[Registration]:
    """Give free seats to the waiting list, in order: each to the first whose category still
    has a free seat (a full category's registrations keep their place). Call with the seat lock
    held.

    `free` is the count of free seats when the caller has just made it; it is kept up to date.
    """
    free = free or _FreeSeats(reg_settings)
    if free.event <= 0:
        return []
    promoted = []
    now = timezone.now()
    waiting = (
        Registration.objects.waiting()
        .filter(event_id=reg_settings.event_id)
        .select_related("category")
        .select_for_update(of=("self",))
    )
    for registration in waiting:
        if free.event <= 0:
            break
        if not free.available_to(registration):
            continue
        free.take(registration)
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        queue_email(registration, Kind.PROMOTED)
        promoted.append(registration)
    return promoted


# The participant's operations -----------------------------------------------------------------


def register(
    event: Event,
    *,
    details: dict[str, Any],
    language: str = settings.LANGUAGE_CODE,
    now: datetime.datetime | None = None,
) -> tuple[Registration, bool]:
    """Record a registration and owe its owner the e-mail with the link to confirm it.

    `details` are validated model field values (RegistrationForm.registration_details());
    `language` is the one the participant registered in (the form's page): every e-mail and
    page of theirs follows it. When the address is already registered for the event, nothing is
    created: the existing registration's owner is sent their link again, in the language of
    that registration. Returns (registration, created).
    Raises RegistrationClosed outside the event's registration period.
    """
    now = now or timezone.now()
    reg_settings = settings_for(event)
    state = reg_settings.state(now)
    if state != "open":
        raise RegistrationClosed(state)
    registration = Registration(event=event, created_at=now, language=language, **details)
    try:
        with transaction.atomic():
            registration.save()
            queue_email(registration, Kind.CONFIRM_ADDRESS)
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
        registration = lock_registration(registration)
        recent = registration.emails.filter(
            kind__in=[Kind.CONFIRM_ADDRESS, Kind.LINK],
            created_at__gte=timezone.now() - LINK_RESEND_INTERVAL,
        ).exists()
        if recent:
            return False
        kind = Kind.CONFIRM_ADDRESS if registration.status == Status.PENDING else Kind.LINK
        queue_email(registration, kind)
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
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
        if registration.status != Status.PENDING or registration.erased_at is not None:
            return registration
        registration.email_confirmed_at = timezone.now()
        if needs_approval(registration, reg_settings):
            registration.status = Status.AWAITING_APPROVAL
            registration.save()
            queue_email(registration, Kind.AWAITING_APPROVAL)
        else:
            take_seat_or_wait(registration, reg_settings)
    return registration


def update_registration(registration: Registration, *, details: dict[str, Any]) -> Registration:
    """Change the participant's details and preferences, their language included (the next
    e-mail is written in it); never the address or the status."""
    details = {key: value for key, value in details.items() if key != "email"}
    with transaction.atomic():
        registration = lock_registration(registration)
        if not registration.is_active:
            raise RegistrationStateError(_("This registration can no longer be changed."))
        for field, value in details.items():
            setattr(registration, field, value)
        registration.save()
    return registration


def cancel_registration(registration: Registration) -> Registration:
    """Cancel at the participant's request; a freed seat goes to the first on the waiting list."""
    with transaction.atomic():
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
        if not registration.is_active:
            return registration
        had_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save()
        queue_email(registration, Kind.CANCELLED)
        if had_seat:
            promote_waiting(reg_settings)
    return registration


def reactivate_registration(registration: Registration) -> Registration:
    """Take back a cancellation: the registration asks for a seat again, at the end of the line
    (or waits for approval again where organizers approve). Only while registration is open, and
    not for a member whom the focal point withdrew from their delegation."""
    with transaction.atomic():
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
        if registration.status != Status.CANCELLED or registration.erased_at is not None:
            raise RegistrationStateError(_("Only a cancelled registration can be renewed."))
        if registration.emails.filter(kind=Kind.WITHDRAWN).exists():
            # Their place in the delegation is the focal point's to give (or already given to
            # the member who replaced them).
            raise RegistrationStateError(
                _("Your focal point withdrew you from the delegation: only they can add you again.")
            )
        if not reg_settings.is_open():
            raise RegistrationClosed(reg_settings.state())
        registration.cancelled_at = None
        registration.confirmed_at = None
        registration.approved_at = None
        # The request comes through the e-mailed link, which proves the address.
        registration.email_confirmed_at = registration.email_confirmed_at or timezone.now()
        if needs_approval(registration, reg_settings):
            registration.status = Status.AWAITING_APPROVAL
            registration.save()
            queue_email(registration, Kind.AWAITING_APPROVAL)
        else:
            take_seat_or_wait(registration, reg_settings)
            registration.save(update_fields=["cancelled_at", "updated_at"])
    return registration


# E-mail ---------------------------------------------------------------------------------------


def queue_email(registration: Registration, kind: str) -> RegistrationEmail:
    """Owe an e-mail: write it to the outbox, written from the registration as it is now and in
    its language, with the RegistrationEmail that ties it to the registration; the outbox
    delivers it after commit."""
    subject, text, attachments = compose_email(registration, kind)
    message = outbox.queue_email(
        recipient=registration.email,
        subject=subject,
        text=text,
        attachments=attachments,
        language=registration.language,
        kind=f"registration.{kind}",
        topic=OUTBOX_TOPIC,
        object_id=registration.pk,
    )
    return RegistrationEmail.objects.create(
        registration=registration, kind=kind, message=message, created_at=message.created_at
    )
