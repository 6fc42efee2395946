"""Certificates of attendance: a one-page PDF for each participant checked in at least once
(Registration.checked_in_at), in their language, and the e-mails that tell them where to get it.

The PDF is a documents-app document per registration and language (kind "certificate", key
"certificate-<pk>"), stored and served again while the
registration and the event are unchanged (the participant lists' sequence advances at every write
to a registration). It is reached only through the participant's signed link: no public address
names a person.

Sending writes one outbox message per checked-in participant, in their language, with the link
to their own download; the outbox delivers after commit. Attachments would make the outbox
carry a PDF per person; a link keeps it small. Erasing the registration deletes both
(`forget_certificates`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda import content
from agenda.models import Event
from documents import pdf
from documents.models import RenderedDocument
from documents.parts import event_header
from idm_seminar.pagecache import content_version
from outbox import services as outbox
from outbox.models import Message
from registration.emails import one_line, site_url
from registration.models import PARTICIPANT_LISTS_SEQUENCE, Registration

OUTBOX_KIND = "registration.certificate"
OUTBOX_TOPIC = "registration.certificate"


def is_available(registration: Registration, *, today=None) -> bool:
    """Whether the participant may download a certificate: checked in at least once, not
    erased, and the event has begun (its first day has come, in the site's time zone)."""
    today = timezone.localdate() if today is None else today
    return (
        registration.checked_in_at is not None
        and registration.erased_at is None
        and registration.event.start_date <= today
    )


def certificate_key(registration: Registration) -> str:
    return f"certificate-{registration.pk}"


def certificate_spec(registration: Registration) -> pdf.DocumentSpec:
    """The certificate of `registration` in its language: "This is to certify that <name>
    (<organization>, <country>) attended <event> held in <venue> on <dates>"."""
    language = registration.language
    event = registration.event

    def build() -> dict[str, Any]:
        fresh = Registration.objects.get(pk=registration.pk)
        header = event_header(
            Event.objects.select_related("organizer").get(pk=event.pk), language=language
        )
        affiliation = [
            part
            for part in (fresh.organization, str(fresh.country.name) if fresh.country else "")
            if part
        ]
        return {
            "document_title": f"{_('Certificate of attendance')}: {fresh.full_name}",
            "lang": language,
            "event": header,
            "name": fresh.full_name,
            "affiliation": ", ".join(affiliation),
        }

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.CERTIFICATE,
        key=certificate_key(registration),
        template="pdf/certificate.html",
        build=build,
        language=language,
        extra_version=str(content_version(PARTICIPANT_LISTS_SEQUENCE)),
    )


def forget_certificates(registration: Registration) -> None:
    """Delete what names the participant outside their registration: their stored certificates
    (every language) and the certificate e-mails written to them. Called by the erasure
    (registration.services.privacy), in its transaction."""
    RenderedDocument.objects.filter(
        event_id=registration.event_id,
        kind=RenderedDocument.Kind.CERTIFICATE,
        key=certificate_key(registration),
    ).delete()
    Message.objects.filter(topic=OUTBOX_TOPIC, object_id=registration.pk).delete()


def certificate_url(registration: Registration) -> str:
    """The participant's own address of their certificate (signed, in their language)."""
    with translation.override(registration.language):
        return site_url(
            reverse(
                "registration:certificate",
                kwargs={"event": registration.event.slug, "token": registration.token},
            )
        )


@dataclass(frozen=True)
class Sent:
    sent: int
    skipped: int


def send_certificates(*, registrations: Iterable[Registration]) -> Sent:
    """Queue one e-mail per participant of `registrations` who may have a certificate
    (`is_available`), in their language, with the link to their download; the others are
    skipped. Written in the caller's transaction, delivered by the outbox after commit."""
    sent = skipped = 0
    for registration in registrations:
        if not is_available(registration) or not registration.email:
            skipped += 1
            continue
        with translation.override(registration.language):
            context = {
                "registration": registration,
                # Plain text: a title not written in this language is given in the original one.
                "event_title": content.text(
                    registration.event,
                    "title",
                    original=registration.event.original_language,
                    language=registration.language,
                ).plain,
                "certificate_url": certificate_url(registration),
                "manage_url": site_url(registration.get_absolute_url()),
            }
            subject = one_line(
                render_to_string("registration/email/certificate_subject.txt", context)
            )
            text = render_to_string("registration/email/certificate.txt", context)
        outbox.queue_email(
            recipient=registration.email,
            subject=subject,
            text=text,
            language=registration.language,
            kind=OUTBOX_KIND,
            topic=OUTBOX_TOPIC,
            object_id=registration.pk,
        )
        sent += 1
    return Sent(sent=sent, skipped=skipped)
