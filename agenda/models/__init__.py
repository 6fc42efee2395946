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
from agenda.models.sessions import BackgroundPaper, KeyQuestion, Session

# Named by agenda's migration 0001 (the publication moved to the proceedings app).
from agenda.validators import validate_issn

__all__ = [
    "ROMAN_NUMERALS",
    "TIME_ZONE_CHOICES",
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
    "Room",
    "Session",
    "roman_numeral",
    "validate_issn",
]
