"""Which texts of the registration app organizers write in English, French and Spanish: the
names of break-out groups and participant categories, the questions of the registration form
and their options, which participants choose on the form and read in their e-mails.

As in agenda.translation, django-modeltranslation adds a column per language (name_en,
name_fr, name_es); agenda.content chooses which one a page or an e-mail prints, and marks a
name shown in another language. Registrations themselves hold no organizer's text to translate:
a reason for rejection is written to one participant, in their language.
"""

from modeltranslation.translator import TranslationOptions, register

from registration.models import BreakoutGroup, ParticipantCategory, Question, QuestionOption


@register(BreakoutGroup)
class BreakoutGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(ParticipantCategory)
class ParticipantCategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "help_text")


@register(QuestionOption)
class QuestionOptionTranslation(TranslationOptions):
    fields = ("label",)
