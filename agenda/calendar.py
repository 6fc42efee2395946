"""iCalendar (RFC 5545) feeds of an event's agenda, for people who add sessions to their calendar.

Times carry the event's time zone (TZID with its VTIMEZONE), so calendars show them right wherever
the reader is. An item's UID is derived from its primary key and the site's host name, so a
calendar that subscribes to the feed updates items instead of duplicating them.
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from agenda.models import AgendaItem, Event

PRODID = "-//IOM//International Dialogue on Migration seminars//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def item_uid(item: AgendaItem) -> str:
    return f"agenda-item-{item.pk}@{site_host()}"


def item_location(item: AgendaItem, event: Event) -> str:
    return ", ".join(
        part for part in (item.room.name if item.room else "", event.venue_display) if part
    )


def item_description(item: AgendaItem) -> str:
    """Plain text of what the item holds: session, description, presentations and people."""
    lines = []
    if item.session:
        lines.append(f"{item.session.label}: {item.session.title}")
    if item.description:
        lines.append(item.description.strip())
    for presentation in item.presentations.all():
        speakers = "; ".join(
            ", ".join(part for part in (link.person.full_name, link.person.affiliation) if part)
            for link in presentation.speaker_links.all()
        )
        lines.append(f"– {presentation.title}" + (f" ({speakers})" if speakers else ""))
    for role in item.roles.all():
        person = role.person
        affiliation = f", {person.affiliation}" if person.affiliation else ""
        lines.append(f"{role.get_role_display()}: {person.full_name}{affiliation}")
    return "\n\n".join(lines)


def build_calendar(
    event: Event, items: Iterable[AgendaItem], *, name: str = "", base_url: str = ""
) -> icalendar.Calendar:
    """A calendar with one VEVENT per item and the VTIMEZONE of the event's time zone.

    `items` must have their session, room, presentations with speakers and roles loaded
    (agenda.views.agenda_items does that) or each item costs queries of its own.
    """
    calendar = icalendar.Calendar.new(
        name=name or event.title,
        prodid=PRODID,
        uid=f"event-{event.pk}@{site_host()}",
        url=f"{base_url}{event.get_absolute_url()}" if base_url else None,
        method="PUBLISH",
    )
    stamp = timezone.now().replace(microsecond=0).astimezone(datetime.UTC)
    for item in items:
        item.event = event
        summary = f"{item.title} ({item.session.label})" if item.session else item.title
        calendar.add_component(
            icalendar.Event.new(
                uid=item_uid(item),
                stamp=stamp,
                start=item.starts_at,
                end=item.ends_at,
                summary=summary,
                location=item_location(item, event) or None,
                description=item_description(item) or None,
                url=f"{base_url}{item.get_absolute_url()}" if base_url else None,
                categories=[str(item.get_kind_display())],
            )
        )
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
    name: str = "",
) -> HttpResponse:
    # The site's own address, never the Host asked: calendars are cached without it.
    calendar = build_calendar(event, items, name=name or event.title, base_url=settings.SITE_URL)
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
