"""Background work of the registration app, run by Django's Tasks framework."""

from django.tasks import task

from registration import services


@task()
def send_registration_email(email_id: int) -> bool:
    """Deliver one owed registration e-mail (see services.deliver_email)."""
    return services.deliver_email(email_id)
