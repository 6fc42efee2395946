"""A participant's registration for an event: who they are, the days they attend, their consents,
and where the registration stands (RegistrationStatus, with the dates of each step).

A seat is held by a registration in status CONFIRMED only. Every change of status that can take
or free a seat goes through registration.services, which locks the event's RegistrationSettings
row first, so that confirmed registrations never exceed the capacity whatever the concurrency.
The database keeps the rules every row must follow (Registration.Meta.constraints): one
registration per address and event, a known status, sector and honorific, a phone number in
E.164, each day once.
"""

import unicodedata
import uuid

import phonenumbers
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from agenda.models import Event
from agenda.validators import validate_no_bidi_controls
from registration.models.categories import ParticipantCategory
from registration.models.settings import BreakoutGroup

# Digits an extension of a phone number may have (the longest seen in practice have 6 or 7).
PHONE_EXTENSION_DIGITS = 10
# The version of the events' lists of participants (public list, proceedings), a database
# sequence (migration 0004): registration.signals advances it on every write to a registration;
# the proceedings' book depends on it.
PARTICIPANT_LISTS_SEQUENCE = "registration_participant_lists_version"


def normalize_email(address: str) -> str:
    """The form of an address that identifies one person: trimmed, NFKC, lower-case."""
    return unicodedata.normalize("NFKC", address or "").strip().lower()


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


# The honorific as it is printed before a name, which a language may write otherwise than in a
# list of choices (Spanish lists "Sra. (Ms.)" and "Sra. (Mrs.)" apart, and prints "Sra.").
PRINTED_HONORIFICS = {
    Honorific.MR: pgettext_lazy("honorific printed before a name", "Mr."),
    Honorific.MS: pgettext_lazy("honorific printed before a name", "Ms."),
    Honorific.MRS: pgettext_lazy("honorific printed before a name", "Mrs."),
    Honorific.DR: pgettext_lazy("honorific printed before a name", "Dr."),
    Honorific.PROF: pgettext_lazy("honorific printed before a name", "Prof."),
    Honorific.HE: pgettext_lazy("honorific printed before a name", "H.E."),
}


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

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
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
    # Blank only where the registration's category does not ask it.
    sector = models.CharField(_("sector"), max_length=30, choices=Sector, blank=True)
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
    category = models.ForeignKey(
        ParticipantCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="registrations",
        null=True,
        blank=True,
    )
    delegation = models.ForeignKey(
        "registration.Delegation",
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    is_head_of_delegation = models.BooleanField(_("head of delegation"), default=False)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        null=True,
        blank=True,
        help_text=_("The member of the delegation this one replaced."),
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
    # The one they registered in, or chose since: their e-mails and pages are written in it.
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
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
    # At the registration desk, on the day (registration.services.organizers.check_in).
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
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
                condition=Q(sector="") | Q(sector__in=Sector.values),
                name="registration_registration_sector_valid",
            ),
            models.CheckConstraint(
                condition=Q(honorific__in=Honorific.values),
                name="registration_registration_honorific_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="registration_registration_language_valid",
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
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(is_head_of_delegation=True)
                & Q(status__in=["pending", "awaiting_approval", "confirmed", "waiting"])
                & Q(erased_at__isnull=True),
                name="registration_registration_one_head_per_delegation",
                violation_error_message=_("A delegation has one head of delegation."),
            ),
            models.CheckConstraint(
                condition=Q(delegation__isnull=True) | Q(category__isnull=False),
                name="registration_registration_delegation_has_category",
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
        permissions = [
            ("approve_registration", _("Can approve and reject registrations")),
            ("export_registration", _("Can export registrations")),
            ("erase_registration", _("Can erase the personal data of registrations")),
            ("check_in_registration", _("Can check participants in")),
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
        """Honorific and name, the honorific as the active language writes it ("M." for
        "Mr." in French): e-mails and pages compose it in the reader's language."""
        honorific = PRINTED_HONORIFICS.get(self.honorific, "") if self.honorific else ""
        return " ".join(str(p) for p in (honorific, self.first_name, self.last_name) if p)

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
