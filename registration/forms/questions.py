"""The organizers' questions as fields of the registration form, one per question, by kind; the
choices with seats (options, break-out groups) shown full and disabled when every seat is held.

The fields check what a participant may answer (lengths, plain text, a date in a sensible range,
an option of this question, a complete PDF) with a message per field; the seats are counted
again, under the seat lock, when the answers are stored (registration.services.answers).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agenda import content
from agenda.validators import validate_no_bidi_controls
from registration.forms.fields import (
    CountryChoiceField,
    FullChoicesMixin,
    validate_plain_text,
)
from registration.models import Answer, ParticipantCategory, Question, QuestionKind
from registration.uploads import check_pdf

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 4000
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
FULL_MESSAGE = _("This option is full now: choose another.")
YES, NO = "yes", "no"


def questions_for(event, category: ParticipantCategory | None) -> list[Question]:
    """The questions of `event` asked of `category` (those asked of no category in particular
    are asked of everyone), in order, with their options. Two queries."""
    asked = Q(categories=None)
    if category is not None:
        asked |= Q(categories=category)
    return list(
        Question.objects.filter(asked, event=event)
        .distinct()
        .prefetch_related("options")
        .order_by("order", "pk")
    )


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def validate_date_range(value: datetime.date) -> None:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_range",
            params={"first": DATE_MIN.year, "last": DATE_MAX.year},
        )


def validate_short_text(value: str) -> None:
    validate_plain_text(value)
    validate_no_bidi_controls(value)


def validate_long_text(value: str) -> None:
    validate_plain_text(value, multiline=True)
    validate_no_bidi_controls(value)


def choice_label(label: content.Text, *, full: bool):
    """An option's label, marked with its language where it is not the page's, and said full."""
    if full:
        return format_html("{} ({})", label, _("full"))
    return format_html("{}", label)


class ChoiceRadioSelect(FullChoicesMixin, forms.RadioSelect):
    pass


class ChoiceCheckboxes(FullChoicesMixin, forms.CheckboxSelectMultiple):
    pass


class OptionChoiceField(forms.TypedChoiceField):
    """One of the question's options, given back as the option itself."""

    def __init__(self, *, options: dict[str, object], **kwargs):
        self.options = options
        super().__init__(coerce=options.__getitem__, empty_value=None, **kwargs)


class OptionsChoiceField(forms.TypedMultipleChoiceField):
    """Some of the question's options, each once, given back as the options themselves."""

    def __init__(self, *, options: dict[str, object], **kwargs):
        self.options = options
        super().__init__(coerce=options.__getitem__, **kwargs)

    def clean(self, value):
        options = super().clean(value)
        return list(dict.fromkeys(options))


def question_field(
    question: Question,
    *,
    event,
    full: set[int],
    held: set[int] = frozenset(),
    answer: Answer | None = None,
) -> forms.Field:
    """The form field that asks `question`: its label and help in the page's language (or the
    event's original one, marked), required as organizers said. `full` options are shown full
    and disabled unless the registration already holds them (`held`)."""
    original = event.original_language
    common = {
        "label": content.text(question, "label", original=original),
        "help_text": content.text(question, "help_text", original=original),
        "required": question.required,
    }
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(
            max_length=SHORT_TEXT_MAX, validators=[validate_short_text], **common
        )
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
            validators=[validate_long_text],
            **common,
        )
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        options = {str(option.pk): option for option in question.options.all()}
        unavailable = {pk for pk, option in options.items() if option.pk in full - set(held)}
        choices = [
            (
                pk,
                choice_label(
                    content.text(option, "label", original=original), full=pk in unavailable
                ),
            )
            for pk, option in options.items()
        ]
        if kind == QuestionKind.SINGLE_CHOICE:
            widget = ChoiceRadioSelect()
            field = OptionChoiceField(options=options, choices=choices, widget=widget, **common)
        else:
            widget = ChoiceCheckboxes()
            field = OptionsChoiceField(options=options, choices=choices, widget=widget, **common)
        field.widget.disabled_values = frozenset(unavailable)
        field.unavailable = unavailable
        return field
    if kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=lambda value: value == YES,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.DATE:
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            validators=[validate_date_range],
            **common,
        )
    if kind == QuestionKind.COUNTRY:
        return CountryChoiceField(**common)
    # A file: a PDF, private to organizers. Once given, it stays unless replaced.
    if answer is not None and answer.file:
        common["required"] = False
        common["help_text"] = format_html(
            "{} {}",
            common["help_text"],
            _("You gave %(name)s; choose another file to replace it.") % {"name": answer.file_name},
        )
    return forms.FileField(
        validators=[check_pdf],
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        **common,
    )


def initial_value(answer: Answer):
    """What the field of `answer`'s question shows of it on the change form."""
    kind = answer.question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return answer.text
    if kind == QuestionKind.SINGLE_CHOICE:
        options = [str(option.pk) for option in answer.options.all()]
        return options[0] if options else None
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return [str(option.pk) for option in answer.options.all()]
    if kind == QuestionKind.YES_NO:
        return None if answer.yes is None else (YES if answer.yes else NO)
    if kind == QuestionKind.DATE:
        return answer.date
    if kind == QuestionKind.COUNTRY:
        return answer.country.code or ""
    return None
