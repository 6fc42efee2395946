"""The event as an iCalendar entry, attached to the e-mails that give a participant a place."""

import datetime

import icalendar
from django.conf import settings

from agenda.models import Event


def event_calendar(event: Event) -> bytes:
    """An .ics file with one all-day entry spanning the event's days."""
    calendar = icalendar.Calendar.new(
        prodid="-//IOM//IDM seminars//EN",
        subcomponents=[
            icalendar.Event.new(
                uid=f"event-{event.slug}@idm-seminars",
                summary=event.title,
                start=event.start_date,
                end=event.end_date + datetime.timedelta(days=1),
                location=event.venue_display,
                url=f"{settings.SITE_URL}{event.get_absolute_url()}",
                stamp=datetime.datetime.now(tz=datetime.UTC),
            )
        ],
    )
    calendar.add("method", "PUBLISH")
    return calendar.to_ical()
