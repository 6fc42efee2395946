"""iCalendar (RFC 5545) feeds of an event's agenda, for people who add sessions to their calendar.

Times carry the event's time zone (TZID with its VTIMEZONE), so calendars show them right wherever
the reader is. An item's UID is derived from its primary key and the site's host name, so a
calendar that subscribes to the feed updates items instead of duplicating them.

A feed is in the request's language (/fr/.../agenda.ics is French): organizers' texts as
agenda.content chooses them, the interface's words from the catalogs. iCalendar cannot mark a
passage inside a text, only a whole property (RFC 5545 LANGUAGE parameter): a name, summary,
location or description whose organizers' texts all fall back to one other language carries
that language.
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from agenda import content
from agenda.models import AgendaItem, Event, Person, Session

PRODID = "-//IOM//International Dialogue on Migration seminars//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def item_uid(item: AgendaItem) -> str:
    return f"agenda-item-{item.pk}@{site_host()}"


class Composed:
    """A property's value put together from organizers' texts and the interface's words, with
    the language its organizers' texts fall back to, when they all fall back to one."""

    def __init__(self, *, original: str, language: str) -> None:
        self.original = original
        self.language = language
        self.languages: set[str] = set()

    def text(self, obj, field: str) -> content.Text:
        """`obj`'s `field` in the feed's language, noted for the property's language."""
        value = content.text(obj, field, original=self.original, language=self.language)
        if value:
            self.languages.add(value.lang)
        return value

    def property(self, value: str) -> icalendar.vText | None:
        if not value:
            return None
        prop = icalendar.vText(value)
        if len(self.languages) == 1 and self.language not in self.languages:
            prop.params["LANGUAGE"] = next(iter(self.languages))
        return prop


def _affiliation(person: Person, texts: Composed) -> str:
    organization = texts.text(person, "affiliation_note")
    if not organization and person.organization:
        organization = texts.text(person.organization, "name")
    return ", ".join(part for part in (texts.text(person, "position"), organization) if part)


def item_location(item: AgendaItem, event: Event, *, language: str) -> icalendar.vText | None:
    texts = Composed(original=event.original_language, language=language)
    room = texts.text(item.room, "name") if item.room else ""
    venue = ", ".join(
        part for part in (texts.text(event, "venue"), texts.text(event, "city")) if part
    )
    return texts.property(", ".join(part for part in (room, venue) if part))


def item_summary(item: AgendaItem, event: Event, *, language: str) -> icalendar.vText | None:
    texts = Composed(original=event.original_language, language=language)
    title = texts.text(item, "title")
    return texts.property(f"{title} ({item.session.label})" if item.session else title)


def item_description(item: AgendaItem, event: Event, *, language: str) -> icalendar.vText | None:
    """Plain text of what the item holds: session, description, presentations and people."""
    texts = Composed(original=event.original_language, language=language)
    lines = []
    if item.session:
        lines.append(f"{item.session.label}: {texts.text(item.session, 'title')}")
    description = texts.text(item, "description")
    if description.strip():
        lines.append(description.strip())
    for presentation in item.presentations.all():
        speakers = "; ".join(
            ", ".join(
                part for part in (link.person.full_name, _affiliation(link.person, texts)) if part
            )
            for link in presentation.speaker_links.all()
        )
        title = texts.text(presentation, "title")
        lines.append(f"– {title}" + (f" ({speakers})" if speakers else ""))
    for role in item.roles.all():
        person = role.person
        affiliation = _affiliation(person, texts)
        affiliation = f", {affiliation}" if affiliation else ""
        lines.append(f"{role.get_role_display()}: {person.full_name}{affiliation}")
    return texts.property("\n\n".join(lines))


def calendar_name(
    event: Event, *, session: Session | None = None, language: str
) -> icalendar.vText | None:
    """The event's title, or the session's label and title for a session's calendar."""
    texts = Composed(original=event.original_language, language=language)
    if session is not None:
        return texts.property(f"{session.label}: {texts.text(session, 'title')}")
    return texts.property(texts.text(event, "title"))


def build_calendar(
    event: Event,
    items: Iterable[AgendaItem],
    *,
    session: Session | None = None,
    base_url: str = "",
    language: str | None = None,
) -> icalendar.Calendar:
    """A calendar with one VEVENT per item and the VTIMEZONE of the event's time zone, in
    `language` (the active one by default); `session` names a session's calendar.

    `items` must have their session, room, presentations with speakers and roles loaded
    (agenda.views.agenda_items does that) or each item costs queries of its own.
    """
    language = language or content.interface_language()
    name = calendar_name(event, session=session, language=language)
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        uid=f"event-{event.pk}@{site_host()}",
        url=f"{base_url}{event.get_absolute_url()}" if base_url else None,
        method="PUBLISH",
    )
    if name is not None:
        calendar["NAME"] = name
        calendar["X-WR-CALNAME"] = name
    stamp = timezone.now().replace(microsecond=0).astimezone(datetime.UTC)
    for item in items:
        item.event = event
        vevent = icalendar.Event.new(
            uid=item_uid(item),
            stamp=stamp,
            start=item.starts_at,
            end=item.ends_at,
            url=f"{base_url}{item.get_absolute_url()}" if base_url else None,
            categories=[str(item.get_kind_display())],
        )
        for key, value in (
            ("SUMMARY", item_summary(item, event, language=language)),
            ("LOCATION", item_location(item, event, language=language)),
            ("DESCRIPTION", item_description(item, event, language=language)),
        ):
            if value is not None:
                vevent[key] = value
        calendar.add_component(vevent)
    margin = datetime.timedelta(days=366)
    calendar.add_missing_timezones(
        first_date=event.start_date - margin, last_date=event.end_date + margin
    )
    return calendar


def calendar_response(
    event: Event,
    items: Iterable[AgendaItem],
    *,
    filename: str,
    session: Session | None = None,
) -> HttpResponse:
    """The feed of `items`, in the request's language (the active one)."""
    # The site's own address, never the Host asked: calendars are cached without it.
    calendar = build_calendar(event, items, session=session, base_url=settings.SITE_URL)
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
