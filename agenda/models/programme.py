"""The agenda itself: items, the roles people have in them, presentations, documents."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agenda import content, formatting
from agenda.models.events import Event, Room
from agenda.models.people import Person
from agenda.models.sessions import Session


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
        original = self.item.event.original_language
        return formatting.repeats_item_title(
            content.text(self, "title", original=original),
            item_title=content.text(self.item, "title", original=original),
            presentations=len(self.item.presentations.all()),
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

    def link(self, *, language: str | None = None) -> content.Link | None:
        """The file (else the address) in `language` (the active one), else in the event's
        original language, with the language it is in; None when there is neither."""
        return content.document_link(self, original=self.event.original_language, language=language)

    @property
    def href(self) -> str:
        link = self.link()
        if link is not None:
            return link.href
        return self.session.get_absolute_url() if self.session_id else ""
