"""The building blocks of the registration forms: the checks every text must pass, phone numbers
in E.164, the honeypot that turns bots away, and the choices (sectors, countries, break-out
groups, languages) built once and shared rather than remade for each form.

The forms themselves (participants, organizers) only put these together.
"""

import unicodedata

import phonenumbers
from crispy_forms.layout import Div
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from agenda import content
from registration.models import PHONE_EXTENSION_DIGITS, BreakoutGroup, Registration

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


def breakout_groups(event) -> list[tuple[int, content.Text]]:
    """The event's break-out groups as (pk, name in the active language), in order: what the
    form shows of them, each name as agenda.content chooses it (marked when in another language).

    Read once per event object, so that the view's cache key and the form share one query.
    """
    groups = getattr(event, "_breakout_groups", None)
    if groups is None:
        groups = event._breakout_groups = list(
            BreakoutGroup.objects.filter(event=event).order_by("order", "pk")
        )
    return [(group.pk, breakout_group_name(group, event=event)) for group in groups]


def breakout_group_name(group: BreakoutGroup, *, event, language: str | None = None):
    """A group's name in `language` (the active one by default), or in the event's original
    language where organizers have not written it in that one."""
    return content.text(group, "name", original=event.original_language, language=language)


class FullChoicesMixin:
    """A choice widget whose options listed in `disabled_values` (full ones) cannot be chosen."""

    disabled_values: frozenset = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class LanguageMarkedSelect(FullChoicesMixin, forms.Select):
    """A select whose options say which language their label is in (`lang`) where it is not the
    page's: a break-out group's name not written in the page's language, a language's own name.
    Labels are agenda.content.Text; an option holds text only, so the mark goes on the option."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        label = option["label"]
        if isinstance(label, content.Text):
            if label.is_fallback:
                option["attrs"]["lang"] = label.lang
            option["label"] = label.plain
        return option


class BreakoutGroupChoiceField(forms.ModelChoiceField):
    """The event's break-out groups, each named in the page's language where organizers wrote
    it, else in the event's original one, marked with it (`event` set by the form)."""

    widget = LanguageMarkedSelect
    event = None
    # The groups whose seats are all held: shown full and disabled (set by the form).
    full: frozenset = frozenset()

    def label_from_instance(self, obj):
        name = breakout_group_name(obj, event=self.event)
        if obj.pk in self.full:
            return content.Text(f"{name} ({_('full')})", name.lang, name.wanted)
        return name

    def set_full(self, groups) -> None:
        self.full = frozenset(groups)
        self.widget.disabled_values = frozenset(str(pk) for pk in groups)


def language_choices() -> list[tuple[str, content.Text]]:
    """The site's languages, each named in itself ("Español"), marked with its language where
    it is not the page's."""
    page = content.interface_language()
    return [(code, content.Text(name, code, page)) for code, name in settings.LANGUAGES]
