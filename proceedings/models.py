"""An event's publication (the proceedings of the IDM series): its parts and acronyms.

The tables keep the names they had in the agenda app (agenda_publication, agenda_publicationpart,
agenda_acronym and their history tables), and so do their constraints: the rows of a database
created before the proceedings app kept working.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agenda.models import Event
from agenda.validators import validate_issn


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

    history = HistoricalRecords(table_name="agenda_historicalpublication")

    class Meta:
        db_table = "agenda_publication"
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
        return reverse("proceedings:publication", kwargs={"event": self.event.slug})

    @property
    def summary_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.summary.split("\n\n") if p.strip()]


class PublicationPart(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)

    history = HistoricalRecords(table_name="agenda_historicalpublicationpart")

    class Meta:
        db_table = "agenda_publicationpart"
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

    history = HistoricalRecords(table_name="agenda_historicalacronym")

    class Meta:
        db_table = "agenda_acronym"
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
