"""Which of an event's texts still lack a version in one of the site's languages.

Organizers write an event's texts in its original language first (`Event.original_language`),
then add the French, Spanish or English versions. This report finds, for every text registered
for translation (agenda.translation, proceedings.translation, …), the languages in which it is
empty while another language has it (`content.missing`), object by object, for the admin's
"Translations" page of the event and the count in its list of events.

It reads all the texts of one event or of a page of events in a fixed number of queries, one
or two per kind of object, whatever their size. Apps above agenda add the texts agenda cannot
see with `register_source` (the proceedings their publication, registration its break-out
groups), as agenda never imports them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import F, Model
from modeltranslation.translator import translator

from agenda import content
from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Document,
    Event,
    EventPartner,
    KeyQuestion,
    Organization,
    Person,
    PracticalInformation,
    Presentation,
    PresentationSpeaker,
    Room,
    Session,
)


@dataclass(frozen=True)
class Row:
    """An object with texts of the event `event_id`. `edited_on` names the object whose admin
    page edits them, (model, pk), when that is another one (a room is edited on its event's)."""

    event_id: int
    obj: Model
    edited_on: tuple[type[Model], int] | None = None


# A source reads the objects of the given events that have texts, in few queries.
Source = Callable[[dict[int, Event]], Iterable[Row]]
_SOURCES: list[Source] = []


def register_source(source: Source) -> Source:
    """Add a kind of object to the report, after those already there (usable as a decorator)."""
    _SOURCES.append(source)
    return source


def translated_fields(model: type[Model]) -> list[str]:
    """The fields of `model` written in every language; none when it is not registered."""
    if model not in translator.get_registered_models():
        return []
    registered = translator.get_options_for_model(model).fields
    # In the model's order, the order of its form (the options keep them unordered).
    return [field.name for field in model._meta.fields if field.name in registered]


@dataclass
class MissingText:
    """One text of an object and the languages it lacks; `text` is the version there is."""

    field: str
    label: str
    text: content.Text
    languages: list[str]


@dataclass
class ObjectReport:
    obj: Model
    edited_on: tuple[type[Model], int]
    texts: list[MissingText]

    @property
    def kind(self) -> str:
        return self.obj._meta.verbose_name


@dataclass
class EventReport:
    event: Event
    objects: list[ObjectReport] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Missing texts per language, in the order of settings.LANGUAGES; the event's original
        language only when some text lacks it."""
        counts = dict.fromkeys(content.LANGUAGE_CODES, 0)
        for report in self.objects:
            for text in report.texts:
                for code in text.languages:
                    counts[code] += 1
        original = self.event.original_language
        return {code: n for code, n in counts.items() if code != original or n}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _report_on(row: Row, event: Event) -> ObjectReport | None:
    texts = []
    for name in translated_fields(type(row.obj)):
        languages = content.missing(row.obj, name)
        if languages:
            texts.append(
                MissingText(
                    field=name,
                    label=row.obj._meta.get_field(name).verbose_name,
                    text=content.text(
                        row.obj,
                        name,
                        original=event.original_language,
                        language=event.original_language,
                    ),
                    languages=languages,
                )
            )
    if not texts:
        return None
    return ObjectReport(
        obj=row.obj, edited_on=row.edited_on or (type(row.obj), row.obj.pk), texts=texts
    )


def missing_translations(events: Iterable[Event]) -> dict[int, EventReport]:
    """The report of each of `events`, by event id, read together: the same queries for one
    event as for a page of them."""
    by_id = {event.pk: event for event in events}
    reports = {pk: EventReport(event) for pk, event in by_id.items()}
    if not by_id:
        return reports
    for source in _SOURCES:
        for row in source(by_id):
            report = _report_on(row, by_id[row.event_id])
            if report is not None:
                reports[row.event_id].objects.append(report)
    return reports


def event_report(event: Event) -> EventReport:
    """What is missing in `event`'s texts (see missing_translations)."""
    return missing_translations([event])[event.pk]


# The agenda's own texts, in the order the event's page and programme show them.


@register_source
def _events(events: dict[int, Event]) -> Iterable[Row]:
    return [Row(pk, event) for pk, event in events.items()]


@register_source
def _practical_information(events: dict[int, Event]) -> Iterable[Row]:
    for info in PracticalInformation.objects.filter(event_id__in=events):
        info.event = events[info.event_id]  # named by its __str__
        yield Row(info.event_id, info, (Event, info.event_id))


@register_source
def _rooms(events: dict[int, Event]) -> Iterable[Row]:
    for room in Room.objects.filter(event_id__in=events):
        yield Row(room.event_id, room, (Event, room.event_id))


@register_source
def _sessions_and_papers(events: dict[int, Event]) -> Iterable[Row]:
    sessions = Session.objects.filter(event_id__in=events)
    for session in sessions:
        yield Row(session.event_id, session)
    papers = BackgroundPaper.objects.filter(session__event_id__in=events).annotate(
        _event_id=F("session__event_id")
    )
    for paper in papers.order_by("session__event_id", "session__number", "pk"):
        yield Row(paper._event_id, paper)
    questions = KeyQuestion.objects.filter(paper__session__event_id__in=events).annotate(
        _event_id=F("paper__session__event_id")
    )
    for question in questions:
        yield Row(question._event_id, question, (BackgroundPaper, question.paper_id))


@register_source
def _programme(events: dict[int, Event]) -> Iterable[Row]:
    for item in AgendaItem.objects.filter(event_id__in=events):
        yield Row(item.event_id, item)
    presentations = Presentation.objects.filter(item__event_id__in=events).annotate(
        _event_id=F("item__event_id")
    )
    for presentation in presentations.order_by(
        "item__date", "item__start_time", "item__order", "item_id", "order", "pk"
    ):
        yield Row(presentation._event_id, presentation)
    links = (
        PresentationSpeaker.objects.filter(presentation__item__event_id__in=events)
        .select_related("person")
        .annotate(_event_id=F("presentation__item__event_id"))
    )
    for link in links:
        yield Row(link._event_id, link, (Presentation, link.presentation_id))


@register_source
def _people_and_organizations(events: dict[int, Event]) -> Iterable[Row]:
    """The people with a role in the events' programme, then the organizations that appear in
    it: the organizer, the partners and the people's organizations."""
    appearances = set(
        PresentationSpeaker.objects.filter(presentation__item__event_id__in=events).values_list(
            "person_id", "presentation__item__event_id"
        )
    ) | set(
        AgendaItemRole.objects.filter(item__event_id__in=events).values_list(
            "person_id", "item__event_id"
        )
    )
    people = Person.objects.in_bulk({person_id for person_id, _event in appearances})
    organizations = defaultdict(set)
    for event in events.values():
        organizations[event.organizer_id].add(event.pk)
    for organization_id, event_id in EventPartner.objects.filter(event_id__in=events).values_list(
        "organization_id", "event_id"
    ):
        organizations[organization_id].add(event_id)
    for person_id, event_id in sorted(
        appearances, key=lambda pair: (people[pair[0]].last_name, people[pair[0]].first_name, pair)
    ):
        person = people[person_id]
        yield Row(event_id, person)
        if person.organization_id is not None:
            organizations[person.organization_id].add(event_id)
    for organization in Organization.objects.filter(pk__in=organizations):
        for event_id in sorted(organizations[organization.pk]):
            yield Row(event_id, organization)


@register_source
def _documents(events: dict[int, Event]) -> Iterable[Row]:
    for document in Document.objects.filter(event_id__in=events):
        yield Row(document.event_id, document)
