"""Delegations: a focal point registers the head and members of a delegation together, with one
nomination document, then manages them through a signed link until registration closes;
organizers approve the delegation at once.

Each member is an ordinary Registration (of the delegation's category, `delegation` set): they
confirm their own address from their own e-mail, change their own details and cancel through
the participant's pages (registration.services.registering). This module only does what a
focal point or an organizer does to the delegation as a whole.

Invariants kept here, on top of registering's (capacity, waiting list order, e-mails in the
transaction of their cause):
- A delegation and everything registered with it (members, nomination, e-mails) are written in
  one transaction: a refused member leaves nothing behind.
- A delegation has one active head of delegation (the first member registered; a replacement
  carries the flag over; the head cannot be withdrawn alone). The database enforces it too.
- The focal point changes the delegation only while registration is open and the delegation
  is not withdrawn; a withdrawal or replacement that frees a seat gives it to the waiting list
  under the seat lock.
"""

import contextlib
import datetime
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Event
from registration.models import (
    Delegation,
    Nomination,
    ParticipantCategory,
    Registration,
    RegistrationEmail,
    RegistrationSettings,
    normalize_email,
)
from registration.services import focal_points, organizers
from registration.services.registering import (
    RegistrationClosed,
    lock_registration,
    lock_seats,
    promote_waiting,
    queue_email,
)
from registration.uploads import check_pdf, sha256_of

Status = Registration.Status
Kind = RegistrationEmail.Kind

# A member as the focal point writes them; the rest comes from the delegation.
MEMBER_FIELDS = ("honorific", "first_name", "last_name", "position", "email")


class DelegationError(Exception):
    """The operation does not fit the delegation or its category; `code` says why:
    `not_delegation_category`, `nomination_required`, `no_members`, `withdrawn`, `not_member`,
    `not_active`, `head_cannot_leave`."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class MemberAddressTaken(Exception):
    """Some members' addresses are already registered for the event (or given twice): `rows`
    are their positions in the list of members given."""

    def __init__(self, rows: list[int]) -> None:
        super().__init__(rows)
        self.rows = rows


# The focal point's side --------------------------------------------------------------------------


def register_delegation(
    event: Event,
    *,
    category: ParticipantCategory,
    details: dict[str, Any],
    members: list[dict[str, Any]],
    nomination_upload,
    language: str,
    now: datetime.datetime | None = None,
) -> Delegation:
    """Record a delegation, its nomination document and one PENDING registration per member,
    and owe each member the e-mail that asks them to confirm their own address, and the focal
    point the e-mail with their link to the delegation.

    `details` are the delegation's validated fields (organization, country, focal_point_*);
    `members` the members' (MEMBER_FIELDS, `days`, and `consent_privacy` which the focal point
    gives for them), the head of delegation first. `language` is the form page's: the focal
    point's and the members' e-mails are written in it. Raises RegistrationClosed outside the
    registration period, DelegationError for a category that does not register delegations or
    a missing nomination, ValidationError for a refused upload (registration.uploads), and
    MemberAddressTaken, with nothing written, when a member's address is already registered.
    """
    now = now or timezone.now()
    if category.event_id != event.pk or not category.registers_delegations:
        raise DelegationError(
            _("This category does not register delegations."), code="not_delegation_category"
        )
    if not members:
        raise DelegationError(_("A delegation has at least its head."), code="no_members")
    if category.nomination and nomination_upload is None:
        raise DelegationError(_("The nomination document is required."), code="nomination_required")
    if category.nomination:
        check_pdf(nomination_upload)
    addresses = [member["email"] for member in members]
    stored_files = []
    try:
        with _addresses_raced(event, addresses), transaction.atomic():
            reg_settings = lock_seats(event.pk)
            _check_open(reg_settings, now)
            _check_addresses(event, addresses)
            delegation = Delegation.objects.create(
                event=event, category=category, language=language, created_at=now, **details
            )
            if category.nomination:
                stored_files.append(_store_nomination(delegation, nomination_upload, now=now).file)
            for position, member in enumerate(members):
                _create_member(delegation, member, head=position == 0, now=now)
            focal_points.queue_email(delegation, "delegation_registered")
    except BaseException:
        # Nothing of the delegation reached the database: its file must not stay behind.
        for stored in stored_files:
            stored.storage.delete(stored.name)
        raise
    return delegation


def add_member(
    delegation: Delegation, *, member: dict[str, Any], now: datetime.datetime | None = None
) -> Registration:
    """Add a member (not the head) to an active delegation while registration is open; they are
    sent the e-mail that asks them to confirm their address. Raises MemberAddressTaken (rows
    [0]) when the address is already registered for the event."""
    now = now or timezone.now()
    with _addresses_raced(delegation.event, [member["email"]]), transaction.atomic():
        delegation = _lock_for_change(delegation, now)
        _check_addresses(delegation.event, [member["email"]])
        return _create_member(delegation, member, head=False, now=now)


def replace_member(
    old: Registration, *, details: dict[str, Any], now: datetime.datetime | None = None
) -> Registration:
    """Replace a member by another person: the old registration is cancelled (they are told by
    e-mail), its seat goes to the waiting list, and the new one, PENDING, `replaces` it, keeps
    its days and its head-of-delegation flag and is sent the confirmation e-mail.

    `details` are MEMBER_FIELDS. Raises MemberAddressTaken (rows [0]) for an address already
    registered, DelegationError for a registration no longer active or not in a delegation."""
    now = now or timezone.now()
    with _addresses_raced(old.event, [details["email"]]), transaction.atomic():
        delegation = _lock_for_change(old.delegation, now)
        old = _locked_member(delegation, old)
        _check_addresses(delegation.event, [details["email"]])
        head = old.is_head_of_delegation
        had_seat = _withdraw(old, now=now)
        member = {**details, "days": old.days, "consent_privacy": True}
        new = _create_member(delegation, member, head=head, now=now, replaces=old)
        if had_seat:
            promote_waiting(lock_seats(delegation.event_id))
    return new


def withdraw_member(member: Registration, *, now: datetime.datetime | None = None) -> Registration:
    """Withdraw a member (not the head: replace the head, or withdraw the whole delegation): the
    registration is cancelled, its owner told by e-mail, a freed seat goes to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        delegation = _lock_for_change(member.delegation, now)
        member = _locked_member(delegation, member)
        if member.is_head_of_delegation:
            raise DelegationError(
                _("The head of delegation cannot be withdrawn alone: replace them instead."),
                code="head_cannot_leave",
            )
        had_seat = _withdraw(member, now=now)
        if had_seat:
            promote_waiting(lock_seats(delegation.event_id))
    return member


