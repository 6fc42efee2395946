"""Small formatting helpers of the public pages."""

import datetime

from django import template

from agenda import content, formatting
from agenda.models import AgendaItemRole

register = template.Library()

ROLE_LABELS = dict(AgendaItemRole.Role.choices)


@register.filter
def date_range(event) -> str:
    """The event's days as `agenda.formatting.date_range` writes them: "23–24 March 2006"."""
    return formatting.date_range(event.start_date, event.end_date)


@register.filter
def role_label(role: str) -> str:
    """The label of a role in an item ("Chair", "Rapporteur"...) from its stored value; a value
    that is no longer a choice shows as stored."""
    return ROLE_LABELS.get(role, role)


@register.filter
def isoformat(value: datetime.date | datetime.time | datetime.datetime | None) -> str:
    """A machine-readable value for <time datetime>, keeping the event's own UTC offset."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


@register.simple_tag(takes_context=True)
def tr(context, obj, field: str, language: str | None = None) -> content.Text:
    """An organizer's text in the page's language, or in the event's original language where
    it is missing, marked with that language (`<span lang="en">`): `{% tr session "title" %}`.

    `{% tr session "theme" as theme %}` keeps it for `{{ theme.as_paragraphs }}` (block texts,
    marked on a <div>), `{{ theme.plain }}` (attributes, <title>) or `{{ theme.lang_attr }}`.
    """
    event = context.get("event")
    original = getattr(event, "original_language", None)
    return content.text(obj, field, original=original, language=language)
