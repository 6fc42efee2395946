"""Participants' registrations for an event, the event's registration settings and the outbox of
registration e-mails.

A seat is held by a registration in status CONFIRMED only. Every change of status that can take
or free a seat goes through registration.services, which locks the event's RegistrationSettings row
first, so that confirmed registrations never exceed the capacity whatever the concurrency.
"""

import datetime
import unicodedata
import uuid

import phonenumbers
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from agenda.models import Event
from agenda.validators import validate_no_bidi_controls

# Digits an extension of a phone number may have (the longest seen in practice have 6 or 7).
PHONE_EXTENSION_DIGITS = 10
# The version of the events' lists of participants (public list, proceedings), a database
# sequence (migration 0004): registration.signals advances it on every write to a registration;
# the proceedings' book depends on it.
PARTICIPANT_LISTS_SEQUENCE = "registration_participant_lists_version"


def normalize_email(address: str) -> str:
    """The form of an address that identifies one person: trimmed, NFKC, lower-case."""
    return unicodedata.normalize("NFKC", address or "").strip().lower()


class RegistrationSettings(models.Model):
    """How an event takes registrations: when, how many seats, with or without approval."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="registration_settings"
    )
    opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep registration closed."),
    )
    closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to take registrations until the event starts; at the latest the end "
            "of the event's last day."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        default=100,
        help_text=_(
            "Confirmed registrations never exceed this number; later ones join the waiting list."
        ),
    )
    requires_approval = models.BooleanField(
        _("organizers approve each registration"),
        default=False,
        help_text=_("A confirmed e-mail address then waits for an organizer's approval."),
    )
    public_list_enabled = models.BooleanField(
        _("publish the list of participants"),
        default=False,
        help_text=_(
            "Shows name, organization and country of confirmed participants who agreed to it."
        ),
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="registration_registrationsettings_closes_after_opens",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=0),
                name="registration_registrationsettings_capacity_not_negative",
            ),
        ]

    def __str__(self):
        return str(_("Registration for %(event)s") % {"event": self.event})

    @property
    def effective_closes_at(self):
        """When registration closes: the set date, or the start of the event's first day."""
        if self.closes_at:
            return self.closes_at
        return datetime.datetime.combine(
            self.event.start_date, datetime.time.min, tzinfo=self.event.tzinfo
        )

    def state(self, now=None) -> str:
        """'open', 'not_yet' (opens later), 'unscheduled' (no opening date) or 'closed'.

        An event that has begun (or whose closing date has passed) is closed, whether or not
        registration was ever scheduled.
        """
        now = now or timezone.now()
        if now >= self.effective_closes_at:
            return "closed"
        if self.opens_at is None:
            return "unscheduled"
        if now < self.opens_at:
            return "not_yet"
        return "open"

    def closed_since(self, now=None) -> datetime.datetime | None:
        """When registration closed, if it ever opened and is closed now; else None."""
        if self.opens_at is None or self.state(now) != "closed":
            return None
        return self.effective_closes_at

    def clean(self):
        try:
            event = self.event
        except Event.DoesNotExist:
            event = None
        errors = {}
        if event is not None and event.end_date and event.start_date:
            ends_at = event.ends_at
            last_day = formats.date_format(event.end_date, "j F Y")
            if self.closes_at and self.closes_at > ends_at:
                errors["closes_at"] = ValidationError(
                    _(
                        "Registration cannot close after the event ends (on %(last_day)s): "
                        "choose a date up to the end of its last day."
                    ),
                    code="closes_after_event",
                    params={"last_day": last_day},
                )
            if self.opens_at and self.opens_at >= ends_at:
                errors["opens_at"] = ValidationError(
                    _("Registration cannot open after the event has ended (on %(last_day)s)."),
                    code="opens_after_event",
                    params={"last_day": last_day},
                )
        if errors:
            raise ValidationError(errors)

    def is_open(self, now=None) -> bool:
        return self.state(now) == "open"


