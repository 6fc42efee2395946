"""Mailings: what an organizer writes to an event's registrants, and to whom it went.

A Mailing holds a subject and text per language (English required, French and Spanish optional)
with the placeholders of PLACEHOLDERS, and the choice of recipients (status, category,
delegation, break-out group, country, checked in). It is sent once (`sent_at`): sending writes
one outbox message per recipient and one MailingRecipient tying the registration to its message,
so the mailing's page lists each recipient's delivery and nothing is sent twice.

The words are checked here, as field validators, so the admin's form shows a field error for a
placeholder it does not know, a format string that would reach into Python objects ({0},
{name.__class__}, {name!r}), an unbalanced brace or a control character: rendering never fails.
"""

import string
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from agenda.models import Event
from outbox.models import Message
from registration.models.categories import ParticipantCategory
from registration.models.delegations import Delegation
from registration.models.registrations import Registration, RegistrationStatus
from registration.models.settings import BreakoutGroup

# The placeholders a mailing's subject and text may hold, replaced for each recipient.
PLACEHOLDERS = ("name", "event", "link")
SUBJECT_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000
# Line breaks and tabs belong in a text; no other control character belongs in an e-mail.
TEXT_CONTROLS_ALLOWED = {"\n", "\r", "\t"}


def validate_placeholders(value: str) -> None:
    """Only {name}, {event} and {link} (and {{ }} for a brace): no position, attribute, index,
    conversion or format."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as error:
        raise ValidationError(
            _("Unbalanced brace: write {{ or }} for a brace (%(error)s)."),
            code="placeholder_syntax",
            params={"error": error},
        ) from error
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(
                _("Unknown placeholder {%(field)s}: use {name}, {event} or {link}."),
                code="placeholder_unknown",
                params={"field": field[:50]},
            )


def _control_characters(value: str, allowed: set[str]) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


def validate_subject_characters(value: str) -> None:
    """A subject is one line: no line break or other control character."""
    if _control_characters(value, set()):
        raise ValidationError(
            _("The subject cannot contain line breaks or control characters."),
            code="control_characters",
        )


def validate_text_characters(value: str) -> None:
    if _control_characters(value, TEXT_CONTROLS_ALLOWED):
        raise ValidationError(
            _("The text cannot contain control characters."), code="control_characters"
        )


SUBJECT_VALIDATORS = [validate_subject_characters, validate_placeholders]
TEXT_VALIDATORS = [validate_text_characters, validate_placeholders]


class CheckedIn(models.TextChoices):
    YES = "yes", _("Checked in")
    NO = "no", _("Not checked in")


class Mailing(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="mailings"
    )
    subject_en = models.CharField(
        _("subject (English)"), max_length=SUBJECT_MAX_LENGTH, validators=SUBJECT_VALIDATORS
    )
    text_en = models.TextField(
        _("text (English)"),
        max_length=TEXT_MAX_LENGTH,
        validators=TEXT_VALIDATORS,
        help_text=_(
            "Placeholders: {name} (the recipient's name), {event} (the event's title), "
            "{link} (the recipient's own link to their registration)."
        ),
    )
    subject_fr = models.CharField(
        _("subject (French)"),
        max_length=SUBJECT_MAX_LENGTH,
        blank=True,
        validators=SUBJECT_VALIDATORS,
    )
    text_fr = models.TextField(
        _("text (French)"), max_length=TEXT_MAX_LENGTH, blank=True, validators=TEXT_VALIDATORS
    )
    subject_es = models.CharField(
        _("subject (Spanish)"),
        max_length=SUBJECT_MAX_LENGTH,
        blank=True,
        validators=SUBJECT_VALIDATORS,
    )
    text_es = models.TextField(
        _("text (Spanish)"), max_length=TEXT_MAX_LENGTH, blank=True, validators=TEXT_VALIDATORS
    )
    # Who receives it: every registration of the event matching all the choices made (an empty
    # choice matches all, an empty status every active one); erased registrations never.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus,
        blank=True,
        help_text=_(
            "Empty: every active registration (not cancelled or rejected). Cancelled or "
            "rejected registrations only when chosen here."
        ),
    )
    category = models.ForeignKey(
        ParticipantCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    breakout_group = models.ForeignKey(
        BreakoutGroup,
        verbose_name=_("break-out group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    country = CountryField(_("country"), blank=True)
    checked_in = models.CharField(_("checked in"), max_length=3, choices=CheckedIn, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject_en="") & ~Q(text_en=""),
                name="registration_mailing_english_present",
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=RegistrationStatus.values),
                name="registration_mailing_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(checked_in__in=["", "yes", "no"]),
                name="registration_mailing_checked_in_valid",
            ),
        ]
        permissions = [("send_mailing", _("Can write and send mailings to registrants"))]

    def __str__(self):
        return self.subject_en

    def clean(self):
        """The categories, delegation and group chosen are the event's."""
        super().clean()
        errors = {}
        for field in ("category", "delegation", "breakout_group"):
            chosen = getattr(self, field)
            if chosen is not None and self.event_id and chosen.event_id != self.event_id:
                errors[field] = ValidationError(
                    _("Choose one of this event's."), code="other_event"
                )
        if errors:
            raise ValidationError(errors)

    def words(self, language: str) -> tuple[str, str] | None:
        """The subject and text written in `language`, or None if either is missing."""
        subject = getattr(self, f"subject_{language}", "")
        text = getattr(self, f"text_{language}", "")
        return (subject, text) if subject and text else None


class MailingRecipient(models.Model):
    """One registration a mailing was sent to, and the outbox message that carries it."""

    mailing = models.ForeignKey(
        Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="recipients"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="mailings_received",
    )
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "registration"],
                name="registration_mailingrecipient_once",
            )
        ]

    def __str__(self):
        return str(self.registration)
