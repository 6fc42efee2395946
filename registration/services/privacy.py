"""The participants' right to be forgotten: erasure on request, and anonymization of the
registrations of past events after the retention period (`anonymize_past_registrations`, run
daily by the management command of that name).

Erasure keeps what anonymous counts need (status, sector, category, country, days, dates) and
removes the rest everywhere it was written: the registration, its answers and uploaded files
(nomination, answers' files: deleted from the private storage once the erasure is committed),
the e-mails owed to it, its stored certificates of attendance, the admin's history. A
delegation's focal point and nomination document are erased with the delegation
(`erase_delegation`), its members with it.
An active registration of an event still to come gives up its seat first, under the seat lock of
registration.services.registering, so that the next in line gets it as after a cancellation.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from agenda.models import Event
from outbox.models import Message
from registration.models import Answer, Delegation, Nomination, Registration
from registration.services import certificates
from registration.services.focal_points import DELEGATION_TOPIC
from registration.services.registering import lock_registration, lock_seats, promote_waiting

Status = Registration.Status

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
    (status, sector, country, days, dates); its answers to the organizers' questions and its
    nomination document go, files included.

    An active registration of an event still to come is cancelled first, so its seat goes to the
    next in line. Links already sent stop working, owed e-mails are dropped, and the admin's
    history no longer names the participant.
    """
    with transaction.atomic():
        reg_settings = lock_seats(registration.event_id)
        registration = lock_registration(registration)
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
        _delete_files(Answer.objects.filter(registration=registration))
        _delete_files(Nomination.objects.filter(registration=registration))
        certificates.forget_certificates(registration)
        _forget_in_history(Registration, registration)
        if had_seat and registration.status != Status.CONFIRMED:
            promote_waiting(reg_settings)
    return registration


def erase_delegation(delegation: Delegation) -> Delegation:
    """Erase a delegation's focal point and nomination document, and every member's personal
    data (erase_registration); counts by country and category remain. The focal point's link
    stops working and e-mails owed to them are dropped."""
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.erased_at is not None:
            return delegation
        for member in delegation.members.filter(erased_at__isnull=True):
            erase_registration(member)
        delegation.organization = ""
        delegation.focal_point_name = ""
        delegation.focal_point_position = ""
        delegation.focal_point_email = ""
        delegation.focal_point_phone = ""
        delegation.access_key = uuid.uuid4()
        delegation.erased_at = timezone.now()
        delegation.save()
        _delete_files(Nomination.objects.filter(delegation=delegation))
        Message.objects.filter(topic=DELEGATION_TOPIC, object_id=delegation.pk).delete()
        _forget_in_history(Delegation, delegation)
    return delegation


def _delete_files(queryset) -> None:
    """Delete the rows, and their files from the private storage once the transaction commits
    (a rolled-back erasure keeps them)."""
    for row in queryset:
        if row.file:
            storage, name = row.file.storage, row.file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    queryset.delete()


def _forget_in_history(model, row) -> None:
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(row.pk)
    ).update(object_repr=str(row), change_message="")


def anonymize_past_registrations(
    *, retention_days: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Erase registrations of events that ended (Event.ends_at) more than `retention_days`
    before `now`.

    Returns how many registrations were erased (their delegations are erased with them).
    """
    if retention_days is None:
        retention_days = settings.REGISTRATION_RETENTION_DAYS
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    erased = 0
    past_events = Event.objects.ended(cutoff)
    for delegation in Delegation.objects.filter(event__in=past_events, erased_at__isnull=True):
        erased += delegation.members.filter(erased_at__isnull=True).count()
        erase_delegation(delegation)
    for registration in Registration.objects.not_erased().filter(event__in=past_events):
        erase_registration(registration)
        erased += 1
    return erased
