"""Background work of the registration app, run by Django's Tasks framework."""

from django.tasks import task

from registration import services


@task()
def send_registration_email(email_id: int) -> bool:
    """Deliver an owed registration e-mail, and with it other owed ones on the same connection
    (see services.deliver_emails). Returns whether this task's own e-mail was sent now."""
    return email_id in services.deliver_emails([email_id], also_owed=services.DELIVERY_BATCH)
