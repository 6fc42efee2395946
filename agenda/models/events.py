"""Events of the series, their partners, rooms and practical information."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from agenda import content
from agenda.models.people import Organization

TIME_ZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones() if "/" in tz)

ROMAN_NUMERALS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman_numeral(number: int) -> str:
    """Write a positive integer as a roman numeral, as session numbers are printed."""
    parts = []
    for value, letters in ROMAN_NUMERALS:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


class EventEndsAt(models.Func):
    """In SQL, `Event.ends_at`: the instant the event's last day is over at its venue, the
    midnight that follows it in the event's time zone (PostgreSQL's AT TIME ZONE)."""

    output_field = models.DateTimeField()

    def __init__(self):
        super().__init__(F("end_date"), F("time_zone"))

    def as_sql(self, compiler, connection, **extra_context):
        end_date, zone = self.get_source_expressions()
        end_sql, end_params = compiler.compile(end_date)
        zone_sql, zone_params = compiler.compile(zone)
        sql = f"(({end_sql} + 1)::timestamp AT TIME ZONE {zone_sql})"
        return sql, (*end_params, *zone_params)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def ended(self, now: datetime.datetime):
        """Events whose last day was over at their venue by `now` (see Event.ends_at)."""
        return self.alias(ends_at=EventEndsAt()).filter(ends_at__lte=now)

    def upcoming(self, now: datetime.datetime):
        """Events still running or to come at `now`: those not ended()."""
        return self.alias(ends_at=EventEndsAt()).filter(ends_at__gt=now)

    def with_is_upcoming(self, now: datetime.datetime):
        """Annotate each event with `is_upcoming`: whether it is among upcoming(now)."""
        return self.alias(ends_at=EventEndsAt()).annotate(
            is_upcoming=models.Case(
                models.When(ends_at__gt=now, then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )

    def visible_to(self, user):
        return self if user.is_staff else self.published()


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (organizers only)")
        PUBLISHED = "published", _("Published")

    series_number = models.PositiveSmallIntegerField(
        _("number in the IDM series"), null=True, blank=True
    )
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Part of every URL.")
    )
    title = models.CharField(_("title"), max_length=300)
    series_theme = models.CharField(
        _("theme of the year"),
        max_length=300,
        blank=True,
        help_text=_("The IDM's overall theme for the year the event belongs to."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=60, choices=TIME_ZONE_CHOICES, default="Europe/Zurich"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    venue_short_name = models.CharField(_("venue short name"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"), blank=True)
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_events",
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("How the event fits in the dialogue.")
    )
    overview = models.TextField(_("overview"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    agenda_introduction = models.TextField(_("agenda introduction"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    original_language = models.CharField(
        _("original language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language the event's texts are written in first. Where a French or Spanish "
            "text is missing, pages show this one, marked with its language."
        ),
    )
    rehearsal_of = models.ForeignKey(
        "self",
        verbose_name=_("local rehearsal copy of"),
        on_delete=models.CASCADE,
        related_name="rehearsals",
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set only on the rehearsal seminar a local installation makes for trying the site; "
            "its pages then say that it is a copy."
        ),
    )

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="agenda_event_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=~Q(rehearsal_of=F("pk")),
                name="agenda_event_rehearsal_not_itself",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:event-detail", kwargs={"event": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def ends_at(self) -> datetime.datetime:
        """When the event is over: the midnight after its last day, at its venue.

        The one definition of "the event is over"; EventQuerySet.ended() and upcoming() say the
        same in SQL.
        """
        return datetime.datetime.combine(
            self.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=self.tzinfo
        )

    @property
    def has_ended(self) -> bool:
        """Whether the event's last day is over at its venue."""
        return timezone.now() >= self.ends_at

    @property
    def is_rehearsal(self) -> bool:
        return self.rehearsal_of_id is not None

    @property
    def days(self) -> list[datetime.date]:
        span = (self.end_date - self.start_date).days
        return [self.start_date + datetime.timedelta(days=n) for n in range(span + 1)]

    @property
    def venue_display(self) -> content.Joined:
        """Venue and city in the active language, each marked on pages when it falls back
        (agenda.content.place)."""
        return content.place(self)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The last day cannot be before the first day.")}, code="dates"
            )


class EventPartner(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", _("In collaboration with")
        CO_SPONSOR = "co_sponsor", _("Co-sponsor")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTNER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner or co-sponsor")
        verbose_name_plural = _("partners and co-sponsors")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"],
                name="agenda_eventpartner_unique_role",
                violation_error_message=_("This organization already has this role."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["event", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="agenda_room_unique_name",
                violation_error_message=_("The venue already has a room of this name."),
            ),
        ]

    def __str__(self):
        return self.name


class PracticalInformation(models.Model):
    """What speakers and discussants need to know to be there on time; printed in their brief."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="practical_information"
    )
    venue_details = models.TextField(
        _("venue and access"),
        blank=True,
        help_text=_("Address, entrance, badge pick-up: printed under the venue in briefs."),
    )
    arrival_minutes = models.PositiveSmallIntegerField(
        _("arrival before the session (minutes)"),
        default=30,
        help_text=_("Speakers are asked to be in the room this long before their session starts."),
    )
    speaking_minutes = models.PositiveSmallIntegerField(
        _("speaking time (minutes)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Time each speaker has for their presentation."),
    )
    notes = models.TextField(
        _("other information"),
        blank=True,
        help_text=_(
            "Slides, interpretation, contacts on the day. Paragraphs separated by an empty line."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("practical information for speakers")
        verbose_name_plural = _("practical information for speakers")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaking_minutes__gte=1),
                name="agenda_practicalinformation_speaking_time_positive",
            ),
        ]

    def __str__(self):
        return str(self.event)
