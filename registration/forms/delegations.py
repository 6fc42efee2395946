"""What a focal point fills in: the delegation form (the Permanent Mission or organization, the
focal point, the nomination document, the days, and the members, the head of delegation
first), and on their signed page the forms that add or replace a member and replace the
nomination document.

The forms check each field and hand the services validated values; the rules on the
delegation (registration period, addresses already registered, one head) are the services'
(registration.services.delegations).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agenda import formatting
from agenda.validators import validate_no_bidi_controls
from registration.forms.fields import (
    CountryChoiceField,
    HoneypotMixin,
    honeypot_field,
    normalize_phone,
    validate_has_letter,
    validate_plain_text,
)
from registration.models import Delegation, Registration, normalize_email
from registration.uploads import check_pdf

# Rows for members on the delegation form, the head of delegation's included.
MEMBER_ROWS = 10


def _check_text(form: forms.Form, names: tuple[str, ...]) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value:
            try:
                validate_plain_text(value)
                validate_no_bidi_controls(value)
                validate_has_letter(value)
            except ValidationError as error:
                form.add_error(name, error)


def _clean_address(value: str) -> str:
    if len(normalize_email(value)) > Registration._meta.get_field("email_normalized").max_length:
        raise ValidationError(_("This address is too long."), code="max_length")
    return value


class MemberForm(forms.Form):
    """One member of a delegation as the focal point writes them."""

    honorific = forms.ChoiceField(
        label=_("Honorific"), choices=Registration.Honorific.choices, required=False
    )
    first_name = forms.CharField(label=_("First names"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    text_fields = ("first_name", "last_name", "position")

    def clean_email(self):
        return _clean_address(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        _check_text(self, self.text_fields)
        return cleaned

    def member_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class BaseMemberFormSet(forms.BaseFormSet):
    """The members, the head of delegation in the first row (required); empty rows are left
    out. An address given twice is an error on the second row."""

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            address = normalize_email(form.cleaned_data.get("email", ""))
            if not address:
                continue
            if address in seen:
                form.add_error(
                    "email",
                    ValidationError(
                        _("This address is already given for another member."), code="duplicate"
                    ),
                )
            seen.add(address)

    def filled_forms(self) -> list[tuple[int, MemberForm]]:
        """(row, form) of the rows filled in, in order; the head of delegation's first."""
        return [
            (row, form) for row, form in enumerate(self.forms) if form.has_changed() or row == 0
        ]


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=MEMBER_ROWS - 1,
    min_num=1,
    validate_min=True,
    max_num=MEMBER_ROWS,
    validate_max=True,
    absolute_max=MEMBER_ROWS,
)


class NominationField(forms.FileField):
    """A PDF judged by its content (registration.uploads.check_pdf)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(max_length=None, allow_empty_file=False, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_pdf(upload)
        return upload


class DelegationForm(HoneypotMixin, forms.Form):
    """The delegation, its focal point, its nomination document and the days its members
    attend (the members are a MemberFormSet beside it)."""

    organization = forms.CharField(
        label=_("Permanent Mission or organization"),
        max_length=200,
        help_text=_(
            "For example: Permanent Mission of Ghana to the United Nations Office at Geneva"
        ),
    )
    country = CountryChoiceField(
        label=_("Country"), help_text=_("The State, or the organization's seat.")
    )
    focal_point_name = forms.CharField(label=_("Your name"), max_length=200)
    focal_point_position = forms.CharField(label=_("Your position"), max_length=200, required=False)
    focal_point_email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        help_text=_("We send you the link to manage the delegation here."),
    )
    focal_point_phone = forms.CharField(
        label=_("Your phone"),
        required=False,
        max_length=40,
        help_text=_("With the country code, for example +41 22 717 91 11."),
    )
    nomination = NominationField(label=_("Nomination document (PDF)"))
    days = forms.TypedMultipleChoiceField(
        label=_("Days the delegation attends"),
        widget=forms.CheckboxSelectMultiple,
        coerce=lambda value: value,
        error_messages={"required": _("Choose at least one day.")},
    )
    consent_privacy = forms.BooleanField(
        label=_(
            "Each member has read the privacy notice and agrees that IOM keeps their details "
            "to organize the seminar."
        ),
        error_messages={
            "required": _("Registration needs the members' agreement to the privacy notice.")
        },
    )
    website = honeypot_field()

    text_fields = ("organization", "focal_point_name", "focal_point_position")
    delegation_fields = (
        "organization",
        "country",
        "focal_point_name",
        "focal_point_position",
        "focal_point_email",
        "focal_point_phone",
    )

    def __init__(self, *args, event, category, **kwargs):
        self.event = event
        self.category = category
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (day.isoformat(), formatting.agenda_day(day)) for day in event.days
        ]
        if category.nomination:
            self.fields["nomination"].label = category.get_nomination_display()
            self.fields["nomination"].help_text = _("A PDF of at most %(size)s MB.") % {
                "size": _max_megabytes()
            }
        else:
            del self.fields["nomination"]
        if not self.is_bound:
            self.initial.setdefault("days", [day.isoformat() for day in event.days])

    def clean_days(self):
        allowed = {day.isoformat(): day for day in self.event.days}
        days = sorted({allowed[value] for value in self.cleaned_data["days"]})
        if len(days) > Registration._meta.get_field("days").size:
            raise ValidationError(_("Choose fewer days."), code="max_length")
        return days

    def clean_focal_point_email(self):
        return _clean_address(self.cleaned_data["focal_point_email"])

    def clean_focal_point_phone(self):
        value = self.cleaned_data["focal_point_phone"].strip()
        if not value:
            return ""
        country = self.cleaned_data.get("country")
        return normalize_phone(value, region=str(country) if country else None)

    def clean(self):
        cleaned = super().clean()
        _check_text(self, self.text_fields)
        return cleaned

    def delegation_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.delegation_fields}

    def member_details(self, member_form: MemberForm) -> dict:
        return {
            **member_form.member_details(),
            "days": self.cleaned_data["days"],
            "consent_privacy": True,
        }


class NominationForm(forms.Form):
    """A new nomination document in place of the delegation's."""

    nomination = NominationField(label=_("New nomination document (PDF)"))

    def __init__(self, *args, delegation: Delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].label = delegation.category.get_nomination_display()
        self.fields["nomination"].help_text = _("A PDF of at most %(size)s MB.") % {
            "size": _max_megabytes()
        }


def _max_megabytes() -> str:
    return f"{settings.REGISTRATION_UPLOAD_MAX_BYTES / (1024 * 1024):g}"


class DelegationLinkForm(HoneypotMixin, forms.Form):
    """A focal point asks for the link to their delegation again."""

    email = forms.EmailField(
        label=_("The e-mail address you registered the delegation with"), max_length=254
    )
    website = honeypot_field()
