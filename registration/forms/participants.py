"""What participants fill in: the registration form, the form that changes a registration
through the participant's link, and the form that asks for the link again.

The forms check each field (registration.forms.fields) and hand the services validated values
(`registration_details()`); the business rules (registration period, seats, one registration
per address) are the services' (registration.services.registering).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agenda import formatting
from agenda.validators import validate_no_bidi_controls
from registration.forms.fields import (
    SECTOR_CHOICES,
    BreakoutGroupChoiceField,
    CountryChoiceField,
    HoneypotMixin,
    LanguageMarkedSelect,
    breakout_groups,
    honeypot_field,
    honeypot_layout,
    language_choices,
    normalize_phone,
    validate_has_letter,
    validate_plain_text,
)
from registration.forms.questions import FULL_MESSAGE, field_name, initial_value, question_field
from registration.models import (
    BreakoutGroup,
    OptionalField,
    ParticipantCategory,
    Question,
    Registration,
    normalize_email,
)
from registration.services.answers import ChoiceFull, FullChoices
from registration.uploads import check_pdf


class RegistrationForm(HoneypotMixin, forms.ModelForm):
    """The participant's details. Business rules (windows, seats, duplicates) live in services."""

    website = honeypot_field()
    days = forms.TypedMultipleChoiceField(
        label=_("Days you attend"),
        widget=forms.CheckboxSelectMultiple,
        coerce=lambda value: value,
        error_messages={"required": _("Choose at least one day.")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("With the country code, for example +41 22 717 91 11."),
    )
    country = CountryChoiceField(label=_("Country"))
    consent_privacy = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that IOM keeps these details to organize "
            "the seminar."
        ),
        error_messages={"required": _("Registration needs your agreement to the privacy notice.")},
    )

    text_fields = ("first_name", "last_name", "position", "organization")
    multiline_fields = ("dietary_needs", "accessibility_needs")

    class Meta:
        model = Registration
        fields = [
            "honorific",
            "first_name",
            "last_name",
            "position",
            "organization",
            "sector",
            "country",
            "email",
            "phone",
            "days",
            "breakout_group",
            "dietary_needs",
            "accessibility_needs",
            "consent_privacy",
            "consent_public_list",
            "consent_proceedings_list",
        ]
        widgets = {
            "dietary_needs": forms.Textarea(attrs={"rows": 2}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
            "language": LanguageMarkedSelect,
        }
        field_classes = {"breakout_group": BreakoutGroupChoiceField}
        help_texts = {"email": _("We send the link to confirm your registration here.")}
        labels = {
            "consent_public_list": _(
                "Show my name, organization and country in the public list of participants."
            ),
            "consent_proceedings_list": _(
                "Print my name, organization and country in the list of participants of the "
                "proceedings."
            ),
        }

    def __init__(
        self,
        *args,
        event,
        category: ParticipantCategory | None = None,
        questions: list[Question] = (),
        full: FullChoices | None = None,
        **kwargs,
    ):
        """`category`: the participant category registering (its asked fields and nomination);
        `questions`: the organizers' questions asked of it (forms.questions.questions_for);
        `full`: the options and groups without a free seat (services.answers.full_choices)."""
        self.event = event
        self.category = category
        self.questions = list(questions)
        full = full or FullChoices()
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (day.isoformat(), formatting.agenda_day(day)) for day in event.days
        ]
        self.fields["sector"].choices = SECTOR_CHOICES
        self.fields["sector"].required = True
        held_group = self.instance.breakout_group_id if self.instance.pk else None
        if breakout_groups(event):
            self.fields["breakout_group"].queryset = BreakoutGroup.objects.filter(event=event)
            self.fields["breakout_group"].event = event
            self.fields["breakout_group"].empty_label = _("No preference")
            self.fields["breakout_group"].set_full(full.groups - {held_group})
        else:
            del self.fields["breakout_group"]
        if category is not None:
            for name in OptionalField.values:
                if not category.asks(name) and name in self.fields:
                    del self.fields[name]
        if self.instance.pk:
            self.initial["days"] = [day.isoformat() for day in self.instance.days]
            self.initial["phone"] = self.instance.phone_display
        elif not self.is_bound:
            self.initial.setdefault("days", [day.isoformat() for day in event.days])
        self._add_questions(full)
        if category is not None and category.nomination and not self.instance.pk:
            self.fields["nomination"] = forms.FileField(
                label=category.get_nomination_display(),
                help_text=_("A PDF, sent to the organizers only."),
                validators=[check_pdf],
                widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
            )

    def _add_questions(self, full: FullChoices) -> None:
        answers = {}
        if self.instance.pk and self.questions:
            answers = {
                answer.question_id: answer
                for answer in self.instance.answers.select_related("question").prefetch_related(
                    "options"
                )
            }
        held = {option.pk for answer in answers.values() for option in answer.options.all()}
        for question in self.questions:
            answer = answers.get(question.pk)
            name = field_name(question)
            self.fields[name] = question_field(
                question, event=self.event, full=full.options, held=held, answer=answer
            )
            if answer is not None:
                self.initial[name] = initial_value(answer)

    @cached_property
    def helper(self) -> FormHelper:
        # Only a form that is rendered needs its layout; a valid submission never is.
        return self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        privacy = reverse("registration:privacy", args=[self.event.slug])
        present = self._present
        fieldsets = [
            Fieldset(
                _("About you"),
                Div(
                    Div("honorific", css_class="col-md-3"),
                    Div("first_name", css_class="col-md-4"),
                    Div("last_name", css_class="col-md-5"),
                    css_class="row",
                ),
                *present("position", "organization", "sector", "country"),
            ),
            Fieldset(_("How we reach you"), *self._contact_fields()),
            Fieldset(
                _("Your attendance"),
                *present("days", "breakout_group", "dietary_needs", "accessibility_needs"),
            ),
            *self._question_fieldsets(),
            Fieldset(
                _("Consents"),
                HTML(
                    format_html(
                        '<p class="small"><a href="{}" target="_blank" rel="noopener">{}</a></p>',
                        privacy,
                        _("Read the privacy notice"),
                    )
                ),
                "consent_privacy",
                "consent_public_list",
                "consent_proceedings_list",
            ),
            honeypot_layout(),
        ]
        helper.layout = Layout(*fieldsets)
        return helper

    def _contact_fields(self) -> list[str]:
        return self._present("email", "phone")

    def _present(self, *names: str) -> list[str]:
        return [name for name in names if name in self.fields]

    def _question_fieldsets(self) -> list[Fieldset]:
        fieldsets = []
        if "nomination" in self.fields:
            fieldsets.append(Fieldset(_("Nomination"), "nomination"))
        if self.questions:
            names = [field_name(question) for question in self.questions]
            fieldsets.append(Fieldset(_("Questions from the organizers"), *names))
        return fieldsets

    def clean_days(self):
        allowed = {day.isoformat(): day for day in self.event.days}
        # A day sent twice (a tampered or doubled form) is one day: each is stored once, in order.
        days = sorted({allowed[value] for value in self.cleaned_data["days"]})
        if len(days) > Registration._meta.get_field("days").size:
            raise ValidationError(_("Choose fewer days."), code="max_length")
        return days

    def clean_email(self):
        value = self.cleaned_data["email"]
        if (
            len(normalize_email(value))
            > Registration._meta.get_field("email_normalized").max_length
        ):
            raise ValidationError(_("This address is too long."), code="max_length")
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        country = self.cleaned_data.get("country")
        return normalize_phone(value, region=str(country) if country else None)

    def clean(self):
        cleaned = super().clean()
        for name in self.text_fields:
            value = cleaned.get(name)
            if value:
                try:
                    validate_plain_text(value)
                    validate_no_bidi_controls(value)
                    validate_has_letter(value)
                except ValidationError as error:
                    self.add_error(name, error)
        for name in self.multiline_fields:
            value = cleaned.get(name)
            if value:
                try:
                    validate_plain_text(value, multiline=True)
                except ValidationError as error:
                    self.add_error(name, error)
        self._check_full(cleaned)
        return cleaned

    def _check_full(self, cleaned: dict) -> None:
        """A full choice sent all the same (a page open while the last seat went, or a forged
        form) is refused here already; the services count again under the seat lock."""
        group_field = self.fields.get("breakout_group")
        group = cleaned.get("breakout_group")
        if group is not None and group_field is not None and group.pk in group_field.full:
            self.add_error("breakout_group", ValidationError(FULL_MESSAGE, code="full"))
        for question in self.questions:
            name = field_name(question)
            unavailable = getattr(self.fields[name], "unavailable", None)
            if not unavailable:
                continue
            value = cleaned.get(name)
            chosen = value if isinstance(value, list) else [value] if value else []
            if any(str(option.pk) in unavailable for option in chosen):
                self.add_error(name, ValidationError(FULL_MESSAGE, code="full"))

    def refuse_full(self, full: ChoiceFull) -> None:
        """Put the services' refusal of full choices on the fields that chose them."""
        if full.group and "breakout_group" in self.fields:
            self.add_error("breakout_group", ValidationError(FULL_MESSAGE, code="full"))
        for question in self.questions:
            if {option.pk for option in question.options.all()} & full.options:
                self.add_error(field_name(question), ValidationError(FULL_MESSAGE, code="full"))

    def answers(self) -> dict[Question, object]:
        """The validated answers to the questions, by question, for services.answers."""
        return {
            question: self.cleaned_data.get(field_name(question)) for question in self.questions
        }

    def _post_clean(self):
        # The form's fields and clean methods check every rule of the model's fields and
        # constraints themselves, with a message per field, and the database still enforces the
        # constraints when the services save. The services build the registration from
        # registration_details(), never from self.instance, so the ModelForm's copy of the
        # values into the instance and the model's full_clean() would only repeat that work.
        pass

    def registration_details(self) -> dict:
        """The validated values of the registration's own fields, for the services."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and name in self.fields
        }


class RegistrationChangeForm(RegistrationForm):
    """What a participant may change themselves: everything but the e-mail address; and the
    language they are written to in (recorded from the page they registered on)."""

    class Meta(RegistrationForm.Meta):
        fields = [name for name in RegistrationForm.Meta.fields if name != "email"] + ["language"]
        labels = {
            **RegistrationForm.Meta.labels,
            "language": _("Language of your e-mails and pages"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        language = self.fields["language"]
        language.choices = language_choices()
        # A form sent without the field (a page opened before it existed) keeps the language.
        language.required = False
        if self.instance.delegation_id is not None:
            # A member's organization and country are their delegation's, which the focal point
            # registered: shown, not changed here (a posted value is ignored).
            for name in ("organization", "country"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Your delegation's, as its focal point gave it.")

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def _helper(self) -> FormHelper:
        helper = super()._helper()
        helper.layout = Layout(
            *[
                item
                for item in helper.layout.fields
                if not (isinstance(item, Div) and "website" in item.fields)
            ]
        )
        return helper

    def _contact_fields(self) -> list[str]:
        return [*self._present("phone"), "language"]


class RequestLinkForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address you registered with"), max_length=254)
    website = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("email", honeypot_layout())
