"""Queue and deliver e-mail through the outbox.

Invariants kept here:
- A message is a row written in the caller's transaction (`queue_email`); its delivery is
  enqueued after that transaction commits, so it never runs before the row exists and a rolled
  back change sends nothing.
- No SMTP conversation happens inside a database transaction. A sender claims messages in a
  short transaction (`SELECT ... FOR UPDATE SKIP LOCKED`, then `claimed_until` set), talks to
  the mail server with no transaction open, then records the outcomes in another short one.
  A claimed message is skipped by every other sender until its claim runs out, so two senders
  at once never send a message twice.
- Temporary failures (4xx replies, refused or dropped connections, timeouts) leave the message
  waiting, tried again after an exponential back-off; permanent ones (5xx replies) and messages
  out of attempts are kept as failed with their last error, until an organizer re-sends them.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from idm_seminar.tasks import enqueue_on_commit
from outbox.models import Message
from outbox.signals import delivery_attempted

logger = logging.getLogger(__name__)

State = Message.State

DELIVER_TASK = "outbox.tasks.deliver_messages"
# A delivery task also sends up to this many other due messages over its connection to the mail
# server: under load one task does the work of many, and the tasks after it find nothing to do.
BATCH_SIZE = 50
# How long a sender may hold claimed messages; past it, a sender that died is taken over.
CLAIM_DURATION = datetime.timedelta(minutes=15)
# Back-off after the n-th temporary failure: FIRST_RETRY * 2**(n-1), at most LONGEST_WAIT.
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=4)
# After this many temporary failures a message is kept as failed (about a day of trying).
MAX_ATTEMPTS = 12


def queue_email(
    *,
    recipient: str,
    subject: str,
    text: str,
    language: str,
    kind: str,
    html: str = "",
    attachments: Sequence[tuple[str, str, str]] = (),
    topic: str = "",
    object_id: int | None = None,
) -> Message:
    """Write a waiting message in the caller's transaction and enqueue its delivery for after
    the commit. `attachments` are (filename, text content, mimetype); `kind` says what the
    message is (e.g. "registration.confirm_address"), `topic` and `object_id` what caused it
    (e.g. "registration.registration", 42). Returns the message."""
    now = timezone.now()
    message = Message.objects.create(
        recipient=recipient,
        language=language,
        subject=subject,
        text=text,
        html=html,
        attachments=[
            {"filename": name, "content": content, "mimetype": mimetype}
            for name, content, mimetype in attachments
        ],
        kind=kind,
        topic=topic,
        object_id=object_id,
        created_at=now,
        next_attempt_at=now,
    )
    enqueue_on_commit(DELIVER_TASK, [message.pk])
    return message


def queue_emails(messages: Sequence[Message]) -> list[Message]:
    """Write many waiting messages (unsaved Message objects: recipient, language, subject,
    text, kind, topic, object_id) in the caller's transaction with bulk inserts, and enqueue
    their delivery after the commit in batches of BATCH_SIZE, one task per batch. Returns the
    messages, with their primary keys."""
    now = timezone.now()
    for message in messages:
        message.state = State.WAITING
        message.created_at = now
        message.next_attempt_at = now
    created = Message.objects.bulk_create(messages, batch_size=500)
    ids = [message.pk for message in created]
    for start in range(0, len(ids), BATCH_SIZE):
        enqueue_on_commit(DELIVER_TASK, ids[start : start + BATCH_SIZE])
    return created


def resend_messages(messages: Iterable[Message]) -> int:
    """Put waiting or failed messages back in line to be sent now, and enqueue their delivery
    after commit. Sent messages are left alone. Returns how many were put back in line."""
    ids = [message.pk for message in messages if message.state != State.SENT]
    with transaction.atomic():
        count = (
            Message.objects.filter(pk__in=ids)
            .exclude(state=State.SENT)
            .update(state=State.WAITING, next_attempt_at=timezone.now(), claimed_until=None)
        )
    if count:
        enqueue_on_commit(DELIVER_TASK, ids)
    return count


def deliver_messages(message_ids: Sequence[int] = (), *, also_due: int = 0) -> set[int]:
    """Send the waiting messages named, and up to `also_due` other waiting messages whose time
    has come, over one connection to the mail server; record each outcome. Returns the ids
    sent now.

    Messages claimed by another sender, sent or failed already are skipped. Must be called
    outside any transaction (no SMTP conversation inside one)."""
    messages = _claim(message_ids, also_due=also_due)
    if not messages:
        return set()
    _send_over_one_connection(messages)
    with transaction.atomic():
        Message.objects.bulk_update(
            messages,
            ["state", "sent_at", "attempts", "next_attempt_at", "claimed_until", "last_error"],
        )
        delivery_attempted.send(sender=Message, messages=messages)
    return {message.pk for message in messages if message.state == State.SENT}


def send_outbox(*, limit: int | None = None, include_not_due: bool = False) -> tuple[int, int]:
    """Send the waiting messages whose time has come (every waiting one with
    `include_not_due`, e.g. once the mail server is known to be back), oldest first, in batches
    over one connection each. Returns (sent now, still waiting or failed of those tried)."""
    waiting = Message.objects.filter(state=State.WAITING).order_by("created_at", "pk")
    if not include_not_due:
        waiting = waiting.filter(next_attempt_at__lte=timezone.now())
    ids = list(waiting.values_list("pk", flat=True)[:limit])
    sent = set()
    for start in range(0, len(ids), BATCH_SIZE):
        sent |= deliver_messages(ids[start : start + BATCH_SIZE])
    not_sent = Message.objects.filter(pk__in=ids).exclude(state=State.SENT).count()
    return len(sent), not_sent


def _claim(message_ids: Sequence[int], *, also_due: int) -> list[Message]:
    now = timezone.now()
    with transaction.atomic():
        free = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(state=State.WAITING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("created_at", "pk")
        )
        messages = list(free.filter(pk__in=message_ids))
        if also_due:
            others = free.filter(next_attempt_at__lte=now).exclude(pk__in=message_ids)
            messages += others[:also_due]
        messages.sort(key=lambda message: (message.created_at, message.pk))
        Message.objects.filter(pk__in=[message.pk for message in messages]).update(
            claimed_until=now + CLAIM_DURATION
        )
    return messages


def build_email(message: Message) -> EmailMultiAlternatives:
    """The e-mail of an outbox message, as it goes to the mail server: it says which language
    it is written in (Content-Language), for mail programs' spelling and reading voices."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Content-Language": message.language} if message.language else None,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def is_temporary(error: Exception) -> bool:
    """Whether trying again later may succeed: a 4xx reply, or a refused, dropped or timed-out
    connection. A 5xx reply (refused recipient, rejected message) is permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _breaks_connection(error: Exception) -> bool:
    """Whether the messages after this failure would fail the same way (or wait for a timeout),
    unlike a refused recipient or message."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _send_over_one_connection(messages: list[Message]) -> None:
    """Send each message and set its outcome fields (not saved)."""
    untried = list(messages)
    try:
        with mailers.default as mailer:
            while untried:
                message = untried.pop(0)
                try:
                    mailer.send_messages([build_email(message)])
                except (OSError, ValueError) as error:  # smtplib's errors are OSErrors too
                    _record_failure(message, error)
                    if _breaks_connection(error):
                        raise
                else:
                    _record_success(message)
    except OSError as error:  # the connection could not be opened, or broke
        for message in untried:
            _record_failure(message, error)


def _record_success(message: Message) -> None:
    message.attempts += 1
    message.state = State.SENT
    message.sent_at = timezone.now()
    message.next_attempt_at = None
    message.claimed_until = None
    message.last_error = ""


def _record_failure(message: Message, error: Exception) -> None:
    message.attempts += 1
    message.claimed_until = None
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if is_temporary(error) and message.attempts < MAX_ATTEMPTS:
        wait = min(FIRST_RETRY * 2 ** (message.attempts - 1), LONGEST_WAIT)
        message.next_attempt_at = timezone.now() + wait
    else:
        message.state = State.FAILED
        message.next_attempt_at = None
    logger.warning("Outbox message %s not sent: %s", message.pk, message.last_error)
