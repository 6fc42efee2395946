"""Delivery through a real SMTP server on loopback, stopped and started again mid-run."""

import email
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from outbox.models import Message
from registration.models import Registration
from tests.registration_factories import RegistrationSettingsFactory, form_data


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.connections: set[tuple] = set()  # the client's (address, port) of each connection
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        self.connections.add(session.peer)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that a test can stop and start again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None

    @property
    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.mailbox.messages]


def smtp_mailer(port: int, *, timeout: int):
    """Send through SMTP on loopback (Django 6.1's MAILERS, which replace EMAIL_BACKEND)."""
    return override_settings(
        MAILERS={
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
            }
        }
    )


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    with smtp_mailer(server.port, timeout=2):
        yield server
    if server.controller:
        server.stop()


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=5).event


def register(client, event, address, capture):
    with capture(execute=True):
        response = client.post(
            reverse("registration:register", args=[event.slug]), form_data(event, email=address)
        )
    assert response.status_code == 302
    return Registration.objects.get(email=address)


def test_confirmation_mail_goes_through_smtp_with_calendar(
    client, event, smtp_server, django_capture_on_commit_callbacks
):
    registration = register(client, event, "a@example.org", django_capture_on_commit_callbacks)

    assert smtp_server.subjects == [f"Confirm your registration: {event.title}"]
    message = smtp_server.mailbox.messages[0]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert b"BEGIN:VCALENDAR" in parts["text/calendar"].get_payload(decode=True)
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None
    assert registration.last_mail_error == ""


def test_smtp_down_loses_no_registration_and_retry_sends(
    client, event, smtp_server, django_capture_on_commit_callbacks
):
    register(client, event, "before@example.org", django_capture_on_commit_callbacks)
    smtp_server.stop()

    during = register(client, event, "during@example.org", django_capture_on_commit_callbacks)

    during.refresh_from_db()
    assert Registration.objects.count() == 2
    assert during.status == Registration.Status.PENDING
    assert during.confirmation_sent_at is None
    assert "ConnectionRefusedError" in during.last_mail_error
    owed = Message.objects.get(recipient="during@example.org")
    assert (owed.state, owed.sent_at, owed.attempts) == (Message.State.WAITING, None, 1)

    smtp_server.start()
    call_command("send_pending_registration_mail", stdout=None)

    during.refresh_from_db()
    owed.refresh_from_db()
    assert owed.state == Message.State.SENT
    assert during.last_mail_error == ""
    assert [m["To"] for m in smtp_server.mailbox.messages] == [
        "before@example.org",
        "during@example.org",
    ]


def test_smtp_down_then_resend_from_admin(
    client, admin_client, event, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    registration = register(client, event, "a@example.org", django_capture_on_commit_callbacks)
    smtp_server.start()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:registration_registration_changelist"),
            {"action": "resend_confirmation", "_selected_action": [registration.pk]},
        )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.last_mail_error == ""
    assert smtp_server.subjects == [f"Confirm your registration: {event.title}"]
    assert Message.objects.exclude(state=Message.State.SENT).count() == 0


def test_smtp_server_that_never_answers_times_out(
    client, event, django_capture_on_commit_callbacks
):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def accept_and_stay_silent():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_stay_silent)
    thread.start()
    try:
        with smtp_mailer(listener.getsockname()[1], timeout=1):
            registration = register(
                client, event, "a@example.org", django_capture_on_commit_callbacks
            )
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()

    registration.refresh_from_db()
    assert "timed out" in registration.last_mail_error
    assert Message.objects.get().state == Message.State.WAITING


def test_one_task_sends_every_owed_email_over_one_connection(
    client, event, smtp_server, django_capture_on_commit_callbacks
):
    for n in range(3):  # owed, their tasks not run (as when the worker falls behind)
        client.post(
            reverse("registration:register", args=[event.slug]),
            form_data(event, email=f"early{n}@example.org"),
        )

    register(client, event, "late@example.org", django_capture_on_commit_callbacks)

    assert [m["To"] for m in smtp_server.mailbox.messages] == [
        "early0@example.org",
        "early1@example.org",
        "early2@example.org",
        "late@example.org",
    ]
    assert len(smtp_server.mailbox.connections) == 1
    assert Message.objects.exclude(state=Message.State.SENT).count() == 0


def test_refused_recipient_fails_alone_and_is_kept_failed(
    client, event, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.mailbox.refused = {"gone@example.org"}
    for address in ("first@example.org", "gone@example.org"):
        client.post(
            reverse("registration:register", args=[event.slug]), form_data(event, email=address)
        )

    register(client, event, "last@example.org", django_capture_on_commit_callbacks)

    assert [m["To"] for m in smtp_server.mailbox.messages] == [
        "first@example.org",
        "last@example.org",
    ]
    gone = Registration.objects.get(email="gone@example.org")
    assert "SMTPRecipientsRefused" in gone.last_mail_error
    failed = Message.objects.get(state=Message.State.FAILED)
    assert (failed.recipient, failed.attempts) == ("gone@example.org", 1)
    assert failed.last_error.startswith("SMTPRecipientsRefused")
