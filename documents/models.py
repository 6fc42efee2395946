"""PDFs as last rendered, stored with the fingerprint of the content they were made from.

The table keeps the name it had in the agenda app (agenda_rendereddocument), and so does its
constraint: the rows of a database created before the documents app kept working.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agenda.models import Event


class RenderedDocument(models.Model):
    """A PDF as last rendered, with the fingerprint of the content it was made from.

    The bytes live in the database so that every web process and worker shares them. `state`
    tells the progress of the latest request to render, which may be newer than the stored PDF.
    A document has one row per language: the French programme is another PDF than the English.
    """

    class Kind(models.TextChoices):
        SESSION_PAPER = "session_paper", _("Background paper")
        PROGRAMME = "programme", _("Programme")
        SPEAKER_BRIEF = "speaker_brief", _("Speaker's brief")
        PROCEEDINGS = "proceedings", _("Proceedings")
        PARTICIPANT_LIST = "participant_list", _("List of participants")
        CERTIFICATE = "certificate", _("Certificate of attendance")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be rendered")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rendered_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    key = models.CharField(_("key"), max_length=100, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Each document is rendered and kept in each language of the site."),
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    checked_versions = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The content and template versions at which the fingerprint was last checked."),
    )
    content = models.BinaryField(_("PDF"), blank=True, default=b"")
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.QUEUED)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("failed attempts"),
        default=0,
        help_text=_("Failed renderings in a row since the last request to render."),
    )
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        db_table = "agenda_rendereddocument"
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        ordering = ["event", "kind", "key", "language", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "key", "language"],
                name="documents_rendereddocument_one_per_language",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} ({self.language})"

    @property
    def size(self) -> int:
        return len(self.content or b"")
