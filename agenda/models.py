"""Events of the International Dialogue on Migration: their agenda, sessions, people and papers.

Times of agenda items are stored as the local wall-clock time of the event's venue (date, start
time, end time) with the event's time zone, as organizers think of them; calendar feeds turn them
into aware datetimes.
"""

import datetime
import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from agenda import formatting
from agenda.validators import validate_no_bidi_controls

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


ISSN_FORMAT = re.compile(r"\d{4}-\d{3}[\dXx]")


def issn_check_digit(first_seven: str) -> str:
    """The ISSN check digit of the first seven digits (ISO 3297, modulus 11)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True)
    )
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def validate_issn(value: str) -> None:
    """Refuse anything but a well-formed ISSN ("1726-2224") whose check digit is right."""
    if not ISSN_FORMAT.fullmatch(value or ""):
        raise ValidationError(
            _("An ISSN is written as two groups of four characters, like 1726-2224."),
            code="issn_format",
        )
    digits = value.replace("-", "")
    if issn_check_digit(digits[:7]) != digits[7].upper():
        raise ValidationError(
            _("%(issn)s is not a valid ISSN: its check digit should be %(digit)s."),
            code="issn_check_digit",
            params={"issn": value, "digit": issn_check_digit(digits[:7])},
        )


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


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        IGO = "igo", _("Intergovernmental organization")
        NGO = "ngo", _("Non-governmental organization")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        ACADEMIA = "academia", _("Academia")
        PROFESSIONAL_BODY = "professional_body", _("Professional body")
        TRADE_UNION = "trade_union", _("Trade union")
        DIASPORA = "diaspora", _("Diaspora")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[validate_no_bidi_controls]
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(models.Model):
    honorific = models.CharField(
        _("honorific"),
        max_length=20,
        blank=True,
        help_text=_("As printed: Mr., Ms., Mrs., Dr."),
        validators=[validate_no_bidi_controls],
    )
    first_name = models.CharField(
        _("first names"), max_length=100, validators=[validate_no_bidi_controls]
    )
    last_name = models.CharField(
        _("last name"), max_length=100, validators=[validate_no_bidi_controls]
    )
    post_nominals = models.CharField(
        _("post-nominal letters"),
        max_length=30,
        blank=True,
        help_text=_("For example PhD or JD."),
        validators=[validate_no_bidi_controls],
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.CharField(
        _("position"),
        max_length=300,
        blank=True,
        help_text=_("Title or function, as printed."),
        validators=[validate_no_bidi_controls],
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    affiliation_note = models.CharField(
        _("affiliation as printed"),
        max_length=300,
        blank=True,
        help_text=_(
            "Only when the programme prints the affiliation differently from the organization's "
            "name, for example 'WHO Geneva'."
        ),
    )
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Private: never shown on the public site.")
    )

    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"{self.first_name} {self.last_name}")[:120]
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        """Honorific, name and post-nominal letters, as the programme prints them."""
        name = f"{self.honorific} {self.name}".strip()
        return f"{name} ({self.post_nominals})" if self.post_nominals else name

    @property
    def affiliation(self) -> str:
        organization = self.affiliation_note or (
            self.organization.name if self.organization else ""
        )
        return ", ".join(part for part in (self.position, organization) if part)


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
    def venue_display(self) -> str:
        return ", ".join(part for part in (self.venue, self.city) if part)

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


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1)], help_text=_("Printed as a roman numeral.")
    )
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    theme = models.TextField(
        _("theme"),
        blank=True,
        help_text=_("The questions the session takes up, as the agenda states them."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"],
                name="agenda_session_unique_number",
                violation_error_message=_("The event already has a session with this number."),
            ),
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="agenda_session_unique_slug",
                violation_error_message=_("The event already has a session with this slug."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="agenda_session_number_positive"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.title}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"session-{self.number}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "agenda:session-detail", kwargs={"event": self.event.slug, "session": self.slug}
        )

    @property
    def roman(self) -> str:
        return roman_numeral(self.number)

    @property
    def label(self) -> str:
        return _("Session %(number)s") % {"number": self.roman}


class BackgroundPaper(models.Model):
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="background_paper"
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("As the paper's heading prints it.")
    )
    body = models.TextField(_("text"), help_text=_("Paragraphs separated by an empty line."))
    questions_introduction = models.CharField(
        _("introduction to the key questions"),
        max_length=300,
        blank=True,
        default="Key questions to be examined during this session include:",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("background paper")
        verbose_name_plural = _("background papers")
        ordering = ["session", "pk"]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class KeyQuestion(models.Model):
    paper = models.ForeignKey(
        BackgroundPaper, on_delete=models.CASCADE, related_name="key_questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key question")
        verbose_name_plural = _("key questions")
        ordering = ["paper", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class AgendaItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, event__status=Event.Status.PUBLISHED)

    def visible_to(self, user):
        return self if user.is_staff else self.published()


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        OPENING = "opening", _("Opening")
        SESSION = "session", _("Session")
        PLENARY = "plenary", _("Plenary presentations")
        CASE_STUDIES = "case_studies", _("Case studies")
        BREAKOUT = "breakout", _("Break-out groups")
        DISCUSSION = "discussion", _("Discussion")
        BREAK = "break", _("Break")
        MEAL = "meal", _("Lunch")
        PRESS_CONFERENCE = "press_conference", _("Press conference")
        REPORT_BACK = "report_back", _("Reports to the plenary")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="items")
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        related_name="items",
        null=True,
        blank=True,
    )
    date = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.SET_NULL,
        related_name="items",
        null=True,
        blank=True,
    )
    is_parallel = models.BooleanField(
        _("runs in parallel"),
        default=False,
        help_text=_("Break-out groups and other items that meet at the same time in other rooms."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Among items starting at the same time.")
    )
    is_published = models.BooleanField(_("published"), default=True)

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "date", "start_time", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="agenda_agendaitem_ends_after_start",
                violation_error_message=_("An item must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["event", "date", "start_time"])]

    def __str__(self):
        return f"{self.date:%d %b} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.title}"

    def get_absolute_url(self):
        url = reverse("agenda:agenda", kwargs={"event": self.event.slug})
        return f"{url}#item-{self.pk}"

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=self.event.tzinfo)

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end_time, tzinfo=self.event.tzinfo)

    def overlapping_items(self):
        """Other items in the same room at an overlapping time, neither of them parallel."""
        if self.room_id is None or self.is_parallel:
            return AgendaItem.objects.none()
        return (
            AgendaItem.objects.filter(
                event_id=self.event_id,
                room_id=self.room_id,
                date=self.date,
                start_time__lt=self.end_time,
                end_time__gt=self.start_time,
                is_parallel=False,
            )
            .exclude(pk=self.pk)
            .order_by("start_time", "pk")
        )

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = ValidationError(
                _("The item must end after it starts (%(start)s)."),
                code="ends_before_start",
                params={"start": self.start_time.strftime("%H:%M")},
            )
        event = self.event if self.event_id else None
        if event and self.date and not (event.start_date <= self.date <= event.end_date):
            errors["date"] = ValidationError(
                _("%(date)s is outside the event, which runs from %(first)s to %(last)s."),
                code="outside_event",
                params={"date": self.date, "first": event.start_date, "last": event.end_date},
            )
        if self.session_id and event and self.session.event_id != event.pk:
            errors["session"] = ValidationError(
                _("This session belongs to another event."), code="other_event"
            )
        if self.room_id and event and self.room.event_id != event.pk:
            errors["room"] = ValidationError(
                _("This room belongs to another event's venue."), code="other_event"
            )
        if not errors and self.date and self.start_time and self.end_time:
            clash = self.overlapping_items().first()
            if clash is not None:
                errors["start_time"] = ValidationError(
                    _(
                        "“%(item)s” overlaps “%(other)s” (%(start)s–%(end)s) in %(room)s. "
                        "Change the time or the room, or mark one of them as running in parallel."
                    ),
                    code="room_overlap",
                    params={
                        "item": self.title,
                        "other": clash.title,
                        "start": clash.start_time.strftime("%H:%M"),
                        "end": clash.end_time.strftime("%H:%M"),
                        "room": self.room.name,
                    },
                )
        if errors:
            raise ValidationError(errors)


class AgendaItemRole(models.Model):
    """A person who chairs, discusses, moderates or reports on an agenda item."""

    class Role(models.TextChoices):
        DISCUSSANT = "discussant", _("Discussant")
        CHAIR = "chair", _("Chair")
        MODERATOR = "moderator", _("Moderator")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="item_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.DISCUSSANT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role in the item")
        verbose_name_plural = _("chairs, discussants, moderators and rapporteurs")
        ordering = ["item", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person", "role"],
                name="agenda_agendaitemrole_unique_person",
                violation_error_message=_("This person already has this role in the item."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person}"


class Presentation(models.Model):
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="presentations",
    )
    title = models.CharField(_("title"), max_length=400)
    abstract = models.TextField(_("abstract"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    speakers = models.ManyToManyField(
        Person, through="PresentationSpeaker", related_name="presentations"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        ordering = ["item", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.item.get_absolute_url()

    @property
    def repeats_item_title(self) -> bool:
        """Whether pages leave this title out, as its item's title already says it
        (formatting.repeats_item_title). Reads the item's prefetched presentations."""
        return formatting.repeats_item_title(
            self.title, item_title=self.item.title, presentations=len(self.item.presentations.all())
        )


