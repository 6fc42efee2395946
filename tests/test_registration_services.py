import datetime
import io
import re
import threading

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from outbox.models import Message
from outbox.services import send_outbox
from proceedings import services as proceedings_services
from registration import links, services
from registration.models import Registration, RegistrationEmail
from tests.factories import EventFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Status = Registration.Status
Kind = RegistrationEmail.Kind


def details(**overrides) -> dict:
    values = {
        "honorific": "Mr.",
        "first_name": "Jean",
        "last_name": "Dupont",
        "position": "Adviser",
        "organization": "Ministère de la Santé",
        "sector": "gov_health",
        "country": "FR",
        "email": "jean.dupont@example.org",
        "phone": "",
        "days": [datetime.date(2030, 3, 23)],
        "consent_privacy": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def open_event(db):
    settings_row = RegistrationSettingsFactory(capacity=2)
    return settings_row.event


def register_and_confirm(event, email):
    registration, _created = services.register(event, details=details(email=email))
    return services.confirm_registration(registration)


def test_register_creates_pending_registration_and_owes_confirmation_mail(
    open_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration, created = services.register(open_event, details=details())

    assert created is True
    assert registration.status == Status.PENDING
    assert [m.subject for m in mail.outbox] == [f"Confirm your registration: {open_event.title}"]
    token = re.search(r"/registration/([^/]+)/", mail.outbox[0].body).group(1)
    assert links.read_token(token) == registration.access_key.hex
    assert mail.outbox[0].attachments[0][0] == f"{open_event.slug}.ics"
    assert registration.emails.get().message.state == Message.State.SENT


def test_register_same_address_twice_resends_link_without_duplicate(
    open_event, django_capture_on_commit_callbacks
):
    first, _ = services.register(open_event, details=details(email="Jean.Dupont@Example.org"))
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    RegistrationEmail.objects.update(created_at=an_hour_ago)
    Message.objects.update(
        state=Message.State.SENT, created_at=an_hour_ago, sent_at=an_hour_ago, attempts=1
    )

    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.register(
            open_event, details=details(email=" jean.dupont@example.ORG ", first_name="Other")
        )

    assert created is False
    assert second.pk == first.pk
    assert Registration.objects.count() == 1
    assert Registration.objects.get().first_name == "Jean"
    assert [m.to for m in mail.outbox] == [["Jean.Dupont@Example.org"]]


def test_register_outside_window_raises_closed(db):
    event = RegistrationSettingsFactory(opens_at=timezone.now() + datetime.timedelta(days=1)).event

    with pytest.raises(services.RegistrationClosed) as closed:
        services.register(event, details=details())

    assert closed.value.state == "not_yet"
    assert Registration.objects.count() == 0


def test_confirm_gives_seats_then_waiting_list_in_order(open_event):
    first = register_and_confirm(open_event, "a@example.org")
    second = register_and_confirm(open_event, "b@example.org")
    third = register_and_confirm(open_event, "c@example.org")
    fourth = register_and_confirm(open_event, "d@example.org")

    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]
    assert [third.waiting_position, fourth.waiting_position] == [1, 2]


def test_confirm_twice_changes_nothing(open_event):
    registration = register_and_confirm(open_event, "a@example.org")
    confirmed_at = registration.confirmed_at

    again = services.confirm_registration(registration)

    assert again.status == Status.CONFIRMED
    assert again.confirmed_at == confirmed_at


def test_cancel_promotes_first_waiting_and_mails_them(
    open_event, django_capture_on_commit_callbacks
):
    first = register_and_confirm(open_event, "a@example.org")
    register_and_confirm(open_event, "b@example.org")
    third = register_and_confirm(open_event, "c@example.org")
    fourth = register_and_confirm(open_event, "d@example.org")
    send_outbox()  # the e-mails of registering went out
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(first)

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == Status.CONFIRMED
    assert fourth.waiting_position == 1
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "A seat is now yours",
        "Your registration is cancelled",
    ]


def test_approval_required_holds_seat_only_after_approval(open_event):
    open_event.registration_settings.requires_approval = True
    open_event.registration_settings.save()

    registration = register_and_confirm(open_event, "a@example.org")
    assert registration.status == Status.AWAITING_APPROVAL
    assert services.seats_taken(open_event) == 0

    approved = services.approve_registration(registration)

    assert approved.status == Status.CONFIRMED
    assert approved.approved_at is not None


def test_approve_when_full_puts_on_waiting_list(open_event):
    register_and_confirm(open_event, "a@example.org")
    register_and_confirm(open_event, "b@example.org")
    open_event.registration_settings.requires_approval = True
    open_event.registration_settings.save()
    late = register_and_confirm(open_event, "c@example.org")

    approved = services.approve_registration(late)

    assert approved.status == Status.WAITING


