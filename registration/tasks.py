"""Background work of the registration app, run by Django's Tasks framework."""

from django.tasks import task

from registration import services


@task()
def send_registration_email(email_id: int) -> bool:
    """Deliver an owed registration e-mail, and with it other owed ones on the same connection
    (see services.deliver_emails). Returns whether this task's own e-mail was sent now."""
    return email_id in services.deliver_emails([email_id], also_owed=services.DELIVERY_BATCH)


@task()
def send_requested_link(event_id: int, email_normalized: str) -> bool:
    """Look up the address a visitor asked a link for and owe its registration the e-mail with
    the link (see services.send_requested_link). Returns whether an e-mail was queued."""
    return services.send_requested_link(event_id, email_normalized=email_normalized)
