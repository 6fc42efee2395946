"""Speakers' links, abstracts and slides.

- Signed speaker links: issued one in force per person and event by a task after commit, e-mailed
  through the outbox, opened by the speaker's page.
- Abstracts and slides a speaker submits through their page, checked against their quota.

A speaker is written to in their language (Person.language, set by organizers): the link e-mail,
the page it opens and the brief; an abstract they submit is kept as their text in that language.
"""

import dataclasses
import datetime
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda import content, formatting
from agenda.models import Event, Person, Presentation
from agenda.services import events_with_roles
from documents import pdf
from documents import services as document_services
from idm_seminar.tasks import enqueue_on_commit
from outbox import services as outbox
from outbox.models import Message
from speakers import slides
from speakers.models import SlideDeck, SpeakerLink

logger = logging.getLogger(__name__)


# --- Speaker links -------------------------------------------------------------------------------

SPEAKER_LINK_SALT = "agenda.speaker-link"
# A link works at least settings.SPEAKER_LINK_MIN_DAYS from when it is issued, and in any case
# until this many days after the event's last day (speakers look back at their brief).
SPEAKER_LINK_DAYS_AFTER_EVENT = 14


class SpeakerLinkError(Exception):
    """A link that opens nothing; `code` says why: invalid, revoked or expired."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def speaker_link_expiry(event: Event, *, issued_at: datetime.datetime) -> datetime.datetime:
    """When a link to the event issued at `issued_at` stops working: the later of
    settings.SPEAKER_LINK_MIN_DAYS after issue and SPEAKER_LINK_DAYS_AFTER_EVENT days after the
    end of the event's last day at its venue."""
    after_event = datetime.datetime.combine(
        event.end_date + datetime.timedelta(days=1 + SPEAKER_LINK_DAYS_AFTER_EVENT),
        datetime.time.min,
        tzinfo=event.tzinfo,
    )
    return max(issued_at + datetime.timedelta(days=settings.SPEAKER_LINK_MIN_DAYS), after_event)


def issue_speaker_link(person: Person, *, event: Event) -> tuple[SpeakerLink, str]:
    """A new link to the person's page for the event, and its token (shown once, never stored).

    Revokes the person's previous link for the event: one link is in force at a time. The link
    expires as `speaker_link_expiry` says. Callers that e-mail links skip events that have ended
    (`send_speaker_links`, `deliver_speaker_link`).
    """
    secret = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        SpeakerLink.objects.filter(event=event, person=person, revoked_at__isnull=True).update(
            revoked_at=now
        )
        link = SpeakerLink.objects.create(
            event=event,
            person=person,
            token_hash=_token_hash(secret),
            expires_at=speaker_link_expiry(event, issued_at=now),
        )
    token = signing.dumps({"l": link.pk, "s": secret}, salt=SPEAKER_LINK_SALT, compress=False)
    return link, token


def revoke_speaker_links(links) -> int:
    """Revoke the given links (a queryset); returns how many were in force."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def open_speaker_link(token: str, *, event: Event) -> SpeakerLink:
    """The link a token stands for, if it is genuine, for this event, in force and not expired.

    Raises SpeakerLinkError otherwise. Records when the link was last used.
    """
    try:
        data = signing.loads(token, salt=SPEAKER_LINK_SALT)
        link_id, secret = int(data["l"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise SpeakerLinkError("invalid") from error
    link = (
        SpeakerLink.objects.select_related("person__organization", "event")
        .filter(pk=link_id, event=event)
        .first()
    )
    if link is None or not secrets.compare_digest(link.token_hash, _token_hash(secret)):
        raise SpeakerLinkError("invalid")
    if link.revoked_at is not None:
        raise SpeakerLinkError("revoked")
    now = timezone.now()
    if link.expires_at <= now:
        raise SpeakerLinkError("expired")
    SpeakerLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return link


def speaker_page_url(event: Event, token: str, *, language: str | None = None) -> str:
    """The address of the speaker's page, in `language` (the active one by default)."""
    with translation.override(language or translation.get_language()):
        path = reverse("speakers:page", kwargs={"event": event.slug, "token": token})
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class SkippedSpeaker:
    """A person who was sent no link, and why: `reason` is one of SpeakerLinksSent.REASONS;
    `event` is None when the person has no role in any event."""

    person: Person
    event: Event | None
    reason: str


