"""The seminar's PDFs: the plain data each template prints, and rendering them.

Each document is described by a `DocumentSpec` whose `build` gathers the plain data its template
prints (documents.pdf hashes that data into the document's fingerprint and keeps the rendering
while it holds): session papers, the programme and speakers' briefs; the proceedings' book is
the proceedings app's, built from these same parts.
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agenda import formatting
from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Event,
    Person,
    PracticalInformation,
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


def paragraphs(text: str) -> list[str]:
    return [
        part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


def person_content(person: Person, *, label: str = "") -> dict[str, str]:
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
        result.append({"role": str(label), "people": [person_content(person) for person in people]})
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
        "session_theme": paragraphs(session.theme) if session and show_session else [],
        "title": title,
        "description": paragraphs(item.description),
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
                    person_content(link.person, label=link.label)
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
            "introduction": paragraphs(fresh.agenda_introduction),
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
            "person": person_content(fresh_person),
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
                "venue_details": paragraphs(practical.venue_details) if practical else [],
                "arrival_minutes": arrival_minutes,
                "speaking_minutes": practical.speaking_minutes if practical else None,
                "notes": paragraphs(practical.notes) if practical else [],
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
