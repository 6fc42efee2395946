"""Operations on the agenda that views, admin actions, tasks and tests call alike.

PDFs: each document is described by a `DocumentSpec` whose `build` gathers the plain data its
template prints (agenda.pdf hashes that data into the document's fingerprint and keeps the
rendering while it holds). Speaker links: signed, revocable, expiring links to a speaker's page.
Speakers' abstracts and slides.
"""

import copy
import datetime
import hashlib
import html
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import nh3
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from agenda import formatting, pdf, slides
from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Event,
    KeyQuestion,
    Person,
    PracticalInformation,
    Presentation,
    PresentationSpeaker,
    Publication,
    RenderedDocument,
    Session,
    SlideDeck,
    SpeakerLink,
)
from idm_seminar.tasks import enqueue_on_commit
from outbox import services as outbox

logger = logging.getLogger(__name__)

SERIES_NAME = "International Dialogue on Migration"
LANGUAGE_CODES = {"english": "en", "french": "fr", "français": "fr", "spanish": "es"}

# --- Plain data the PDF templates print ----------------------------------------------------------


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _paragraphs(text: str) -> list[str]:
    return [
        part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


def _person(person: Person, *, label: str = "") -> dict[str, str]:
    return {"name": person.full_name, "affiliation": person.affiliation, "label": label}


def event_header(event: Event) -> dict[str, Any]:
    """The event as the heading of the seminar's documents prints it."""
    where = ", ".join(p for p in (event.city, event.venue_short_name or event.venue) if p)
    return {
        "title": event.title,
        "series": SERIES_NAME,
        "dates": formatting.date_range(event.start_date, event.end_date),
        "place": where,
        "venue": event.venue_display,
        "year": event.start_date.year,
        "organizer": event.organizer.name,
    }


def paper_content(paper: BackgroundPaper, session: Session) -> dict[str, Any]:
    return {
        "id": f"paper-{session.number}",
        "session_label": str(session.label),
        "session_title": session.title,
        "title": paper.title,
        "paragraphs": paper.paragraphs,
        "questions_introduction": paper.questions_introduction,
        "questions": [question.text for question in paper.key_questions.all()],
    }


def _roles(item: AgendaItem) -> list[dict[str, Any]]:
    grouped: dict[str, list] = {}
    for role in item.roles.all():
        grouped.setdefault(role.role, []).append(role.person)
    result = []
    for role, people in grouped.items():
        label = AgendaItemRole.Role(role).label
        if len(people) > 1:
            label = {
                "discussant": _("Discussants"),
                "chair": _("Chairs"),
                "moderator": _("Moderators"),
                "rapporteur": _("Rapporteurs"),
            }[role]
        result.append({"role": str(label), "people": [_person(person) for person in people]})
    return result


def agenda_queryset(event: Event):
    """The event's published items with their sessions, roles, presentations and speakers."""
    speakers = PresentationSpeaker.objects.select_related("person__organization")
    presentations = Presentation.objects.prefetch_related(Prefetch("speaker_links", speakers))
    return (
        AgendaItem.objects.filter(event=event, is_published=True)
        .select_related("session", "room")
        .prefetch_related(
            Prefetch("presentations", presentations),
            Prefetch("roles", AgendaItemRole.objects.select_related("person__organization")),
        )
        .order_by("date", "start_time", "order", "pk")
    )


def item_content(item: AgendaItem, *, show_session: bool) -> dict[str, Any]:
    session = item.session
    is_session_item = item.kind == AgendaItem.Kind.SESSION and session is not None
    title = "" if is_session_item and show_session else item.title
    presentations = list(item.presentations.all())
    return {
        "id": f"item-{item.pk}",
        "start": _time(item.start_time),
        "end": _time(item.end_time),
        "kind": item.kind,
        "session_label": str(session.label) if session and show_session else "",
        "session_title": session.title if session and show_session else "",
        "session_theme": _paragraphs(session.theme) if session and show_session else [],
        "title": title,
        "description": _paragraphs(item.description),
        "room": item.room.name if item.room else "",
        "parallel": item.is_parallel,
        "roles": _roles(item),
        "presentations": [
            {
                "title": ""
                if formatting.repeats_item_title(
                    presentation.title, item_title=title, presentations=len(presentations)
                )
                else presentation.title,
                "speakers": [
                    _person(link.person, label=link.label)
                    for link in presentation.speaker_links.all()
                ],
            }
            for presentation in presentations
        ],
    }


def agenda_content(items: Iterable[AgendaItem]) -> list[dict[str, Any]]:
    """Days with their items, each session's heading printed before its first item."""
    items = list(items)
    # A room is worth printing only where the event uses more than one.
    several_rooms = len({item.room_id for item in items if item.room_id}) > 1
    days: list[dict[str, Any]] = []
    seen_sessions: set[int] = set()
    for item in items:
        if not days or days[-1]["date"] != item.date.isoformat():
            days.append(
                {
                    "date": item.date.isoformat(),
                    "label": date_format(item.date, "l, j F Y"),
                    "items": [],
                }
            )
        show_session = item.session_id is not None and item.session_id not in seen_sessions
        if item.session_id:
            seen_sessions.add(item.session_id)
        content = item_content(item, show_session=show_session)
        if not several_rooms:
            content["room"] = ""
        days[-1]["items"].append(content)
    return days


# --- Session papers ------------------------------------------------------------------------------


def session_paper_spec(session: Session) -> pdf.DocumentSpec:
    def build() -> dict[str, Any]:
        fresh = (
            Session.objects.select_related("event__organizer", "background_paper")
            .prefetch_related("background_paper__key_questions")
            .get(pk=session.pk)
        )
        return {
            "document_title": f"{fresh.label}: {fresh.background_paper.title}",
            "lang": "en",
            "event": event_header(fresh.event),
            "paper": paper_content(fresh.background_paper, fresh),
        }

    return pdf.DocumentSpec(
        event=session.event,
        kind=RenderedDocument.Kind.SESSION_PAPER,
        key=f"session-{session.pk}",
        template="pdf/session_paper.html",
        build=build,
    )


def render_session_paper(session: Session) -> RenderedDocument:
    """The session's background paper as a PDF: the stored one while its content is unchanged,
    otherwise rendered now and stored. The session must have a background paper."""
    return pdf.get_document(session_paper_spec(session))


# --- Programme -----------------------------------------------------------------------------------


def programme_spec(event: Event) -> pdf.DocumentSpec:
    def build() -> dict[str, Any]:
        fresh = Event.objects.select_related("organizer").get(pk=event.pk)
        return {
            "document_title": _("Programme: %(title)s") % {"title": fresh.title},
            "lang": "en",
            "event": event_header(fresh),
            "introduction": _paragraphs(fresh.agenda_introduction),
            "days": agenda_content(agenda_queryset(fresh)),
        }

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.PROGRAMME,
        key="programme",
        template="pdf/programme.html",
        build=build,
    )


