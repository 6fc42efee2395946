"""The questions organizers add to an event's registration form, for every category or some, and
the participants' answers, stored structured: a text, chosen options, yes or no, a date, a
country or a file, each in its own column, so that exports have one column per question and
option seats can be counted.

An option with seats (QuestionOption.seats) is held by every active registration that chose it
(pending, awaiting approval, confirmed or waiting), counted under the event's seat lock
(registration.services.registering); a break-out group's seats are held the same way.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from agenda.models import Event
from registration.models.categories import ParticipantCategory
from registration.models.registrations import Registration
from speakers.models import private_storage


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("One choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    DATE = "date", _("Date")
    COUNTRY = "country", _("Country")
    FILE = "file", _("File (PDF)")


CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class Question(models.Model):
    Kind = QuestionKind

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    categories = models.ManyToManyField(
        ParticipantCategory,
        verbose_name=_("asked of"),
        related_name="questions",
        blank=True,
        help_text=_("Leave empty to ask every participant."),
    )
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values),
                name="registration_question_kind_valid",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS


class QuestionOption(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("option"), max_length=200)
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("At most this many active registrations may choose it; empty: no limit."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "label"],
                name="registration_questionoption_unique_label",
                violation_error_message=_("The question already has this option."),
            ),
        ]

    def __str__(self):
        return self.label


def answer_upload_to(instance: "Answer", filename: str) -> str:
    return f"answers/{secrets.token_hex(16)}.pdf"


class Answer(models.Model):
    """A participant's answer to one question, in the column of the question's kind."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("text"), blank=True)
    options = models.ManyToManyField(
        QuestionOption, verbose_name=_("options chosen"), related_name="answers", blank=True
    )
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    country = CountryField(_("country"), blank=True)
    file = models.FileField(
        _("file"), upload_to=answer_upload_to, storage=private_storage, blank=True
    )
    file_name = models.CharField(_("file name as uploaded"), max_length=255, blank=True)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["registration", "question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"],
                name="registration_answer_one_per_question",
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.registration}"
