"""The event as an iCalendar entry, attached to the e-mails that give a participant a place."""

import datetime

import icalendar
from django.conf import settings
from django.utils import translation

from agenda import content
from agenda.models import Event


def event_calendar(event: Event, *, language: str | None = None) -> bytes:
    """An .ics file with one all-day entry spanning the event's days, in `language` (the active
    one by default): its title and place in that language where organizers wrote them (each
    tagged with the language it is really in, RFC 5545's LANGUAGE), its link to that language's
    page."""
    language = language or content.interface_language()
    title = content.text(event, "title", original=event.original_language, language=language)
    place = content.place(event, language=language)
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
    if place:
        # One LANGUAGE for the whole place: the venue's (the city is rarely written otherwise).
        entry.add("location", place.plain, parameters={"LANGUAGE": place.parts[0].lang})
    calendar = icalendar.Calendar.new(prodid="-//IOM//IDM seminars//EN", subcomponents=[entry])
    calendar.add("method", "PUBLISH")
    return calendar.to_ical()
