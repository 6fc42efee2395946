"""The outbox against a real SMTP server on loopback: down during a registration rush, back,
refusing for good, and delivering from two senders at once."""

import asyncio
import datetime
import threading
from collections import Counter

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from outbox import services as outbox
from outbox.models import Message
from registration import services
from tests.registration_factories import RegistrationSettingsFactory
from tests.test_registration_mail import Mailbox, SmtpServer, smtp_mailer
from tests.test_registration_services import details

RUSH = 100


class SlowMailbox(Mailbox):
    """A mailbox that takes a few milliseconds per message (so two senders overlap), refuses
    some recipients with the reply given, and counts the messages each recipient got."""

    def __init__(self):
        super().__init__()
        self.replies: dict[str, str] = {}
        self.delay = 0.01
        self.first_received = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.first_received.set()
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    def received(self) -> Counter:
        return Counter(str(message["To"]) for message in self.messages)


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.mailbox = SlowMailbox()
    server.start()
    with smtp_mailer(server.port, timeout=2):
        yield server
    if server.controller:
        server.stop()


def rush_with_smtp_down(smtp_server) -> list[str]:
    """RUSH people register while the mail server is down; their addresses."""
    event = RegistrationSettingsFactory(capacity=RUSH).event
    smtp_server.stop()
    addresses = [f"person{n}@example.org" for n in range(RUSH)]
    for address in addresses:
        services.register(event, details=details(email=address))
    return addresses


