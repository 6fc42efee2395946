"""The parts the seminar's documents are built from, as plain data in the document's language.

Every text organizers write is chosen by `agenda.content.text` in the document's language and
kept as a *passage*: `{"text": ..., "lang": ""}` when it is in the document's language, or with
`"lang": "en"` (say) when it falls back to another, so that the PDF templates put `lang` on the
element that holds it (documents_extras' `passage`, `passages`, `lang_attr` filters) and
documents.tagging carries it into the PDF's structure. Blocks of paragraphs (`block`) keep one
language for all their paragraphs. Everything here is plain data: its hash is the fingerprint.

The interface's own words (role labels, "Session I") come from the catalogs: the builders run
inside `translation.override(language)` (DocumentSpec.content).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from agenda import content, formatting
from agenda.models import AgendaItem, AgendaItemRole, BackgroundPaper, Event, Person, Session

# Names the catalogs translate though organizers store them once, in English: IOM's official
# names in its three languages are interface words, not organizers' texts.
OFFICIAL_NAMES = (gettext_noop("International Organization for Migration"),)
SERIES_NAME = gettext_noop("International Dialogue on Migration")
# Defaults of organizers' fields, for the catalogs: modeltranslation copies a field's default
# into every language's column, so a French column holding the English default was never
# written (see `text`).
FIELD_DEFAULTS = (
    SERIES_NAME,
    gettext_noop("Key questions to be examined during this session include:"),
)

# IOM's names as its logo sets them, one line per language: a part of the logo, not a text to
# translate. Documents print the line of their own language first.
IOM_LOCKUP = {
    "en": ("IOM", "International Organization for Migration"),
    "fr": ("OIM", "Organisation Internationale pour les Migrations"),
    "es": ("OIM", "Organización Internacional para las Migraciones"),
}

# Dates with the day's name, as each language writes them in a heading: "Thursday, 23 March
# 2006", "jeudi 23 mars 2006", "jueves 23 de marzo de 2006" (the names are Django's).
LONG_DATE_FORMATS = {"en": "l, j F Y", "fr": "l j F Y", "es": r"l j \d\e F \d\e Y"}


def long_date(day: datetime.date, *, language: str) -> str:
    """The day with its name, in `language` (a heading of the programme, a brief's slot)."""
    with translation.override(language):
        return date_format(day, LONG_DATE_FORMATS.get(language, LONG_DATE_FORMATS["en"]))


def _default(obj, field: str) -> str:
    default = obj._meta.get_field(field).default
    return default if isinstance(default, str) else ""


def text(obj, field: str, *, original: str, language: str) -> content.Text:
    """`obj`'s `field` as agenda.content.text chooses it, except that a column holding the
    field's English default counts as empty; where no column holds anything else, the default
    in the catalog's words for `language` (English, marked so, while the catalog lacks it)."""
    default = _default(obj, field)
    if not default:
        return content.text(obj, field, original=original, language=language)
    for code in content.fallback_order(language, original):
        value = getattr(obj, f"{field}_{code}", None)
        if value and value != default:
            return content.Text(str(value), code, language)
    with translation.override(language):
        translated = gettext(default)
    written_in = language if translated != default or language == "en" else "en"
    return content.Text(translated, written_in, language)


def passage(value: content.Text) -> dict[str, str]:
    """A text as the templates print it: with its language only where it falls back."""
    return {"text": value.plain, "lang": value.lang if value.is_fallback else ""}


def block(value: content.Text) -> dict[str, Any]:
    """A text of paragraphs (split at empty lines), all in the text's language."""
    return {
        "paragraphs": [part.plain for part in value.paragraphs()],
        "lang": value.lang if value.is_fallback else "",
    }


def organization_name(organization, *, original: str, language: str) -> content.Text:
    """The organization's name in `language`; IOM's from the catalog when none was written."""
    name = content.text(organization, "name", original=original, language=language)
    if name.is_fallback and name.plain in OFFICIAL_NAMES:
        with translation.override(language):
            translated = gettext(name.plain)
        if translated != name.plain:
            return content.Text(translated, language, language)
    return name


def person_content(
    person: Person, *, original: str, language: str, label: content.Text | None = None
) -> dict[str, Any]:
    """A person as printed: name, then position and organization (each in its language)."""
    position = content.text(person, "position", original=original, language=language)
    organization = content.text(person, "affiliation_note", original=original, language=language)
    if not organization and person.organization:
        organization = organization_name(person.organization, original=original, language=language)
    return {
        "name": person.full_name,
        "affiliation": [passage(part) for part in (position, organization) if part],
        "label": passage(label) if label else None,
    }


def event_header(event: Event, *, language: str) -> dict[str, Any]:
    """The event as the heading of the seminar's documents prints it."""
    original = event.original_language

    def event_text(field: str) -> content.Text:
        return content.text(event, field, original=original, language=language)

    venue = event_text("venue")
    city = event_text("city")
    with translation.override(language):
        series = gettext(SERIES_NAME)
        dates = formatting.date_range(event.start_date, event.end_date)
    organizer = organization_name(event.organizer, original=original, language=language)
    return {
        "title": passage(event_text("title")),
        "series": series,
        "dates": dates,
        "place": [
            passage(part) for part in (city, event_text("venue_short_name") or venue) if part
        ],
        "venue": [passage(part) for part in (venue, city) if part],
        "year": event.start_date.year,
        "organizer": passage(organizer),
        "iom_names": [
            {"lang": code, "acronym": IOM_LOCKUP[code][0], "name": IOM_LOCKUP[code][1]}
            for code in sorted(IOM_LOCKUP, key=lambda code: code != language)
        ],
    }


def paper_content(
    paper: BackgroundPaper, session: Session, *, original: str, language: str
) -> dict[str, Any]:
    def paper_text(obj, field: str) -> content.Text:
        return text(obj, field, original=original, language=language)

    return {
        "id": f"paper-{session.number}",
        "session_label": str(session.label),
        "session_title": passage(paper_text(session, "title")),
        "title": passage(paper_text(paper, "title")),
        "body": block(paper_text(paper, "body")),
        "questions_introduction": passage(paper_text(paper, "questions_introduction")),
        "questions": [
            passage(paper_text(question, "text")) for question in paper.key_questions.all()
        ],
    }


ROLE_PLURALS = {
    "discussant": gettext_noop("Discussants"),
    "chair": gettext_noop("Chairs"),
    "moderator": gettext_noop("Moderators"),
    "rapporteur": gettext_noop("Rapporteurs"),
}


def _roles(item: AgendaItem, *, original: str, language: str) -> list[dict[str, Any]]:
    grouped: dict[str, list] = {}
    for role in item.roles.all():
        grouped.setdefault(role.role, []).append(role.person)
    result = []
    with translation.override(language):
        for role, people in grouped.items():
            label = AgendaItemRole.Role(role).label
            if len(people) > 1:
                label = gettext(ROLE_PLURALS[role])
            result.append(
                {
                    "role": str(label),
                    "people": [
                        person_content(person, original=original, language=language)
                        for person in people
                    ],
                }
            )
    return result


def clock_time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def item_content(
    item: AgendaItem, *, show_session: bool, original: str, language: str
) -> dict[str, Any]:
    def item_text(obj, field: str) -> content.Text:
        return text(obj, field, original=original, language=language)

    session = item.session if show_session else None
    is_session_item = item.kind == AgendaItem.Kind.SESSION and item.session is not None
    title = content.Text("", language, language)
    if not (is_session_item and show_session):
        title = item_text(item, "title")
    presentations = list(item.presentations.all())
    return {
        "id": f"item-{item.pk}",
        "start": clock_time(item.start_time),
        "end": clock_time(item.end_time),
        "kind": item.kind,
        "session_label": str(session.label) if session else "",
        "session_title": passage(item_text(session, "title")) if session else None,
        "session_theme": block(item_text(session, "theme")) if session else None,
        "title": passage(title),
        "description": block(item_text(item, "description")),
        "room": passage(item_text(item.room, "name")) if item.room else None,
        "parallel": item.is_parallel,
        "roles": _roles(item, original=original, language=language),
        "presentations": [
            presentation_content(
                presentation,
                item_title=title,
                presentations=len(presentations),
                original=original,
                language=language,
            )
            for presentation in presentations
        ],
    }


def presentation_content(
    presentation, *, item_title: str, presentations: int, original: str, language: str
) -> dict[str, Any]:
    """A presentation of an item: its title, unless it repeats the item's, and its speakers."""
    title = text(presentation, "title", original=original, language=language)
    if formatting.repeats_item_title(title, item_title=item_title, presentations=presentations):
        title = content.Text("", language, language)
    return {
        "title": passage(title),
        "speakers": [
            person_content(
                link.person,
                label=text(link, "label", original=original, language=language),
                original=original,
                language=language,
            )
            for link in presentation.speaker_links.all()
        ],
    }


def agenda_content(
    items: Iterable[AgendaItem], *, original: str, language: str
) -> list[dict[str, Any]]:
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
                    "label": long_date(item.date, language=language),
                    "items": [],
                }
            )
        show_session = item.session_id is not None and item.session_id not in seen_sessions
        if item.session_id:
            seen_sessions.add(item.session_id)
        printed = item_content(
            item, show_session=show_session, original=original, language=language
        )
        if not several_rooms:
            printed["room"] = None
        days[-1]["items"].append(printed)
    return days
