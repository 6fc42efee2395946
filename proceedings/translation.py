"""Which texts of the publication organizers write in English, French and Spanish (see
agenda.translation)."""

from modeltranslation.translator import TranslationOptions, register, translator

from proceedings.models import Acronym, Publication, PublicationPart


@register(Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("series", "title", "summary", "foreword", "report")


@register(PublicationPart)
class PublicationPartTranslation(TranslationOptions):
    fields = ("title",)


@register(Acronym)
class AcronymTranslation(TranslationOptions):
    fields = ("meaning",)


# Their history keeps every language too: simple_history copies all of a row's fields.
translator.register(Publication.history.model, PublicationTranslation)
translator.register(PublicationPart.history.model, PublicationPartTranslation)
translator.register(Acronym.history.model, AcronymTranslation)
