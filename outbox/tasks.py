"""Background delivery of the outbox, run by Django's Tasks framework."""

from django.tasks import task


@task()
def deliver_messages(message_ids: list[int]) -> list[int]:
    """Deliver the messages named, and with them other due ones on the same connection (see
    services.deliver_messages). Returns the ids sent now."""
    from outbox import services

    return sorted(services.deliver_messages(message_ids, also_due=services.BATCH_SIZE))
