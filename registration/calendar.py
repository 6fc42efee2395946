"""The event as an iCalendar entry, attached to the e-mails that give a participant a place."""

import datetime

import icalendar
from django.conf import settings
from django.utils import translation

from agenda import content
from agenda.models import Event


def event_venue(event: Event, *, language: str | None = None) -> content.Text:
    """Where the event takes place ("Palais des Nations, Geneva") in `language` (the active
    one by default), each part as agenda.content chooses it; in the venue's language."""
    parts = [
        content.text(event, field, original=event.original_language, language=language)
        for field in ("venue", "city")
    ]
    parts = [part for part in parts if part]
    if not parts:
        wanted = language or content.interface_language()
        return content.Text("", wanted, wanted)
    return content.Text(", ".join(parts), parts[0].lang, parts[0].wanted)


def event_calendar(event: Event, *, language: str | None = None) -> bytes:
    """An .ics file with one all-day entry spanning the event's days, in `language` (the active
    one by default): its title and place in that language where organizers wrote them (each
    tagged with the language it is really in, RFC 5545's LANGUAGE), its link to that language's
    page."""
    language = language or content.interface_language()
    title = content.text(event, "title", original=event.original_language, language=language)
    venue = event_venue(event, language=language)
    with translation.override(language):
        url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    entry = icalendar.Event.new(
        uid=f"event-{event.slug}@idm-seminars",
        start=event.start_date,
        end=event.end_date + datetime.timedelta(days=1),
        url=url,
        stamp=datetime.datetime.now(tz=datetime.UTC),
    )
    entry.add("summary", title.plain, parameters={"LANGUAGE": title.lang})
    if venue:
        entry.add("location", venue.plain, parameters={"LANGUAGE": venue.lang})
    calendar = icalendar.Calendar.new(prodid="-//IOM//IDM seminars//EN", subcomponents=[entry])
    calendar.add("method", "PUBLISH")
    return calendar.to_ical()