class BreakoutGroup(models.Model):
    """A group of the event's break-out session that participants can choose."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="breakout_groups")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("break-out group")
        verbose_name_plural = _("break-out groups")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="registration_breakoutgroup_unique_name",
                violation_error_message=_("The event already has a break-out group of this name."),
            ),
        ]

    def __str__(self):
        return self.name


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting e-mail confirmation")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


class Honorific(models.TextChoices):
    NONE = "", _("(none)")
    MR = "Mr.", _("Mr.")
    MS = "Ms.", _("Ms.")
    MRS = "Mrs.", _("Mrs.")
    DR = "Dr.", _("Dr.")
    PROF = "Prof.", _("Prof.")
    HE = "H.E.", _("H.E.")


class Sector(models.TextChoices):
    GOVERNMENT_HEALTH = "gov_health", _("Government – health")
    GOVERNMENT_LABOUR = "gov_labour", _("Government – labour")
    GOVERNMENT_MIGRATION = "gov_migration", _("Government – migration")
    GOVERNMENT_FOREIGN_AFFAIRS = "gov_foreign_affairs", _("Government – foreign affairs")
    GOVERNMENT_OTHER = "gov_other", _("Government – other")
    IGO = "igo", _("Intergovernmental organization")
    NGO = "ngo", _("Non-governmental organization")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    PROFESSIONAL_ASSOCIATION = "professional_association", _("Professional association")
    TRADE_UNION = "trade_union", _("Trade union")
    DIASPORA = "diaspora", _("Diaspora")
    MEDIA = "media", _("Media")


class RegistrationQuerySet(models.QuerySet):
    def for_event(self, event):
        return self.filter(event=event)

    def holding_seat(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("queued_at", "pk")

    def not_erased(self):
        return self.filter(erased_at__isnull=True)

    def on_public_list(self):
        return self.holding_seat().not_erased().filter(consent_public_list=True)

    def on_proceedings_list(self):
        return self.holding_seat().not_erased().filter(consent_proceedings_list=True)


class Registration(models.Model):
    Status = RegistrationStatus
    Honorific = Honorific
    Sector = Sector

    ACTIVE_STATUSES = (
        RegistrationStatus.PENDING,
        RegistrationStatus.AWAITING_APPROVAL,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    )

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    access_key = models.UUIDField(
        _("access key"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Signed into the participant's links; replaced when the data are erased."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )

    honorific = models.CharField(_("honorific"), max_length=10, choices=Honorific, blank=True)
    first_name = models.CharField(
        _("first names"), max_length=100, validators=[validate_no_bidi_controls]
    )
    last_name = models.CharField(
        _("last name"), max_length=100, validators=[validate_no_bidi_controls]
    )
    position = models.CharField(
        _("position"), max_length=200, blank=True, validators=[validate_no_bidi_controls]
    )
    organization = models.CharField(
        _("organization"), max_length=200, validators=[validate_no_bidi_controls]
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector)
    country = CountryField(_("country"))
    email = models.EmailField(_("e-mail"), max_length=254)
    email_normalized = models.CharField(_("e-mail (normalized)"), max_length=254, editable=False)
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_(
            "International format, +41 22 ...; an extension is stored after ';ext=' "
            "(+41227179111;ext=123)."
        ),
    )
    days = ArrayField(models.DateField(), verbose_name=_("days attending"), size=31)
    breakout_group = models.ForeignKey(
        BreakoutGroup,
        verbose_name=_("break-out group preference"),
        on_delete=models.SET_NULL,
        related_name="registrations",
        null=True,
        blank=True,
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    consent_privacy = models.BooleanField(_("accepted the privacy notice"), default=False)
    consent_public_list = models.BooleanField(
        _("appears in the public list of participants"), default=False
    )
    consent_proceedings_list = models.BooleanField(
        _("appears in the proceedings' list of participants"), default=False
    )

    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    queued_at = models.DateTimeField(
        _("asked for a seat"),
        null=True,
        blank=True,
        help_text=_("When the registration asked for a seat; the waiting list follows this order."),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("seat confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=1000, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    confirmation_sent_at = models.DateTimeField(_("last e-mail sent"), null=True, blank=True)
    last_mail_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalized"],
                condition=Q(erased_at__isnull=True),
                name="registration_registration_unique_email",
                violation_error_message=_("This address is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values),
                name="registration_registration_sector_valid",
            ),
            models.CheckConstraint(
                condition=Q(honorific__in=Honorific.values),
                name="registration_registration_honorific_valid",
            ),
            models.CheckConstraint(
                condition=Q(consent_privacy=True) | Q(erased_at__isnull=False),
                name="registration_registration_privacy_consent",
                violation_error_message=_("The privacy notice must be accepted."),
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False)
                | (~Q(first_name="") & ~Q(last_name="") & ~Q(email="") & ~Q(organization="")),
                name="registration_registration_identity_present",
            ),
            models.CheckConstraint(
                condition=Q(phone="")
                | Q(
                    phone__regex=rf"^\+[1-9][0-9]{{4,14}}(;ext=[0-9]{{1,{PHONE_EXTENSION_DIGITS}}})?$"
                ),
                name="registration_registration_phone_e164",
            ),
            models.CheckConstraint(
                condition=Q(days__len__gte=1), name="registration_registration_days_present"
            ),
            # Each day once: registration_distinct_dates() is an SQL function made by migration
            # 0002 (Postgres allows no subquery in a CHECK).
            models.CheckConstraint(
                condition=Q(
                    models.Func(
                        F("days"),
                        function="registration_distinct_dates",
                        output_field=models.BooleanField(),
                    )
                ),
                name="registration_registration_days_distinct",
                violation_error_message=_("Each day can be chosen once."),
                violation_error_code="days_repeated",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="registration_registration_confirmed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "waiting"]) | Q(queued_at__isnull=False),
                name="registration_registration_seat_request_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="registration_seat_queue")
        ]

    def __str__(self):
        if self.erased_at:
            return str(_("Erased registration #%(pk)s") % {"pk": self.pk})
        return self.full_name

    def save(self, *args, **kwargs):
        self.email_normalized = "" if self.erased_at else normalize_email(self.email)
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_normalized"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "registration:manage", kwargs={"event": self.event.slug, "token": self.token}
        )

    @property
    def token(self) -> str:
        from registration.links import make_token

        return make_token(self)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.honorific, self.first_name, self.last_name) if p)

    @property
    def phone_display(self) -> str:
        """The phone number written for people (+41 22 717 91 11 ext. 123), stored as E.164 with
        the extension after ';ext='."""
        if not self.phone:
            return ""
        return phonenumbers.format_number(
            phonenumbers.parse(self.phone), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES and self.erased_at is None

    @property
    def waiting_position(self) -> int | None:
        """1 for the first on the waiting list; None when not waiting."""
        if self.status != self.Status.WAITING:
            return None
        ahead = (
            Registration.objects.waiting()
            .filter(event_id=self.event_id)
            .filter(Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk))
            .count()
        )
        return ahead + 1


class EmailKind(models.TextChoices):
    CONFIRM_ADDRESS = "confirm_address", _("Confirm your e-mail address")
    LINK = "link", _("Link to the registration")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SEAT_CONFIRMED = "seat_confirmed", _("Seat confirmed")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    PROMOTED = "promoted", _("Seat freed: promoted from the waiting list")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationEmail(models.Model):
    """An e-mail owed to a participant: the registration's side of an outbox message, written in
    the transaction that made it necessary (see services._queue_email). The message holds the
    text and the delivery state."""

    Kind = EmailKind

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("kind"), max_length=30, choices=EmailKind)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    message = models.OneToOneField(
        "outbox.Message", verbose_name=_("message"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("registration e-mail")
        verbose_name_plural = _("registration e-mails")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EmailKind.values),
                name="registration_registrationemail_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.registration}"
