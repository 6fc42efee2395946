"""The seminar's PDFs in each language: what each one prints, and rendering them.

Each document is described by a `DocumentSpec` whose `build` gathers the plain data its template
prints (documents.pdf hashes that data into the document's fingerprint and keeps the rendering
while it holds): session papers, the programme and speakers' briefs; the proceedings' book is
the proceedings app's, built from the same parts (documents.parts).

A document exists in each of the site's languages, stored apart. Its language is the caller's
choice: the request's for a download, the speaker's for a brief; by default the language active
now.
"""

import datetime
import logging
from typing import Any

from django.utils.translation import gettext as _

from agenda import content, formatting
from agenda.models import BackgroundPaper, Event, Person, PracticalInformation, Session
from agenda.services import agenda_queryset, speaker_slots
from documents import pdf
from documents.models import RenderedDocument
from documents.parts import (
    agenda_content,
    block,
    clock_time,
    event_header,
    item_content,
    long_date,
    paper_content,
    passage,
    person_content,
    text,
)

logger = logging.getLogger(__name__)


def document_language(language: str | None = None) -> str:
    """`language`, or the language active now (a request's), as one of the site's codes."""
    code = (language or content.interface_language()).split("-")[0]
    if code not in content.LANGUAGE_CODES:
        raise ValueError(f"The site has no documents in {language!r}.")
    return code


# --- Session papers ------------------------------------------------------------------------------


def session_paper_spec(session: Session, *, language: str | None = None) -> pdf.DocumentSpec:
    language = document_language(language)

    def build() -> dict[str, Any]:
        fresh = (
            Session.objects.select_related("event__organizer", "background_paper")
            .prefetch_related("background_paper__key_questions")
            .get(pk=session.pk)
        )
        original = fresh.event.original_language
        paper = paper_content(fresh.background_paper, fresh, original=original, language=language)
        return {
            "document_title": f"{paper['session_label']}: {paper['title']['text']}",
            "lang": language,
            "event": event_header(fresh.event, language=language),
            "paper": paper,
        }

    return pdf.DocumentSpec(
        event=session.event,
        kind=RenderedDocument.Kind.SESSION_PAPER,
        key=f"session-{session.pk}",
        template="pdf/session_paper.html",
        build=build,
        language=language,
    )


def render_session_paper(session: Session, *, language: str | None = None) -> RenderedDocument:
    """The session's background paper as a PDF in `language` (the active one by default): the
    stored one while its content is unchanged, otherwise rendered now and stored. The session
    must have a background paper."""
    return pdf.get_document(session_paper_spec(session, language=language))


# --- Programme -----------------------------------------------------------------------------------


def programme_spec(event: Event, *, language: str | None = None) -> pdf.DocumentSpec:
    language = document_language(language)

    def build() -> dict[str, Any]:
        fresh = Event.objects.select_related("organizer").get(pk=event.pk)
        original = fresh.original_language
        header = event_header(fresh, language=language)
        return {
            "document_title": _("Programme: %(title)s") % {"title": header["title"]["text"]},
            "lang": language,
            "event": header,
            "introduction": block(
                content.text(fresh, "agenda_introduction", original=original, language=language)
            ),
            "days": agenda_content(agenda_queryset(fresh), original=original, language=language),
        }

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.PROGRAMME,
        key="programme",
        template="pdf/programme.html",
        build=build,
        language=language,
    )


def render_programme(event: Event, *, language: str | None = None) -> RenderedDocument:
    """The event's programme (every published agenda item) as a PDF in `language` (the active
    one by default), stored or rendered now."""
    return pdf.get_document(programme_spec(event, language=language))


# --- Speakers' briefs ---------------------------------------------------------------------------


def _heading(item, *, original: str, language: str) -> dict[str, Any]:
    """What a brief calls an item or its session: "Session I" and the session's title, or the
    item's title."""
    if item.session_id:
        return {
            "label": str(item.session.label),
            "title": passage(text(item.session, "title", original=original, language=language)),
        }
    return {
        "label": "",
        "title": passage(text(item, "title", original=original, language=language)),
    }


def speaker_brief_spec(
    person: Person, *, event: Event, language: str | None = None
) -> pdf.DocumentSpec:
    """The person's brief for the event in `language`: the speaker's (their links, pages and
    briefs follow it), or by default the language active now."""
    language = document_language(language)

    def build() -> dict[str, Any]:
        fresh_event = Event.objects.select_related("organizer").get(pk=event.pk)
        fresh_person = Person.objects.select_related("organization").get(pk=person.pk)
        original = fresh_event.original_language
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
        header = event_header(fresh_event, language=language)

        def practical_text(field: str) -> dict[str, Any]:
            if practical is None:
                return block(content.Text("", language, language))
            return block(text(practical, field, original=original, language=language))

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
                    "heading": _heading(item, original=original, language=language),
                    "date": long_date(first.date, language=language),
                    "start": clock_time(first.start_time),
                    "end": clock_time(members[-1].end_time),
                    "arrive": clock_time(arrive.time()),
                    "items": [
                        item_content(
                            member, show_session=False, original=original, language=language
                        )
                        | {"mine": member.pk in my_item_ids}
                        for member in members
                    ],
                    "paper": paper_content(
                        paper, paper.session, original=original, language=language
                    )
                    if paper
                    else None,
                }
            )
        return {
            "document_title": _("Brief for %(name)s: %(title)s")
            % {"name": fresh_person.full_name, "title": header["title"]["text"]},
            "lang": language,
            "event": header,
            "person": person_content(fresh_person, original=original, language=language),
            "slots": [_slot_content(slot, original=original, language=language) for slot in slots],
            "units": units,
            "practical": {
                "venue": header["venue"],
                "venue_details": practical_text("venue_details"),
                "arrival_minutes": arrival_minutes,
                "speaking_minutes": practical.speaking_minutes if practical else None,
                "notes": practical_text("notes"),
            },
        }

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.SPEAKER_BRIEF,
        key=f"person-{person.pk}",
        template="pdf/speaker_brief.html",
        build=build,
        language=language,
    )


def _slot_content(slot: dict[str, Any], *, original: str, language: str) -> dict[str, Any]:
    """One item where the speaker has a part, with their parts (roles, presentations)."""
    item = slot["item"]
    title = text(item, "title", original=original, language=language)
    presentations = {presentation.pk: presentation for presentation in item.presentations.all()}
    parts = []
    for part in slot["parts"]:
        presentation = presentations.get(part.get("id"))
        shown = content.Text("", language, language)
        if presentation is not None:
            shown = text(presentation, "title", original=original, language=language)
            if formatting.repeats_item_title(
                shown, item_title=title, presentations=len(presentations)
            ):
                shown = content.Text("", language, language)
        parts.append({"role": str(part["role"]), "presentation": passage(shown)})
    return {
        "date": long_date(item.date, language=language),
        "start": clock_time(item.start_time),
        "end": clock_time(item.end_time),
        "title": passage(title),
        "session": _heading(item, original=original, language=language)
        if item.session_id
        else None,
        "room": passage(text(item.room, "name", original=original, language=language))
        if item.room
        else None,
        "parts": parts,
    }


def render_speaker_brief(
    person: Person, *, event: Event, language: str | None = None
) -> RenderedDocument:
    """The person's brief for the event as a PDF in `language` (see `speaker_brief_spec`):
    their slots and roles, their sessions' schedule and people, background papers and key
    questions, and practical information."""
    return pdf.get_document(speaker_brief_spec(person, event=event, language=language))
