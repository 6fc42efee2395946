"""The seminar's PDFs: the plain data each template prints, and rendering them.

Each document is described by a `DocumentSpec` whose `build` gathers the plain data its template
prints (documents.pdf hashes that data into the document's fingerprint and keeps the rendering
while it holds): session papers, the programme, speakers' briefs and the proceedings.
"""

import datetime
import hashlib
import html
import json
import logging
from collections.abc import Iterable
from typing import Any

import nh3
from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from agenda import formatting
from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Event,
    Person,
    PracticalInformation,
    Publication,
    Session,
)
from agenda.services import agenda_queryset, speaker_slots
from documents import pdf
from documents.models import RenderedDocument

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


# --- Speakers' briefs ---------------------------------------------------------------------------


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
    from documents import tasks

    pdf.mark_state(proceedings_spec(event), RenderedDocument.State.QUEUED)
    if after_commit:
        transaction.on_commit(lambda: tasks.render_proceedings_task.enqueue(event.pk))
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
