"""Which texts of the publication organizers write in English, French and Spanish (see
agenda.translation)."""

from modeltranslation.translator import TranslationOptions, register

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