@dataclass
class SpeakerLinksSent:
    """What a request to send speaker links did: e-mails queued, and who was skipped."""

    NO_EMAIL = "no_email"
    NO_ROLE = "no_role"
    EVENT_ENDED = "event_ended"
    REASONS = (NO_EMAIL, NO_ROLE, EVENT_ENDED)

    queued: int = 0
    skipped: list[SkippedSpeaker] = dataclass_field(default_factory=list)

    def skip(self, person: Person, *, event: Event | None, reason: str) -> None:
        self.skipped.append(SkippedSpeaker(person=person, event=event, reason=reason))


def send_speaker_links(
    event: Event, *, people: Iterable[Person], sent: SpeakerLinksSent | None = None
) -> SpeakerLinksSent:
    """Queue an e-mail with a new personal link to the event for each of `people`.

    People without an e-mail address are skipped, and everyone when the event has ended (a past
    event's page is read-only: it gets no new links). Each person's previous link stops working
    when the new one is issued (in the task). The e-mails are queued after the transaction
    commits. Adds to `sent` when given (one report for several events) and returns it.
    """
    sent = SpeakerLinksSent() if sent is None else sent
    ended = event.has_ended
    for person in people:
        if ended:
            sent.skip(person, event=event, reason=SpeakerLinksSent.EVENT_ENDED)
        elif not person.email:
            sent.skip(person, event=event, reason=SpeakerLinksSent.NO_EMAIL)
        else:
            enqueue_on_commit("speakers.tasks.send_speaker_link_task", event.pk, person.pk)
            sent.queued += 1
    return sent


def send_speaker_links_to_people(people: Iterable[Person]) -> SpeakerLinksSent:
    """`send_speaker_links` for each event each person has a role in, in one report; people
    with no role in any event are skipped (reason no_role)."""
    sent = SpeakerLinksSent()
    for person in people:
        events = Event.objects.filter(pk__in=events_with_roles(person)).order_by("start_date", "pk")
        if not events:
            sent.skip(person, event=None, reason=SpeakerLinksSent.NO_ROLE)
        for event in events:
            send_speaker_links(event, people=[person], sent=sent)
    return sent


# The outbox's name for what caused a speaker-link e-mail.
SPEAKER_LINK_TOPIC = "speakers.speakerlink"


def deliver_speaker_link(person: Person, *, event: Event) -> SpeakerLink | None:
    """Issue a new link for the person and queue the e-mail with it in the outbox, in one
    transaction (the task's work). The link's `sent_at` is set when the outbox delivers it
    (`record_speaker_link_outcomes`).

    The e-mail is written in the person's language (Person.language), its link goes to their
    page at that language's address, and the event's title and organizer's name are given in it
    where organizers wrote them (agenda.content).

    Does nothing and returns None when the event has ended or the person has no e-mail address
    by the time the task runs.
    """
    if event.has_ended or not person.email:
        ids = (person.pk, event.pk)
        logger.info("No speaker link for person %s, event %s: it ended or no address", *ids)
        return None
    language = person.language
    with transaction.atomic():
        link, token = issue_speaker_link(person, event=event)
        with translation.override(language):
            title = content.text(
                event, "title", original=event.original_language, language=language
            ).plain
            expires_on = timezone.localdate(link.expires_at)
            context = {
                "person": person,
                "event": event,
                "event_title": title,
                "organizer": content.text(
                    event.organizer, "name", original=event.original_language, language=language
                ).plain,
                "url": speaker_page_url(event, token, language=language),
                "expires_on": formatting.day_month_year(expires_on),
            }
            subject = _("Your page as a speaker at %(title)s") % {"title": title}
            text = render_to_string("speakers/email/speaker_link.txt", context)
        outbox.queue_email(
            recipient=person.email,
            subject=subject,
            text=text,
            language=language,
            kind="speakers.speaker_link",
            topic=SPEAKER_LINK_TOPIC,
            object_id=link.pk,
        )
    return link


def record_speaker_link_outcomes(messages: list[Message]) -> None:
    """Mark the speaker links whose e-mail the outbox has just delivered as sent. Called by the
    outbox after each delivery attempt, in the transaction that records it."""
    sent = {m.object_id: m.sent_at for m in messages if m.topic == SPEAKER_LINK_TOPIC and m.sent_at}
    for link_id, sent_at in sent.items():
        SpeakerLink.objects.filter(pk=link_id).update(sent_at=sent_at)


# --- Briefs --------------------------------------------------------------------------------------


