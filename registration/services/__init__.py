"""Registration operations, one module per concern. Views, admin actions, management commands
and tests call them; every public name is importable from this package too
(`from registration import services`, then `services.register(...)`).

- registering: the participant's side (register, the link, confirm, change, cancel, come back),
  the seat lock and the e-mails every change of status owes. The invariants on seats, the
  waiting list and e-mail are written, and kept, there.
- organizers: the organizers' decisions (approve, reject, give a seat, fill freed seats, send
  again), with registering's seat helpers.
- privacy: erasure on request and anonymization after the retention period.
- seminars: a new seminar prepared from an earlier one, and the local rehearsal seminar.
- lists: the lists of participants and the counts, for the public page, the proceedings and the
  admin.
- delegations: a focal point registers and manages a delegation (members as registrations);
  organizers approve a delegation at once.
- focal_points: the e-mails with the focal point's link to their delegation.

These modules, and the app's views, admin, tasks and commands, import the module they use, not
this package: a test that replaces a function replaces it in the module that looks it up
(replacing `registration.services.X` reaches only callers that go through this package, like
the proceedings app).
"""

# Not services: the outbox topic and the words of registration e-mails live in
# registration.emails. Named here as well because migration 0005 and tests import them from here.
from registration.emails import OUTBOX_TOPIC, compose_email

# A read with defaults, no rule: it lives with the model.
from registration.models import settings_for
from registration.services.lists import (
    proceedings_participants,
    public_participants,
    registration_counts,
)
from registration.services.organizers import (
    approve_registration,
    check_in,
    fill_free_seats,
    give_seat,
    reject_registration,
    resend_confirmation,
)
from registration.services.privacy import (
    ERASED_FIELDS,
    anonymize_past_registrations,
    erase_delegation,
    erase_registration,
)
from registration.services.registering import (
    LINK_RESEND_INTERVAL,
    NoSeatAvailable,
    RegistrationClosed,
    RegistrationStateError,
    cancel_registration,
    confirm_registration,
    reactivate_registration,
    register,
    request_link,
    seats_taken,
    send_link,
    send_requested_link,
    update_registration,
)
from registration.services.seminars import (
    REHEARSAL_LEAD,
    USUAL_CATEGORIES,
    RehearsalRefused,
    add_usual_categories,
    prepare_event_copy,
    prepare_rehearsal_event,
)

__all__ = [
    "ERASED_FIELDS",
    "LINK_RESEND_INTERVAL",
    "OUTBOX_TOPIC",
    "REHEARSAL_LEAD",
    "USUAL_CATEGORIES",
    "NoSeatAvailable",
    "RegistrationClosed",
    "RegistrationStateError",
    "RehearsalRefused",
    "add_usual_categories",
    "anonymize_past_registrations",
    "approve_registration",
    "cancel_registration",
    "check_in",
    "compose_email",
    "confirm_registration",
    "erase_delegation",
    "erase_registration",
    "fill_free_seats",
    "give_seat",
    "prepare_event_copy",
    "prepare_rehearsal_event",
    "proceedings_participants",
    "public_participants",
    "reactivate_registration",
    "register",
    "registration_counts",
    "reject_registration",
    "request_link",
    "resend_confirmation",
    "seats_taken",
    "send_link",
    "send_requested_link",
    "settings_for",
    "update_registration",
]
