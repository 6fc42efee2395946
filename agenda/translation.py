"""Which texts of the programme organizers write in English, French and Spanish.

django-modeltranslation adds a column per language (title_en, title_fr, title_es) next to each
field named here, so a page reads its texts from the rows it already loads, with no join. Which
of them a page prints, and how it marks a text shown in another language, is agenda.content's.
"""

from modeltranslation.translator import TranslationOptions, register, translator

from agenda.models import (
    AgendaItem,
    BackgroundPaper,
    Document,
    Event,
    KeyQuestion,
    Organization,
    Person,
    PracticalInformation,
    Presentation,
    PresentationSpeaker,
    Room,
    Session,
)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = (
        "title",
        "series_theme",
        "venue",
        "venue_short_name",
        "city",
        "introduction",
        "overview",
        "objectives",
        "agenda_introduction",
    )


@register(PracticalInformation)
class PracticalInformationTranslation(TranslationOptions):
    fields = ("venue_details", "notes")


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("name",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "theme")


@register(BackgroundPaper)
class BackgroundPaperTranslation(TranslationOptions):
    fields = ("title", "body", "questions_introduction")


@register(KeyQuestion)
class KeyQuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Presentation)
class PresentationTranslation(TranslationOptions):
    fields = ("title", "abstract")


@register(PresentationSpeaker)
class PresentationSpeakerTranslation(TranslationOptions):
    fields = ("label",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "acronym")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("position", "affiliation_note", "bio")


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "description", "file", "url")


# Their history keeps every language too: simple_history copies all of a row's fields.
translator.register(Event.history.model, EventTranslation)
translator.register(PracticalInformation.history.model, PracticalInformationTranslation)
translator.register(Room.history.model, RoomTranslation)
translator.register(Session.history.model, SessionTranslation)
translator.register(BackgroundPaper.history.model, BackgroundPaperTranslation)
translator.register(KeyQuestion.history.model, KeyQuestionTranslation)
translator.register(AgendaItem.history.model, AgendaItemTranslation)
translator.register(Presentation.history.model, PresentationTranslation)
translator.register(PresentationSpeaker.history.model, PresentationSpeakerTranslation)
translator.register(Organization.history.model, OrganizationTranslation)
translator.register(Person.history.model, PersonTranslation)
translator.register(Document.history.model, DocumentTranslation)