class PresentationSpeaker(models.Model):
    presentation = models.ForeignKey(
        Presentation, on_delete=models.CASCADE, related_name="speaker_links"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="speaker_links"
    )
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("Printed before the speaker's name, e.g. the country they speak for."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["presentation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "person"],
                name="agenda_presentationspeaker_unique_person",
                violation_error_message=_("This person is already a speaker of the presentation."),
            ),
        ]

    def __str__(self):
        return str(self.person)


class Document(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", _("Related document")
        EVENT = "event", _("Event document")
        LINK = "link", _("Link")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.RELATED)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/", blank=True)
    url = models.URLField(_("address"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["event", "kind", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def href(self) -> str:
        if self.file:
            return self.file.url
        if self.url:
            return self.url
        return self.session.get_absolute_url() if self.session_id else ""


class Publication(models.Model):
    """The proceedings of an event, published as a number of the IDM series."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="publication")
    series = models.CharField(
        _("series"), max_length=200, default="International Dialogue on Migration"
    )
    series_number = models.PositiveSmallIntegerField(_("number in the series"))
    title = models.CharField(_("title"), max_length=300)
    issn = models.CharField(
        _("ISSN"), max_length=9, validators=[validate_issn], help_text=_("For example 1726-2224.")
    )
    pages = models.PositiveIntegerField(_("number of pages"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year of publication"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1951), MaxValueValidator(2200)],
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Comma-separated, e.g. English.")
    )
    summary = models.TextField(_("summary"), blank=True)
    foreword = models.TextField(
        _("foreword"),
        blank=True,
        help_text=_("Rich text; only simple formatting is kept. Left out of the book when empty."),
    )
    report = models.TextField(
        _("report of the seminar"),
        blank=True,
        help_text=_("Part I of the book. Rich text; only simple formatting is kept."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issn__regex=r"^\d{4}-\d{3}[0-9X]$"),
                name="agenda_publication_issn_format",
                violation_error_message=_("An ISSN is written like 1726-2224."),
            ),
        ]

    def __str__(self):
        return f"{self.series} No. {self.series_number} – {self.title}"

    def save(self, *args, **kwargs):
        self.issn = self.issn.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agenda:publication", kwargs={"event": self.event.slug})

    @property
    def summary_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.summary.split("\n\n") if p.strip()]


class PublicationPart(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["publication", "order", "pk"]

    def __str__(self):
        return self.title


class Acronym(models.Model):
    """An entry of the proceedings' list of acronyms and abbreviations."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="acronyms")
    acronym = models.CharField(_("acronym"), max_length=30)
    meaning = models.CharField(_("meaning"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acronym")
        verbose_name_plural = _("acronyms and abbreviations")
        ordering = ["publication", Lower("acronym"), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "acronym"],
                name="agenda_acronym_unique_acronym",
                violation_error_message=_("The publication already lists this acronym."),
            ),
        ]

    def __str__(self):
        return f"{self.acronym}: {self.meaning}"


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
