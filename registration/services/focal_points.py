"""What a focal point is e-mailed: the link to their delegation when they register it, and
again when they ask for it (the link expires like a participant's).

Written in the focal point's language (Delegation.language) and queued in the outbox under the
topic DELEGATION_TOPIC with the delegation as its object, in the transaction of its cause.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from agenda import content
from agenda.models import Event
from idm_seminar.tasks import enqueue_on_commit
from outbox import services as outbox
from outbox.models import Message
from registration.emails import one_line, site_url
from registration.models import Delegation, normalize_email, settings_for
from registration.services.registering import LINK_RESEND_INTERVAL

# The outbox's name for what caused an e-mail to a focal point.
DELEGATION_TOPIC = "registration.delegation"


def request_delegation_link(event: Event, *, email: str) -> None:
    """Queue the sending of their link to the focal point of the event's delegations registered
    with this address, if any. Like registering.request_link, does the same work whatever the
    address (it only queues send_requested_delegation_link), so that neither the answer nor its
    timing tells whether the address registered a delegation."""
    enqueue_on_commit(
        "registration.tasks.send_requested_delegation_link", event.pk, normalize_email(email)
    )


def send_requested_delegation_link(event_id: int, *, email_normalized: str) -> int:
    """The queued half of request_delegation_link: owe the focal point of each delegation of the
    event registered with this address (not withdrawn or erased) the e-mail with its link,
    unless one went out moments ago. Returns the number of e-mails queued."""
    queued = 0
    found = Delegation.objects.filter(
        event_id=event_id,
        focal_point_email__iexact=email_normalized,
        withdrawn_at__isnull=True,
        erased_at__isnull=True,
    ).select_related("event")
    for delegation in found:
        if normalize_email(delegation.focal_point_email) != email_normalized:
            continue
        recent = Message.objects.filter(
            topic=DELEGATION_TOPIC,
            object_id=delegation.pk,
            created_at__gte=timezone.now() - LINK_RESEND_INTERVAL,
        ).exists()
        if recent:
            continue
        with transaction.atomic():
            queue_email(delegation, "delegation_link")
        queued += 1
    return queued


def queue_email(delegation: Delegation, kind: str) -> None:
    """Owe the focal point an e-mail of this kind, in their language, with their link."""
    event = delegation.event
    language = delegation.language
    with translation.override(language):
        context = {
            "delegation": delegation,
            "event": event,
            "event_title": content.text(
                event, "title", original=event.original_language, language=language
            ).plain,
            "members": list(delegation.members.order_by("-is_head_of_delegation", "pk")),
            "delegation_url": site_url(delegation.get_absolute_url()),
            "new_link_url": site_url(
                reverse("registration:delegation-request-link", args=[event.slug])
            ),
            "link_days": settings.REGISTRATION_LINK_MAX_AGE_DAYS,
            "event_url": site_url(event.get_absolute_url()),
            "closes_at": settings_for(event).effective_closes_at,
        }
        subject = one_line(render_to_string(f"registration/email/{kind}_subject.txt", context))
        text = render_to_string(f"registration/email/{kind}.txt", context)
    outbox.queue_email(
        recipient=delegation.focal_point_email,
        subject=subject,
        text=text,
        language=language,
        kind=f"registration.{kind}",
        topic=DELEGATION_TOPIC,
        object_id=delegation.pk,
    )
