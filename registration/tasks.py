"""Background work of the registration app, run by Django's Tasks framework.

Tasks import the service they run inside the task function: services never import this module
(they enqueue by dotted path through idm_seminar.tasks.enqueue_on_commit).
"""

from django.tasks import task


@task()
def send_requested_link(event_id: int, email_normalized: str) -> bool:
    """Look up the address a visitor asked a link for and owe its registration the e-mail with
    the link (see registering.send_requested_link). Returns whether an e-mail was queued."""
    from registration.services import registering

    return registering.send_requested_link(event_id, email_normalized=email_normalized)


@task()
def send_requested_delegation_link(event_id: int, email_normalized: str) -> int:
    """Owe the focal point of the delegations registered with this address the e-mail with
    their link (see focal_points.send_requested_delegation_link). Returns the e-mails queued."""
    from registration.services import focal_points

    return focal_points.send_requested_delegation_link(event_id, email_normalized=email_normalized)
