"""What the speaker's page prints of the people it names, in the page's language."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from agenda import content

register = template.Library()


@register.simple_tag(takes_context=True)
def affiliation(context, person) -> SafeString:
    """The person's position and organization as the programme prints them
    (Person.affiliation), each in the page's language where organizers wrote it, else in the
    event's original language, marked with it: `{% affiliation person %}`."""
    original = getattr(context.get("event"), "original_language", None)
    position = content.text(person, "position", original=original)
    organization = content.text(person, "affiliation_note", original=original)
    if not organization and person.organization_id:
        organization = content.text(person.organization, "name", original=original)
    parts = [part for part in (position, organization) if part]
    return format_html_join(", ", "{}", ((part,) for part in parts))