def deliver_from_two_senders_at_once(mailbox, *, second: str) -> list[BaseException]:
    """Run `send_outbox --all` twice, each on its own connection: both at once
    (`second="together"`), or the second once the mail server has received the first message
    (`second="during-first-batch"`: the first holds its claimed batch, half a second there)."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(wait_for_first_message: bool):
        try:
            barrier.wait(timeout=30)
            if wait_for_first_message:
                assert mailbox.first_received.wait(timeout=30)
            call_command("send_outbox", "--all", stdout=None, stderr=None)
        except BaseException as error:  # every failure counts
            errors.append(error)
        finally:
            connection.close()

    waits = (False, second == "during-first-batch")
    threads = [threading.Thread(target=send, args=(wait,)) for wait in waits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["together", "during-first-batch"])
def test_outbox_smtp_down_during_rush_keeps_all_then_delivers_each_once(
    smtp_server, admin_client, second
):
    addresses = rush_with_smtp_down(smtp_server)

    waiting = Message.objects.filter(state=Message.State.WAITING)
    assert waiting.count() == RUSH
    assert set(waiting.values_list("recipient", flat=True)) == set(addresses)
    assert all(m.last_error.startswith("ConnectionRefusedError") for m in waiting)
    page = admin_client.get(reverse("admin:outbox_message_changelist"), {"state__exact": "waiting"})
    assert page.context["cl"].result_count == RUSH
    assert "ConnectionRefusedError" in page.content.decode()

    smtp_server.start()
    errors = deliver_from_two_senders_at_once(smtp_server.mailbox, second=second)

    assert errors == []
    assert smtp_server.mailbox.received() == Counter(dict.fromkeys(addresses, 1))
    assert Message.objects.filter(state=Message.State.SENT).count() == RUSH


@pytest.mark.django_db(transaction=True)
def test_outbox_without_claims_two_senders_send_twice(smtp_server, monkeypatch):
    # The lock-off twin of the test above: a claim that runs out at once lets the second sender
    # take the messages the first is sending, so the test above can fail.
    addresses = rush_with_smtp_down(smtp_server)
    monkeypatch.setattr(outbox, "CLAIM_DURATION", datetime.timedelta(seconds=-1))

    smtp_server.start()
    errors = deliver_from_two_senders_at_once(smtp_server.mailbox, second="during-first-batch")

    received = smtp_server.mailbox.received()
    assert errors == []
    assert set(received) == set(addresses)
    assert max(received.values()) == 2


def test_outbox_temporary_failure_waits_with_growing_backoff(db, smtp_server):
    smtp_server.mailbox.replies = {"busy@example.org": "451 Try again later"}
    message = outbox.queue_email(
        recipient="busy@example.org", subject="Hello", text="Text", language="en", kind="test"
    )

    before = timezone.now()
    outbox.deliver_messages([message.pk])
    message.refresh_from_db()
    first_wait = message.next_attempt_at - before
    outbox.deliver_messages([message.pk])
    message.refresh_from_db()
    second_wait = message.next_attempt_at - timezone.now()

    assert (message.state, message.attempts) == (Message.State.WAITING, 2)
    assert message.last_error.startswith("SMTPRecipientsRefused")
    # 1 then 2 minutes, give or take the time the exchanges took on a busy machine.
    assert datetime.timedelta(seconds=59) < first_wait <= datetime.timedelta(seconds=75)
    assert datetime.timedelta(seconds=100) < second_wait <= datetime.timedelta(seconds=121)
    assert outbox.send_outbox() == (0, 0)  # not due yet: the scheduler leaves it


def test_outbox_temporary_failures_end_failed_after_the_last_attempt(db, smtp_server):
    smtp_server.mailbox.replies = {"busy@example.org": "451 Try again later"}
    message = outbox.queue_email(
        recipient="busy@example.org", subject="Hello", text="Text", language="en", kind="test"
    )
    Message.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)

    outbox.deliver_messages([message.pk])

    message.refresh_from_db()
    assert (message.state, message.next_attempt_at) == (Message.State.FAILED, None)


def test_outbox_permanent_failure_kept_failed_then_admin_resends(
    db, smtp_server, admin_client, django_capture_on_commit_callbacks
):
    smtp_server.mailbox.replies = {"gone@example.org": "550 No such mailbox"}
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.queue_email(
            recipient="gone@example.org", subject="Hello", text="Text", language="en", kind="test"
        )

    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.FAILED, 1)
    assert message.last_error.startswith("SMTPRecipientsRefused")
    assert "550" in message.last_error
    assert call_command("send_outbox", "--all", stdout=None, stderr=None) is None
    assert smtp_server.mailbox.messages == []  # failed for good: not sent again by the scheduler

    smtp_server.mailbox.replies = {}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:outbox_message_changelist"),
            {"action": "resend", "_selected_action": [message.pk]},
        )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (Message.State.SENT, 2, "")
    assert smtp_server.mailbox.received() == Counter({"gone@example.org": 1})


def test_outbox_resend_leaves_sent_messages_alone(
    db, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.queue_email(
            recipient="a@example.org", subject="Hello", text="Text", language="en", kind="test"
        )
    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.resend_messages(Message.objects.all())

    assert count == 0
    assert smtp_server.mailbox.received() == Counter({"a@example.org": 1})
    message.refresh_from_db()
    assert message.state == Message.State.SENT


def test_outbox_admin_is_read_only(db, admin_client):
    message = outbox.queue_email(
        recipient="a@example.org", subject="Hello", text="Text", language="en", kind="test"
    )

    add = admin_client.get(reverse("admin:outbox_message_add"))
    change = admin_client.post(
        reverse("admin:outbox_message_change", args=[message.pk]), {"recipient": "b@example.org"}
    )
    delete = admin_client.post(reverse("admin:outbox_message_delete", args=[message.pk]))

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    message.refresh_from_db()
    assert message.recipient == "a@example.org"


def test_outbox_admin_searches_by_recipient(db, admin_client):
    for address in ("a@example.org", "b@example.org"):
        outbox.queue_email(
            recipient=address, subject="Hello", text="Text", language="en", kind="test"
        )

    page = admin_client.get(reverse("admin:outbox_message_changelist"), {"q": "b@example"})

    assert [m.recipient for m in page.context["cl"].result_list] == ["b@example.org"]


@pytest.mark.django_db(transaction=True)
def test_outbox_talks_smtp_with_no_transaction_open(smtp_server):
    sender_pid = connection.cursor().connection.info.backend_pid
    states = []
    db = connection.settings_dict
    params = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"] or None,
    }
    inner = smtp_server.mailbox.handle_DATA

    def state_of_sender():
        with psycopg.connect(**params) as watcher:
            row = watcher.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [sender_pid])
            return row.fetchone()[0]

    async def handle_DATA(server, session, envelope):
        states.append(await asyncio.to_thread(state_of_sender))
        return await inner(server, session, envelope)

    smtp_server.mailbox.handle_DATA = handle_DATA
    event = RegistrationSettingsFactory(capacity=5).event

    services.register(event, details=details(email="a@example.org"))

    assert states == ["idle"]
    assert Message.objects.get().state == Message.State.SENT


def test_outbox_takes_the_subject_of_an_event_with_the_longest_title(
    db, smtp_server, django_capture_on_commit_callbacks
):
    event = RegistrationSettingsFactory(capacity=5, event__title="T" * 300).event

    with django_capture_on_commit_callbacks(execute=True):
        services.register(event, details=details())

    message = Message.objects.get()
    assert message.subject == f"Confirm your registration: {'T' * 300}"
    assert message.state == Message.State.SENT
    assert len(smtp_server.mailbox.messages) == 1