def test_approve_pending_registration_is_refused(open_event):
    registration, _ = services.register(open_event, details=details())

    with pytest.raises(services.RegistrationStateError):
        services.approve_registration(registration)


def test_reject_confirmed_frees_seat_and_mails_reason(
    open_event, django_capture_on_commit_callbacks
):
    first = register_and_confirm(open_event, "a@example.org")
    register_and_confirm(open_event, "b@example.org")
    waiting = register_and_confirm(open_event, "c@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_registration(first, reason="Only delegations of member states.")

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    rejection = next(m for m in mail.outbox if m.subject.startswith("Your registration could"))
    assert "Reason: Only delegations of member states." in rejection.body


def test_give_seat_adds_a_seat_when_full(open_event):
    register_and_confirm(open_event, "a@example.org")
    register_and_confirm(open_event, "b@example.org")
    register_and_confirm(open_event, "c@example.org")
    fourth = register_and_confirm(open_event, "d@example.org")

    with pytest.raises(services.NoSeatAvailable):
        services.give_seat(fourth)
    moved = services.give_seat(fourth, add_seat_if_full=True)

    assert moved.status == Status.CONFIRMED
    assert services.seats_taken(open_event) == 3
    open_event.registration_settings.refresh_from_db()
    assert open_event.registration_settings.capacity == 3


def test_fill_free_seats_after_capacity_raised(open_event):
    for letter in "abcd":
        register_and_confirm(open_event, f"{letter}@example.org")
    reg_settings = open_event.registration_settings
    reg_settings.capacity = 3
    reg_settings.save()

    promoted = services.fill_free_seats(open_event)

    assert [r.email for r in promoted] == ["c@example.org"]


def test_erase_removes_its_emails_from_the_outbox(open_event):
    erased = register_and_confirm(open_event, "a@example.org")
    kept = register_and_confirm(open_event, "b@example.org")

    services.erase_registration(erased)

    recipients = set(Message.objects.values_list("recipient", flat=True))
    assert recipients == {kept.email}


def test_erase_keeps_counts_and_frees_seat(open_event):
    first = register_and_confirm(open_event, "a@example.org")
    register_and_confirm(open_event, "b@example.org")
    waiting = register_and_confirm(open_event, "c@example.org")
    old_key = first.access_key

    erased = services.erase_registration(first)

    assert erased.first_name == erased.email == erased.phone == ""
    assert erased.access_key != old_key
    assert erased.status == Status.CANCELLED
    assert erased.sector == "gov_health"
    assert erased.emails.count() == 0
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    counts = dict(services.registration_counts(open_event)["status"])
    assert counts["Cancelled"] == 1


def test_erased_address_can_register_again(open_event):
    first = register_and_confirm(open_event, "a@example.org")
    services.erase_registration(first)

    _again, created = services.register(open_event, details=details(email="a@example.org"))

    assert created is True


def test_anonymize_past_registrations_after_retention(db):
    past = EventFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 1, 2))
    recent = EventFactory(
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        end_date=timezone.localdate() - datetime.timedelta(days=9),
    )
    old = RegistrationFactory(
        event=past, status=Status.CONFIRMED, confirmed_at=timezone.now(), queued_at=timezone.now()
    )
    kept = RegistrationFactory(event=recent)

    erased = services.anonymize_past_registrations(retention_days=365)

    old.refresh_from_db()
    kept.refresh_from_db()
    assert erased == 1
    assert old.erased_at is not None
    assert old.status == Status.CONFIRMED
    assert old.last_name == ""
    assert kept.erased_at is None


def test_proceedings_participants_lists_only_consenting_confirmed(open_event):
    listed = register_and_confirm(open_event, "a@example.org")
    Registration.objects.filter(pk=listed.pk).update(consent_proceedings_list=True)
    register_and_confirm(open_event, "b@example.org")
    waiting = register_and_confirm(open_event, "c@example.org")
    Registration.objects.filter(pk=waiting.pk).update(consent_proceedings_list=True)

    assert proceedings_services.proceedings_participants(open_event) == [
        {"name": "Mr. Jean Dupont", "organization": "Ministère de la Santé", "country": "France"}
    ]


def test_database_refuses_second_registration_with_same_normalized_email(open_event):
    RegistrationFactory(event=open_event, email="x@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=open_event, email="X@EXAMPLE.org")


def test_database_refuses_registration_without_privacy_consent(open_event):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=open_event, consent_privacy=False)


# The race for the last seats ------------------------------------------------------------------

RACERS = 50
FREE_SEATS = 10
ALREADY_CONFIRMED = 5


