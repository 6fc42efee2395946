import unicodedata

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from agenda import services as agenda_services
from agenda.validators import validate_no_bidi_controls
from registration.models import (
    PHONE_EXTENSION_DIGITS,
    BreakoutGroup,
    Registration,
    normalize_email,
)

Sector = Registration.Sector

SECTOR_CHOICES = [
    ("", "---------"),
    (
        _("Government"),
        [
            (Sector.GOVERNMENT_HEALTH, _("Health")),
            (Sector.GOVERNMENT_LABOUR, _("Labour")),
            (Sector.GOVERNMENT_MIGRATION, _("Migration")),
            (Sector.GOVERNMENT_FOREIGN_AFFAIRS, _("Foreign affairs")),
            (Sector.GOVERNMENT_OTHER, _("Other ministry or agency")),
        ],
    ),
    *[(choice.value, choice.label) for choice in Sector if not choice.value.startswith("gov_")],
]

# Line breaks are fine in the needs fields; no other control character belongs in a form.
MULTILINE_CONTROLS = {"\n", "\r", "\t"}


def validate_plain_text(value: str, *, multiline: bool = False) -> None:
    allowed = MULTILINE_CONTROLS if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(
            _("Remove the control characters from this text."), code="control_characters"
        )


def validate_has_letter(value: str) -> None:
    if not any(unicodedata.category(ch).startswith("L") for ch in value):
        raise ValidationError(
            _("Write this with letters, as it should be printed."), code="no_letters"
        )


def normalize_phone(value: str, *, region: str | None = None) -> str:
    """The number in E.164 (+41223456789), with its extension if any after ';ext='
    (+41223456789;ext=123), or ValidationError if it is not a valid number."""
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter the number with its country code, like +41 22 717 91 11."), code="phone_format"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid phone number; check the country code and the digits."),
            code="phone_invalid",
        )
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # The extension is kept: an office's switchboard number alone does not reach the person.
    extension = phonenumbers.normalize_digits_only(number.extension or "")
    if len(extension) > PHONE_EXTENSION_DIGITS:
        raise ValidationError(
            _("The extension can have at most %(digits)s digits."),
            code="phone_extension_too_long",
            params={"digits": PHONE_EXTENSION_DIGITS},
        )
    if extension:
        stored += f";ext={extension}"
    return stored


class HoneypotMixin:
    """A field that people never see and bots that fill every input do (`website`).

    It is hidden from everyone: `d-none` (display: none) keeps it off the screen and out of the
    keyboard's path, `aria-hidden` and tabindex -1 out of assistive technology, and
    autocomplete="off" asks browsers not to autofill it. Should a person or their browser fill it
    all the same, the form is not taken silently as spam: it answers with an error that says so,
    with the field emptied, and the person sends it again. A bot that fills every field again is
    refused again, so nothing is lost but the bot's request.
    """

    honeypot_field = "website"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.honeypot_field):
            # Shown again empty, so that sending the form again goes through.
            self.data = self.data.copy()
            self.data.pop(self.honeypot_field, None)
            raise ValidationError(
                _(
                    "A field meant to stay empty was filled in, perhaps by your browser's "
                    "autofill. We emptied it: check your details and send the form again."
                ),
                code="honeypot_filled",
            )
        return cleaned


def honeypot_field() -> forms.CharField:
    return forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def honeypot_layout() -> Div:
    return Div("website", css_class="d-none", aria_hidden="true")


_country_choices: dict[str, list[tuple[str, str]]] = {}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named and sorted in the active language; built once per language."""
    language = get_language() or ""
    if language not in _country_choices:
        _country_choices[language] = [("", "---------"), *((c.code, c.name) for c in countries)]
    return _country_choices[language]


class CountryChoiceField(forms.ChoiceField):
    """The country list, shared by every form rather than copied and re-checked for each: with
    some 250 countries that copying cost more than the rest of a submission's validation."""

    def __init__(self, **kwargs):
        super().__init__(choices=country_choices, **kwargs)

    def valid_value(self, value):
        return value in countries


def breakout_groups(event) -> list[tuple[int, str]]:
    """The event's break-out groups as (pk, name), in order: what the form shows of them.

    Read once per event object, so that the view's cache key and the form share one query.
    """
    groups = getattr(event, "_breakout_groups", None)
    if groups is None:
        groups = event._breakout_groups = list(
            BreakoutGroup.objects.filter(event=event)
            .order_by("order", "pk")
            .values_list("pk", "name")
        )
    return groups


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
        }
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

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (day.isoformat(), date_format(day, "l j F Y")) for day in event.days
        ]
        self.fields["sector"].choices = SECTOR_CHOICES
        if breakout_groups(event):
            self.fields["breakout_group"].queryset = BreakoutGroup.objects.filter(event=event)
            self.fields["breakout_group"].empty_label = _("No preference")
        else:
            del self.fields["breakout_group"]
        if self.instance.pk:
            self.initial["days"] = [day.isoformat() for day in self.instance.days]
            self.initial["phone"] = self.instance.phone_display
        elif not self.is_bound:
            self.initial.setdefault("days", [day.isoformat() for day in event.days])

    @cached_property
    def helper(self) -> FormHelper:
        # Only a form that is rendered needs its layout; a valid submission never is.
        return self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        privacy = reverse("registration:privacy", args=[self.event.slug])
        fieldsets = [
            Fieldset(
                _("About you"),
                Div(
                    Div("honorific", css_class="col-md-3"),
                    Div("first_name", css_class="col-md-4"),
                    Div("last_name", css_class="col-md-5"),
                    css_class="row",
                ),
                "position",
                "organization",
                "sector",
                "country",
            ),
            Fieldset(_("How we reach you"), "email", "phone"),
            Fieldset(
                _("Your attendance"),
                "days",
                *(["breakout_group"] if "breakout_group" in self.fields else []),
                "dietary_needs",
                "accessibility_needs",
            ),
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
        return cleaned

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
    """What a participant may change themselves: everything but the e-mail address."""

    class Meta(RegistrationForm.Meta):
        fields = [name for name in RegistrationForm.Meta.fields if name != "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]

    def _helper(self) -> FormHelper:
        helper = super()._helper()
        helper.layout = Layout(
            *[
                item
                for item in helper.layout.fields
                if not (isinstance(item, Div) and "website" in item.fields)
            ]
        )
        for item in helper.layout.fields:
            if isinstance(item, Fieldset) and "email" in item.fields:
                item.fields.remove("email")
        return helper


class RequestLinkForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address you registered with"), max_length=254)
    website = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("email", honeypot_layout())


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the participants"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PrepareSeminarForm(forms.Form):
    """What an organizer chooses for a new seminar prepared from an earlier one."""

    title = forms.CharField(label=_("Title of the new seminar"), max_length=300)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        help_text=_("Part of every address of the new seminar: letters, digits and hyphens."),
    )
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The agenda and the registration dates move by as many days."),
    )

    def clean_slug(self):
        # The copy's own check, so a taken address shows with the form's other errors.
        slug = self.cleaned_data["slug"]
        agenda_services.validate_new_event_slug(slug)
        return slug