def withdraw_delegation(delegation: Delegation, *, now: datetime.datetime | None = None) -> None:
    """Withdraw the delegation: every active member is cancelled and told by e-mail, and the
    seats freed go to the waiting list. The delegation cannot be changed afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        delegation = _lock_for_change(delegation, now)
        members = delegation.members.filter(status__in=Registration.ACTIVE_STATUSES)
        freed = [_withdraw(lock_registration(member), now=now) for member in members]
        delegation.withdrawn_at = now
        delegation.save(update_fields=["withdrawn_at", "updated_at"])
        if any(freed):
            promote_waiting(lock_seats(delegation.event_id))


def replace_nomination(
    delegation: Delegation, *, upload, now: datetime.datetime | None = None
) -> Nomination:
    """Put a new nomination document in place of the delegation's (the old file is deleted
    once the change is committed). Raises ValidationError for a refused upload."""
    now = now or timezone.now()
    check_pdf(upload)
    stored_files = []
    try:
        with transaction.atomic():
            delegation = _lock_for_change(delegation, now)
            old = Nomination.objects.filter(delegation=delegation).first()
            if old is not None:
                old_file = old.file.name
                storage = old.file.storage
                old.delete()
                transaction.on_commit(lambda: storage.delete(old_file))
            nomination = _store_nomination(delegation, upload, now=now)
            stored_files.append(nomination.file)
    except BaseException:
        for stored in stored_files:
            stored.storage.delete(stored.name)
        raise
    return nomination


# The organizers' side ----------------------------------------------------------------------------


def approve_delegation(delegation: Delegation, *, now: datetime.datetime | None = None) -> int:
    """Approve the delegation as a whole: every member awaiting approval is approved (a seat or
    the waiting list, as organizers.approve_registration gives them), and members who confirm
    their address later need no approval (registering.needs_approval). Approving twice changes
    nothing. Returns the number of members approved now."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_seats(delegation.event_id)
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if not delegation.is_active:
            raise DelegationError(_("This delegation was withdrawn."), code="withdrawn")
        if delegation.approved_at is None:
            delegation.approved_at = now
            delegation.save(update_fields=["approved_at", "updated_at"])
        awaiting = delegation.members.filter(status=Status.AWAITING_APPROVAL).order_by(
            "email_confirmed_at", "pk"
        )
        approved = [organizers.approve_registration(member) for member in awaiting]
    return len(approved)


