"""The organizers' decisions on registrations, taken from the admin: approve, reject, give a seat
out of turn, fill the seats a raised capacity made, send again what a participant is owed, check
a participant in at the desk.

They take the seat lock, give seats and owe e-mails with registration.services.registering's
helpers, so the invariants written there (capacity, order of the waiting list, e-mails in the
transaction of the change) hold for these operations too.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Event
from outbox import services as outbox
from outbox.models import Message
from registration.models import Registration, RegistrationEmail
from registration.services.registering import (
    NoSeatAvailable,
    RegistrationStateError,
    lock_registration,
    lock_seats,
    promote_waiting,
    queue_email,
    seats_taken,
    take_seat_or_wait,
)

Status = Registration.Status
Kind = RegistrationEmail.Kind


def approve_registration(registration: Registration) -> Registration:
    """Approve a registration whose address is confirmed: it takes a seat or joins the list."""
    with transaction.atomic():
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
        if registration.status != Status.AWAITING_APPROVAL:
            raise RegistrationStateError(_("Only registrations awaiting approval can be approved."))
        registration.approved_at = timezone.now()
        take_seat_or_wait(registration, reg_settings)
    return registration


def reject_registration(registration: Registration, *, reason: str) -> Registration:
    """Reject a registration and e-mail the reason; a freed seat goes to the next in line."""
    with transaction.atomic():
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
        if not registration.is_active:
            raise RegistrationStateError(_("Only active registrations can be rejected."))
        had_seat = registration.status == Status.CONFIRMED
        registration.status = Status.REJECTED
        registration.rejected_at = timezone.now()
        registration.rejection_reason = reason[:1000]
        registration.save()
        queue_email(registration, Kind.REJECTED)
        if had_seat:
            promote_waiting(reg_settings)
    return registration


def give_seat(registration: Registration, *, add_seat_if_full: bool = False) -> Registration:
    """Move a registration from the waiting list to a seat, out of turn.

    Free seats already went to the first in line, so this normally needs one more seat: with
    `add_seat_if_full` the capacity (and the category's seats, where they are full) is raised
    by one; without it NoSeatAvailable is raised.
    """
    with transaction.atomic():
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
        if registration.status != Status.WAITING:
            raise RegistrationStateError(_("Only registrations on the waiting list can be moved."))
        taken = seats_taken(reg_settings.event_id)
        category = registration.category
        category_taken = (
            category.registrations.filter(status=Status.CONFIRMED).count()
            if category is not None and category.seats is not None
            else None
        )
        event_full = taken >= reg_settings.capacity
        category_full = category_taken is not None and category_taken >= category.seats
        if event_full or category_full:
            if not add_seat_if_full:
                raise NoSeatAvailable(_("Every seat is taken."))
            if event_full:
                reg_settings.capacity = taken + 1
                reg_settings.save(update_fields=["capacity"])
            if category_full:
                category.seats = category_taken + 1
                category.save(update_fields=["seats"])
        registration.status = Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save()
        queue_email(registration, Kind.PROMOTED)
    return registration


def fill_free_seats(event: Event) -> list[Registration]:
    """Promote from the waiting list into every free seat (after the capacity was raised)."""
    with transaction.atomic():
        return promote_waiting(lock_seats(event.pk))


def check_in(registration: Registration) -> Registration:
    """Record that a participant holding a seat arrived (the registration desk, on the day).

    Effects: sets checked_in_at to now, once (checking in again keeps the first time).
    Raises RegistrationStateError for a registration without a confirmed seat or erased.
    """
    with transaction.atomic():
        registration = lock_registration(registration)
        if registration.status != Status.CONFIRMED or registration.erased_at is not None:
            raise RegistrationStateError(
                _("Only participants with a confirmed seat can be checked in.")
            )
        if registration.checked_in_at is None:
            registration.checked_in_at = timezone.now()
            registration.save(update_fields=["checked_in_at", "updated_at"])
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
        queue_email(registration, kind)
    return 1
