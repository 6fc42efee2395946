"""Sessions of an event, their background papers and key questions."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agenda import content
from agenda.models.events import Event, roman_numeral


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


# Every language's column starts with this English sentence (as the columns were added): pages and
# documents write it in their own language (BackgroundPaper.questions_introduction_text).
DEFAULT_QUESTIONS_INTRODUCTION = gettext_noop(
    "Key questions to be examined during this session include:"
)


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
        default=DEFAULT_QUESTIONS_INTRODUCTION,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("background paper")
        verbose_name_plural = _("background papers")
        ordering = ["session", "pk"]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self) -> list[content.Text]:
        """The text's paragraphs in the active language, else the event's original language,
        each knowing its language. Reads the session and event (select them with the paper)."""
        return content.text(
            self, "body", original=self.session.event.original_language
        ).paragraphs()

    def questions_introduction_text(
        self, *, original: str | None = None, language: str | None = None
    ) -> content.Text:
        """The sentence before the key questions in `language` (the active one), else in the
        `original` language; the default sentence, left as it was in any column, is the
        interface's own translation of it."""
        chosen = content.text(self, "questions_introduction", original=original, language=language)
        if chosen.strip() != DEFAULT_QUESTIONS_INTRODUCTION:
            return chosen
        with translation.override(chosen.wanted):
            return content.Text(
                gettext(DEFAULT_QUESTIONS_INTRODUCTION), chosen.wanted, chosen.wanted
            )


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