# Helpers ---------------------------------------------------------------------------------------


def _check_open(reg_settings: RegistrationSettings, now: datetime.datetime) -> None:
    state = reg_settings.state(now)
    if state != "open":
        raise RegistrationClosed(state)


def _lock_for_change(delegation: Delegation, now: datetime.datetime) -> Delegation:
    """The seat lock, then the delegation locked, after checking that the focal point may
    change it now."""
    if delegation is None:
        raise DelegationError(_("This registration is not in a delegation."), code="not_member")
    reg_settings = lock_seats(delegation.event_id)
    _check_open(reg_settings, now)
    locked = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("event", "category")
        .get(pk=delegation.pk)
    )
    if not locked.is_active:
        raise DelegationError(_("This delegation was withdrawn."), code="withdrawn")
    return locked


def _locked_member(delegation: Delegation, member: Registration) -> Registration:
    member = lock_registration(member)
    if member.delegation_id != delegation.pk:
        raise DelegationError(_("This person is not in the delegation."), code="not_member")
    if not member.is_active:
        raise DelegationError(
            _("This member's registration is no longer active."), code="not_active"
        )
    member.event = delegation.event
    return member


def _check_addresses(event: Event, addresses: list[str]) -> None:
    normalized = [normalize_email(address) for address in addresses]
    taken = set(
        Registration.objects.not_erased()
        .filter(event=event, email_normalized__in=normalized)
        .values_list("email_normalized", flat=True)
    )
    rows = [
        position
        for position, address in enumerate(normalized)
        if address in taken or address in normalized[:position]
    ]
    if rows:
        raise MemberAddressTaken(rows)


@contextlib.contextmanager
def _addresses_raced(event: Event, addresses: list[str]) -> Iterator[None]:
    """Turn the database's refusal of an address registered meanwhile (by a participant's own
    form, which does not take the seat lock) into MemberAddressTaken for its rows."""
    try:
        yield
    except IntegrityError as error:
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if constraint != "registration_registration_unique_email":
            raise
        _check_addresses(event, addresses)
        raise


def _create_member(
    delegation: Delegation,
    member: dict[str, Any],
    *,
    head: bool,
    now: datetime.datetime,
    replaces: Registration | None = None,
) -> Registration:
    registration = Registration.objects.create(
        event=delegation.event,
        category=delegation.category,
        delegation=delegation,
        is_head_of_delegation=head,
        replaces=replaces,
        organization=delegation.organization,
        country=delegation.country,
        language=delegation.language,
        created_at=now,
        **{name: member[name] for name in (*MEMBER_FIELDS, "days", "consent_privacy")},
    )
    queue_email(registration, Kind.CONFIRM_ADDRESS)
    return registration


def _withdraw(member: Registration, *, now: datetime.datetime) -> bool:
    """Cancel a member's registration with the WITHDRAWN e-mail; whether it held a seat."""
    had_seat = member.status == Status.CONFIRMED
    member.status = Status.CANCELLED
    member.cancelled_at = now
    member.save()
    queue_email(member, Kind.WITHDRAWN)
    return had_seat


def _store_nomination(delegation: Delegation, upload, *, now: datetime.datetime) -> Nomination:
    sha256 = sha256_of(upload)
    return Nomination.objects.create(
        kind=delegation.category.nomination,
        delegation=delegation,
        file=upload,
        original_name=_printable(upload.name or "")[:255],
        size=upload.size,
        sha256=sha256,
        uploaded_at=now,
    )


def _printable(name: str) -> str:
    # The name as uploaded is shown to organizers: no control or bidi characters in it.
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