def speaker_brief_spec(person: Person, *, event: Event) -> pdf.DocumentSpec:
    """The person's brief for the event (documents.services.speaker_brief_spec) in their
    language (Person.language), whatever the language of the request that asks for it."""
    with translation.override(person.language):
        spec = document_services.speaker_brief_spec(person, event=event)
    if spec.language != person.language:
        # Where the documents app builds a brief in one language only, ask for theirs.
        spec = dataclasses.replace(spec, language=person.language)
    return spec


# --- Abstracts and slides ------------------------------------------------------------------------

ABSTRACT_MAX_CHARACTERS = 6000


def _check_speaker(presentation: Presentation, person: Person) -> None:
    if not presentation.speaker_links.filter(person=person).exists():
        raise ValidationError(_("You are not a speaker of this presentation."), code="not_speaker")


def submit_abstract(presentation: Presentation, *, person: Person, text: str) -> Presentation:
    """Set the presentation's abstract, as one of its speakers submitted it (plain text), in the
    speaker's language (Person.language): the abstract in the other languages is left as
    organizers wrote it, whatever the language of the request."""
    _check_speaker(presentation, person)
    text = text.replace("\r\n", "\n").strip()
    if len(text) > ABSTRACT_MAX_CHARACTERS:
        raise ValidationError(
            _("An abstract has at most %(limit)d characters."),
            code="abstract_too_long",
            params={"limit": ABSTRACT_MAX_CHARACTERS},
        )
    column = f"abstract_{person.language}"
    setattr(presentation, column, text)
    presentation.save(update_fields=[column])
    return presentation


def slides_quota(person: Person, *, event: Event, replacing: SlideDeck | None = None) -> dict:
    """What the person's slides for the event take of their quota (files and bytes), leaving out
    the deck a new upload would replace, with the limits from settings."""
    decks = SlideDeck.objects.filter(person=person, presentation__item__event=event)
    if replacing is not None:
        decks = decks.exclude(pk=replacing.pk)
    used = decks.aggregate(files=Count("pk"), bytes=Coalesce(Sum("size"), 0))
    return {
        "files": used["files"],
        "bytes": used["bytes"],
        "max_files": settings.SPEAKER_SLIDES_MAX_FILES,
        "max_bytes": settings.SPEAKER_SLIDES_QUOTA_BYTES,
        "max_file_bytes": settings.SPEAKER_SLIDES_MAX_BYTES,
    }


def _check_quota(quota: dict, *, size: int) -> None:
    if quota["files"] + 1 > quota["max_files"]:
        raise ValidationError(
            _(
                "You have already uploaded %(count)d files of slides, the most a speaker may keep. "
                "Upload again to a presentation that has slides to replace them."
            ),
            code="slides_quota_files",
            params={"count": quota["files"]},
        )
    if quota["bytes"] + size > quota["max_bytes"]:
        raise ValidationError(
            _(
                "This file would take your slides past the %(limit)s a speaker may keep "
                "(%(used)s are in use). Replace a larger file, or make this one smaller."
            ),
            code="slides_quota_bytes",
            params={
                "limit": slides.human_size(quota["max_bytes"]),
                "used": slides.human_size(quota["bytes"]),
            },
        )


@dataclass(frozen=True)
class UploadedSlides:
    """What `upload_slides` stored, and whether it replaced the speaker's earlier deck."""

    deck: SlideDeck
    replaced: bool


def upload_slides(
    presentation: Presentation, *, person: Person, upload: UploadedFile
) -> UploadedSlides:
    """Store slides one of the presentation's speakers uploaded, replacing their previous ones.

    The content is checked by structure (speakers.slides) and against the speaker's quota for the
    event, under a lock on the person so that parallel uploads cannot pass it together. The file
    is written to the private storage under a random name; the replaced file is deleted once the
    transaction commits, and the new file at once if the transaction fails: no orphan files.
    Returns the new deck and whether an earlier one was replaced (read under the same lock).
    """
    _check_speaker(presentation, person)
    file_type = slides.slides_file_type(upload)
    deck = SlideDeck(
        presentation=presentation, person=person, file_type=file_type, size=upload.size
    )
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).exists()
            previous = (
                SlideDeck.objects.select_for_update()
                .filter(presentation=presentation, person=person)
                .first()
            )
            quota = slides_quota(person, event=presentation.item.event, replacing=previous)
            _check_quota(quota, size=upload.size)
            deck.file.save("slides", upload, save=False)
            if previous is not None:
                previous.delete()  # its file is deleted after commit (speakers.signals)
            deck.save()
    except BaseException:
        if deck.file.name:
            deck.file.storage.delete(deck.file.name)
        raise
    return UploadedSlides(deck=deck, replaced=previous is not None)
