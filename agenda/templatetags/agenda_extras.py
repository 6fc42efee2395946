"""Small formatting helpers of the public pages."""

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def date_range(event) -> str:
    """The event's dates as people write them: "23–24 March 2006", "30 March – 2 April 2006"."""
    first, last = event.start_date, event.end_date
    if first == last:
        return date_format(first, "j F Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{date_format(first, 'j')}–{date_format(last, 'j F Y')}"
    if first.year == last.year:
        return f"{date_format(first, 'j F')} – {date_format(last, 'j F Y')}"
    return f"{date_format(first, 'j F Y')} – {date_format(last, 'j F Y')}"


@register.filter
def isoformat(value: datetime.date | datetime.time | datetime.datetime | None) -> str:
    """A machine-readable value for <time datetime>, keeping the event's own UTC offset."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()