def run_confirmation_race(event) -> tuple[list[Registration], list[BaseException]]:
    """Confirm RACERS pending registrations at once, each thread on its own connection."""
    pending = [
        RegistrationFactory(event=event, email=f"racer{n}@example.org") for n in range(RACERS)
    ]
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []

    def confirm(registration):
        try:
            barrier.wait(timeout=30)
            services.confirm_registration(registration)
        except BaseException as error:  # every failure counts
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return pending, errors


def race_event():
    event = EventFactory()
    RegistrationSettingsFactory(event=event, capacity=ALREADY_CONFIRMED + FREE_SEATS)
    now = timezone.now()
    for n in range(ALREADY_CONFIRMED):
        RegistrationFactory(
            event=event,
            email=f"early{n}@example.org",
            status=Status.CONFIRMED,
            confirmed_at=now,
            queued_at=now - datetime.timedelta(hours=1),
        )
    return event


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_confirmation_race_for_last_seats_never_overbooks():
    event = race_event()

    _racers, errors = run_confirmation_race(event)

    assert errors == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == ALREADY_CONFIRMED + RACERS
    assert registrations.values("email_normalized").distinct().count() == registrations.count()
    seated = list(
        registrations.filter(status=Status.CONFIRMED, email__startswith="racer").order_by(
            "queued_at"
        )
    )
    waiting = list(Registration.objects.waiting().filter(event=event))
    assert len(seated) == FREE_SEATS
    assert len(waiting) == RACERS - FREE_SEATS
    assert registrations.filter(status=Status.PENDING).count() == 0
    # The waiting list is in the order the confirmations went through the lock, all after the
    # confirmations that got the seats; positions run 1..40 without a gap or a tie.
    queue_times = [r.queued_at for r in waiting]
    assert queue_times == sorted(set(queue_times))
    assert max(r.queued_at for r in seated) < min(queue_times)
    assert [r.waiting_position for r in waiting] == list(range(1, RACERS - FREE_SEATS + 1))
    assert RegistrationEmail.objects.filter(kind=Kind.SEAT_CONFIRMED).count() == FREE_SEATS
    assert RegistrationEmail.objects.filter(kind=Kind.WAITING_LIST).count() == len(waiting)

    # Cancellations promote the first waiting, in order.
    for registration in seated[:3]:
        services.cancel_registration(registration)

    promoted = list(
        Registration.objects.filter(pk__in=[r.pk for r in waiting[:3]]).order_by("confirmed_at")
    )
    assert [r.status for r in promoted] == [Status.CONFIRMED] * 3
    assert [r.pk for r in promoted] == [r.pk for r in waiting[:3]]
    assert services.seats_taken(event) == ALREADY_CONFIRMED + FREE_SEATS
    assert Registration.objects.get(pk=waiting[3].pk).waiting_position == 1
    assert RegistrationEmail.objects.filter(kind=Kind.PROMOTED).count() == 3


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(REGISTRATION_SEAT_LOCK=False)
def test_confirmation_race_without_seat_lock_overbooks():
    """The same race without the lock must overbook: it proves the race test can fail."""
    event = race_event()

    _racers, errors = run_confirmation_race(event)

    assert errors == []
    assert services.seats_taken(event) > ALREADY_CONFIRMED + FREE_SEATS


def test_anonymize_command_uses_retention_setting(db, settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    event = EventFactory(
        start_date=timezone.localdate() - datetime.timedelta(days=40),
        end_date=timezone.localdate() - datetime.timedelta(days=40),
    )
    registration = RegistrationFactory(event=event)
    out = io.StringIO()

    call_command("anonymize_past_registrations", stdout=out)

    registration.refresh_from_db()
    assert registration.erased_at is not None
    assert out.getvalue() == "1 registrations anonymized.\n"


def test_erase_scrubs_admin_history(open_event, organizer):
    registration = RegistrationFactory(event=open_event, first_name="Secret")
    LogEntry.objects.log_actions(
        organizer.pk, [registration], CHANGE, change_message="Changed first name."
    )

    services.erase_registration(registration)

    entry = LogEntry.objects.get()
    assert "Secret" not in entry.object_repr
    assert entry.change_message == ""


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_register_enqueues_delivery_only_after_commit(
    open_event, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration, _created = services.register(open_event, details=details())
        message = registration.emails.get().message
        queued_before_commit = DBTaskResult.objects.count()
    for callback in callbacks:
        callback()

    assert (queued_before_commit, message.state) == (0, Message.State.WAITING)
    queued = DBTaskResult.objects.values_list("task_path", "args_kwargs")
    assert list(queued) == [
        ("outbox.tasks.deliver_messages", {"args": [[message.pk]], "kwargs": {}})
    ]
