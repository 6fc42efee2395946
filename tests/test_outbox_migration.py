"""A database from before the outbox migrates with every registration e-mail kept."""

import datetime
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from outbox.models import Message
from registration import links
from registration.models import RegistrationEmail
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

BEFORE = [("registration", "0004_participant_lists_sequence")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_outbox_migration_keeps_every_registration_email():
    registration = RegistrationFactory(event=RegistrationSettingsFactory().event)
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    OldEmail = old_apps.get_model("registration", "RegistrationEmail")
    sent_at = timezone.now() - datetime.timedelta(days=1)
    OldEmail.objects.create(
        registration_id=registration.pk, kind="confirm_address", sent_at=sent_at, attempts=1
    )
    OldEmail.objects.create(
        registration_id=registration.pk,
        kind="seat_confirmed",
        attempts=2,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    emails = RegistrationEmail.objects.select_related("message").order_by("pk")
    outcomes = [
        (e.kind, e.message.state, e.message.sent_at, e.message.attempts, e.message.recipient)
        for e in emails
    ]
    assert outcomes == [
        ("confirm_address", "sent", sent_at, 1, registration.email),
        ("seat_confirmed", "waiting", None, 2, registration.email),
    ]
    owed = emails[1].message
    assert owed.subject == f"Your seat is confirmed: {registration.event.title}"
    # The link is signed with a timestamp: compare the access key it carries, not the URL, which
    # differs when the migration and this line fall in different seconds.
    token = re.search(rf"/{registration.event.slug}/registration/([^/\s]+)/", owed.text)
    assert links.read_token(token[1]) == registration.access_key.hex
    assert [a["filename"] for a in owed.attachments] == [f"{registration.event.slug}.ics"]
    assert Message.objects.count() == 2
