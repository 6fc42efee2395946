"""How an event takes registrations (RegistrationSettings: when, how many seats, with or without
approval) and the break-out groups participants may choose.

The settings row is also the seat lock: registration.services.registering locks it before any
change that can take or free a seat. An event without one is closed (`settings_for`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Event

# The earliest reminder an organizer may schedule, in days before the event.
REMINDER_MAX_DAYS = 365


class RegistrationSettings(models.Model):
    """How an event takes registrations: when, how many seats, with or without approval."""

    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registration_settings",
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
    # Scheduled reminders, sent by the `send_reminders` command (registration.services.reminders).
    reminder_days_before = models.PositiveSmallIntegerField(
        _("remind participants (days before the event)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(REMINDER_MAX_DAYS)],
        help_text=_(
            "Confirmed participants receive a reminder this many days before the event's first "
            "day, with its dates, venue and their own link. Leave empty for none."
        ),
    )
    speaker_reminder_enabled = models.BooleanField(
        _("remind speakers the day before"),
        default=False,
        help_text=_(
            "Each speaker receives their slots (title, day and time, room) the day before the "
            "event, in their language."
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
            models.CheckConstraint(
                condition=Q(reminder_days_before__isnull=True)
                | Q(reminder_days_before__gte=1, reminder_days_before__lte=REMINDER_MAX_DAYS),
                name="registration_registrationsettings_reminder_days_range",
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

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="breakout_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_(
            "At most this many active registrations may choose the group; empty: no limit."
        ),
    )

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


def settings_for(event: Event) -> RegistrationSettings:
    """The event's registration settings; unsaved defaults (closed, 100 seats) when it has none.

    Uses the settings loaded with the event (select_related("registration_settings")) if any.
    """
    try:
        return event.registration_settings
    except RegistrationSettings.DoesNotExist:
        return RegistrationSettings(event=event)