def render_programme(event: Event) -> RenderedDocument:
    """The event's programme (every published agenda item) as a PDF, stored or rendered now."""
    return pdf.get_document(programme_spec(event))


# --- Speakers' slots and briefs ------------------------------------------------------------------


def people_with_roles(event: Event):
    """Everyone who speaks in, discusses, chairs or moderates an item of the event."""
    return (
        Person.objects.filter(
            Q(speaker_links__presentation__item__event=event) | Q(item_roles__item__event=event)
        )
        .select_related("organization")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def events_with_roles(person: Person) -> list[int]:
    """The events in whose agenda the person has a part."""
    return list(
        Event.objects.filter(
            Q(items__presentations__speaker_links__person=person) | Q(items__roles__person=person)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def speaker_slots(
    person: Person, *, event: Event, items: list[AgendaItem] | None = None
) -> list[dict[str, Any]]:
    """Each agenda item where the person has a part, with that part, in agenda order.

    `items`, the event's agenda already read with `agenda_queryset`, saves reading it again.
    """
    if items is None:
        items = (
            agenda_queryset(event)
            .filter(Q(presentations__speaker_links__person=person) | Q(roles__person=person))
            .distinct()
        )
    slots = []
    for item in items:
        if not any(role.person_id == person.pk for role in item.roles.all()) and not any(
            link.person_id == person.pk
            for presentation in item.presentations.all()
            for link in presentation.speaker_links.all()
        ):
            continue
        parts = [
            {"role": str(AgendaItemRole.Role(role.role).label), "presentation": ""}
            for role in item.roles.all()
            if role.person_id == person.pk
        ]
        parts += [
            {"role": _("Speaker"), "presentation": presentation.title, "id": presentation.pk}
            for presentation in item.presentations.all()
            if any(link.person_id == person.pk for link in presentation.speaker_links.all())
        ]
        slots.append({"item": item, "parts": parts})
    return slots


def speaker_brief_spec(person: Person, *, event: Event) -> pdf.DocumentSpec:
    def build() -> dict[str, Any]:
        fresh_event = Event.objects.select_related("organizer").get(pk=event.pk)
        fresh_person = Person.objects.select_related("organization").get(pk=person.pk)
        all_items = list(agenda_queryset(fresh_event))
        slots = speaker_slots(fresh_person, event=fresh_event, items=all_items)
        session_ids = {slot["item"].session_id for slot in slots if slot["item"].session_id}
        papers = {
            paper.session_id: paper
            for paper in BackgroundPaper.objects.filter(session_id__in=session_ids)
            .select_related("session")
            .prefetch_related("key_questions")
        }
        practical = PracticalInformation.objects.filter(event=fresh_event).first()
        arrival_minutes = practical.arrival_minutes if practical else 30
        my_item_ids = {slot["item"].pk for slot in slots}
        units = []
        seen: set = set()
        for slot in slots:
            item = slot["item"]
            unit_key = ("session", item.session_id) if item.session_id else ("item", item.pk)
            if unit_key in seen:
                continue
            seen.add(unit_key)
            if item.session_id:
                members = [i for i in all_items if i.session_id == item.session_id]
            else:
                members = [item]
            first = members[0]
            arrive = datetime.datetime.combine(first.date, first.start_time) - datetime.timedelta(
                minutes=arrival_minutes
            )
            paper = papers.get(item.session_id)
            units.append(
                {
                    "id": f"unit-{unit_key[0]}-{unit_key[1]}",
                    "heading": (
                        f"{item.session.label}: {item.session.title}"
                        if item.session_id
                        else item.title
                    ),
                    "date": date_format(first.date, "l, j F Y"),
                    "start": _time(first.start_time),
                    "end": _time(members[-1].end_time),
                    "arrive": _time(arrive.time()),
                    "items": [
                        item_content(member, show_session=False)
                        | {"mine": member.pk in my_item_ids}
                        for member in members
                    ],
                    "paper": paper_content(paper, paper.session) if paper else None,
                }
            )
        return {
            "document_title": _("Brief for %(name)s: %(title)s")
            % {"name": fresh_person.full_name, "title": fresh_event.title},
            "lang": "en",
            "event": event_header(fresh_event),
            "person": _person(fresh_person),
            "slots": [
                {
                    "date": date_format(slot["item"].date, "l, j F Y"),
                    "start": _time(slot["item"].start_time),
                    "end": _time(slot["item"].end_time),
                    "title": slot["item"].title,
                    "session": (
                        f"{slot['item'].session.label}: {slot['item'].session.title}"
                        if slot["item"].session_id
                        else ""
                    ),
                    "room": slot["item"].room.name if slot["item"].room else "",
                    "parts": [
                        {
                            "role": str(part["role"]),
                            "presentation": ""
                            if formatting.repeats_item_title(
                                part["presentation"],
                                item_title=slot["item"].title,
                                presentations=len(slot["item"].presentations.all()),
                            )
                            else part["presentation"],
                        }
                        for part in slot["parts"]
                    ],
                }
                for slot in slots
            ],
            "units": units,
            "practical": {
                "venue": fresh_event.venue_display,
                "venue_details": _paragraphs(practical.venue_details) if practical else [],
                "arrival_minutes": arrival_minutes,
                "speaking_minutes": practical.speaking_minutes if practical else None,
                "notes": _paragraphs(practical.notes) if practical else [],
            },
        }

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.SPEAKER_BRIEF,
        key=f"person-{person.pk}",
        template="pdf/speaker_brief.html",
        build=build,
    )


def render_speaker_brief(person: Person, *, event: Event) -> RenderedDocument:
    """The person's brief for the event as a PDF: their slots and roles, their sessions' schedule
    and people, background papers and key questions, and practical information."""
    return pdf.get_document(speaker_brief_spec(person, event=event))


# --- Proceedings ---------------------------------------------------------------------------------

RICH_TEXT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sup", "sub", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "td": {"colspan"}, "th": {"colspan"}}


def sanitize_rich_text(text: str) -> str:
    """Organizers' rich text reduced to simple, safe HTML. Plain text becomes paragraphs.

    No scripts, styles, event handlers or stylesheet links survive; image and link addresses
    that do survive still go through the PDF fetcher, which loads only the site's own media.
    """
    if not text.strip():
        return ""
    if "<" not in text:
        return "".join(f"<p>{html.escape(p)}</p>" for p in _paragraphs(text))
    return nh3.clean(
        text,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def proceedings_participants(event: Event) -> list[dict[str, str]]:
    """Participants who consented to be listed, from the registration app, or none."""
    try:
        provider = import_string(settings.PROCEEDINGS_PARTICIPANTS_PROVIDER)
    except (AttributeError, ImportError):
        return []
    participants = provider(event) or []
    return [
        {
            "name": str(p.get("name", "")),
            "organization": str(p.get("organization", "") or ""),
            "country": str(p.get("country", "") or ""),
        }
        for p in participants
    ]


def proceedings_spec(event: Event) -> pdf.DocumentSpec:
    participants = proceedings_participants(event)
    digest = hashlib.sha256(json.dumps(participants, sort_keys=True).encode()).hexdigest()

    def build() -> dict[str, Any]:
        fresh = Event.objects.select_related("organizer", "publication").get(pk=event.pk)
        publication: Publication = fresh.publication
        language = (publication.languages or "English").split(",")[0].strip().lower()
        items = list(agenda_queryset(fresh))
        abstracts = [
            {
                "id": f"abstract-{presentation.pk}",
                "title": presentation.title,
                "session": str(item.session.label) if item.session else "",
                "speakers": [
                    _person(link.person, label=link.label)
                    for link in presentation.speaker_links.all()
                ],
                "paragraphs": _paragraphs(presentation.abstract),
            }
            for item in items
            for presentation in item.presentations.all()
            if presentation.abstract.strip()
        ]
        papers = [
            paper_content(paper, paper.session)
            for paper in BackgroundPaper.objects.filter(session__event=fresh)
            .select_related("session")
            .prefetch_related("key_questions")
            .order_by("session__number")
        ]
        content = {
            "document_title": f"{publication.series} No. {publication.series_number} – "
            f"{publication.title}",
            "lang": LANGUAGE_CODES.get(language, "en"),
            "event": event_header(fresh),
            "publication": {
                "series": publication.series,
                "number": publication.series_number,
                "title": publication.title,
                "issn": publication.issn,
                "year": publication.year or fresh.start_date.year,
                "publisher": fresh.organizer.name,
            },
            "foreword": sanitize_rich_text(publication.foreword),
            "acronyms": [
                {"acronym": a.acronym, "meaning": a.meaning} for a in publication.acronyms.all()
            ],
            "report": sanitize_rich_text(publication.report),
            "days": agenda_content(items),
            "abstracts": abstracts,
            "papers": papers,
            "participants": participants,
        }
        content["contents"] = proceedings_contents(content)
        return content

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.PROCEEDINGS,
        key="proceedings",
        template="pdf/proceedings.html",
        build=build,
        extra_version=digest,
    )


def proceedings_contents(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The book's table of contents: only the parts that have something to print."""
    entries = []
    if content["foreword"]:
        entries.append({"id": "foreword", "title": _("Foreword"), "level": 1})
    if content["acronyms"]:
        entries.append({"id": "acronyms", "title": _("Acronyms and Abbreviations"), "level": 1})
    if content["report"]:
        entries.append(
            {"id": "part-report", "title": _("Part I: Report of the Seminar"), "level": 1}
        )
    parts = [
        ("part-agenda", _("Seminar Agenda"), bool(content["days"])),
        (
            "part-abstracts",
            _("Abstracts of the Speakers’ Presentations"),
            bool(content["abstracts"]),
        ),
    ]
    number = 2 if content["report"] else 1
    for part_id, title, present in parts:
        if present:
            roman = ["I", "II", "III"][number - 1]
            entries.append({"id": part_id, "title": f"{_('Part')} {roman}: {title}", "level": 1})
            number += 1
    annexes = []
    if content["papers"]:
        annexes.append(("annex-papers", _("Background Papers of the Sessions")))
    if content["participants"]:
        annexes.append(("annex-participants", _("List of Participants")))
    if annexes:
        entries.append({"id": "annexes", "title": _("Annexes"), "level": 1})
        for number, (annex_id, title) in enumerate(annexes, start=1):
            roman = ["I", "II"][number - 1]
            entries.append({"id": annex_id, "title": f"{_('Annex')} {roman}: {title}", "level": 2})
    return [entry | {"title": str(entry["title"])} for entry in entries]


def render_proceedings(event: Event) -> RenderedDocument:
    """The event's proceedings book as a PDF, stored or rendered now (slow: about 14 s for
    150 pages; the admin queues it as a background task with `queue_proceedings_render`)."""
    return pdf.get_document(proceedings_spec(event))


def proceedings_status(event: Event) -> tuple[RenderedDocument | None, bool]:
    """The stored proceedings and whether they are current, without rendering anything."""
    spec = proceedings_spec(event)
    current = pdf.current_version(spec)
    document = (
        RenderedDocument.objects.filter(event=event, kind=spec.kind, key=spec.key)
        .defer("content")
        .first()
    )
    return document, current.document_id is not None and document is not None and (
        document.fingerprint == current.fingerprint
    )


def queue_proceedings_render(event: Event, *, after_commit: bool = True) -> None:
    """Mark the proceedings as waiting and render them in a background task.

    The task is enqueued once the current transaction commits, so that it sees the edits that
    led to it; a reader's request, which writes nothing else, enqueues at once
    (`after_commit=False`) and may find the book ready when the task backend runs it inline.
    """
    from agenda import tasks

    pdf.mark_state(proceedings_spec(event), RenderedDocument.State.QUEUED)
    if after_commit:
        enqueue_on_commit("agenda.tasks.render_proceedings_task", event.pk)
    else:
        tasks.render_proceedings_task.enqueue(event.pk)


def run_proceedings_render(event: Event) -> RenderedDocument:
    """The background task's work: render the proceedings unless the stored ones are current."""
    spec = proceedings_spec(event)
    pdf.mark_state(spec, RenderedDocument.State.RENDERING)
    try:
        return pdf.get_document(spec)
    except Exception as error:
        pdf.mark_state(spec, RenderedDocument.State.FAILED, error=repr(error)[:2000])
        raise
    finally:
        RenderedDocument.objects.filter(
            event=event, kind=spec.kind, key=spec.key, state=RenderedDocument.State.RENDERING
        ).exclude(fingerprint="").update(state=RenderedDocument.State.READY)


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


def speaker_page_url(event: Event, token: str) -> str:
    path = reverse("agenda:speaker-page", kwargs={"event": event.slug, "token": token})
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
            enqueue_on_commit("agenda.tasks.send_speaker_link_task", event.pk, person.pk)
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
SPEAKER_LINK_TOPIC = "agenda.speakerlink"


def deliver_speaker_link(person: Person, *, event: Event) -> SpeakerLink | None:
    """Issue a new link for the person and queue the e-mail with it in the outbox, in one
    transaction (the task's work). The link's `sent_at` is set when the outbox delivers it
    (`record_speaker_link_outcomes`).

    Does nothing and returns None when the event has ended or the person has no e-mail address
    by the time the task runs.
    """
    if event.has_ended or not person.email:
        ids = (person.pk, event.pk)
        logger.info("No speaker link for person %s, event %s: it ended or no address", *ids)
        return None
    with transaction.atomic():
        link, token = issue_speaker_link(person, event=event)
        context = {
            "person": person,
            "event": event,
            "url": speaker_page_url(event, token),
            "expires_at": link.expires_at,
        }
        outbox.queue_email(
            recipient=person.email,
            subject=_("Your page as a speaker at %(title)s") % {"title": event.title},
            text=render_to_string("agenda/email/speaker_link.txt", context),
            language=settings.LANGUAGE_CODE,
            kind="agenda.speaker_link",
            topic=SPEAKER_LINK_TOPIC,
            object_id=link.pk,
        )
    return link


def record_speaker_link_outcomes(messages) -> None:
    """Mark the speaker links whose e-mail the outbox has just delivered as sent. Called by the
    outbox after each delivery attempt, in the transaction that records it."""
    sent = {m.object_id: m.sent_at for m in messages if m.topic == SPEAKER_LINK_TOPIC and m.sent_at}
    for link_id, sent_at in sent.items():
        SpeakerLink.objects.filter(pk=link_id).update(sent_at=sent_at)


# --- Abstracts and slides ------------------------------------------------------------------------

ABSTRACT_MAX_CHARACTERS = 6000


def _check_speaker(presentation: Presentation, person: Person) -> None:
    if not presentation.speaker_links.filter(person=person).exists():
        raise ValidationError(_("You are not a speaker of this presentation."), code="not_speaker")


def submit_abstract(presentation: Presentation, *, person: Person, text: str) -> Presentation:
    """Set the presentation's abstract, as one of its speakers submitted it (plain text)."""
    _check_speaker(presentation, person)
    text = text.replace("\r\n", "\n").strip()
    if len(text) > ABSTRACT_MAX_CHARACTERS:
        raise ValidationError(
            _("An abstract has at most %(limit)d characters."),
            code="abstract_too_long",
            params={"limit": ABSTRACT_MAX_CHARACTERS},
        )
    presentation.abstract = text
    presentation.save(update_fields=["abstract"])
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

    The content is checked by structure (agenda.slides) and against the speaker's quota for the
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
                previous.delete()  # its file is deleted after commit (agenda.signals)
            deck.save()
    except BaseException:
        if deck.file.name:
            deck.file.storage.delete(deck.file.name)
        raise
    return UploadedSlides(deck=deck, replaced=previous is not None)


# --- Preparing a new seminar from an earlier one ------------------------------------------------


def _duplicate(row, **changes):
    """An unsaved copy of `row` with `changes`; the original is not touched."""
    duplicate = copy.copy(row)
    duplicate.pk = None
    duplicate._state.adding = True
    for field, value in changes.items():
        setattr(duplicate, field, value)
    return duplicate


def _insert_copies(rows, *, each=None, **relinks) -> dict[int, Any]:
    """Insert a copy of each row, in one statement with its history, the foreign keys named in
    `relinks` pointed through the given {old id: new row} maps, and the changes `each(row)`
    returns. Returns {old id: copy}.

    bulk_create sends no post_save: the new event's own save advances the content version.
    """
    rows = list(rows)
    if not rows:
        return {}
    copies = [
        _duplicate(
            row,
            **{
                field: mapping.get(getattr(row, f"{field}_id"))
                for field, mapping in relinks.items()
            },
            **(each(row) if each else {}),
        )
        for row in rows
    ]
    bulk_create_with_history(copies, type(rows[0]))
    return {row.pk: duplicate for row, duplicate in zip(rows, copies, strict=True)}


def _slug_taken(slug: str) -> ValidationError:
    return ValidationError(
        _("Another event already uses the address “%(slug)s”: choose another one."),
        code="slug_taken",
        params={"slug": slug},
    )


def validate_new_event_slug(slug: str) -> None:
    """Check that `slug` can be the address of a new event; changes nothing.

    Raises ValidationError (codes invalid, max_length, slug_taken) when it cannot. Forms that
    ask for a new event's address call this, so they show the error copy_event() would raise.
    """
    for validator in Event._meta.get_field("slug").validators:
        validator(slug)
    if Event.objects.filter(slug=slug).exists():
        raise _slug_taken(slug)


def _validate_new_event(*, title: str, slug: str, start_date: datetime.date, span: int) -> None:
    errors: dict[str, ValidationError] = {}
    title_field = Event._meta.get_field("title")
    if not title.strip():
        errors["title"] = ValidationError(_("Give the new seminar a title."), code="required")
    elif len(title) > title_field.max_length:
        errors["title"] = ValidationError(
            _("A title has at most %(max)d characters."),
            code="max_length",
            params={"max": title_field.max_length},
        )
    try:
        validate_new_event_slug(slug)
    except ValidationError as error:
        errors["slug"] = error
    if start_date > datetime.date.max - datetime.timedelta(days=span):
        errors["start_date"] = ValidationError(
            _("The new seminar would end after the last date the calendar can hold."),
            code="date_out_of_range",
        )
    if errors:
        raise ValidationError(errors)


def copy_event(source: Event, *, title: str, slug: str, start_date: datetime.date) -> Event:
    """Prepare a new seminar from `source`: a copy of its structure, as a draft, on new dates.

    Effects, in one transaction (a failure leaves nothing behind):
    - a new Event with `title`, `slug` and `start_date` (its last day as many days later as the
      source's), status DRAFT, no number in the series, everything else as the source's;
    - copies of its partners, rooms, sessions with their background papers and key questions,
      agenda items (each moved by as many days as the event, with its room, session and roles),
      presentations with their speakers (not their abstracts), documents (the same stored files)
      and the practical information for speakers.
    People and organizations are shared records: the copies point to the same ones. Nothing of
    what speakers and participants made is copied: no abstracts, speaker links, slides or
    rendered PDFs, and no publication (the proceedings belong to the event that took place).
    The registration app copies its own settings through registration.services.prepare_event_copy.

    Raises ValidationError (codes required, max_length, invalid, slug_taken, date_out_of_range),
    keyed by field name, when the new event cannot be made.
    """
    span = (source.end_date - source.start_date).days
    _validate_new_event(title=title, slug=slug, start_date=start_date, span=span)
    shift = start_date - source.start_date
    try:
        return _copy_event_rows(
            source, title=title, slug=slug, start_date=start_date, span=span, shift=shift
        )
    except IntegrityError as error:
        # Another organizer took the address between the check above and the insert.
        if getattr(error.__cause__, "diag", None) is None or (
            error.__cause__.diag.constraint_name != "agenda_event_slug_key"
        ):
            raise
        raise ValidationError({"slug": _slug_taken(slug)}) from error


def _copy_event_rows(
    source: Event,
    *,
    title: str,
    slug: str,
    start_date: datetime.date,
    span: int,
    shift: datetime.timedelta,
) -> Event:
    with transaction.atomic():
        event = _duplicate(
            source,
            title=title,
            slug=slug,
            start_date=start_date,
            end_date=start_date + datetime.timedelta(days=span),
            status=Event.Status.DRAFT,
            series_number=None,
            rehearsal_of=None,
        )
        event.save()
        this_event = {source.pk: event}
        _insert_copies(source.partners.all(), event=this_event)
        rooms = _insert_copies(source.rooms.all(), event=this_event)
        sessions = _insert_copies(source.sessions.all(), event=this_event)
        papers = _insert_copies(
            BackgroundPaper.objects.filter(session__event=source), session=sessions
        )
        _insert_copies(KeyQuestion.objects.filter(paper__session__event=source), paper=papers)
        items = _insert_copies(
            source.items.all(),
            each=lambda item: {"date": item.date + shift},
            event=this_event,
            session=sessions,
            room=rooms,
        )
        _insert_copies(AgendaItemRole.objects.filter(item__event=source), item=items)
        presentations = _insert_copies(
            Presentation.objects.filter(item__event=source),
            each=lambda presentation: {"abstract": ""},  # the speaker writes it anew
            item=items,
        )
        _insert_copies(
            PresentationSpeaker.objects.filter(presentation__item__event=source),
            presentation=presentations,
        )
        _insert_copies(source.documents.all(), event=this_event, session=sessions)
        _insert_copies(PracticalInformation.objects.filter(event=source), event=this_event)
    return event
