"""The registration app's forms, one module per concern; every public name is importable from
here (`registration.forms`).

- fields: text checks, phone numbers, the honeypot, and the shared choices (sectors, countries,
  break-out groups).
- participants: the registration form, its change form, and the request for a new link.
- organizers: the admin's forms (the reason of a rejection, a new seminar prepared from an
  earlier one).
"""

from registration.forms.fields import (
    SECTOR_CHOICES,
    CountryChoiceField,
    HoneypotMixin,
    breakout_groups,
    country_choices,
    honeypot_field,
    honeypot_layout,
    normalize_phone,
    validate_has_letter,
    validate_plain_text,
)
from registration.forms.organizers import PrepareSeminarForm, RejectionForm
from registration.forms.participants import (
    RegistrationChangeForm,
    RegistrationForm,
    RequestLinkForm,
)

__all__ = [
    "SECTOR_CHOICES",
    "CountryChoiceField",
    "HoneypotMixin",
    "PrepareSeminarForm",
    "RegistrationChangeForm",
    "RegistrationForm",
    "RejectionForm",
    "RequestLinkForm",
    "breakout_groups",
    "country_choices",
    "honeypot_field",
    "honeypot_layout",
    "normalize_phone",
    "validate_has_letter",
    "validate_plain_text",
]
