"""Events of the International Dialogue on Migration: their agenda, sessions, people and papers.

Times of agenda items are stored as the local wall-clock time of the event's venue (date, start
time, end time) with the event's time zone, as organizers think of them; calendar feeds turn them
into aware datetimes.

The models live in modules by concern and are all importable from here (`agenda.models.Event`),
as migrations and the other apps name them.
"""

from agenda.models.events import (
    ROMAN_NUMERALS,
    TIME_ZONE_CHOICES,
    Event,
    EventEndsAt,
    EventPartner,
    EventQuerySet,
    PracticalInformation,
    Room,
    roman_numeral,
)
from agenda.models.people import Organization, Person
from agenda.models.programme import (
    AgendaItem,
    AgendaItemQuerySet,
    AgendaItemRole,
    Document,
    Presentation,
    PresentationSpeaker,
)
from agenda.models.publications import (
    ISSN_FORMAT,
    Acronym,
    Publication,
    PublicationPart,
    issn_check_digit,
    validate_issn,
)
from agenda.models.sessions import BackgroundPaper, KeyQuestion, Session

__all__ = [
    "ISSN_FORMAT",
    "ROMAN_NUMERALS",
    "TIME_ZONE_CHOICES",
    "Acronym",
    "AgendaItem",
    "AgendaItemQuerySet",
    "AgendaItemRole",
    "BackgroundPaper",
    "Document",
    "Event",
    "EventEndsAt",
    "EventPartner",
    "EventQuerySet",
    "KeyQuestion",
    "Organization",
    "Person",
    "PracticalInformation",
    "Presentation",
    "PresentationSpeaker",
    "Publication",
    "PublicationPart",
    "Room",
    "Session",
    "issn_check_digit",
    "roman_numeral",
    "validate_issn",
]
