"""Small formatting helpers of the public pages: organizers' texts in the page's language
(agenda.content) and days as the page's language writes them (agenda.formatting)."""

import datetime

from django import template
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_info

from agenda import content, formatting
from agenda.models import AgendaItemRole

register = template.Library()

ROLE_LABELS = dict(AgendaItemRole.Role.choices)


@register.filter
def date_range(event) -> str:
    """The event's days as `agenda.formatting.date_range` writes them: "23–24 March 2006"."""
    return formatting.date_range(event.start_date, event.end_date)


@register.filter
def long_day(day: datetime.date) -> str:
    """ "Thursday, 23 March 2006" in the page's language (agenda.formatting.long_day)."""
    return formatting.long_day(day)


@register.filter
def agenda_day(day: datetime.date) -> str:
    """ "Thursday 23 March 2006" as the agenda heads its days (agenda.formatting.agenda_day)."""
    return formatting.agenda_day(day)


@register.filter
def weekday_and_day(day: datetime.date) -> str:
    """ "Thursday 23 March" (agenda.formatting.weekday_and_day)."""
    return formatting.weekday_and_day(day)


@register.filter
def day_month_year(day: datetime.date) -> str:
    """ "23 March 2006" (agenda.formatting.day_month_year)."""
    return formatting.day_month_year(day)


@register.filter
def moment(value: datetime.datetime | None, zone: str = "") -> str:
    """A moment in local time, written in the active language: `{{ opens_at|moment }}`, or
    `{{ opens_at|moment:"zone" }}` with the time zone's name."""
    if value is None:
        return ""
    return formatting.day_month_year_time(template_localtime(value), zone=bool(zone))


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
    # An event knows its own original language (the list of events has no `event` to ask).
    original = getattr(obj, "original_language", None) or _original(context)
    return content.text(obj, field, original=original, language=language)


def _original(context) -> str | None:
    return getattr(context.get("event"), "original_language", None)


@register.simple_tag(takes_context=True)
def affiliation(context, person) -> content.Joined:
    """A person's position and organization in the page's language, else in the event's original
    language, each part marked when it falls back: `{% affiliation person %}`."""
    return content.affiliation(person, original=_original(context))


@register.simple_tag(takes_context=True)
def organization_name(context, organization) -> content.Joined:
    """ "World Health Organization (WHO)" in the page's language, marked where it falls back."""
    return content.organization_name(organization, original=_original(context))


@register.simple_tag(takes_context=True)
def document_link(context, document) -> content.Link | None:
    """`{% document_link document as link %}`: the document's file or address in the page's
    language, else the original's (`link.href`, `link.lang`, `link.lang_differs`)."""
    return content.document_link(document, original=_original(context))


@register.filter
def language_name(code: str) -> str:
    """A language's name in the page's language, as running text writes it: "French",
    "français", "francés" (from Django's own catalogs, which capitalise them)."""
    name = str(get_language_info(code)["name_translated"])
    return name if content.interface_language() == "en" else name.lower()


@register.simple_tag(takes_context=True)
def questions_introduction(context, paper) -> content.Text:
    """The sentence that leads to a paper's key questions, in the page's language
    (BackgroundPaper.questions_introduction_text)."""
    return paper.questions_introduction_text(original=_original(context))
